/**
 * The `simulate-layer` evaluator: a mixed-precision fully connected layer generated for the design at hand
 * and run on the cycle-approximate simulator (`simulate`: bit-exact executor, core timing, caches, DRAM,
 * energy), with the SIMD datapath's area from the area model. This is the SySMOL question in miniature:
 * which widths, how many runs per pattern and how many pattern registers are worth their area.
 *
 * How the layer is laid out for a design:
 * 1. Each input channel's precision (drawn from `precision` fractions with `seed`) is promoted to the
 *    smallest width the mixed unit supports that holds it (a core without 1-bit support stores 1-bit
 *    channels as 2-bit, and so on); channels are grouped by width, widest first, and each group is padded
 *    to a whole number of bytes (patterns are byte-aligned).
 * 2. The grouped channel bits are cut into VLEN-bit registers. A register may hold at most `maxRuns` runs:
 *    where it would need more, the rest of the register is padding and the next group starts a new
 *    register. Each register's layout is a pattern.
 * 3. Output-stationary code: for every block of VLEN/32 outputs, for every register of the input, load the
 *    activations, and for every output lane load its weights and `vmdot` under that register's pattern. A
 *    pattern not held in a pattern register costs a `li` + `setpp` (registers are reused least recently
 *    used), which is what more pattern registers save.
 * Cycles, energy and instruction counts come from the simulator; outputs are checked against a plain
 * computation of the layer on every run, so a sweep can never report numbers of a wrong kernel.
 *
 * @module
 */
import { z } from 'zod';
import { simdArea } from '../../energy/area.js';
import { assemble } from '../../isa/assembler.js';
import { encodePattern, packPattern, type PatternRun } from '../../isa/pattern.js';
import { MachineConfigSchema } from '../../machine/config.js';
import { simulate } from '../../machine/simulate.js';
import type { EvalResult, Evaluator } from '../evaluator.js';

/** Design: a whole machine, plus the datapath counts the area model needs. */
export const LayerDesignSchema = MachineConfigSchema.extend({
  area: z
    .object({
      mixedUnits: z.number().int().min(0).max(8).default(1).meta({ unit: 'count', description: 'Mixed-precision dot-product units counted in the area.' }),
      vectorUnits: z.number().int().min(0).max(8).default(2).meta({ unit: 'count', description: 'Generic vector ALUs counted in the area.' }),
    })
    .strict()
    .prefault({}),
});

/** Workload: the layer's shape and precision mix. */
export const LayerWorkloadSchema = z
  .object({
    inChannels: z.number().int().min(8).max(8192).default(512).meta({ unit: 'count', description: 'Input channels (the dot-product length).' }),
    outChannels: z.number().int().min(1).max(4096).default(64).meta({ unit: 'count', description: 'Output channels.' }),
    precision: z
      .object({ w1: z.number().min(0).default(0.35), w2: z.number().min(0).default(0.35), w4: z.number().min(0).default(0.3), w8: z.number().min(0).default(0) })
      .strict()
      .prefault({})
      .meta({ unit: 'ratio', description: 'Fraction of input channels at each precision (normalised).' }),
    seed: z.number().int().default(1).meta({ description: 'Seed of the per-channel precision draw and of the data.' }),
  })
  .strict();

type Design = z.output<typeof LayerDesignSchema>;
type Workload = z.output<typeof LayerWorkloadSchema>;

/** Deterministic pseudo-random integers (xorshift32). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** A register's layout: its runs (incl. padding) and how many real channels of each run it holds. */
interface RegLayout {
  readonly runs: PatternRun[];
  /** Channel index (in the grouped order) of each element, or -1 for padding. */
  readonly channel: number[];
}

/** Groups channels by stored width and cuts them into registers (see the module comment). */
export function layoutLayer(widths: readonly number[], vlenBits: number, maxRuns: number): RegLayout[] {
  const byWidth = [...new Set(widths)].sort((a, b) => b - a);
  const regs: RegLayout[] = [];
  let cur: RegLayout = { runs: [], channel: [] };
  let bits = 0;
  // Ends the current register, filling what is left with more (zero) elements of its last run's width:
  // padding needs no width the unit lacks and no extra run.
  const close = () => {
    if (bits === 0) return;
    const last = cur.runs[cur.runs.length - 1]!;
    const extra = (vlenBits - bits) / last.widthBits;
    cur.runs[cur.runs.length - 1] = { widthBits: last.widthBits, count: last.count + extra };
    for (let k = 0; k < extra; k++) cur.channel.push(-1);
    regs.push(cur);
    cur = { runs: [], channel: [] };
    bits = 0;
  };
  let index = 0;
  for (const w of byWidth) {
    const n = widths.filter((x) => x === w).length;
    const perByte = 8 / w;
    const padded = Math.ceil(n / perByte) * perByte;
    let done = 0;
    while (done < padded) {
      if (cur.runs.length >= maxRuns) close();
      const room = (vlenBits - bits) / w;
      const take = Math.min(room, padded - done);
      const real = Math.max(0, Math.min(take, n - done));
      cur.runs.push({ widthBits: w, count: take });
      for (let k = 0; k < take; k++) cur.channel.push(k < real ? index + done + k : -1);
      bits += w * take;
      done += take;
      if (bits === vlenBits) close();
    }
    index += n;
  }
  close();
  return regs;
}

/** Evaluates one design on the layer; exported for tests. */
export function evaluateLayer(design: Design, workload: Workload): EvalResult {
  const { isa } = design;
  const V = isa.vlenBits;
  const rand = rng(workload.seed);
  const p = workload.precision;
  const total = p.w1 + p.w2 + p.w4 + p.w8;
  if (total <= 0) throw new Error('workload.precision: the fractions sum to 0');
  const supported = [...isa.mixedWidths].sort((a, b) => a - b);
  const want = Array.from({ length: workload.inChannels }, () => {
    const u = (rand() / 2 ** 32) * total;
    return u < p.w1 ? 1 : u < p.w1 + p.w2 ? 2 : u < p.w1 + p.w2 + p.w4 ? 4 : 8;
  });
  const stored = want.map((w) => {
    const s = supported.find((x) => x >= w);
    if (s === undefined) throw new Error(`isa.mixedWidths ${supported.join('/')} cannot hold ${w}-bit channels`);
    return s;
  });
  // Channel order after grouping: widest first, stable.
  const order = stored.map((w, i) => [w, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const groupedWidths = order.map(([w]) => w);
  const regs = layoutLayer(groupedWidths, V, isa.maxRuns);
  const lanes = V / 32;
  const blocks = Math.ceil(workload.outChannels / lanes);
  const bytes = V / 8;

  // Data: activations (unsigned) and weights (signed, 1-bit = +-1) at each channel's stored width.
  const acts = order.map(([w]) => rand() % 2 ** w);
  const wts = Array.from({ length: workload.outChannels }, () => order.map(([w]) => (w === 1 ? (rand() & 1 ? 1 : -1) : (rand() % 2 ** w) - 2 ** (w - 1))));
  // Padding elements: activation 0 (so they add nothing) and weight +1 (valid at every width, 1-bit included).
  const regValues = (r: RegLayout, src: readonly number[], weights: boolean) => r.channel.map((c) => (c < 0 ? (weights ? 1 : 0) : src[c]!));
  const ACT = 0x10000;
  const WTS = ACT + regs.length * bytes;
  const OUT = WTS + blocks * lanes * regs.length * bytes;
  const image: { addr: number; bytes: Uint8Array }[] = [];
  regs.forEach((r, k) => image.push({ addr: ACT + k * bytes, bytes: packPattern(regValues(r, acts, false), r.runs, false) }));
  for (let o = 0; o < blocks * lanes; o++) {
    regs.forEach((r, k) => {
      const w = o < workload.outChannels ? wts[o]! : order.map(() => 1);
      image.push({ addr: WTS + (o * regs.length + k) * bytes, bytes: packPattern(regValues(r, w, true), r.runs, true) });
    });
  }

  // Code: pattern registers hold descriptors, reused least recently used.
  const descr = regs.map((r) => encodePattern(r.runs));
  const key = (k: number) => `${descr[k]![0]}:${descr[k]![1]}`;
  const held: (string | null)[] = Array(isa.patternRegs).fill(null);
  const lastUse: number[] = Array(isa.patternRegs).fill(-1);
  let tick = 0;
  const lines: string[] = ['li x1, ' + ACT, 'li x2, ' + WTS, 'li x3, ' + OUT];
  for (let b = 0; b < blocks; b++) {
    lines.push('vxor v8, v8, v8');
    for (let k = 0; k < regs.length; k++) {
      let pp = held.indexOf(key(k));
      if (pp < 0) {
        pp = lastUse.indexOf(Math.min(...lastUse));
        held[pp] = key(k);
        lines.push(`li x5, ${descr[k]![0] | 0}`, `li x6, ${descr[k]![1] | 0}`, `setpp pp${pp}, x5, x6`);
      }
      lastUse[pp] = tick++;
      lines.push(`vld v1, ${k * bytes}(x1)`);
      for (let l = 0; l < lanes; l++) {
        const off = ((b * lanes + l) * regs.length + k) * bytes;
        lines.push(`li x7, ${WTS + off}`, `vld v${2 + (l % 4)}, 0(x7)`, `vmdot.pp${pp} v8, v1, v${2 + (l % 4)}, ${l}`);
      }
    }
    lines.push(`vst v8, ${b * bytes}(x3)`);
  }
  lines.push('halt');
  const program = assemble(lines.join('\n'));
  const { area: areaCounts, ...machine } = design;
  const r = simulate(machine, program, { prepare: (st) => image.forEach((d) => st.writeBytes(d.addr, d.bytes)) });

  // Check the outputs against the plain computation.
  for (let o = 0; o < workload.outChannels; o++) {
    let s = 0;
    for (let c = 0; c < acts.length; c++) s += acts[c]! * wts[o]![c]!;
    const got = r.state.memView.getInt32(OUT + 4 * o, true);
    if (got !== s) throw new Error(`simulate-layer: output ${o} is ${got}, the plain computation gives ${s}`);
  }

  const area = simdArea({ vlenBits: V, mixedWidths: isa.mixedUnit ? [...isa.mixedWidths] : [], patternRegs: isa.patternRegs, ...areaCounts });
  const cyc = r.report.cycles;
  const cpi = Object.fromEntries(Object.entries(r.report.cpiStack).map(([k, v]) => [k, v / r.report.instructions]));
  const e = r.coreEnergy;
  const uj = (pj: number) => pj / 1e6;
  const weightBits = stored.reduce((s, w) => s + w, 0) * workload.outChannels;
  return {
    metrics: {
      cycles: cyc,
      instructions: r.report.instructions,
      ipc: r.report.ipc,
      energyUj: uj(r.energyPj),
      areaMm2: area.totalUm2 / 1e6,
      modelKiB: weightBits / 8 / 1024,
      registers: regs.length,
    },
    breakdowns: {
      cpi,
      energy: { datapath: uj(e.datapathPj), registerFile: uj(e.registerFilePj), lsu: uj(e.lsuPj + e.overheadPj), coreLeakage: uj(e.leakagePj), memory: uj(r.memoryEnergy.totalPj) },
    },
  };
}

/** The `simulate-layer` evaluator (see the module comment). */
export const simulateLayerEvaluator: Evaluator<Design, Workload> = {
  name: 'simulate-layer',
  description:
    'A mixed-precision fully connected layer laid out for the design (width promotion, byte-aligned runs, maxRuns, LRU pattern registers) and run on the cycle-approximate simulator with caches and energy; outputs checked against plain arithmetic.',
  configSchema: LayerDesignSchema,
  workloadSchema: LayerWorkloadSchema,
  metrics: [
    { name: 'cycles', label: 'cycles', unit: 'cycles', description: 'Simulated cycles of the layer.' },
    { name: 'instructions', label: 'instructions', unit: 'instructions', description: 'Dynamic instructions.' },
    { name: 'ipc', label: 'IPC', unit: 'instructions/cycle', description: 'Instructions per cycle.' },
    { name: 'energyUj', label: 'energy', unit: 'µJ', description: 'Core actions plus cache and DRAM events.' },
    { name: 'areaMm2', label: 'SIMD area', unit: 'mm²', description: 'SIMD datapath area (area model of src/energy).' },
    { name: 'modelKiB', label: 'model size', unit: 'KiB', description: 'Weights at the widths they are stored at.' },
    { name: 'registers', label: 'registers per input vector', unit: 'count', description: 'Vector registers one input vector takes after grouping and padding.' },
  ],
  breakdownUnits: { cpi: 'cycles/instruction', energy: 'µJ' },
  defaultObjectives: ['cycles', 'energyUj', 'areaMm2'],
  evaluate: evaluateLayer,
};
