// Tables and plots an architect can read: one number format per column with enough digits to tell rows
// apart, dimension values as written, log axes for wide spans, coincident designs counted, the dimension
// that matters coloured, zero parts of a breakdown folded and the breakdown as wide as its content.
import { describe, expect, it } from 'vitest';
import { Report } from '../../src/pipeline/report.js';
import { formatColumn } from '../../src/stats/registry.js';
import { frontTable, rowsToCsv } from '../../src/sweep/output.js';
import { resolveObjectives } from '../../src/sweep/pareto.js';
import { breakdownSpec, keyDimension, paretoScatterSpec, renderSvg } from '../../src/sweep/plot.js';
import type { SweepRow } from '../../src/sweep/store.js';

const row = (index: number, point: Record<string, unknown>, metrics: Record<string, number>, breakdowns?: Record<string, Record<string, number>>): SweepRow =>
  ({ index, key: `k${index}`, point, status: 'ok', metrics, ...(breakdowns ? { breakdowns } : {}), evaluator: 'e', simulatorVersion: 'v', elapsedMs: 0 }) as SweepRow;

/** Every layer of a compiled spec, flattened. */
const layers = (spec: unknown): Record<string, any>[] => ((spec as { layer?: unknown[] }).layer ?? []) as Record<string, any>[];

describe('formatColumn', () => {
  it('one format per column: no exponent beside plain decimals, and distinct values print distinctly', () => {
    expect(formatColumn([65.314, 175120.3, 1.9])).toEqual(['65.314', '175120.300', '1.900']);
    expect(formatColumn([3.4855, 3.4856, 3.4855])).toEqual(['3.4855', '3.4856', '3.4855']);
    const close = formatColumn([3.4855101, 3.4855102]);
    expect(new Set(close).size).toBe(2);
    expect(close[0]!.length).toBe(close[1]!.length);
    expect(formatColumn([1, 20, 300])).toEqual(['1', '20', '300']);
    expect(formatColumn([1e-9, 2.5, 1e6])).toEqual(['1.000e-9', '2.500e+0', '1.000e+6']);
    expect(formatColumn([NaN, 0.5, 0])).toEqual(['-', '0.5000', '0.0000']);
  });
});

describe('tables and CSV', () => {
  const rows = [
    row(0, { 'isa.mixedWidths': [1, 2, 4], cache: { kind: 'lru', ways: 8 } }, { energyUj: 65.314, cycles: 100 }),
    row(1, { 'isa.mixedWidths': [4], cache: { kind: 'plru', ways: 4 } }, { energyUj: 175120.5, cycles: 90 }),
    row(2, { 'isa.mixedWidths': [2, 4], cache: { kind: 'lru', ways: 4 } }, { energyUj: 65.3141, cycles: 110 }),
  ];
  it('dimension values print as written, never [object Object]', () => {
    const objectives = resolveObjectives(['cycles', 'energyUj']);
    const table = frontTable(rows, objectives, { units: { energyUj: 'µJ' }, labels: { energyUj: 'energy' } });
    expect(table).toContain('{"kind":"lru","ways":8}');
    expect(table).toContain('[1,2,4]');
    expect(table).not.toContain('[object Object]');
    expect(table).toMatch(/energy \(µJ\)/);
    // 65.314 and 65.3141 differ: the column shows four decimals for every row, no exponent.
    expect(table).toMatch(/\b65\.3140\b/);
    expect(table).toMatch(/\b65\.3141\b/);
    expect(table).toMatch(/\b175120\.5000\b/);
    const csv = rowsToCsv(rows);
    expect(csv).toContain('"{""kind"":""lru"",""ways"":8}"');
    expect(csv).toContain('"[1,2,4]"');
    expect(csv).not.toContain('[object Object]');
  });

  it('the CPI stack folds its zero components into one line', () => {
    const stack = { base: 10, dependency: 5, 'memory.l1d': 0, 'memory.dram': 85, branchMispredict: 0 };
    const fake = Object.assign(Object.create(Report.prototype) as Report, {
      core: { name: 'c', model: 'inOrder', clockGHz: 1 },
      cycles: 100,
      instructions: 50,
      cpiStack: stack,
      unitUtilisation: { V: 0.5 },
    });
    const t = fake.toTable();
    expect(t).toMatch(/^base\s+10\s+0\.2000\s+10\.0%$/m);
    expect(t).toMatch(/^memory\.dram\s+85\s+1\.700\d?\s+85\.0%$/m);
    expect(t).not.toMatch(/^memory\.l1d /m);
    expect(t).toContain('(0 cycles: memory.l1d, branchMispredict)');
  });
});

describe('Pareto scatter', () => {
  const objectives = resolveObjectives(['cycles', 'energyUj']);
  it('uses a log axis where a metric spans more than 10x, linear otherwise', () => {
    const wide = [row(0, { v: 1 }, { cycles: 100, energyUj: 2 }), row(1, { v: 2 }, { cycles: 1500, energyUj: 1 }), row(2, { v: 3 }, { cycles: 300, energyUj: 1.5 })]; // 15x and 2x
    const spec = paretoScatterSpec(wide, { x: objectives[0]!, y: objectives[1]!, objectives });
    expect(layers(spec)[0]!.encoding.x.scale.type).toBe('log');
    expect(layers(spec)[0]!.encoding.y.scale.type).toBe('linear');
  });

  it('counts designs with equal results and says so in the title; labels the front by design number', () => {
    const same = [0, 1, 2].map((i) => row(i, { a: i, b: 1 }, { cycles: 100, energyUj: 2 }));
    const rows = [...same, row(3, { a: 9, b: 2 }, { cycles: 200, energyUj: 1 }), row(4, { a: 8, b: 2 }, { cycles: 300, energyUj: 3 })];
    const spec = paretoScatterSpec(rows, { x: objectives[0]!, y: objectives[1]!, objectives, labels: { energyUj: 'energy' }, units: { energyUj: 'µJ', cycles: 'cycles' } }) as { title: { text: string }; layer: Record<string, any>[] };
    expect(spec.title.text).toBe('energy vs cycles: 5 designs at 3 distinct points, 4 on the front');
    const points = spec.layer[1]!.data.values as unknown[];
    expect(points.length).toBe(3);
    const labels = spec.layer.slice(2).flatMap((l) => (l.data.values as { text: string }[]).map((v) => v.text));
    expect(labels).toEqual(expect.arrayContaining(['#0 ×3', '#3']));
    expect(spec.layer[0]!.encoding.y.title).toBe('energy (µJ, lower is better)');
    expect(spec.layer[0]!.encoding.x.title).toBe('cycles (lower is better)');
  });

  it('colours by the dimension that explains the spread, with its name as the legend title', () => {
    const rows: SweepRow[] = [];
    let i = 0;
    for (const model of ['inOrder', 'outOfOrder']) for (const regs of [1, 2, 4, 8]) rows.push(row(i++, { regs, model }, { cycles: (model === 'inOrder' ? 1000 : 400) + regs, energyUj: (model === 'inOrder' ? 5 : 8) + regs / 100 }));
    expect(keyDimension(rows, ['cycles', 'energyUj'])).toBe('model');
    const spec = paretoScatterSpec(rows, { x: objectives[0]!, y: objectives[1]!, objectives });
    expect(layers(spec)[1]!.encoding.color).toMatchObject({ field: 'color', title: 'model' });
  });

  it('a few far designs do not squash the front: the axis stops short and they are drawn at its edge', () => {
    const rows = [...Array.from({ length: 20 }, (_, i) => row(i, { a: i }, { cycles: 1000 + 10 * i, energyUj: 10 - i / 10 })), row(20, { a: 20 }, { cycles: 9000, energyUj: 9 }), row(21, { a: 21 }, { cycles: 9500, energyUj: 9.5 })];
    const spec = paretoScatterSpec(rows, { x: objectives[0]!, y: objectives[1]!, objectives }) as { title: { subtitle: string[] }; layer: Record<string, any>[] };
    const [lo, hi] = spec.layer[0]!.encoding.x.scale.domain as [number, number];
    expect(hi).toBeLessThan(2000);
    expect(lo).toBeLessThanOrEqual(1000);
    expect(spec.title.subtitle.join(' ')).toContain('2 designs beyond the axes, drawn at their edge');
    const drawn = spec.layer[1]!.data.values as { x: number; shape: string }[];
    expect(drawn.filter((v) => v.shape.startsWith('beyond')).every((v) => v.x === hi)).toBe(true);
  });
});

describe('breakdown chart', () => {
  it('leaves out parts that are zero everywhere and stays as wide as its bars and legend', async () => {
    const parts = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`part${i}`, i < 11 ? 1 + i : 0]));
    const rows = Array.from({ length: 6 }, (_, i) => row(i, { vlen: 128 * (1 + i), model: 'outOfOrder' }, { cycles: i }, { cpi: parts }));
    const spec = breakdownSpec(rows, { breakdown: 'cpi' }) as { title: { subtitle: string[] }; data: { values: { part: string }[] } };
    expect(new Set(spec.data.values.map((v) => v.part)).size).toBe(11);
    expect(spec.title.subtitle.join(' ')).toContain('not shown, zero for every design: part11, part12, part13, part14');
    const svg = await renderSvg(spec as never);
    const width = Number(/<svg[^>]*width="(\d+(\.\d+)?)"/.exec(svg)![1]);
    expect(width).toBeLessThan(900); // was 1714 px with the 11-entry legend across the bottom
  });
});
