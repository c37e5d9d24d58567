// Per-operand timing (CoreConfig readAdvanceCycles, forwarding, laneWrites), worked out by hand on both core
// models. The core is wide (helpers.ts WIDE: frontEndStages 1, every width 8), so a chain's issue cycles are
// set by its dependences alone: an instruction dispatched at cycle 1 issues at 2 at the earliest.
import { describe, expect, it } from 'vitest';
import type { CoreConfigInput } from '../../src/pipeline/config.js';
import { rep, run, WIDE } from './helpers.js';

const MODELS = ['inOrder', 'outOfOrder'] as const;
const issues = (src: string, core: CoreConfigInput, n: number) => run(src, core).timeline.slice(0, n).map((t) => t.issue);
// Two vector units, so two independent chains never wait for a unit.
const units: CoreConfigInput['units'] = [
  { name: 'int', count: 2, classes: ['scalar-alu', 'scalar-mul', 'branch', 'pattern', 'misc'] },
  { name: 'mem', count: 2, classes: ['scalar-load', 'scalar-store', 'vec-load', 'vec-store'] },
  { name: 'vec', count: 4, classes: ['vec-logic', 'vec-shift', 'vec-popcnt', 'vec-alu', 'vec-mul', 'vec-mac', 'vec-dot8', 'vec-xdot', 'vec-mdot', 'vec-fp', 'vec-fma', 'vec-permute', 'vec-reduce', 'vec-requant'] },
];

describe('read advance of the accumulator (LLVM ReadAdvance)', () => {
  for (const model of MODELS) {
    it(`lets a chain of fma into one accumulator issue every latency - advance cycles (${model})`, () => {
      // vfma latency 4. Without advance: issue 2, 6, 10, 14. Accumulator read 3 cycles late: the next may issue
      // at 2 + max(1, 4 - 3) = 3, then 4, 5.
      const src = `${rep('vfma.f32 v1, v2, v3', 4)}halt`;
      const base: CoreConfigInput = { ...WIDE, model, units, timing: { 'vec-fma': { latencyCycles: 4 } } };
      expect(issues(src, base, 4)).toEqual([2, 6, 10, 14]);
      expect(issues(src, { ...base, timing: { 'vec-fma': { latencyCycles: 4, readAdvanceCycles: { accumulator: 3 } } } }, 4)).toEqual([2, 3, 4, 5]);
      // 2 cycles early: issue 2, 4, 6, 8; an advance beyond the latency still waits one cycle after the producer issued
      expect(issues(src, { ...base, timing: { 'vec-fma': { latencyCycles: 4, readAdvanceCycles: { accumulator: 2 } } } }, 4)).toEqual([2, 4, 6, 8]);
      expect(issues(src, { ...base, timing: { 'vec-fma': { latencyCycles: 4, readAdvanceCycles: { accumulator: 9 } } } }, 4)).toEqual([2, 3, 4, 5]);
    });

    it(`applies to the role it names only (${model})`, () => {
      // v1 feeds the next fma as a multiplicand (vs1) and as its accumulator: the accumulator may be read 3 cycles
      // early, vs1 not at all, so the full latency: 2, 6, 10; with vs1 read 1 cycle early too: 4 - 1 = 3 cycles.
      const src = `${rep('vfma.f32 v1, v1, v3', 3)}halt`;
      const core: CoreConfigInput = { ...WIDE, model, units, timing: { 'vec-fma': { latencyCycles: 4, readAdvanceCycles: { accumulator: 3 } } } };
      expect(issues(src, core, 3)).toEqual([2, 6, 10]);
      expect(issues(src, { ...core, timing: { 'vec-fma': { latencyCycles: 4, readAdvanceCycles: { vs1: 1 } } } }, 3)).toEqual([2, 6, 10]);
      expect(issues(src, { ...core, timing: { 'vec-fma': { latencyCycles: 4, readAdvanceCycles: { vs1: 1, accumulator: 3 } } } }, 3)).toEqual([2, 5, 8]);
    });

    it(`does not read a loaded accumulator early (${model})`, () => {
      // vld issues at 2, asks the 10-cycle memory at 2, data at 12 + latency 1 = 13: the fma issues at 13 whatever its advance.
      const src = 'vld v1, 0(x0)\nvfma.f32 v1, v2, v3\nhalt';
      const core: CoreConfigInput = { ...WIDE, model, units, timing: { 'vec-load': { latencyCycles: 1 }, 'vec-fma': { latencyCycles: 4, readAdvanceCycles: { accumulator: 3 } } } };
      expect(run(src, core, 10).timeline.slice(0, 2).map((t) => t.issue)).toEqual([2, 13]);
    });
  }
});

describe('late forwarding of accumulators (Arm accumulate latency)', () => {
  for (const model of MODELS) {
    it(`issues a chain of dot products into one accumulator every forwarding latency (${model})`, () => {
      // vdot latency 4; forwarded to the next vdot's accumulator after 1 cycle: 2, 3, 4, 5. The result read by
      // anything else (the vadd, as vs1) still takes the full latency: 5 + 4 = 9.
      const src = `${rep('vdot.s8 v1, v2, v3', 4)}vadd.s32 v4, v1, v1\nhalt`;
      const core: CoreConfigInput = { ...WIDE, model, units, timing: { 'vec-dot8': { latencyCycles: 4 } }, forwarding: [{ from: ['vec-dot8'], to: ['vec-dot8'], latencyCycles: 1 }] };
      expect(issues(src, core, 5)).toEqual([2, 3, 4, 5, 9]);
      // a rule for other classes changes nothing here
      expect(issues(src, { ...core, forwarding: [{ from: ['vec-fma'], to: ['vec-dot8'], latencyCycles: 1 }] }, 5)).toEqual([2, 6, 10, 14, 18]);
    });

    it(`takes the earlier of forwarding and read advance (${model})`, () => {
      const src = `${rep('vdot.s8 v1, v2, v3', 3)}halt`;
      const core: CoreConfigInput = { ...WIDE, model, units, timing: { 'vec-dot8': { latencyCycles: 6, readAdvanceCycles: { accumulator: 2 } } }, forwarding: [{ from: ['vec-dot8'], to: ['vec-dot8'], latencyCycles: 3 }] };
      expect(issues(src, core, 3)).toEqual([2, 5, 8]); // min(6 - 2, 3) = 3
    });
  }
});

describe('lane writes: merged or lane-granular', () => {
  // Four vmdot into lanes 0-3 of v8 (latency 4), twice over (lane l's second write accumulates onto its first),
  // then a vrequant reading the whole of v8.
  const src = `setppi pp0, 4\n${rep((i) => `vmdot.pp0 v8, v1, v2, ${i % 4}`, 8)}vrequant.u4 v9, v8, 4, 0\nhalt`;
  const core = (model: (typeof MODELS)[number], laneWrites: 'merge' | 'lane'): CoreConfigInput => ({ ...WIDE, model, units, laneWrites, timing: { 'vec-mdot': { latencyCycles: 4 }, pattern: { latencyCycles: 1 } } });
  for (const model of MODELS) {
    it(`merge: every lane write waits for the one before (${model})`, () => {
      // setppi issues at 2 (ready 3): the first vmdot issues at 3, then every 4 cycles; vrequant after the last: 35.
      expect(issues(src, core(model, 'merge'), 10).slice(1)).toEqual([3, 7, 11, 15, 19, 23, 27, 31, 35]);
    });

    it(`lane: writes to different lanes overlap, each lane's accumulation waits for its own (${model})`, () => {
      // lanes 0-3 all at 3 (issue width 8, four vector units), their second writes at 7, and vrequant, reading
      // the whole register, after the last lane: 11.
      expect(issues(src, core(model, 'lane'), 10).slice(1)).toEqual([3, 3, 3, 3, 7, 7, 7, 7, 11]);
    });
  }
});
