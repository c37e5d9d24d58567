// The llvm-mca validation (scripts/validate): a few kernels through llvm-mca and mpsimd, checked against what
// each side's own parameters say the loop must take. Skipped, with the reason, where llvm-mca is not installed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERNELS, kernelFile, TARGETS } from '../../scripts/validate/kernels.js';
import { findMca, measureMca } from '../../scripts/validate/mca.js';
import { replaceSection } from '../../scripts/validate/doc.js';
import { measureMpsimd } from '../../scripts/validate/mpsimd.js';
import { KERNEL_DIR, runTiming, timingMarkdown } from '../../scripts/validate/timing.js';
import { avx2Skylake, neonA76 } from '../../src/presets/index.js';

const mcas = findMca();
const NO_MCA = 'llvm-mca is not installed (Debian package llvm): the llvm-mca validation is skipped';
const kernel = (name: string) => KERNELS.find((k) => k.name === name)!;
const target = (key: string) => TARGETS.find((t) => t.key === key)!;

/** Latency llvm-mca's own instruction table gives one instruction (register operands) on `t`. */
function mcaLatency(t: (typeof TARGETS)[number], instruction: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'mca-'));
  const file = join(dir, 'one.s');
  writeFileSync(file, (t.isa === 'neon' ? '' : '.intel_syntax noprefix\n') + instruction + '\n');
  const out = execFileSync(mcas[0]!.path, [`-mtriple=${t.triple}`, `-mcpu=${t.mcpu}`, '-iterations=1', '-instruction-info', file], { encoding: 'utf8' });
  rmSync(dir, { recursive: true });
  const line = out.split('\n').find((l) => l.includes(instruction.split(' ')[0]!) && /^\s*\d+\s+\d+\s/.test(l));
  if (line === undefined) throw new Error(`no '${instruction}' in llvm-mca's instruction info:\n${out}`);
  return Number(line.trim().split(/\s+/)[1]);
}

describe('llvm-mca validation', () => {
  it('llvm-mca: four chained FMAs per iteration take four FMA latencies of its own model', (ctx) => {
    if (mcas.length === 0) ctx.skip(NO_MCA);
    for (const [key, fma] of [['skylake', 'vfmadd231ps ymm0, ymm1, ymm2'], ['n1', 'fmla v0.4s, v1.4s, v2.4s']] as const) {
      const t = target(key);
      const file = join(KERNEL_DIR, kernelFile(kernel('fma-1acc'), t.isa));
      const r = measureMca(mcas[0]!, t, file);
      expect(r.cyclesPerIteration).toBeCloseTo(4 * mcaLatency(t, fma), 1);
      expect(r.instructions).toBe(t.isa === 'avx2' ? 9 : 13);
    }
  });

  it('mpsimd: the same loop takes four accumulate latencies of the preset\'s fma, with the loop body counted once', () => {
    // the fma chain through its accumulator: the latency, or a forwarding rule's latency where the preset has one
    // (Skylake 4; A76 FMLA 4(2): 2)
    for (const [preset, perFma] of [[avx2Skylake(), 4], [neonA76(), 2]] as const) {
      const file = join(KERNEL_DIR, kernelFile(kernel('fma-1acc'), 'mpsimd'));
      const r = measureMpsimd(readFileSync(file, 'utf8'), file, preset);
      expect(r.cyclesPerIteration).toBeCloseTo(4 * perFma, 6);
      expect(r.instructionsPerIteration).toBeCloseTo(13, 6); // vldbc, 4 vld, 4 vfma, 2 addi, counter, branch
    }
  });

  it('rows: ratio, the tolerance, and a cause for every row outside it', (ctx) => {
    if (mcas.length === 0) ctx.skip(NO_MCA);
    const rows = runTiming(mcas[0]!, [kernel('fma-2acc'), kernel('i8dot-2acc')], [target('skylake'), target('n1')]);
    expect(rows.map((r) => `${r.kernel.name}/${r.target.key}`)).toEqual(['fma-2acc/skylake', 'fma-2acc/n1', 'i8dot-2acc/skylake', 'i8dot-2acc/n1']);
    for (const r of rows) expect(r.ratio).toBeCloseTo(r.mpsimd!.cyclesPerIteration / r.mca.cyclesPerIteration, 9);
    const md = timingMarkdown(rows, mcas[0]!);
    expect(md.split('\n').filter((l) => l.startsWith('| fma-2acc') || l.startsWith('| i8dot-2acc'))).toHaveLength(4);
    for (const r of rows) if (r.ratio !== null && Math.abs(r.ratio - 1) > 0.1) expect(r.cause).not.toBe('');
  });
});

describe('docs sections', () => {
  it('replaces only the text between its markers, and names a missing section', () => {
    const doc = 'a\n<!-- BEGIN X -->\nold\n<!-- END X -->\nb\n';
    expect(replaceSection(doc, 'X', 'new')).toBe('a\n<!-- BEGIN X -->\nnew\n<!-- END X -->\nb\n');
    expect(() => replaceSection(doc, 'Y', 'new')).toThrow(/has no '<!-- BEGIN Y -->'/);
  });
});
