// Idle-cycle skipping (out of order, src/pipeline/wasm/ooo.as.ts) is an optimisation only: every statistic is
// identical with and without it, on random programs (with loops, loads and branches), random cores and a memory
// whose latency varies by address; and it does skip (or the equality would prove nothing).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/isa/assembler.js';
import { Executor } from '../../src/isa/executor.js';
import type { MemoryPort } from '../../src/memory/port.js';
import { StatsRegistry } from '../../src/stats/registry.js';
import { TimingCore } from '../../src/pipeline/core.js';

const r = (k: number) => k % 6;
const arbLine = fc.oneof(
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, b, c]) => `mul x${1 + r(a)}, x${1 + r(b)}, x${1 + r(c)}`),
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, b, c]) => `vmul.s8 v${r(a)}, v${r(b)}, v${r(c)}`),
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, b, c]) => `vfma.f32 v${r(a)}, v${r(b)}, v${r(c)}`),
  fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()).map(([a, b, c, l]) => `vmdot.pp0 v${r(a)}, v${r(b)}, v${r(c)}, ${l % 4}`),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `vld v${r(a)}, ${32 * (b % 64)}(x0)`),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `vst v${r(a)}, ${32 * (b % 64)}(x0)`),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `lw x${1 + r(a)}, ${4 * (b % 64)}(x0)`),
);
const arbProgram = fc
  .tuple(fc.array(arbLine, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 6 }))
  .map(([ls, n]) => `setppi pp0, 4\nli x7, ${n}\nloop:\n${ls.join('\n')}\naddi x7, x7, -1\nbne x7, x0, loop\nhalt`);

/** A memory whose latency depends on the address (a crude hit/miss mix) and that refuses some accesses. */
function memory(missEvery: number, missLatency: number): MemoryPort {
  let calls = 0;
  return {
    access: (addr, _size, _kind, cycle) => {
      calls++;
      if (calls % 7 === 0) return -1;
      return cycle + ((addr >> 5) % missEvery === 0 ? missLatency : 3);
    },
  };
}

let skipped = 0;

function statsOf(src: string, core: object, skip: boolean, missEvery: number, missLatency: number) {
  const prog = assemble(src);
  const exe = new Executor(prog, { memoryBytes: 1 << 16 });
  const reg = new StatsRegistry();
  const tc = new TimingCore(core, memory(missEvery, missLatency), reg, { skipIdleCycles: skip });
  tc.run(prog.static, (b) => exe.runBatch(b));
  if (!skip) expect(tc.lastRun.skippedCycles).toBe(0);
  else if (tc.lastRun.skippedCycles > 0) skipped++;
  return reg.toJSON();
}

describe('idle-cycle skipping', () => {
  it('changes no statistic', () => {
    fc.assert(
      fc.property(
        arbProgram,
        fc.record({
          model: fc.constant('outOfOrder' as const),
          robSize: fc.integer({ min: 4, max: 64 }),
          issueWidth: fc.integer({ min: 1, max: 4 }),
          mispredictPenaltyCycles: fc.integer({ min: 0, max: 20 }),
          branchPredictor: fc.constantFrom({ kind: 'static' as const, policy: 'notTaken' as const }, { kind: 'bimodal' as const, entries: 16 }),
          // the per-operand rules and lane-granular writes change when operands are ready, so when cycles are idle
          timing: fc.record({ 'vec-fma': fc.record({ latencyCycles: fc.integer({ min: 1, max: 6 }), readAdvanceCycles: fc.record({ accumulator: fc.integer({ min: 0, max: 5 }) }) }) }),
          forwarding: fc.constantFrom([], [{ from: ['vec-mdot' as const], to: ['vec-mdot' as const], latencyCycles: 1 }]),
          laneWrites: fc.constantFrom('merge' as const, 'lane' as const),
        }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 3, max: 200 }),
        (src, k, missEvery, missLatency) => {
          const core = { ...k, schedulerSize: Math.min(k.robSize, 16), lsqSize: Math.min(k.robSize, 8) };
          expect(statsOf(src, core, true, missEvery, missLatency)).toEqual(statsOf(src, core, false, missEvery, missLatency));
        },
      ),
      { numRuns: 150, seed: 17 },
    );
    expect(skipped).toBeGreaterThan(100);
  });
});
