import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineSpace, range } from '../../src/sweep/space.js';
import { makeShard } from '../../src/sweep/shard.js';
import { mergeStores, readStore, type SweepRow } from '../../src/sweep/store.js';
import { grid, nsga2, randomSampling } from '../../src/sweep/strategy.js';
import { sweep } from '../../src/sweep/sweep.js';
import { SIMULATOR_VERSION } from '../../src/sweep/version.js';
import { TEST_EVALUATORS } from './fixtures/paths.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'mpsimd-sweep-'));
const slow = (params: Record<string, number | boolean> = {}) => ({ evaluator: 'test-slow', module: TEST_EVALUATORS, params });
const space = defineSpace({ dimensions: { a: range(0, 9), b: [0, 5, 10] }, constraints: [{ name: 'b<=a', test: (p) => (p.b as number) <= (p.a as number) + 5 }] });
/** What must be equal between two runs of one sweep (not timings). */
const essence = (rows: readonly SweepRow[]) => rows.map((r) => ({ index: r.index, key: r.key, point: r.point, status: r.status, metrics: r.metrics, error: r.error }));

describe('sweep', () => {
  it('returns every admitted point with its metrics, records throwing points as errors and goes on, and computes the front', async () => {
    const dir = tmp();
    const store = join(dir, 'store.jsonl');
    const r = await sweep({ space, workload: slow(), workers: 2, store });
    const admitted = [...space.grid()];
    expect(r.rows.map((x) => x.point)).toEqual(admitted);
    expect(r.counts.pruned).toBe(30 - admitted.length);
    const errors = r.rows.filter((x) => x.status === 'error');
    expect(errors.map((x) => x.point.a)).toEqual(admitted.filter((p) => (p.a as number) % 7 === 0).map((p) => p.a));
    expect(errors[0]!.error).toMatch(/multiple of 7/);
    for (const row of r.rows.filter((x) => x.status === 'ok')) {
      expect(row.metrics!.cost).toBe((row.point.a as number) + (row.point.b as number));
      expect(row.simulatorVersion).toBe(SIMULATOR_VERSION);
    }
    // The front: no ok row dominates a front row, and every non-front ok row is dominated by a front row.
    const ok = r.rows.filter((x) => x.status === 'ok');
    const dom = (p: SweepRow, q: SweepRow) =>
      p.metrics!.cost! <= q.metrics!.cost! && p.metrics!.loss! <= q.metrics!.loss! && (p.metrics!.cost! < q.metrics!.cost! || p.metrics!.loss! < q.metrics!.loss!);
    for (const f of r.front) expect(ok.some((o) => dom(o, f))).toBe(false);
    for (const o of ok.filter((x) => !r.front.includes(x))) expect(r.front.some((f) => dom(f, o))).toBe(true);
    // One store line per point, the same rows.
    const lines = readFileSync(store, 'utf8').trim().split('\n');
    expect(lines.length).toBe(admitted.length);
    expect(essence(mergeStores([store]).rows)).toEqual(essence(r.rows));
  });

  it('streams rows through the async iterator as they finish', async () => {
    const run = sweep({ space, workload: slow(), workers: 0 });
    const seen: SweepRow[] = [];
    for await (const row of run) seen.push(row);
    const result = await run;
    expect(seen.length).toBe(result.rows.length);
    expect(new Set(seen.map((r) => r.key))).toEqual(new Set(result.rows.map((r) => r.key)));
  });

  it('skips the points a store already holds, and survives a line cut short by a kill', async () => {
    const dir = tmp();
    const store = join(dir, 'store.jsonl');
    const first = await sweep({ space, workload: slow(), workers: 0, store });
    // Keep the first 5 lines and half of the 6th, as a kill during a write would.
    const lines = readFileSync(store, 'utf8').split('\n');
    writeFileSync(store, lines.slice(0, 5).join('\n') + '\n' + lines[5]!.slice(0, 30));
    const again = await sweep({ space, workload: slow(), workers: 0, store });
    expect(again.counts.reused).toBe(5);
    expect(again.counts.evaluated).toBe(first.rows.length - 5);
    expect(essence(again.rows)).toEqual(essence(first.rows));
    const { rows, badLines } = readStore(store);
    expect(badLines).toBe(1);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
    // A third run evaluates nothing.
    const third = await sweep({ space, workload: slow(), workers: 0, store });
    expect(third.counts.evaluated).toBe(0);
    // retryErrors evaluates the error rows again (they still fail) and nothing else.
    const retry = await sweep({ space, workload: slow(), workers: 0, store, retryErrors: true });
    expect(retry.counts.evaluated).toBe(first.rows.filter((r) => r.status === 'error').length);
  });

  it('checks every dimension value against the evaluator before the first point runs', async () => {
    const s = defineSpace({ dimensions: { a: [1, 2], b: [3, 2000, '5'] } });
    const store = join(tmp(), 'store.jsonl');
    const err = await sweep({ space: s, workload: slow(), workers: 0, store }).result.catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/space\.dimensions\.b\[1\]: given 2000: Too big: expected number to be <=1000/);
    expect((err as Error).message).toMatch(/space\.dimensions\.b\[2\]: given "5" \(a string\): expected number, received string/);
    expect(readStore(store).rows).toEqual([]);
    await expect(sweep({ space: defineSpace({ dimensions: { c: [1] } }), workload: slow(), workers: 0 }).result).rejects.toThrow(
      /space\.dimensions\.c: no such setting: the configuration of evaluator 'test-slow' has no field 'c' \(its fields: a, b\)/,
    );
  });

  it('with checkDimensions false, records points whose configuration does not validate as invalid, with located errors', async () => {
    const s = defineSpace({ dimensions: { a: [1, 2], b: [3, 2000] } });
    const r = await sweep({ space: s, workload: slow(), workers: 0, checkDimensions: false });
    const bad = r.rows.filter((x) => x.status === 'invalid');
    expect(bad.map((x) => x.point.b)).toEqual([2000, 2000]);
    expect(bad[0]!.error).toMatch(/^config\.b: .*; given 2000$/);
    await expect(sweep({ space: defineSpace({ dimensions: { c: [1] } }), workload: slow(), workers: 0, checkDimensions: false }).result).rejects.toThrow(/every point.*config: Unrecognized key/);
  });

  it('shards partition the points, and their merged stores equal the single-machine run', async () => {
    const dir = tmp();
    const whole = await sweep({ space, workload: slow(), workers: 0 });
    const n = 3;
    const stores: string[] = [];
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      const store = join(dir, `shard-${i}.jsonl`);
      stores.push(store);
      const part = await sweep({ space, workload: slow(), workers: 0, store, shard: makeShard(i, n) });
      for (const row of part.rows) {
        expect(seen.has(row.index)).toBe(false);
        seen.add(row.index);
      }
    }
    const merged = mergeStores(stores);
    expect(merged.duplicates).toBe(0);
    expect(essence(merged.rows)).toEqual(essence(whole.rows));
  });

  it('random sampling is reproducible from its seed and draws distinct admitted points', async () => {
    const big = defineSpace({ dimensions: { a: range(0, 200), b: range(0, 1000, 10) } });
    const run = (seed: number) => sweep({ space: big, workload: slow({ failOn7: false }), strategy: randomSampling({ samples: 40 }), workers: 0, seed });
    const [x, y, z] = [await run(5), await run(5), await run(6)];
    expect(essence(x.rows)).toEqual(essence(y.rows));
    expect(essence(x.rows)).not.toEqual(essence(z.rows));
    expect(new Set(x.rows.map((r) => r.key)).size).toBe(40);
  });

  it('refuses to shard NSGA-II and objectives the evaluator does not report', async () => {
    await expect(sweep({ space, workload: slow(), strategy: nsga2(), shard: makeShard(0, 2), workers: 0 }).result).rejects.toThrow(/cannot be sharded/);
    await expect(sweep({ space, workload: slow(), objectives: ['nope'], workers: 0 }).result).rejects.toThrow(/nope/);
    await expect(sweep({ space, workload: { evaluator: 'missing' }, workers: 0 }).result).rejects.toThrow(/unknown evaluator 'missing'/);
  });

  it('a grid sweep on the worker pool gives the rows of an in-thread run', async () => {
    const a = await sweep({ space, workload: slow(), workers: 2, strategy: grid({ chunk: 7 }) });
    const b = await sweep({ space, workload: slow(), workers: 0 });
    expect(essence(a.rows)).toEqual(essence(b.rows));
  });
});

describe('NSGA-II', () => {
  // ZDT1 with 3 variables on a 0.01 grid: the true front is f2 = 1 - sqrt(f1), f1 in [0, 1].
  const zdt = defineSpace({ dimensions: { x1: range(0, 1, 0.01), x2: range(0, 1, 0.01), x3: range(0, 1, 0.01) } });
  const run = (seed: number) =>
    sweep({ space: zdt, workload: { evaluator: 'zdt1', module: TEST_EVALUATORS }, strategy: nsga2({ population: 40, generations: 40 }), workers: 0, seed });

  it('finds the known front of ZDT1 within a tolerance, spread over it', async () => {
    const r = await run(11);
    const front = r.front.map((x) => [x.metrics!.f1!, x.metrics!.f2!] as const);
    expect(front.length).toBeGreaterThanOrEqual(15);
    // Generational distance: mean vertical gap to the true front.
    const gaps = front.map(([f1, f2]) => f2 - (1 - Math.sqrt(f1)));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(-1e-9); // nothing beats the true front
    expect(gaps.reduce((s, g) => s + g, 0) / gaps.length).toBeLessThan(0.05);
    // Spread: the front covers most of f1's range.
    const f1s = front.map(([f1]) => f1);
    expect(Math.max(...f1s) - Math.min(...f1s)).toBeGreaterThan(0.8);
    // Random sampling with the same budget does much worse: the test can tell a search from luck.
    const rnd = await sweep({ space: zdt, workload: { evaluator: 'zdt1', module: TEST_EVALUATORS }, strategy: randomSampling({ samples: 1640 }), workers: 0, seed: 11 });
    const rgaps = rnd.front.map((x) => x.metrics!.f2! - (1 - Math.sqrt(x.metrics!.f1!)));
    expect(rgaps.reduce((s, g) => s + g, 0) / rgaps.length).toBeGreaterThan(0.1);
  });

  it('is reproducible from its seed', async () => {
    const [a, b] = [await run(3), await run(3)];
    expect(essence(a.rows)).toEqual(essence(b.rows));
    expect(a.rows.length).toBe(40 * 41);
  });
});

describe('store merge', () => {
  it('keeps one row per key, the last line read, and reports conflicting duplicates', () => {
    const dir = tmp();
    const row = (index: number, key: string, cost: number): SweepRow => ({
      index, key, point: { a: index }, status: 'ok', metrics: { cost }, evaluator: 'x', simulatorVersion: '0', elapsedMs: 1,
    });
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    writeFileSync(a, [row(2, 'k2', 1), row(0, 'k0', 1)].map((r) => JSON.stringify(r) + '\n').join(''));
    writeFileSync(b, JSON.stringify(row(2, 'k2', 5)) + '\n' + JSON.stringify(row(1, 'k1', 1)) + '\n');
    appendFileSync(b, 'not json\n');
    const m = mergeStores([a, b]);
    expect(m.rows.map((r) => [r.key, r.metrics!.cost])).toEqual([
      ['k0', 1],
      ['k1', 1],
      ['k2', 5],
    ]);
    expect(m.duplicates).toBe(1);
    expect(m.conflicts).toEqual(['k2']);
    expect(m.badLines).toBe(1);
  });
});
