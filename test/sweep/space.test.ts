import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/sweep/json.js';
import { choices, defineSpace, derive, geometric, range, type PointValues } from '../../src/sweep/space.js';
import { inShard, makeShard, parseShard, shardFromEnv } from '../../src/sweep/shard.js';

/** Cartesian product in nested-loop order (last list fastest), written independently of defineSpace. */
function product(names: string[], lists: number[][]): Record<string, number>[] {
  let acc: Record<string, number>[] = [{}];
  names.forEach((n, i) => {
    acc = acc.flatMap((p) => lists[i]!.map((v) => ({ ...p, [n]: v })));
  });
  return acc;
}

const dims = fc
  .array(fc.uniqueArray(fc.integer({ min: -5, max: 20 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 })
  .map((lists) => ({ names: lists.map((_, i) => `d${i}.v`), lists }));

describe('grid enumeration', () => {
  it('enumerates the product of the dimensions in nested-loop order, each point once', () => {
    fc.assert(
      fc.property(dims, ({ names, lists }) => {
        const space = defineSpace({ dimensions: Object.fromEntries(names.map((n, i) => [n, lists[i]!])) });
        const got = [...space.grid()];
        expect(got).toEqual(product(names, lists));
        expect(new Set(got.map(canonicalJson)).size).toBe(got.length);
      }),
      { numRuns: 200 },
    );
  });

  it('constraints prune exactly the points they reject, and enumerate() names the constraint', () => {
    fc.assert(
      fc.property(dims, fc.integer({ min: -10, max: 40 }), ({ names, lists }, limit) => {
        const sum = (p: PointValues) => names.reduce((s, n) => s + (p[n] as number), 0);
        const space = defineSpace({
          dimensions: Object.fromEntries(names.map((n, i) => [n, lists[i]!])),
          constraints: [{ name: 'sum', test: (p) => sum(p) <= limit }],
        });
        const all = product(names, lists);
        expect([...space.grid()]).toEqual(all.filter((p) => sum(p) <= limit));
        const marked = [...space.enumerate()];
        expect(marked.map((e) => e.values)).toEqual(all);
        for (const e of marked) expect(e.prunedBy).toBe(sum(e.values) <= limit ? undefined : 'sum');
      }),
      { numRuns: 200 },
    );
  });

  it('decode() maps any genes to a grid point, and gene 0 / gene ~1 to the first / last value', () => {
    fc.assert(
      fc.property(dims, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }), ({ names, lists }, genes) => {
        const space = defineSpace({ dimensions: Object.fromEntries(names.map((n, i) => [n, lists[i]!])) });
        const ids = new Set([...space.grid()].map(canonicalJson));
        expect(ids.has(canonicalJson(space.decode(genes).values))).toBe(true);
        expect(space.decode(names.map(() => 0)).values).toEqual(Object.fromEntries(names.map((n, i) => [n, lists[i]![0]])));
        expect(space.decode(names.map(() => 0.999999)).values).toEqual(Object.fromEntries(names.map((n, i) => [n, lists[i]!.at(-1)])));
      }),
    );
  });

  it('ranges, geometric ranges, dependent choices and derived values', () => {
    const space = defineSpace({
      dimensions: {
        'isa.vlenBits': geometric(128, 512),
        'isa.maxRuns': choices((p) => (p['isa.vlenBits'] === 128 ? [1] : [1, 2])),
        'core.mixedUnits': derive((p) => (p['isa.vlenBits'] as number) / 128),
        'workload.x': range(0.1, 0.3, 0.1),
      },
    });
    const pts = [...space.grid()];
    expect(pts.length).toBe(3 * (1 + 2 + 2));
    expect(pts[0]).toEqual({ 'isa.vlenBits': 128, 'isa.maxRuns': 1, 'core.mixedUnits': 1, 'workload.x': 0.1 });
    expect(pts.map((p) => p['workload.x'])).toContain(0.3); // 0.1 + 2 * 0.1, tidied
    expect(space.overrides(pts.at(-1)!)).toEqual({ config: { isa: { vlenBits: 512, maxRuns: 2 }, core: { mixedUnits: 4 } }, workload: { x: 0.3 } });
  });

  it('rejects badly named and empty dimensions', () => {
    expect(() => defineSpace({ dimensions: { 'a..b': [1] } })).toThrow(/dotted path/);
    expect(() => defineSpace({ dimensions: { a: [] } })).toThrow(/no values/);
    expect(() => defineSpace({ dimensions: { a: range(3, 1) } })).toThrow(/from <= to/);
  });
});

describe('shards', () => {
  it('put every point index in exactly one shard, and balance them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 500 }), (n, points) => {
        const sizes = new Array<number>(n).fill(0);
        for (let i = 0; i < points; i++) {
          const owners = Array.from({ length: n }, (_, s) => s).filter((s) => inShard(i, makeShard(s, n)));
          expect(owners.length).toBe(1);
          sizes[owners[0]!]!++;
        }
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('come from --shard, Slurm array variables and Kubernetes indexed Jobs', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    expect(() => parseShard('5/5')).toThrow(/0\.\.4/);
    expect(() => parseShard('a/b')).toThrow(/i\/n/);
    expect(shardFromEnv({})).toBeUndefined();
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '8' })).toEqual({ index: 3, count: 8 });
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({ index: 3, count: 4 });
    expect(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '3' })).toThrow(/SLURM_ARRAY_TASK_COUNT/);
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '0', MPSIMD_SHARD_COUNT: '2' })).toEqual({ index: 0, count: 2 });
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '0' })).toThrow(/MPSIMD_SHARD_COUNT/);
  });
});
