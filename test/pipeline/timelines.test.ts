// Hand-worked timelines. Each compares two runs that differ only in the part under test, so fixed costs
// (front-end fill, the final halt) cancel and the difference is the number worked out by hand.
import { describe, expect, it } from 'vitest';
import type { CoreConfigInput } from '../../src/pipeline/config.js';
import { ACCESS_WRITE, RETRY, type MemoryPort } from '../../src/memory/port.js';
import { cyclesOf, rep, run, WIDE } from './helpers.js';

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
  const loopOf = (body: string, iters: number) => `li x3, ${iters}\nloop:\n${body}addi x3, x3, -1\nbne x3, x0, loop\nhalt`;
  const perIter = (body: string, core: CoreConfigInput) => (cyclesOf(loopOf(body, 200), core) - cyclesOf(loopOf(body, 100), core)) / 100;
  const core = withUnits([{ name: 'alu', count: 2, classes: [...ALL_ELSE] }, { name: 'v', count: 2, classes: [...VEC] }], {
    branchPredictor: { kind: 'loop', entries: 16, bimodalEntries: 64 },
    timing: { 'vec-mul': { latencyCycles: 4 }, 'vec-fma': { latencyCycles: 4 } },
  });

  it('resource bound: 6 independent multiplies on 2 vector units = 3 cycles/iteration', () => {
    const body = rep((i) => `vmul.s8 v${1 + i}, v10, v11`, 6);
    expect(Math.abs(perIter(body, core) - 3)).toBeLessThanOrEqual(1);
  });

  it('recurrence bound: one fma chain of latency 4 = 4 cycles/iteration', () => {
    const body = 'vfma.f32 v1, v2, v3\nvmul.s8 v4, v10, v11\n';
    expect(Math.abs(perIter(body, core) - 4)).toBeLessThanOrEqual(1);
  });

  it('issue width bound: 10 single-cycle vector ops with issue width 4 = 3 cycles/iteration (12 ops)', () => {
    const body = rep((i) => `vand v${1 + i}, v20, v21`, 10);
    const c = { ...core, issueWidth: 4, units: [{ name: 'alu', count: 4, classes: [...ALL_ELSE] }, { name: 'v', count: 8, classes: [...VEC] }] };
    expect(Math.abs(perIter(body, c) - 3)).toBeLessThanOrEqual(1);
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
