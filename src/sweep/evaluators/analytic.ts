/**
 * The `analytic` evaluator: a closed-form **stand-in** for the cycle-level simulator, so sweeps, plots and the
 * CLI work before the timing, memory and energy models land. Its constants are round, plausible numbers for a
 * 28 nm-class design, not calibrated ones; use it for the shape of trade-offs (more lanes cost area, fewer
 * supported widths cost cycles and model size), never for a number to publish. Every row it produces is
 * labelled `evaluator: "analytic"`.
 *
 * The model, for a network with `macs` multiply-accumulates, `params` weights and `actBytes` of feature maps,
 * whose channels are split by weight precision `w` into fractions `f[w]`:
 *
 * | quantity | formula |
 * |---|---|
 * | width run at | `e[w]` = smallest supported width >= w (the 8-bit path always exists) |
 * | widths in one register | `k` = distinct `e[w]` in use |
 * | lane utilisation | `u = (1 - 0.04 (min(k, maxRuns) - 1)) * (k > maxRuns ? 0.85 : 1)` (padding at run boundaries; widths that do not fit one pattern go to extra registers) |
 * | vector MAC instructions | `N = sum_w macs f[w] e[w] / (vlenBits u)`, x1.5 without the mixed unit (software unpacking) |
 * | cycles: compute, overhead | `N / mixedUnits`, `0.15 N` (loads, pointer bumps, branches on a 2-wide front end) |
 * | cycles: pattern reloads | `4 N / 64 * max(0, 1 - patternRegs / patterns)` (a `setpp` per 64-instruction tile when patterns do not fit the registers) |
 * | cycles: memory stall | `max(0, bytes / memBytesPerCycle - compute - overhead)`, bytes = weights at their stored widths + 2 x actBytes |
 * | energy | MACs `0.012 e^1.6` pJ each x (1 + 0.06 (widths - 1) + 0.02 maxRuns); register file `4 vlenBits 0.002` pJ per vector instruction; 20 pJ per byte moved; static: `10 pJ` per mm² of datapath per cycle + `staticPowerMw / clockGHz` pJ per cycle for the rest of the core |
 * | area (vector datapath) | register file `32 vlenBits 2 µm²`; per unit: lanes `vlenBits (12 + sum 1.5 w over widths) µm²`, adder tree `4 vlenBits µm²`, run shifters `4 maxRuns vlenBits µm²`; pattern registers `patternRegs 64 x 6 µm²` |
 * | model size | `params sum_w f[w] e[w] / 8` bytes |
 *
 * @module
 */
import { z } from 'zod';
import { IsaConfigSchema } from '../../isa/config.js';
import type { EvalResult, Evaluator } from '../evaluator.js';

/** Design configuration of the analytical model: the ISA parameters plus the few core parameters it uses. */
export const AnalyticDesignSchema = z
  .object({
    isa: IsaConfigSchema.prefault({}),
    core: z
      .object({
        mixedUnits: z.number().int().min(1).max(8).default(1).meta({ unit: 'count', description: 'Mixed-precision dot-product units, each VLEN wide.' }),
        clockGHz: z.number().min(0.1).max(6).default(1).meta({ unit: 'GHz', description: 'Clock frequency (only converts cycles to time).' }),
        memBytesPerCycle: z.number().min(1).max(1024).default(16).meta({ unit: 'bytes/cycle', description: 'Bandwidth from the memory hierarchy to the core.' }),
        staticPowerMw: z.number().min(0).max(10_000).default(5).meta({ unit: 'mW', description: 'Static power of the rest of the core (scalar pipeline, caches), paid for every cycle the layer runs.' }),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** A resolved analytic design. */
export type AnalyticDesign = z.output<typeof AnalyticDesignSchema>;

/** Size figures of the networks the analytic evaluator knows (per inference, batch 1). */
export const ANALYTIC_NETWORKS = {
  /** ResNet-20 on CIFAR-10 (He et al. 2016): 40.6 M MACs, 0.27 M weights; feature maps 0.19 M elements. */
  resnet20: { macs: 40.6e6, params: 0.27e6, actBytes: 0.19e6 },
  /** A 784-256-256-10 MLP on MNIST: every weight used once, so bandwidth-bound. */
  'mlp-mnist': { macs: 268_800, params: 268_800, actBytes: 1_306 },
} as const;

/** Workload of the analytical model. */
export const AnalyticWorkloadSchema = z
  .object({
    network: z.enum(Object.keys(ANALYTIC_NETWORKS) as [keyof typeof ANALYTIC_NETWORKS]).default('resnet20').meta({ description: 'Network to run.' }),
    precision: z
      .object({
        w1: z.number().min(0).max(1).default(0.35),
        w2: z.number().min(0).max(1).default(0.35),
        w4: z.number().min(0).max(1).default(0.3),
        w8: z.number().min(0).max(1).default(0),
      })
      .strict()
      .prefault({})
      .refine((p) => Math.abs(p.w1 + p.w2 + p.w4 + p.w8 - 1) < 1e-9, { message: 'fractions must add up to 1' })
      .meta({ description: 'Fraction of channels (and of MACs) at each weight width, as a SySMOL-style precision map.' }),
    patterns: z.number().int().min(1).max(64).default(6).meta({ unit: 'count', description: 'Distinct precision patterns the network\'s layers use.' }),
  })
  .strict();

/** A resolved analytic workload. */
export type AnalyticWorkload = z.output<typeof AnalyticWorkloadSchema>;

const WIDTHS = [1, 2, 4, 8] as const;

/** Evaluates the analytical model (see the module comment). */
export function analyticModel(design: AnalyticDesign, workload: AnalyticWorkload): EvalResult {
  const { isa, core } = design;
  const net = ANALYTIC_NETWORKS[workload.network];
  const frac: Record<number, number> = { 1: workload.precision.w1, 2: workload.precision.w2, 4: workload.precision.w4, 8: workload.precision.w8 };
  const supported = [...isa.mixedWidths].sort((a, b) => a - b);
  const runWidth = (w: number) => supported.find((s) => s >= w) ?? 8;
  const used = WIDTHS.filter((w) => frac[w]! > 0);
  const k = new Set(used.map(runWidth)).size;
  const u = (1 - 0.04 * (Math.min(k, isa.maxRuns) - 1)) * (k > isa.maxRuns ? 0.85 : 1);
  const unpack = isa.mixedUnit ? 1 : 1.5;
  let vecInstr = 0;
  let macEnergy = 0;
  let weightBits = 0;
  for (const w of used) {
    const e = runWidth(w);
    const m = net.macs * frac[w]!;
    vecInstr += (m * e * unpack) / (isa.vlenBits * u);
    macEnergy += m * 0.012 * Math.pow(e, 1.6);
    weightBits += net.params * frac[w]! * e;
  }
  macEnergy *= 1 + 0.06 * (supported.length - 1) + 0.02 * isa.maxRuns;
  const compute = vecInstr / core.mixedUnits;
  const overhead = 0.15 * vecInstr;
  const pattern = ((4 * vecInstr) / 64) * Math.max(0, 1 - isa.patternRegs / workload.patterns);
  const bytes = weightBits / 8 + 2 * net.actBytes;
  const memory = Math.max(0, bytes / core.memBytesPerCycle - compute - overhead);
  const cycles = compute + overhead + pattern + memory;

  const um2 = 1e-6; // mm² per µm²
  const areaRf = 32 * isa.vlenBits * 2 * um2;
  const lanes = isa.vlenBits * (12 + supported.reduce((s, w) => s + 1.5 * w, 0)) * um2;
  const tree = 4 * isa.vlenBits * um2;
  const shifters = 4 * isa.maxRuns * isa.vlenBits * um2;
  const areaUnits = core.mixedUnits * (lanes + tree + shifters);
  const areaPp = isa.patternRegs * 64 * 6 * um2;
  const area = areaRf + areaUnits + areaPp;

  const instructions = vecInstr * 1.3; // vector instructions plus the scalar ones of the overhead
  const rfEnergy = vecInstr * 4 * isa.vlenBits * 0.002;
  const memEnergy = bytes * 20;
  const leakEnergy = (area * 10 + core.staticPowerMw / core.clockGHz) * cycles;
  const energyPj = macEnergy + rfEnergy + memEnergy + leakEnergy;
  return {
    metrics: {
      cycles,
      timeUs: cycles / (core.clockGHz * 1000),
      energyUj: energyPj / 1e6,
      areaMm2: area,
      modelKiB: weightBits / 8 / 1024,
      cpi: cycles / instructions,
      macsPerCycle: net.macs / cycles,
      laneUtilisation: u,
    },
    breakdowns: {
      cpi: { compute: compute / instructions, overhead: overhead / instructions, pattern: pattern / instructions, memory: memory / instructions },
      energy: { mac: macEnergy / 1e6, registerFile: rfEnergy / 1e6, memory: memEnergy / 1e6, leakage: leakEnergy / 1e6 },
      area: { registerFile: areaRf, lanes: core.mixedUnits * lanes, adderTrees: core.mixedUnits * tree, runShifters: core.mixedUnits * shifters, patternRegs: areaPp },
    },
  };
}

/** The `analytic` evaluator (see the module comment). */
export const analyticEvaluator: Evaluator<AnalyticDesign, AnalyticWorkload> = {
  name: 'analytic',
  description:
    'Analytical stand-in for the cycle-level simulator: closed-form cycles, energy, area and model size of a mixed-precision SIMD design (round, uncalibrated constants; for trade-off shapes only).',
  configSchema: AnalyticDesignSchema,
  workloadSchema: AnalyticWorkloadSchema,
  metrics: [
    { name: 'cycles', label: 'cycles', unit: 'cycles', description: 'Cycles of one inference.' },
    { name: 'timeUs', label: 'time', unit: 'µs', description: 'Time of one inference at the configured clock.' },
    { name: 'energyUj', label: 'energy', unit: 'µJ', description: 'Energy of one inference (MACs, register file, data movement, leakage).' },
    { name: 'areaMm2', label: 'SIMD area', unit: 'mm²', description: 'Area of the vector datapath (register file, units, pattern registers).' },
    { name: 'modelKiB', label: 'model size', unit: 'KiB', description: 'Weights at the widths they are stored at.' },
    { name: 'cpi', label: 'CPI', unit: 'cycles/instruction', description: 'Cycles per instruction.' },
    { name: 'macsPerCycle', label: 'MACs per cycle', unit: 'MACs/cycle', description: 'Multiply-accumulates per cycle.' },
    { name: 'laneUtilisation', label: 'lane utilisation', unit: 'ratio', description: 'Fraction of vector lanes doing useful work.' },
  ],
  breakdownUnits: { cpi: 'cycles/instruction', energy: 'µJ', area: 'mm²' },
  defaultObjectives: ['cycles', 'energyUj', 'areaMm2'],
  evaluate: analyticModel,
};
