// Monotonicity properties over random straight-line programs and random cores. In the in-order core every
// issue time is a max of constraints that only grow with latencies and shrink with resources, so more latency
// or fewer units can never make a run faster. The out-of-order core schedules greedily (oldest ready first),
// and greedy list scheduling has Graham's anomalies: a slower or smaller machine can pick a better order. The
// shrunk counterexamples fast-check found are kept below as worked examples (docs/pipeline.md explains them).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CoreConfigInput } from '../../src/pipeline/config.js';
import { cyclesOf } from './helpers.js';

const r = (k: number) => k % 6;
const arbLine = fc.oneof(
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, b, c]) => `add x${1 + r(a)}, x${1 + r(b)}, x${1 + r(c)}`),
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, b, c]) => `mul x${1 + r(a)}, x${1 + r(b)}, x${1 + r(c)}`),
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, b, c]) => `vmul.s8 v${r(a)}, v${r(b)}, v${r(c)}`),
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, b, c]) => `vadd.s4 v${r(a)}, v${r(b)}, v${r(c)}`),
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, b, c]) => `vfma.f32 v${r(a)}, v${r(b)}, v${r(c)}`),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `vld v${r(a)}, ${32 * (b % 8)}(x0)`),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `vst v${r(a)}, ${32 * (b % 8)}(x0)`),
);
const arbProgram = fc.array(arbLine, { minLength: 1, maxLength: 40 }).map((ls) => ls.join('\n') + '\nhalt');

const arbCore = fc.record({
  model: fc.constant<"inOrder" | "outOfOrder">("inOrder"),
  issueWidth: fc.integer({ min: 1, max: 4 }),
  robSize: fc.integer({ min: 4, max: 64 }),
  intCount: fc.integer({ min: 1, max: 3 }),
  vecCount: fc.integer({ min: 1, max: 3 }),
  vecPipelined: fc.boolean(),
  mulLatency: fc.integer({ min: 1, max: 6 }),
  vmulLatency: fc.integer({ min: 1, max: 6 }),
  memLatency: fc.integer({ min: 1, max: 30 }),
});
type Knobs = typeof arbCore extends fc.Arbitrary<infer T> ? T : never;

function coreOf(k: Knobs): CoreConfigInput {
  return {
    model: k.model,
    fetchWidth: 4,
    dispatchWidth: 4,
    retireWidth: 4,
    issueWidth: k.issueWidth,
    robSize: k.robSize,
    schedulerSize: Math.min(k.robSize, 16),
    lsqSize: Math.min(k.robSize, 8),
    units: [
      { name: 'int', count: k.intCount, classes: ['scalar-alu', 'scalar-mul', 'branch', 'pattern', 'misc'] },
      { name: 'mem', count: 1, classes: ['scalar-load', 'scalar-store', 'vec-load', 'vec-store'] },
      {
        name: 'vec',
        count: k.vecCount,
        pipelined: k.vecPipelined,
        classes: ['vec-logic', 'vec-shift', 'vec-popcnt', 'vec-alu', 'vec-mul', 'vec-mac', 'vec-dot8', 'vec-xdot', 'vec-mdot', 'vec-fp', 'vec-fma', 'vec-permute', 'vec-reduce', 'vec-requant'],
      },
    ],
    timing: { 'scalar-mul': { latencyCycles: k.mulLatency }, 'vec-mul': { latencyCycles: k.vmulLatency }, 'vec-fma': { latencyCycles: 4 } },
  };
}

describe('monotonicity of the in-order core', () => {
  it('cycles never decrease when a latency grows', () => {
    fc.assert(
      fc.property(arbProgram, arbCore, fc.integer({ min: 1, max: 5 }), (p, k, d) => {
        expect(cyclesOf(p, coreOf({ ...k, vmulLatency: k.vmulLatency + d }), k.memLatency)).toBeGreaterThanOrEqual(cyclesOf(p, coreOf(k), k.memLatency));
        expect(cyclesOf(p, coreOf(k), k.memLatency + d)).toBeGreaterThanOrEqual(cyclesOf(p, coreOf(k), k.memLatency));
      }),
      { numRuns: 150, seed: 43 },
    );
  });

  it('cycles never decrease when a unit count or the issue width shrinks', () => {
    fc.assert(
      fc.property(arbProgram, arbCore, (p, k) => {
        const base = cyclesOf(p, coreOf(k), k.memLatency);
        if (k.vecCount > 1) expect(cyclesOf(p, coreOf({ ...k, vecCount: k.vecCount - 1 }), k.memLatency)).toBeGreaterThanOrEqual(base);
        if (k.issueWidth > 1) expect(cyclesOf(p, coreOf({ ...k, issueWidth: k.issueWidth - 1 }), k.memLatency)).toBeGreaterThanOrEqual(base);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

});

describe('in-order against out-of-order', () => {
  it('the in-order core is never faster than the out-of-order core', () => {
    fc.assert(
      fc.property(arbProgram, arbCore, (p, k) => {
        expect(cyclesOf(p, coreOf({ ...k, model: 'inOrder' }), k.memLatency)).toBeGreaterThanOrEqual(cyclesOf(p, coreOf({ ...k, model: 'outOfOrder' }), k.memLatency));
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});

describe('scheduling anomalies of the out-of-order core (kept as worked examples)', () => {
  const VEC = coreOf({ model: 'outOfOrder', issueWidth: 2, robSize: 4, intCount: 1, vecCount: 2, vecPipelined: false, mulLatency: 1, vmulLatency: 1, memLatency: 1 });
  it('one vector unit instead of two finishes a cycle earlier: the store takes the issue slot the second add leaves', () => {
    // Two non-pipelined units: both vadds issue at cycle 4, the vst waits for a slot until 5 and completes at 7.
    // One unit: the second vadd waits, the vst issues at 4 and completes at 6; everything retires at 6.
    const p = 'vadd.s4 v1, v0, v0\nvadd.s4 v0, v0, v0\nvst v2, 0(x0)\nhalt';
    const one = { ...VEC, units: VEC.units!.map((u) => (u.name === 'vec' ? { ...u, count: 1 } : u)) };
    expect(cyclesOf(p, VEC, 1)).toBe(8);
    expect(cyclesOf(p, one, 1)).toBe(7);
  });
});
