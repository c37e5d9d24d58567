// The optimised scheduler against the reference core kept in reference-core.ts (the core before the
// optimisations), in both of its implementations: the WebAssembly loop (src/pipeline/wasm/ooo.as.ts, the
// default) and the JavaScript one (src/pipeline/core.ts, engine 'js'). Every statistic and every retired
// instruction's timeline must be identical, on random programs (loads/stores, loops, branches), random cores (both models, narrow and wide
// issue, small schedulers, the default unit pools or pools whose classes overlap, so that unit groups share
// units, with non-pipelined and slow units) and a memory whose latency varies and that refuses some accesses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/isa/assembler.js';
import { Executor } from '../../src/isa/executor.js';
import type { MemoryPort } from '../../src/memory/port.js';
import { StatsRegistry } from '../../src/stats/registry.js';
import { simulateTiming } from '../../src/pipeline/core.js';
import type { RetireObserver } from '../../src/pipeline/engine.js';
import { referenceSimulateTiming } from './reference-core.js';

const r = (k: number) => k % 6;
const arbLine = fc.oneof(
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, b, c]) => `mul x${1 + r(a)}, x${1 + r(b)}, x${1 + r(c)}`),
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, b, c]) => `add x${1 + r(a)}, x${1 + r(b)}, x${1 + r(c)}`),
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, b, c]) => `vmul.s8 v${r(a)}, v${r(b)}, v${r(c)}`),
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, b, c]) => `vadd.s8 v${r(a)}, v${r(b)}, v${r(c)}`),
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, b, c]) => `vfma.f32 v${r(a)}, v${r(b)}, v${r(c)}`),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `vld v${r(a)}, ${32 * (b % 64)}(x0)`),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `vst v${r(a)}, ${32 * (b % 64)}(x0)`),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `lw x${1 + r(a)}, ${4 * (b % 64)}(x0)`),
);
const arbProgram = fc
  .tuple(fc.array(arbLine, { minLength: 1, maxLength: 24 }), fc.integer({ min: 1, max: 8 }))
  .map(([ls, n]) => `li x7, ${n}\nloop:\n${ls.join('\n')}\naddi x7, x7, -1\nbne x7, x0, loop\nhalt`);

const VEC = ['vec-logic', 'vec-shift', 'vec-popcnt', 'vec-alu', 'vec-mul', 'vec-mac', 'vec-dot8', 'vec-xdot', 'vec-mdot', 'vec-fp', 'vec-fma', 'vec-permute', 'vec-reduce', 'vec-requant'] as const;
// Groups of candidate units overlap: scalar-alu may go to 'alu' or 'mul', scalar-mul only to 'mul'; vec-alu to
// 'vec' or 'st', vector stores to 'ld' or 'st'; 'mul' is not pipelined and vec-mul issues every 2 cycles.
const OVERLAPPING = {
  units: [
    { name: 'alu', count: 2, classes: ['scalar-alu', 'branch', 'pattern', 'misc'] },
    { name: 'mul', count: 1, classes: ['scalar-alu', 'scalar-mul'], pipelined: false },
    { name: 'ld', count: 1, classes: ['scalar-load', 'scalar-store', 'vec-load', 'vec-store'] },
    { name: 'st', count: 1, classes: ['vec-store', 'vec-alu'] },
    { name: 'vec', count: 2, classes: [...VEC] },
  ],
  timing: { 'scalar-mul': { latencyCycles: 3 }, 'vec-mul': { latencyCycles: 4, reciprocalThroughputCycles: 2 }, 'vec-fma': { latencyCycles: 4 } },
};

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

function runWith(sim: typeof simulateTiming, src: string, core: object, missEvery: number, missLatency: number, skip: boolean) {
  const prog = assemble(src);
  const exe = new Executor(prog, { memoryBytes: 1 << 16 });
  const reg = new StatsRegistry();
  const timeline: number[] = [];
  const observer: RetireObserver = { retired: (...a) => { timeline.push(...a); } };
  sim(prog.static, (b) => exe.runBatch(b), core, memory(missEvery, missLatency), reg, { observer, skipIdleCycles: skip });
  return { stats: reg.toJSON(), timeline };
}


describe('optimised scheduler against the reference core', () => {
  it('gives identical statistics and timelines', () => {
    fc.assert(
      fc.property(
        arbProgram,
        fc.record({
          model: fc.constantFrom('inOrder' as const, 'outOfOrder' as const),
          robSize: fc.integer({ min: 4, max: 96 }),
          issueWidth: fc.integer({ min: 1, max: 8 }),
          dispatchWidth: fc.integer({ min: 1, max: 6 }),
          mispredictPenaltyCycles: fc.integer({ min: 0, max: 20 }),
          branchPredictor: fc.constantFrom({ kind: 'static' as const, policy: 'notTaken' as const }, { kind: 'bimodal' as const, entries: 16 }),
          pools: fc.constantFrom('default', 'overlapping'),
        }),
        fc.integer({ min: 2, max: 64 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 3, max: 200 }),
        fc.boolean(),
        (src, k, sched, missEvery, missLatency, skip) => {
          const { pools, ...rest } = k;
          const core = { ...rest, ...(pools === 'overlapping' ? OVERLAPPING : {}), schedulerSize: Math.min(k.robSize, sched), lsqSize: Math.min(k.robSize, 16) };
          const reference = runWith(referenceSimulateTiming, src, core, missEvery, missLatency, skip);
          expect(runWith(simulateTiming, src, core, missEvery, missLatency, skip)).toEqual(reference);
        },
      ),
      { numRuns: 300, seed: 23 },
    );
  });
});
