/**
 * Steady-state cycles per loop iteration of an mpsimd kernel on a preset, measured as llvm-mca's figure is:
 * the difference between two runs of different lengths, divided by the difference in iterations, so the
 * cold start (first misses, predictor training, pipeline fill) cancels out.
 *
 * A kernel file is a complete program whose inner loop (`INNER` iterations) is the loop under test, run
 * `OUTER` times by an outer loop that resets its pointers, so its data stays in the L1 cache. The script
 * defines `INNER`, `OUTER` and `VB1`..`VB8` (1..8 times VLEN in bytes) by prepending `.equ` lines, so one file
 * serves every vector length. Four runs, two outer counts by two inner counts: the difference between the
 * outer counts is the cost of one pass of the inner loop in steady state (the cold first pass cancels), and
 * the difference between the inner counts removes the outer loop's own instructions, so what remains is one
 * iteration of the loop, as llvm-mca sees it.
 *
 * @module
 */
import { assemble } from '../../src/isa/assembler.js';
import type { MachineState } from '../../src/isa/state.js';
import { simulate } from '../../src/machine/simulate.js';
import type { Preset } from '../../src/presets/index.js';

/** Outer-loop counts of the runs whose difference is measured. */
export const OUTER_RUNS: readonly [number, number] = [3, 9];
/** Inner-loop counts of the runs (a kernel's data per iteration times 64 must fit the L1 cache). */
export const INNER_RUNS: readonly [number, number] = [32, 64];

/** The source of `kernel` with the script's constants for a vector length. */
export function withConstants(kernel: string, vlenBits: number, outer: number, inner: number): string {
  const vb = vlenBits / 8;
  const defs = [`.equ OUTER, ${outer}`, `.equ INNER, ${inner}`, ...Array.from({ length: 8 }, (_, i) => `.equ VB${i + 1}, ${vb * (i + 1)}`)];
  return `${defs.join('\n')}\n${kernel}`;
}

/** What one mpsimd kernel measured. */
export interface MpsimdResult {
  /** Steady-state cycles per inner-loop iteration. */
  readonly cyclesPerIteration: number;
  /** The same for instructions (a check that the loop is the one meant). */
  readonly instructionsPerIteration: number;
  /** The longer run's CPI stack, in cycles per iteration (components with at least 0.01). */
  readonly cpiStack: Readonly<Record<string, number>>;
}

/**
 * Runs `kernel` (file text) on `preset` twice and returns its steady-state cycles per inner iteration.
 * `prepare` may fill memory (for a data-dependent branch).
 */
export function measureMpsimd(kernel: string, file: string, preset: Preset, prepare?: (st: MachineState) => void): MpsimdResult {
  const vlen = preset.isa.vlenBits ?? 256;
  const run = (outer: number, inner: number) => {
    const program = assemble(withConstants(kernel, vlen, outer, inner), { source: file });
    const r = simulate(preset, program, prepare ? { prepare } : {}).report;
    return { cycles: r.cycles, instructions: r.instructions, ...r.cpiStack } as Record<string, number>;
  };
  const [o1, o2] = OUTER_RUNS;
  const [i1, i2] = INNER_RUNS;
  const r11 = run(o1, i1);
  const r21 = run(o2, i1);
  const r12 = run(o1, i2);
  const r22 = run(o2, i2);
  const perIteration = (k: string) => ((r22[k] ?? 0) - (r12[k] ?? 0) - (r21[k] ?? 0) + (r11[k] ?? 0)) / ((o2 - o1) * (i2 - i1));
  const stack: Record<string, number> = {};
  for (const k of new Set([...Object.keys(r22), ...Object.keys(r11)])) {
    if (k === 'cycles' || k === 'instructions') continue;
    const per = perIteration(k);
    if (Math.abs(per) >= 0.005) stack[k] = per;
  }
  return { cyclesPerIteration: perIteration('cycles'), instructionsPerIteration: perIteration('instructions'), cpiStack: stack };
}
