/**
 * The preset figures from LLVM's scheduling models: for each mpsimd instruction class, the real instructions
 * it stands for on each core, and what llvm-mca's model of that core says of each (micro-ops, latency,
 * reciprocal throughput, the ports or pipes it uses), beside the preset's figure today. Regenerated into
 * docs/presets.md by `npm run validate`.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstrClassName } from '../../src/isa/classes.js';
import { PRESETS, type Preset } from '../../src/presets/index.js';
import type { Mca } from './mca.js';

/** One class on one core: what it stands for there. */
interface Standin {
  readonly cls: InstrClassName;
  /** Width key of the preset timing it corresponds to (`byWidth`), or '' for the class's default. */
  readonly width?: string;
  /** What mpsimd instruction(s) it is, in words. */
  readonly what: string;
  /** The real instructions, in order (one sequence). */
  readonly asm: readonly string[];
}

/** A core: the llvm-mca model and the preset. */
interface Core {
  readonly name: string;
  readonly triple: string;
  readonly mcpu: string;
  readonly preset: string;
  readonly intel: boolean;
  readonly standins: readonly Standin[];
}

const SKYLAKE: readonly Standin[] = [
  { cls: 'vec-logic', what: 'vand/vor/vxor/vxnor', asm: ['vpxor ymm0, ymm1, ymm2'] },
  { cls: 'vec-alu', what: 'vadd (integer)', asm: ['vpaddd ymm0, ymm1, ymm2'] },
  { cls: 'vec-alu', width: 'f32', what: 'vadd.f32', asm: ['vaddps ymm0, ymm1, ymm2'] },
  { cls: 'vec-shift', what: 'vsrl/vsll', asm: ['vpsrlw ymm0, ymm1, 4'] },
  { cls: 'vec-mul', what: 'vmul.s16', asm: ['vpmullw ymm0, ymm1, ymm2'] },
  { cls: 'vec-mul', width: 'w32', what: 'vmul.s32', asm: ['vpmulld ymm0, ymm1, ymm2'] },
  { cls: 'vec-mul', width: 'f32', what: 'vmul.f32', asm: ['vmulps ymm0, ymm1, ymm2'] },
  { cls: 'vec-fma', what: 'vfma.f32', asm: ['vfmadd231ps ymm0, ymm1, ymm2'] },
  { cls: 'vec-mac', what: 'vwmacc.s16 (two of them: vpmaddwd sums pairs)', asm: ['vpmaddwd ymm3, ymm1, ymm2', 'vpaddd ymm0, ymm0, ymm3'] },
  { cls: 'vec-dot8', what: 'vdotus (u8 x s8 in groups of four)', asm: ['vpmaddubsw ymm3, ymm1, ymm2', 'vpmaddwd ymm3, ymm3, ymm7', 'vpaddd ymm0, ymm0, ymm3'] },
  { cls: 'vec-popcnt', what: 'vpopc.u8 (nibble table)', asm: ['vpand ymm2, ymm1, ymm6', 'vpsrlw ymm1, ymm1, 4', 'vpand ymm1, ymm1, ymm6', 'vpshufb ymm2, ymm5, ymm2', 'vpshufb ymm1, ymm5, ymm1', 'vpaddb ymm1, ymm1, ymm2'] },
  { cls: 'vec-xdot', what: 'vxdot (xor, popcount, sum into 64-bit lanes, accumulate)', asm: ['vpxor ymm1, ymm1, ymm3', 'vpand ymm2, ymm1, ymm6', 'vpsrlw ymm1, ymm1, 4', 'vpand ymm1, ymm1, ymm6', 'vpshufb ymm2, ymm5, ymm2', 'vpshufb ymm1, ymm5, ymm1', 'vpaddb ymm1, ymm1, ymm2', 'vpsadbw ymm1, ymm1, ymm4', 'vpaddq ymm0, ymm0, ymm1'] },
  { cls: 'vec-permute', what: 'vbcast from a scalar register', asm: ['vmovd xmm1, eax', 'vpbroadcastd ymm1, xmm1'] },
  { cls: 'vec-permute', what: 'a cross-lane permute (vwiden/vnarrow halves)', asm: ['vpermd ymm0, ymm1, ymm2'] },
  { cls: 'vec-reduce', what: 'vredsum.u32 (extract, shuffle, add tree; move out)', asm: ['vextracti128 xmm2, ymm1, 1', 'vpaddd xmm1, xmm1, xmm2', 'vpshufd xmm2, xmm1, 78', 'vpaddd xmm1, xmm1, xmm2', 'vpshufd xmm2, xmm1, 177', 'vpaddd xmm1, xmm1, xmm2', 'vmovd eax, xmm1'] },
  { cls: 'vec-load', what: 'vld', asm: ['vmovdqu ymm0, ymmword ptr [rsi]'] },
  { cls: 'vec-load', what: 'vldbc.f32', asm: ['vbroadcastss ymm0, dword ptr [rsi]'] },
  { cls: 'vec-store', what: 'vst', asm: ['vmovdqu ymmword ptr [rdi], ymm0'] },
  { cls: 'scalar-load', what: 'lw', asm: ['mov eax, dword ptr [rsi]'] },
  { cls: 'scalar-mul', what: 'mul', asm: ['imul eax, ecx'] },
];

const ICELAKE: readonly Standin[] = [
  { cls: 'vec-dot8', what: 'vdotus', asm: ['vpdpbusd ymm0, ymm1, ymm2'] },
  { cls: 'vec-mac', what: 'vwmacc.s16 (two of them: vpdpwssd sums pairs)', asm: ['vpdpwssd ymm0, ymm1, ymm2'] },
  { cls: 'vec-popcnt', what: 'vpopc.u32', asm: ['vpopcntd ymm0, ymm1'] },
  { cls: 'vec-xdot', what: 'vxdot (xor, popcount per 64 bits, accumulate)', asm: ['vpxor ymm1, ymm1, ymm3', 'vpopcntq ymm1, ymm1', 'vpaddq ymm0, ymm0, ymm1'] },
  { cls: 'vec-fma', what: 'vfma.f32', asm: ['vfmadd231ps ymm0, ymm1, ymm2'] },
  { cls: 'vec-alu', what: 'vadd (integer)', asm: ['vpaddd ymm0, ymm1, ymm2'] },
];

const N1: readonly Standin[] = [
  { cls: 'vec-logic', what: 'vand/vor/vxor/vxnor', asm: ['eor v0.16b, v1.16b, v2.16b'] },
  { cls: 'vec-alu', what: 'vadd (integer)', asm: ['add v0.4s, v1.4s, v2.4s'] },
  { cls: 'vec-alu', width: 'f32', what: 'vadd.f32', asm: ['fadd v0.4s, v1.4s, v2.4s'] },
  { cls: 'vec-shift', what: 'vsrl/vsll', asm: ['ushr v0.8h, v1.8h, #4'] },
  { cls: 'vec-mul', what: 'vmul.s16/s32', asm: ['mul v0.4s, v1.4s, v2.4s'] },
  { cls: 'vec-mul', width: 'f32', what: 'vmul.f32', asm: ['fmul v0.4s, v1.4s, v2.4s'] },
  { cls: 'vec-fma', what: 'vfma.f32', asm: ['fmla v0.4s, v1.4s, v2.4s'] },
  { cls: 'vec-mac', what: 'vwmacc.s16 part 0 / part 1', asm: ['smlal v0.4s, v1.4h, v2.4h', 'smlal2 v3.4s, v1.8h, v2.8h'] },
  { cls: 'vec-dot8', what: 'vdot.s8 / vdotus', asm: ['sdot v0.4s, v1.16b, v2.16b'] },
  { cls: 'vec-popcnt', what: 'vpopc.u8', asm: ['cnt v0.16b, v1.16b'] },
  { cls: 'vec-xdot', what: 'vxdot (xor, count, pairwise add-accumulate)', asm: ['eor v1.16b, v1.16b, v2.16b', 'cnt v1.16b, v1.16b', 'uadalp v0.8h, v1.16b'] },
  { cls: 'vec-xdot', what: 'vxdot reduced to a scalar lane (xor, count, addv)', asm: ['eor v1.16b, v1.16b, v2.16b', 'cnt v1.16b, v1.16b', 'addv b1, v1.16b'] },
  { cls: 'vec-permute', what: 'vbcast from a scalar register', asm: ['dup v1.4s, w4'] },
  { cls: 'vec-reduce', what: 'vredsum.u32', asm: ['addv s1, v1.4s'] },
  { cls: 'vec-reduce', what: 'vredmax.u8', asm: ['umaxv b1, v1.16b'] },
  { cls: 'vec-load', what: 'vld', asm: ['ldr q0, [x1]'] },
  { cls: 'vec-load', what: 'vldbc.u32', asm: ['ld1r {v0.4s}, [x1]'] },
  { cls: 'vec-store', what: 'vst', asm: ['str q0, [x1]'] },
  { cls: 'scalar-load', what: 'lw', asm: ['ldr w0, [x1]'] },
  { cls: 'scalar-mul', what: 'mul', asm: ['mul w0, w1, w2'] },
];

/** The cores, in table order. */
export const CORES: readonly Core[] = [
  { name: 'Skylake-like (AVX2)', triple: 'x86_64-unknown-linux-gnu', mcpu: 'skylake', preset: 'avx2Skylake', intel: true, standins: SKYLAKE },
  { name: 'VNNI Skylake-like (Ice Lake server model)', triple: 'x86_64-unknown-linux-gnu', mcpu: 'icelake-server', preset: 'vnniSkylake', intel: true, standins: ICELAKE },
  { name: 'A76-like (Neoverse N1 model)', triple: 'aarch64-unknown-linux-gnu', mcpu: 'neoverse-n1', preset: 'neonA76', intel: false, standins: N1 },
];

/** What llvm-mca's model says of one instruction. */
interface InstrFigures {
  readonly text: string;
  readonly uops: number;
  readonly latency: number;
  readonly rthroughput: number;
  /** Resource name and cycles of use, as llvm-mca's resource pressure by instruction shows. */
  readonly pressure: readonly [string, number][];
}

function figures(mca: Mca, core: Core, asm: readonly string[], dir: string): InstrFigures[] {
  // Each instruction alone, repeated: the resource pressure is then spread over every port that may take it.
  return asm.map((text) => {
    const file = join(dir, 'one.s');
    writeFileSync(file, (core.intel ? '.intel_syntax noprefix\n' : '') + text + '\n');
    const out = execFileSync(mca.path, [`-mtriple=${core.triple}`, `-mcpu=${core.mcpu}`, '-iterations=300', '-instruction-info', '-resource-pressure', file], { encoding: 'utf8' });
    const lines = out.split('\n');
    const info = lines[lines.findIndex((l) => l.startsWith('[1]') && l.includes('Instructions:')) + 1]!.trim().split(/\s+/);
    const resources: string[] = [];
    const r0 = lines.indexOf('Resources:');
    for (let i = r0 + 1; lines[i]!.trim() !== ''; i++) resources.push(lines[i]!.replace(/^\[[\d.]+\]\s*-\s*/, '').trim());
    const cols = lines[lines.findIndex((l) => l.startsWith('Resource pressure by instruction:')) + 2]!.trim().split(/\s+/).slice(0, resources.length);
    const pressure = cols.map((c, j) => [resources[j]!, c === '-' ? 0 : Number(c)] as [string, number]).filter(([, v]) => v >= 0.01);
    return { text, uops: Number(info[0]), latency: Number(info[1]), rthroughput: Number(info[2]), pressure };
  });
}

/** A resource's short name: p0..p7 for Intel ports, the pipe name for the N1 (V0, V1, L, M, ...). */
function portName(resource: string): string {
  return resource.replace(/^(SKL|ICX)Port(\d+)$/, 'p$2').replace(/^N1Unit/, '');
}

function presetFigure(preset: Preset | null, cls: InstrClassName, width: string | undefined): string {
  if (preset === null) return '(preset not defined yet)';
  const t = preset.core.timing?.[cls];
  const w = width ? t?.byWidth?.[width as keyof NonNullable<NonNullable<typeof t>['byWidth']>] : undefined;
  const lat = w?.latencyCycles ?? t?.latencyCycles ?? '(default)';
  const rtp = w?.reciprocalThroughputCycles ?? t?.reciprocalThroughputCycles ?? 1;
  const pools = (preset.core.units ?? []).filter((u) => (u.classes as readonly string[]).includes(cls)).map((u) => `${u.name}${(u.count ?? 1) > 1 ? `x${u.count}` : ''}`);
  return `${lat} / ${rtp} on ${pools.join(', ')}`;
}

/** The generated part of docs/presets.md. */
export function presetsMarkdown(mca: Mca): string {
  const dir = mkdtempSync(join(tmpdir(), 'mpsimd-presets-'));
  const out: string[] = [
    `Generated by \`npm run validate\` from llvm-mca ${mca.version} (\`-instruction-info -resource-pressure\`, each`,
    'instruction alone, 300 iterations), that is from LLVM\'s scheduling models: `X86SchedSkylakeClient.td`,',
    '`X86SchedIceLake.td`, `AArch64SchedNeoverseN1.td`. Latency and reciprocal throughput are per instruction, in',
    'cycles; "ports" is the resource pressure per execution, spread over every port or pipe that may take the',
    'instruction (0.33 on each of three ports = any one of them). "preset today" is latency / reciprocal throughput',
    'on pools, of the class (or its `byWidth` entry) in src/presets.',
  ];
  try {
    for (const core of CORES) {
      const f = (PRESETS as Record<string, (() => Preset) | undefined>)[core.preset];
      const preset = f === undefined ? null : f();
      out.push('', `### ${core.name}: \`-mcpu=${core.mcpu}\`, preset \`${core.preset}\``, '', '| class | stands for | instruction | µops | latency | recip. tput | ports (cycles) | preset today |', '|---|---|---|---:|---:|---:|---|---|');
      for (const s of core.standins) {
        const rows = figures(mca, core, s.asm, dir);
        rows.forEach((r, k) => {
          const ports = r.pressure.map(([n, v]) => `${portName(n)} ${v}`).join(', ');
          const head = k === 0 ? [`\`${s.cls}\`${s.width ? ` (${s.width})` : ''}`, s.what] : ['', ''];
          const today = k === 0 ? presetFigure(preset, s.cls, s.width) : '';
          out.push(`| ${head[0]} | ${head[1]} | \`${r.text}\` | ${r.uops} | ${r.latency} | ${r.rthroughput} | ${ports} | ${today} |`);
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out.join('\n');
}
