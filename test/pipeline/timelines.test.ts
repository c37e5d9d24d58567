// Hand-worked timelines. Each compares two runs that differ only in the part under test, so fixed costs
// (front-end fill, the final halt) cancel and the difference is the number worked out by hand.
import { describe, expect, it } from 'vitest';
import { resolveCoreConfig, type CoreConfigInput } from '../../src/pipeline/config.js';
import { ACCESS_WRITE, RETRY, type MemoryPort } from '../../src/memory/port.js';
import { cyclesOf, engineResult, ENGINES, rep, run, WIDE } from './helpers.js';
import { referenceModel, type ReferenceResult } from './reference-model.js';

const withUnits = (units: CoreConfigInput['units'], extra: CoreConfigInput = {}): CoreConfigInput => ({ ...WIDE, units, ...extra });
const ALL_ELSE = ['scalar-load', 'scalar-store', 'vec-load', 'vec-store', 'pattern', 'misc', 'branch', 'scalar-mul', 'scalar-alu'] as const;
const VEC = ['vec-logic', 'vec-shift', 'vec-popcnt', 'vec-alu', 'vec-mul', 'vec-mac', 'vec-dot8', 'vec-xdot', 'vec-mdot', 'vec-fp', 'vec-fma', 'vec-permute', 'vec-reduce', 'vec-requant'] as const;

describe('dependency chains', () => {
  it('a chain of n dependent multiplies takes latency x n cycles', () => {
    const chain = (n: number) => `li x1, 3\n${rep('mul x1, x1, x1', n)}halt`;
    for (const latency of [1, 3, 7]) {
      const core = { ...WIDE, timing: { 'scalar-mul': { latencyCycles: latency } } };
      expect(cyclesOf(chain(40), core) - cyclesOf(chain(20), core)).toBe(20 * latency);
    }
  });

  it('per-width latency overrides apply to the element width used', () => {
    const chain = (et: string, n: number) => `${rep(`vmul.${et} v1, v1, v2`, n)}halt`;
    const core = { ...WIDE, timing: { 'vec-mul': { latencyCycles: 4, byWidth: { w4: { latencyCycles: 2 }, f32: { latencyCycles: 5 } } } } };
    expect(cyclesOf(chain('s8', 20), core) - cyclesOf(chain('s8', 10), core)).toBe(40);
    expect(cyclesOf(chain('s4', 20), core) - cyclesOf(chain('s4', 10), core)).toBe(20);
    expect(cyclesOf(chain('f32', 20), core) - cyclesOf(chain('f32', 10), core)).toBe(50);
  });

  it('each stage of a two-instruction chain lands on the hand-worked cycle', () => {
    // fetch 0, ready to dispatch at 0 + frontEndStages(1) = 1, issue 2, mul latency 3 -> complete 5;
    // the dependant issues at 5 and completes at 8; each retires in the cycle it completes.
    const { timeline } = run('mul x1, x2, x3\nmul x4, x1, x1\nhalt', { ...WIDE, timing: { 'scalar-mul': { latencyCycles: 3 } } });
    expect(timeline.slice(0, 2).map((t) => [t.fetch, t.dispatch, t.issue, t.complete, t.retire])).toEqual([
      [0, 1, 2, 5, 5],
      [0, 1, 5, 8, 8],
    ]);
  });
});

describe('throughput limits', () => {
  const indep = (n: number) => `${rep((i) => `add x${1 + (i % 20)}, x0, x0`, n)}halt`;

  it('independent operations are bounded by the unit count', () => {
    for (const count of [1, 2, 3]) {
      const core = withUnits([{ name: 'alu', count, classes: [...ALL_ELSE] }, { name: 'v', count: 1, classes: [...VEC] }]);
      expect(cyclesOf(indep(120), core) - cyclesOf(indep(60), core)).toBe(60 / count);
    }
  });

  it('independent operations are bounded by the issue width', () => {
    for (const issueWidth of [1, 2, 4]) {
      const core = withUnits([{ name: 'alu', count: 8, classes: [...ALL_ELSE] }, { name: 'v', count: 1, classes: [...VEC] }], { issueWidth });
      expect(cyclesOf(indep(120), core) - cyclesOf(indep(60), core)).toBe(60 / issueWidth);
    }
  });

  it('a non-pipelined unit serialises independent operations; a pipelined one overlaps them', () => {
    const prog = (n: number) => `${rep((i) => `vmul.s8 v${1 + (i % 8)}, v10, v11`, n)}halt`;
    const units = (pipelined: boolean) =>
      withUnits([{ name: 'alu', count: 2, classes: [...ALL_ELSE] }, { name: 'v', count: 1, classes: [...VEC], pipelined }], {
        timing: { 'vec-mul': { latencyCycles: 4 } },
      });
    expect(cyclesOf(prog(40), units(false)) - cyclesOf(prog(20), units(false))).toBe(80);
    expect(cyclesOf(prog(40), units(true)) - cyclesOf(prog(20), units(true))).toBe(20);
  });

  it('reciprocal throughput occupies a pipelined unit', () => {
    const prog = (n: number) => `${rep((i) => `vmul.s8 v${1 + (i % 8)}, v10, v11`, n)}halt`;
    const core = withUnits([{ name: 'alu', count: 2, classes: [...ALL_ELSE] }, { name: 'v', count: 2, classes: [...VEC] }], {
      timing: { 'vec-mul': { latencyCycles: 4, reciprocalThroughputCycles: 3 } },
    });
    expect(cyclesOf(prog(40), core) - cyclesOf(prog(20), core)).toBe(30);
  });
});

describe('memory', () => {
  const prog = (m: number) => `li x1, 0x100\nvld v1, 0(x1)\nvadd.s8 v2, v1, v1\n${rep((i) => `add x${2 + (i % 20)}, x0, x0`, m)}halt`;

  it('a load miss delays only its dependants out of order, but stalls the in-order core', () => {
    const miss = 100;
    const ooo = run(prog(20), WIDE, miss).timeline;
    const ino = run(prog(20), { ...WIDE, model: 'inOrder' }, miss).timeline;
    for (const tl of [ooo, ino]) {
      const load = tl[1]!;
      const dep = tl[2]!;
      expect(load.complete).toBe(load.issue + miss + 1); // memory latency + vec-load latency 1
      expect(dep.issue).toBe(load.complete);
    }
    const loadDone = ooo[1]!.complete;
    expect(ooo.slice(3, 23).every((t) => t.issue < loadDone)).toBe(true);
    expect(ino.slice(3, 23).every((t) => t.issue >= ino[1]!.complete)).toBe(true);
    expect(run(prog(20), { ...WIDE, model: 'inOrder' }, miss).report.cycles).toBeGreaterThan(run(prog(20), WIDE, miss).report.cycles);
  });

  it('a memory port that refuses (RETRY) delays the load and is counted as retries', () => {
    let refusals = 5;
    const port = { access: (_a: number, _s: number, _k: number, cycle: number) => (refusals-- > 0 ? -1 : cycle + 2) };
    const { timeline, stats } = run('vld v1, 0(x0)\nhalt', WIDE, port);
    expect(timeline[0]!.complete - timeline[0]!.issue).toBe(5 + 2 + 1);
    expect(stats.get('core.lsu.retries')).toBe(5);
    expect(stats.get('core.lsu.retryCycles')).toBe(5);
  });

  it('a full ROB stalls dispatch until the head retires', () => {
    const { timeline, stats } = run(prog(20), { ...WIDE, robSize: 8, schedulerSize: 8, lsqSize: 8 }, 100);
    const loadRetire = timeline[1]!.retire;
    // seq 0..7 fill the ROB; seq 9 may only enter after seq 1 (the load) has left.
    expect(timeline[8]!.dispatch).toBeLessThan(loadRetire);
    expect(timeline[9]!.dispatch).toBeGreaterThanOrEqual(loadRetire);
    expect(stats.get('core.dispatch.stall.robFull')).toBeGreaterThan(90);
  });
});

describe('branches', () => {
  const loop = (n: number) => `li x3, ${n}\nloop:\naddi x3, x3, -1\nbne x3, x0, loop\nhalt`;

  it('each mispredict costs exactly its penalty when fetch is the bottleneck', () => {
    const core = (penalty: number): CoreConfigInput => ({ ...WIDE, branchPredictor: { kind: 'static', policy: 'notTaken' }, mispredictPenaltyCycles: penalty });
    const r0 = run(loop(30), core(0));
    const r9 = run(loop(30), core(9));
    expect(r9.stats.get('core.branch.mispredicts')).toBe(29);
    expect(r9.report.cycles - r0.report.cycles).toBe(29 * 9);
  });

  it('static taken, bimodal and loop predictors mispredict as hand-worked', () => {
    const mis = (bp: CoreConfigInput['branchPredictor']) => run(`li x4, 4\nouter:\n${loop(5).replace('halt', '').replace(/loop/g, 'inner')}addi x4, x4, -1\nbne x4, x0, outer\nhalt`, { ...WIDE, branchPredictor: bp }).stats.get('core.branch.mispredicts');
    // inner: 4 runs of (4 taken, 1 not); outer: 3 taken, 1 not.
    expect(mis({ kind: 'static', policy: 'taken' })).toBe(4 + 1);
    // bimodal from weakly-not-taken: inner first taken mispredicts, then each exit; outer: first taken, exit.
    expect(mis({ kind: 'bimodal', entries: 64 })).toBe(1 + 4 + 1 + 1);
    // loop: learns the trip count 4 after two exits, then predicts later exits.
    expect(mis({ kind: 'loop', entries: 16, bimodalEntries: 64 })).toBeLessThan(mis({ kind: 'bimodal', entries: 64 }));
  });
});

describe('steady-state loops match max(resource bound, recurrence bound)', () => {
  // WIDE: fetch, dispatch, issue and retire 8 wide, frontEndStages 1, ROB 256; mispredict penalty 10 (the
  // default). The loop predictor is not confident before it has seen two exits, so its bimodal fallback
  // (weakly not taken) mispredicts the first `bne` (taken) and the last one (not taken), and predicts every
  // other one right. Iteration 0 (li, body, addi, bne) is fetched before that first mispredict; the rest
  // after it. N is the number of iterations; the tables give each stage's cycle.
  const loopOf = (body: string, iters: number) => `li x3, ${iters}\nloop:\n${body}addi x3, x3, -1\nbne x3, x0, loop\nhalt`;
  const core = withUnits([{ name: 'alu', count: 2, classes: [...ALL_ELSE] }, { name: 'v', count: 2, classes: [...VEC] }], {
    branchPredictor: { kind: 'loop', entries: 16, bimodalEntries: 64 },
    timing: { 'vec-mul': { latencyCycles: 4 }, 'vec-fma': { latencyCycles: 4 } },
  });
  const check = (body: string, c: CoreConfigInput, cycles: (n: number) => number, perIteration: number) => {
    const [c100, c200] = [100, 200].map((n) => cyclesOf(loopOf(body, n), c));
    expect([c100, c200]).toEqual([cycles(100), cycles(200)]);
    expect((c200! - c100!) / 100).toBe(perIteration);
    expect([100, 200].map((n) => referenceModel(loopOf(body, n), c, 4).cycles)).toEqual([cycles(100), cycles(200)]);
  };

  it('resource bound: 6 independent multiplies on 2 vector units = 3 cycles/iteration', () => {
    // Iteration = 6 vmul (latency 4, two pipelined units), addi, bne: 8 instructions.
    // | cycle | fetch | dispatch | issue | completes |
    // | 0 | li, vmul a-f, addi | | | |
    // | 1 | bne (mispredicted: fetch stops) | li .. addi | | |
    // | 2 | | bne | li, vmul a, b (the two vector units) | |
    // | 3 | | | addi, vmul c, d | li |
    // | 4 | | | bne, vmul e, f | addi |
    // | 5 | | | | bne completes: fetch resumes at 5 + 10 = 15 |
    // | 15 | iteration 1 (8 per cycle, one iteration a cycle) | | | |
    // | 16 | iteration 2 | iteration 1 | | |
    // | 17 | ... | ... | vmul a, b of iteration 1 | |
    // From 17 the vector units take two multiplies every cycle, oldest first: more than two are always
    // waiting (the front end brings six a cycle until the ROB fills, then as many as retire). So the k-th
    // multiply after the refill issues at 17 + floor(k/2): iteration j >= 1 issues its last at 3j + 16 and
    // it completes at 3j + 20, a bound that nothing else reaches (addi/bne one per cycle, issue width 8).
    // The last iteration, j = N - 1, completes and retires at 3N + 17, together with its addi and bne and
    // the halt: the exit bne entered the ROB (256 entries, 32 iterations) about 96 cycles before, so the
    // refetched halt (bne + 10 + fetch, dispatch, issue) was done long before. Cycles = 3N + 18.
    check(rep((i) => `vmul.s8 v${1 + i}, v10, v11`, 6), core, (n) => 3 * n + 18, 3);
  });

  it('recurrence bound: one fma chain of latency 4 = 4 cycles/iteration', () => {
    // Iteration = vfma v1 (reads v1: a chain, latency 4), vmul v4 (independent), addi, bne.
    // | cycle | fetch | dispatch | issue | completes |
    // | 0 | li, vfma, vmul, addi, bne (mispredicted: fetch stops) | | | |
    // | 1 | | li .. bne | | |
    // | 2 | | | li, vfma, vmul | |
    // | 3 | | | addi | li |
    // | 4 | | | bne | addi |
    // | 5 | | | | bne completes: fetch resumes at 15 |
    // | 15 | iterations 1, 2 (8 instructions a cycle) | | | |
    // | 16 | iterations 3, 4 | iterations 1, 2 | | |
    // | 17 | ... | ... | vfma of iteration 1 (v1 ready since 6), vmul of iteration 1 | |
    // Then the vfma of iteration j >= 1 issues when the one before completes: at 4j + 13, complete 4j + 17.
    // Nothing older competes for its vector unit then: the independent multiplies need at most two units a
    // cycle and run far ahead (iteration j's vmul issues by about 16 + j). The last vfma (j = N - 1)
    // completes and retires at 4N + 13 with the rest of its iteration and the halt (the exit bne entered the
    // 256-entry ROB 64 iterations, about 256 cycles, earlier). Cycles = 4N + 14.
    check('vfma.f32 v1, v2, v3\nvmul.s8 v4, v10, v11\n', core, (n) => 4 * n + 14, 4);
  });

  it('issue width bound: 10 single-cycle vector ops with issue width 4 = 3 cycles/iteration (12 ops)', () => {
    // Iteration = 10 independent vand (latency 1), addi, bne: 12 instructions; issue width 4, 8 vector units.
    // | cycle | fetch | dispatch | issue (4 a cycle, oldest first) | completes |
    // | 0 | li, vand 1-7 | | | |
    // | 1 | vand 8-10, addi, bne (mispredicted: fetch stops) | li, vand 1-7 | | |
    // | 2 | | vand 8-10, addi, bne | li, vand 1-3 | |
    // | 3 | | | vand 4-7 | li |
    // | 4 | | | vand 8-10, addi | |
    // | 5 | | | bne | addi |
    // | 6 | | | | bne: fetch resumes at 16 |
    // | 16 | 8 instructions a cycle | | | |
    // | 17 | ... | the refill, 8 a cycle | | |
    // | 18 | ... | ... | 4 instructions of iteration 1 | |
    // From 18 on four instructions issue every cycle: more than four are always ready (an addi's
    // predecessor issued three cycles earlier; a bne waiting for the addi issued in the same cycle is passed
    // by younger vands and goes the next cycle). Iterations 1 .. N-1 are 12(N - 1) instructions, four a cycle
    // in cycles 18 .. 3N + 14, except that in the last of them the final bne cannot go with its addi: that
    // cycle issues 3 and the final bne issues at 3N + 15, completes at 3N + 16 (mispredicted: the loop
    // exits), fetch resumes at 3N + 26 with the halt: dispatch 3N + 27, issue 3N + 28, complete and retire
    // 3N + 29. Cycles = 3N + 30.
    const body = rep((i) => `vand v${1 + i}, v20, v21`, 10);
    const c = { ...core, issueWidth: 4, units: [{ name: 'alu', count: 4, classes: [...ALL_ELSE] }, { name: 'v', count: 8, classes: [...VEC] }] };
    check(body, c, (n) => 3 * n + 30, 3);
  });
});

describe('report', () => {
  it('the CPI stack adds up to the cycles and the JSON and table carry it', () => {
    const { report } = run(`li x3, 50\nloop:\nvld v1, 0(x0)\nvmul.s8 v2, v1, v1\naddi x3, x3, -1\nbne x3, x0, loop\nhalt`, { model: 'inOrder' }, 20);
    const sum = Object.values(report.cpiStack).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(report.cycles, 6);
    const j = report.toJSON();
    expect(j.cycles).toBe(report.cycles);
    expect(j.stats['core.ipc']!.value).toBeCloseTo(report.instructions / report.cycles, 9);
    expect(JSON.parse(JSON.stringify(report)).cpiStack.memory).toBeGreaterThan(0);
    expect(report.toTable()).toMatch(/CPI stack\s+cycles\s+CPI\s+share/);
    expect(report.actions().ops.find((o) => o.cls === 'vec-mul' && o.width === 'w8')!.count).toBe(50);
  });

  it('a configuration error names every bad field', () => {
    expect(() => run('halt', { robSize: 0, units: [{ name: 'a', classes: ['misc'] }] })).toThrow(/core\.robSize[\s\S]*no unit pool executes class 'scalar-alu'/);
  });
});

describe('configuration schema', () => {
  it('emits a JSON Schema with units and descriptions, and resolving twice is harmless', async () => {
    const { jsonSchemaOf } = await import('../../src/config/validate.js');
    const { CoreConfigSchema, resolveCoreConfig } = await import('../../src/pipeline/config.js');
    const js = JSON.stringify(jsonSchemaOf(CoreConfigSchema));
    expect(js).toContain('Reorder buffer entries');
    expect(js).toContain('"unit":"cycles"');
    const once = resolveCoreConfig({ robSize: 64 });
    expect(resolveCoreConfig(once)).toEqual(once);
    expect(() => resolveCoreConfig({ robSize: 64, colour: 'red' } as never)).toThrow(/colour/);
  });
});

describe('store buffer', () => {
  const models = ['inOrder', 'outOfOrder'] as const;

  it('lets a store that misses retire once its address is ready; without it the store waits for memory', () => {
    // fetch 0, dispatch 1, issue 2; the store's latency is 1. Without a buffer it writes at issue and memory
    // answers at 2 + 100, so it completes at 103; with one it completes at 3 and is written after it retires.
    for (const model of models) {
      const stage = (storeBufferSize: number) => {
        const t = run('vst v1, 0(x0)\nhalt', { ...WIDE, model, storeBufferSize }, 100).timeline[0]!;
        return [t.fetch, t.dispatch, t.issue, t.complete, t.retire];
      };
      expect(stage(0)).toEqual([0, 1, 2, 103, 103]);
      expect(stage(4)).toEqual([0, 1, 2, 3, 3]);
    }
  });

  it('a full buffer stalls dispatch until its oldest store is written', () => {
    // Writes are refused before cycle 50. One entry: store 0 (dispatch 1, retire 3) is written at 50, so
    // store 1 dispatches at 50 (cycles 2..49 stall: 48) and retires at 52, written at once; store 2 waits
    // for that (cycle 51 stalls) and dispatches at 52. The window is empty from store 0's retirement on:
    // 7 of 8 slots of cycle 3, then cycles 4..49, go to the store buffer.
    const refuseEarlyWrites: MemoryPort = { access: (_a, _s, kind, cycle) => (kind === ACCESS_WRITE && cycle < 50 ? RETRY : cycle + 3) };
    for (const model of models) {
      const { timeline, stats } = run(rep('vst v1, 0(x0)', 3) + 'halt', { ...WIDE, model, storeBufferSize: 1 }, refuseEarlyWrites);
      expect(timeline.slice(0, 3).map((t) => [t.dispatch, t.issue, t.retire])).toEqual([
        [1, 2, 3],
        [50, 51, 52],
        [52, 53, 54],
      ]);
      const v = (n: string) => (stats.toJSON() as Record<string, { value: number }>)[`core.${n}`]!.value;
      expect(v('dispatch.stall.storeBufferFull')).toBe(49);
      expect(v('lsu.retries')).toBe(47); // store 0 tried at 3..49
      expect(v('lsu.accesses')).toBe(3);
      expect(v('cpiStack.storeBuffer')).toBe(46.875);
    }
  });
});

describe('hand-worked runs of the reference model and of the core', () => {
  // A small core: 2 wide everywhere, frontEndStages 1, one integer, one memory and one vector unit,
  // static not-taken prediction with a penalty of 3, a memory of fixed latency. Latencies: mul 3, vmul 4,
  // everything else 1 (a load: memory + 1).
  const INT = ['scalar-alu', 'scalar-mul', 'branch', 'pattern', 'misc'] as const;
  const MEM = ['scalar-load', 'scalar-store', 'vec-load', 'vec-store'] as const;
  const small = (extra: CoreConfigInput = {}, vecPipelined = true): CoreConfigInput => ({
    fetchWidth: 2, dispatchWidth: 2, issueWidth: 2, retireWidth: 2, frontEndStages: 1, fetchQueueSize: 8,
    robSize: 16, schedulerSize: 8, lsqSize: 8, mispredictPenaltyCycles: 3,
    branchPredictor: { kind: 'static', policy: 'notTaken' },
    units: [{ name: 'int', count: 1, classes: [...INT] }, { name: 'mem', count: 1, classes: [...MEM] }, { name: 'v', count: 1, classes: [...VEC], pipelined: vecPipelined }],
    timing: { 'scalar-mul': { latencyCycles: 3 }, 'vec-mul': { latencyCycles: 4 } },
    ...extra,
  });
  type Stages = [fetch: number, dispatch: number, issue: number, complete: number, retire: number];
  interface Worked {
    stages: Stages[];
    cycles: number;
    /** CPI stack in retire slots (2 a cycle); components not named are 0. */
    cpi: Record<string, number>;
    /** Dispatch stall cycles; those not named are 0. */
    stalls: Partial<ReferenceResult['stalls']>;
  }
  const expectWorked = (src: string, core: CoreConfigInput, memLatency: number, w: Worked) => {
    const pools = Object.fromEntries(resolveCoreConfig(core).units.map((u) => [`unit.${u.name}`, 0]));
    const cpi = { base: 0, dependency: 0, memory: 0, frontEnd: 0, branchMispredict: 0, ...pools, ...w.cpi };
    expect(Object.values(cpi).reduce((a, b) => a + b)).toBe(2 * w.cycles); // the hand-worked stack adds up
    const stalls = { frontEnd: 0, robFull: 0, schedulerFull: 0, lsqFull: 0, registersFull: 0, ...w.stalls };
    const runs: [string, ReferenceResult][] = [['reference', referenceModel(src, core, memLatency)], ...Object.entries(ENGINES).map(([e, o]): [string, ReferenceResult] => [e, engineResult(o, src, core, memLatency)])];
    for (const [who, r] of runs) {
      const got = { who, stages: r.instrs.map((t) => [t.fetch, t.dispatch, t.issue, t.complete, t.retire]), cycles: r.cycles, cpi: r.cpiSlots, stalls: r.stalls };
      expect(got).toEqual({ who, stages: w.stages, cycles: w.cycles, cpi, stalls });
    }
  };

  it('a dependent chain: each waits for its producer, in order the halt waits too', () => {
    const src = 'mul x1, x2, x3\nmul x4, x1, x1\nadd x5, x4, x1\nhalt';
    // | instr | fetch | dispatch | issue | complete | retire |
    // | mul x1 | 0 | 1 | 2 | 5 (latency 3) | 5 |
    // | mul x4 | 0 | 1 | 5 (x1 ready) | 8 | 8 |
    // | add x5 | 1 | 2 | 8 (x4 ready) | 9 | 9 |
    // | halt, out of order | 1 | 2 | 3 (the int unit is pipelined: free again at 3) | 4 | 9 (in order) |
    // | halt, in order | 1 | 2 | 9 (after the add; the one int unit is the add's at 8) | 10 | 10 |
    // CPI, 2 slots a cycle, by cycle: 0 window empty: frontEnd 2; 1 head (mul x1) dispatched this cycle:
    // frontEnd 2; 2-4 head executing: dependency 6; 5 one retires: base 1, dependency 1 (mul x4 executing);
    // 6-7 dependency 4; 8 base 1, dependency 1 (add executing); out of order 9: base 2 (add and halt). In
    // order 9: base 1, dependency 1 (the halt executing); 10: base 1, frontEnd 1 (window empty).
    // Dispatch: cycle 0 has nothing fetched, 1 and 2 dispatch two each, then nothing is left: frontEnd.
    const ooo = { base: 4, dependency: 12, frontEnd: 4 };
    expectWorked(src, small(), 4, { stages: [[0, 1, 2, 5, 5], [0, 1, 5, 8, 8], [1, 2, 8, 9, 9], [1, 2, 3, 4, 9]], cycles: 10, cpi: ooo, stalls: { frontEnd: 8 } });
    expectWorked(src, small({ model: 'inOrder' }), 4, { stages: [[0, 1, 2, 5, 5], [0, 1, 5, 8, 8], [1, 2, 8, 9, 9], [1, 2, 9, 10, 10]], cycles: 11, cpi: { base: 4, dependency: 13, frontEnd: 5 }, stalls: { frontEnd: 9 } });
  });

  it('a structural hazard on a non-pipelined unit: the oldest instruction waits for a unit a younger one holds', () => {
    const src = 'mul x1, x2, x3\nvbcast.u8 v1, x1\nvmul.s8 v2, v10, v11\nhalt';
    // The vector unit is not pipelined: a vmul (latency 4) holds it for 4 cycles.
    // | instr | fetch | dispatch | issue | complete | retire |
    // | mul x1 | 0 | 1 | 2 | 5 | 5 |
    // | vbcast (needs x1) | 0 | 1 | 7 (x1 ready at 5, the vector unit busy until 7) | 8 | 8 |
    // | vmul (independent) | 1 | 2 | 3 (takes the free vector unit out of order) | 7 | 8 |
    // | halt | 1 | 2 | 3 | 4 | 9 |
    // CPI: 0-1 frontEnd 4; 2-4 dependency 6 (mul executing); 5 base 1 and, the vbcast being the oldest with
    // its operand and no unit, unit.v 1; 6 unit.v 2; 7 dependency 2 (vbcast executing); 8 base 2; 9 base 1,
    // frontEnd 1.
    expectWorked(src, small({}, false), 4, {
      stages: [[0, 1, 2, 5, 5], [0, 1, 7, 8, 8], [1, 2, 3, 7, 8], [1, 2, 3, 4, 9]],
      cycles: 10,
      cpi: { base: 4, dependency: 8, frontEnd: 5, 'unit.v': 3 },
      stalls: { frontEnd: 8 },
    });
    // Pipelined, the vmul frees the unit at 4: vbcast issues at 5, retires at 6; vmul and halt retire at 7.
    expectWorked(src, small({}, true), 4, {
      stages: [[0, 1, 2, 5, 5], [0, 1, 5, 6, 6], [1, 2, 3, 7, 7], [1, 2, 3, 4, 7]],
      cycles: 8,
      cpi: { base: 4, dependency: 8, frontEnd: 4 },
      stalls: { frontEnd: 6 },
    });
    // In order the vmul waits behind the vbcast (issue 5, unit free at 6) and issues at 6 with the halt.
    // CPI: 0-1 frontEnd 4; 2-4 dependency 6; 5 base 1, dependency 1; 6 base 1, dependency 1 (vmul
    // executing); 7-9 dependency 6; 10 base 2.
    expectWorked(src, small({ model: 'inOrder' }, false), 4, {
      stages: [[0, 1, 2, 5, 5], [0, 1, 5, 6, 6], [1, 2, 6, 10, 10], [1, 2, 6, 7, 10]],
      cycles: 11,
      cpi: { base: 4, dependency: 14, frontEnd: 4 },
      stalls: { frontEnd: 9 },
    });
  });

  it('an instruction two pools can take waits for both, and its lost retire slots go to the first pool', () => {
    // vmul may go to pool va (every vector class) or pool vb (vmul only), one unit each, pipelined, latency 1
    // and reciprocal throughput 3: each vmul holds its unit for 3 cycles.
    // | instr | fetch | dispatch | issue | complete | retire |
    // | vmul v1 | 0 | 1 | 2 (va, busy until 5) | 3 | 3 |
    // | vmul v2 | 0 | 1 | 2 (vb, busy until 5) | 3 | 3 |
    // | vmul v3 | 1 | 2 | 5 (va, the first free in declaration order) | 6 | 6 |
    // | halt, out of order | 1 | 2 | 3 | 4 | 6 |
    // | halt, in order | 1 | 2 | 5 (behind the vmul) | 6 | 6 |
    // CPI: 0-1 frontEnd 4; 2 dependency 2; 3 base 2; 4 vmul v3 is the oldest, has its operands and both
    // its units are busy: unit.va 2 (the first pool that could take it); 5 dependency 2; 6 base 2.
    const src = 'vmul.s8 v1, v6, v7\nvmul.s8 v2, v6, v7\nvmul.s8 v3, v6, v7\nhalt';
    const units = [{ name: 'int', count: 1, classes: [...INT] }, { name: 'mem', count: 1, classes: [...MEM] }, { name: 'va', count: 1, classes: [...VEC] }, { name: 'vb', count: 1, classes: ['vec-mul' as const] }];
    const timing = { 'vec-mul': { latencyCycles: 1, reciprocalThroughputCycles: 3 } };
    const cpi = { base: 4, dependency: 4, frontEnd: 4, 'unit.va': 2 };
    expectWorked(src, small({ units, timing }), 4, { stages: [[0, 1, 2, 3, 3], [0, 1, 2, 3, 3], [1, 2, 5, 6, 6], [1, 2, 3, 4, 6]], cycles: 7, cpi, stalls: { frontEnd: 5 } });
    expectWorked(src, small({ model: 'inOrder', units, timing }), 4, { stages: [[0, 1, 2, 3, 3], [0, 1, 2, 3, 3], [1, 2, 5, 6, 6], [1, 2, 5, 6, 6]], cycles: 7, cpi, stalls: { frontEnd: 5 } });
  });

  const loop2 = 'li x3, 2\nloop:\naddi x3, x3, -1\nbne x3, x0, loop\nhalt';

  it('a mispredicted branch: fetch waits for it plus the penalty, and the empty window is charged to it', () => {
    // The first bne is taken, predicted not taken: fetch stops after it and resumes at its completion + 3.
    // | instr | fetch | dispatch | issue | complete | retire |
    // | li x3 | 0 | 1 | 2 | 3 | 3 |
    // | addi | 0 | 1 | 3 | 4 | 4 |
    // | bne (taken, mispredicted) | 1 | 2 | 4 | 5 | 5 |
    // | addi | 8 (5 + 3) | 9 | 10 | 11 | 11 |
    // | bne (not taken, predicted) | 8 | 9 | 11 | 12 | 12 |
    // | halt | 9 | 10 | 12 (the int unit is the bne's at 11) | 13 | 13 |
    // CPI: 0 frontEnd 2 (nothing fetched yet); 1 frontEnd 2 (li just dispatched); 2 dependency 2; 3 base 1,
    // dependency 1; 4 base 1, dependency 1; 5 base 1 and, the window empty while the refill has not
    // dispatched, branchMispredict 1; 6-8 branchMispredict 6; 9 frontEnd 2 (the refilled addi dispatched
    // this cycle); 10 dependency 2; 11 base 1, dependency 1; 12 base 1, dependency 1; 13 base 1,
    // frontEnd 1. Dispatch: nothing in cycles 0, 3-8 and 11-13.
    const worked: Worked = {
      stages: [[0, 1, 2, 3, 3], [0, 1, 3, 4, 4], [1, 2, 4, 5, 5], [8, 9, 10, 11, 11], [8, 9, 11, 12, 12], [9, 10, 12, 13, 13]],
      cycles: 14,
      cpi: { base: 6, dependency: 8, frontEnd: 7, branchMispredict: 7 },
      stalls: { frontEnd: 10 },
    };
    expectWorked(loop2, small(), 4, worked);
    expectWorked(loop2, small({ model: 'inOrder' }), 4, worked);
  });

  // An empty window is the mispredicted branch's only while the branch has dispatched and its refill has not:
  // before it dispatches, the branch and the instructions older than it are still in the front end.
  it('the front-end fill before a mispredicted branch is charged to the front end', () => {
    // Fetch 4 wide, frontEndStages 3: li, addi, bne fetched in cycle 0; li and addi dispatch at 3, bne at 4.
    // Cycles 0-2: the window is empty because li is in the front end: frontEnd 6.
    // The rest as in the test above: li 3/4/5, addi 3/5/6, bne 4/6/7 (dispatch/issue/complete), fetch resumes
    // at 10, refill dispatched at 13: branchMispredict 1 (cycle 7) + 10 (cycles 8-12).
    const r = engineResult({}, loop2, small({ fetchWidth: 4, frontEndStages: 3 }), 4);
    expect(r.cpiSlots).toMatchObject({ frontEnd: 11, branchMispredict: 11 });
  });

  it('a full ROB stops dispatch until its head, a slow load, retires', () => {
    const src = `vld v1, 0(x0)\n${rep((i) => `add x${1 + i}, x7, x8`, 4)}halt`;
    // ROB 3, memory latency 10: the load issued at 2 completes at 2 + 10 + 1 = 13.
    // | instr | fetch | dispatch | issue | complete | retire |
    // | vld | 0 | 1 | 2 | 13 | 13 |
    // | add 1 | 0 | 1 | 2 | 3 | 13 |
    // | add 2 | 1 | 2 (the ROB is now full) | 3 | 4 | 14 (retire width 2) |
    // | add 3 | 1 | 13 (two retire at 13) | 14 | 15 | 15 |
    // | add 4 | 2 | 13 | 15 (one integer unit) | 16 | 16 |
    // | halt | 2 | 14 | 16 | 17 | 17 |
    // Dispatch: nothing fetched at 0 (frontEnd); the ROB full in cycles 3-12 (robFull 10); nothing left in
    // cycles 15-17 (frontEnd). CPI: 0-1 frontEnd 4; 2-12 memory 22 (the head is the load); 13 base 2;
    // 14-16 base 1 and dependency 1 each; 17 base 1, frontEnd 1.
    const worked: Worked = {
      stages: [[0, 1, 2, 13, 13], [0, 1, 2, 3, 13], [1, 2, 3, 4, 14], [1, 13, 14, 15, 15], [2, 13, 15, 16, 16], [2, 14, 16, 17, 17]],
      cycles: 18,
      cpi: { base: 6, memory: 22, dependency: 3, frontEnd: 5 },
      stalls: { frontEnd: 4, robFull: 10 },
    };
    for (const model of ['inOrder', 'outOfOrder'] as const) expectWorked(src, small({ model, robSize: 3, schedulerSize: 3, lsqSize: 3 }), 10, worked);
  });
});
