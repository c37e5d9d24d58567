// What the cores' WebAssembly modules answer themselves instead of asking the TypeScript side, against the
// TypeScript side answering every time, on random programs, random cores (every field the cores read) and random
// caches:
// - the memory port (src/pipeline/wasm/memport.as.ts): the cache hierarchy's first-level plain hits taken on its
//   lent hit path (src/memory/hit-path.ts) against the hierarchy answering every access (fastHits: false), and a
//   fixed latency against a memory that must be asked each time; every core statistic, timeline, memory
//   statistic and the caches' contents must be identical;
// - the branch predictors (src/pipeline/wasm/predictor.as.ts) against a reference predictor written here from
//   the table in src/pipeline/predictor.ts, over several runs of one core (the trained state is carried).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/isa/assembler.js';
import { Executor } from '../../src/isa/executor.js';
import { resolveMemoryConfig } from '../../src/memory/config.js';
import { MemoryHierarchy } from '../../src/memory/hierarchy.js';
import { FixedLatencyMemory, type MemoryPort } from '../../src/memory/port.js';
import { StatsRegistry } from '../../src/stats/registry.js';
import { simulateTiming, TimingCore } from '../../src/pipeline/core.js';
import type { RetireObserver } from '../../src/pipeline/engine.js';
import type { CoreConfigInput } from '../../src/pipeline/config.js';
import { referencePredictor } from './helpers.js';
import { CLASS_ID } from '../../src/isa/classes.js';

const BRANCH = CLASS_ID.branch;

const r = (k: number) => k % 6;
// Instruction lines from random register and address numbers (x1..x6, v0..v5, 64 addresses).
const three = (f: (a: number, b: number, c: number) => string) => fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, b, c]) => f(r(a), r(b), r(c)));
const two = (f: (a: number, b: number) => string) => fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => f(r(a), b % 64));
const line = {
  add: three((a, b, c) => `add x${1 + a}, x${1 + b}, x${1 + c}`),
  vst: two((a, b) => `vst v${a}, ${32 * b}(x0)`),
  // Strided: one access per element, so a store (or load) is several pieces and can be refused half-way.
  vsts: two((a, b) => `vsts.u32 v${a}, ${4 * b}(x0), x8`),
  lw: two((a, b) => `lw x${1 + a}, ${4 * b}(x0)`),
};
const arbLine = fc.oneof(
  three((a, b, c) => `mul x${1 + a}, x${1 + b}, x${1 + c}`),
  line.add,
  three((a, b, c) => `vmul.s8 v${a}, v${b}, v${c}`),
  three((a, b, c) => `vadd.s8 v${a}, v${b}, v${c}`),
  three((a, b, c) => `vadd.s32 v${a}, v${b}, v${c}`),
  three((a, b, c) => `vfma.f32 v${a}, v${b}, v${c}`),
  fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()).map(([a, b, c, l]) => `vmdot.pp0 v${r(a)}, v${r(b)}, v${r(c)}, ${l % 8}`),
  two((a, b) => `vld v${a}, ${32 * b}(x0)`),
  line.vst,
  two((a, b) => `vlds.u32 v${a}, ${4 * b}(x0), x8`),
  line.vsts,
  line.lw,
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `beq x${1 + r(a)}, x${1 + r(b)}, SKIP\nSKIP:`),
);
const arbProgram = fc
  .tuple(fc.array(arbLine, { minLength: 0, maxLength: 24 }), fc.integer({ min: 1, max: 8 }))
    .map(([ls, n]) => `li x8, 36\nsetppi pp0, 4\nli x7, ${n}\nloop:\n${ls.map((l, i) => l.replace(/SKIP/g, `s${i}`)).join('\n')}\naddi x7, x7, -1\nbne x7, x0, loop\nhalt`);

/**
 * A memory that refuses every `refuseEvery`-th call and is slow for one address in `missEvery`. With
 * `levels`, it names three levels and says which served each access (the slow ones come from `far`, every
 * third fast one from `mid`), so the core splits its memory stall cycles by level.
 */
function memory(refuseEvery: number, missEvery: number, missLatency: number, levels = true): MemoryPort {
  let calls = 0;
  let lastLevel = 0;
  const access = (addr: number, _size: number, _kind: number, cycle: number): number => {
    calls++;
    if (calls % refuseEvery === 0) return -1;
    const miss = (addr >> 5) % missEvery === 0;
    lastLevel = miss ? 2 : (addr >> 5) % 3 === 0 ? 1 : 0;
    return cycle + (miss ? missLatency : 2 + lastLevel);
  };
  if (!levels) return { access };
  return { access, levelNames: ['near', 'mid', 'far'], get lastLevel() { return lastLevel; } };
}

const arbCore = fc
  .record({
    fetchWidth: fc.integer({ min: 1, max: 6 }),
    dispatchWidth: fc.integer({ min: 1, max: 6 }),
    issueWidth: fc.integer({ min: 1, max: 6 }),
    retireWidth: fc.integer({ min: 1, max: 6 }),
    frontEndStages: fc.integer({ min: 0, max: 5 }),
    fetchQueueSize: fc.integer({ min: 1, max: 12 }),
    robSize: fc.integer({ min: 1, max: 48 }),
    sched: fc.integer({ min: 1, max: 48 }),
    lsq: fc.integer({ min: 1, max: 12 }),
    storeBufferSize: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 4 })),
    physScalarRegs: fc.integer({ min: 33, max: 40 }),
    physVectorRegs: fc.integer({ min: 33, max: 40 }),
    mispredictPenaltyCycles: fc.integer({ min: 0, max: 12 }),
    vecPipelined: fc.boolean(),
    vecCount: fc.integer({ min: 1, max: 2 }),
    // a second scalar ALU in a pool of its own: ties between equally busy units of different pools, broken by
    // list order, show in the per-pool statistics
    secondAlu: fc.boolean(),
    macLatency: fc.integer({ min: 1, max: 6 }),
    macThroughput: fc.integer({ min: 1, max: 3 }),
    branchPredictor: fc.constantFrom(
      { kind: 'static' as const, policy: 'notTaken' as const },
      { kind: 'static' as const, policy: 'taken' as const },
      { kind: 'bimodal' as const, entries: 4 },
      { kind: 'loop' as const, entries: 4, bimodalEntries: 4 },
    ),
  })
  .map((k): CoreConfigInput => ({
    model: 'inOrder',
    fetchWidth: k.fetchWidth,
    dispatchWidth: k.dispatchWidth,
    issueWidth: k.issueWidth,
    retireWidth: k.retireWidth,
    frontEndStages: k.frontEndStages,
    fetchQueueSize: k.fetchQueueSize,
    robSize: k.robSize,
    schedulerSize: Math.min(k.robSize, k.sched),
    lsqSize: Math.min(k.robSize, k.lsq),
    storeBufferSize: k.storeBufferSize,
    physScalarRegs: k.physScalarRegs,
    physVectorRegs: k.physVectorRegs,
    mispredictPenaltyCycles: k.mispredictPenaltyCycles,
    branchPredictor: k.branchPredictor,
    units: [
      { name: 'int', count: 1, classes: ['scalar-alu', 'scalar-mul', 'branch', 'pattern', 'misc'] },
      { name: 'mem', count: 2, classes: ['scalar-load', 'scalar-store', 'vec-load', 'vec-store'] },
      { name: 'vec', count: k.vecCount, pipelined: k.vecPipelined, classes: ['vec-logic', 'vec-shift', 'vec-popcnt', 'vec-alu', 'vec-mul', 'vec-mac', 'vec-dot8', 'vec-xdot', 'vec-mdot', 'vec-fp', 'vec-fma', 'vec-permute', 'vec-reduce', 'vec-requant'] },
      { name: 'mp', count: 1, pipelined: false, classes: ['vec-mdot', 'vec-alu'] },
      ...(k.secondAlu ? [{ name: 'alu2', count: 1, classes: ['scalar-alu' as const] }] : []),
    ],
    timing: {
      'scalar-mul': { latencyCycles: 3 },
      'vec-mul': { latencyCycles: k.macLatency, reciprocalThroughputCycles: k.macThroughput, byWidth: { w8: { latencyCycles: k.macLatency + 1 } } },
      'vec-alu': { latencyCycles: 1, byWidth: { w32: { latencyCycles: 2, reciprocalThroughputCycles: 2 } } },
      'vec-mdot': { latencyCycles: 4, reciprocalThroughputCycles: 2 },
      'vec-fma': { latencyCycles: 4 },
      'scalar-load': { latencyCycles: 1 },
      'vec-load': { latencyCycles: 2 },
    },
  }));

function runWith(src: string, core: CoreConfigInput, mem: MemoryPort, batch: number) {
  const prog = assemble(src);
  const exe = new Executor(prog, { memoryBytes: 1 << 16 });
  const reg = new StatsRegistry();
  const timeline: number[] = [];
  const observer: RetireObserver = { retired: (...a) => { timeline.push(...a); } };
  simulateTiming(prog.static, (b) => exe.runBatch(b), core, mem, reg, { observer, batch });
  return { stats: reg.toJSON(), timeline };
}

describe('memory levels in the CPI stack', () => {
  it('split the memory stall cycles by level without changing anything else (both models)', () => {
    fc.assert(
      fc.property(arbProgram, arbCore, fc.boolean(), fc.integer({ min: 3, max: 40 }), fc.integer({ min: 1, max: 5 }), (src, core, ooo, refuseEvery, missEvery) => {
        const k = { ...core, model: ooo ? ('outOfOrder' as const) : ('inOrder' as const) };
        const split = runWith(src, k, memory(refuseEvery, missEvery, 30, true), 16).stats as Record<string, { value: number }>;
        const whole = runWith(src, k, memory(refuseEvery, missEvery, 30, false), 16).stats as Record<string, { value: number }>;
        const levels = ['near', 'mid', 'far'].map((n) => split[`core.cpiStack.memory.${n}`]!.value);
        expect(levels.reduce((a, b) => a + b, 0)).toBeCloseTo(whole['core.cpiStack.memory']!.value, 9); // thirds of a slot do not add exactly
        const rest = (st: Record<string, { value: number }>) =>
          Object.fromEntries(Object.entries(st).filter(([n]) => !n.startsWith('core.cpiStack.memory')).map(([n, v]) => [n, v.value]));
        expect(rest(split)).toEqual(rest(whole));
      }),
      { numRuns: 150, seed: 43 },
    );
  });
});

describe('the memory port inside the module against the TypeScript memory', () => {
  // Small caches, so that the lent hit path meets misses, delayed hits, full MSHRs and ports, shadow misses
  // and evictions between its hits; some levels cannot lend (PLRU, a prefetcher, write-through, fastHits off).
  const arbCaches = fc.record({
    sets: fc.constantFrom(1, 2, 4, 8),
    ways: fc.constantFrom(1, 2, 4),
    line: fc.constantFrom(16, 32, 64),
    ports: fc.integer({ min: 1, max: 2 }),
    mshrs: fc.integer({ min: 2, max: 4 }), // a vector access may span two lines; with one MSHR it never starts
    targets: fc.integer({ min: 1, max: 4 }),
    hit: fc.integer({ min: 0, max: 4 }),
    classify: fc.boolean(),
    l2Bytes: fc.constantFrom(512, 1024, 4096),
    plain: fc.constantFrom('lend', 'lend', 'lend', 'plru', 'next-line', 'write-through', 'no-fast-hits'),
  });
  // Mostly memory instructions, looped: hits, then evictions and conflicts as the footprint meets the sets.
  const memLine = fc.oneof(line.vst, line.vsts, line.lw, two((a, b) => `vld v${a}, ${32 * b}(x0)`), two((a, b) => `sw x${1 + a}, ${4 * b}(x0)`), line.add);
  const memProgram = fc
    .tuple(fc.array(memLine, { minLength: 2, maxLength: 20 }), fc.integer({ min: 2, max: 8 }))
    .map(([ls, n]) => `li x8, 36\nli x7, ${n}\nloop:\n${ls.join('\n')}\naddi x7, x7, -1\nbne x7, x0, loop\nhalt`);
  type Caches = typeof arbCaches extends fc.Arbitrary<infer T> ? T : never;
  const hierarchy = (k: Caches, lend = true) =>
    new MemoryHierarchy(
      resolveMemoryConfig({
        levels: [
          {
            sizeBytes: k.sets * k.ways * k.line, ways: k.ways, lineBytes: k.line, portsPerCycle: k.ports, mshrs: k.mshrs, targetsPerMshr: k.targets,
            hitLatencyCycles: k.hit, classifyMisses: k.classify,
            replacement: k.plain === 'plru' ? 'plru' : 'lru',
            writePolicy: k.plain === 'write-through' ? 'write-through' : 'write-back',
            prefetcher: k.plain === 'next-line' ? { kind: 'next-line' } : { kind: 'none' },
          },
          { sizeBytes: k.l2Bytes, ways: 4, lineBytes: 64, mshrs: 4, hitLatencyCycles: 6 },
        ],
        dram: { model: 'fixed', latencyCycles: 30 },
      }),
      new StatsRegistry(),
      { fastHits: lend && k.plain !== 'no-fast-hits' },
    );
  const state = (h: MemoryHierarchy) => h.levels().map((l) => l.residentLines().map((x) => [x, l.isDirty(x * l.lineBytes)]));

  it('gives identical statistics, timelines and cache contents with the hit path lent (both models, two runs on one hierarchy)', () => {
    let lent = 0, hits = 0, misses = 0, portRetries = 0, mshrRetries = 0, delayed = 0, conflicts = 0, stored = 0;
    fc.assert(
      fc.property(fc.oneof(arbProgram, memProgram), arbCore, fc.boolean(), arbCaches, fc.integer({ min: 1, max: 64 }), (src, core, ooo, caches, batch) => {
        const k = { ...core, model: ooo ? ('outOfOrder' as const) : ('inOrder' as const) };
        const hw = hierarchy(caches), hj = hierarchy(caches, false);
        const canLend = hw.fastPath();
        if (canLend?.kind === 'hits') canLend.loan.end();
        for (let run = 0; run < 2; run++) {
          // the second run starts from the first one's caches: what the loan gave back must be the whole state
          expect(runWith(src, k, hw, batch)).toEqual(runWith(src, k, hj, batch));
          expect(hw.stats.toJSON()).toEqual(hj.stats.toJSON());
          expect(state(hw)).toEqual(state(hj));
          expect(hw.lastLevel).toBe(hj.lastLevel);
        }
        if (canLend === null) return;
        const get = (name: string) => (hj.stats.toJSON() as Record<string, { value: number }>)[name]?.value ?? 0;
        lent++;
        hits += get('l1d.hits') > 0 ? 1 : 0;
        misses += get('l1d.misses') > 0 ? 1 : 0;
        portRetries += get('l1d.retries.port') > 0 ? 1 : 0;
        mshrRetries += get('l1d.retries.mshr') + get('l1d.retries.targets') > 0 ? 1 : 0;
        delayed += get('l1d.delayedHits') > 0 ? 1 : 0;
        conflicts += get('l1d.misses.conflict') > 0 ? 1 : 0;
        stored += (core.storeBufferSize ?? 0) > 0 && get('l1d.accesses.write') > 0 ? 1 : 0;
      }),
      { numRuns: 400, seed: 59 },
    );
    for (const [what, count] of Object.entries({ hits, misses, portRetries, mshrRetries, delayed, conflicts, stored })) expect(count, what).toBeGreaterThan(10);
    expect(lent).toBeGreaterThan(100);
  });

  it('answers a fixed-latency memory inside, and asks a memory of another class every time', () => {
    class Counting extends FixedLatencyMemory {
      calls = 0;
      override access(addr: number, size: number, kind: number, cycle: number, pc: number): number {
        this.calls++;
        return super.access(addr, size, kind, cycle, pc);
      }
    }
    fc.assert(
      fc.property(arbProgram, arbCore, fc.boolean(), fc.integer({ min: 0, max: 30 }), (src, core, ooo, latency) => {
        const k = { ...core, model: ooo ? ('outOfOrder' as const) : ('inOrder' as const) };
        const counted = new Counting(latency);
        const inside = runWith(src, k, new FixedLatencyMemory(latency), 16);
        expect(runWith(src, k, counted, 16)).toEqual(inside);
        const wasm = inside;
        expect(counted.calls).toBe((wasm.stats as Record<string, { value: number }>)['core.lsu.accesses']!.value);
      }),
      { numRuns: 80, seed: 61 },
    );
  });
});

describe('the branch predictors inside the module against a reference', () => {
  it('mispredict the same branches over several runs of one core (the trained state is carried)', () => {
    let carried = 0;
    fc.assert(
      fc.property(arbProgram, arbCore, fc.boolean(), fc.integer({ min: 1, max: 4 }), (src, core, ooo, runs) => {
        const k = { ...core, model: ooo ? ('outOfOrder' as const) : ('inOrder' as const) };
        const prog = assemble(src);
        const stats = new StatsRegistry();
        const tc = new TimingCore(k, new FixedLatencyMemory(3), stats);
        const ref = referencePredictor(k.branchPredictor!);
        let expected = 0;
        const mispredicts: number[] = []; // after each run (the core's statistics add up over its runs)
        for (let r = 0; r < runs; r++) {
          const exe = new Executor(prog, { memoryBytes: 1 << 16 });
          tc.run(prog.static, (b) => {
            const n = exe.runBatch(b);
            for (let i = 0; i < n; i++) if (prog.static.cls[b.pc[i]!] === BRANCH) expected += ref(b.pc[i]!, b.taken[i] === 1) ? 0 : 1;
            return n;
          });
          mispredicts.push((stats.toJSON() as Record<string, { value: number }>)['core.branch.mispredicts']!.value);
          expect(mispredicts[r]).toBe(expected);
        }
        // a second run that mispredicts less than the first shows the trained state was carried
        if (mispredicts.length > 1 && mispredicts[1]! - mispredicts[0]! < mispredicts[0]!) carried++;
      }),
      { numRuns: 150, seed: 67 },
    );
    expect(carried).toBeGreaterThan(10);
  });
});
