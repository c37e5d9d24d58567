/**
 * Writing sweep results: CSV and JSON of all rows and of the front, a terminal table of the front, and the
 * plots. {@link writeReport} writes them all into one folder, as `mpsimd sweep` and `mpsimd plot` do.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatColumn, formatTable } from '../stats/registry.js';
import { formatValue } from './json.js';
import type { ResolvedObjective } from './pareto.js';
import { breakdownSpec, metricTitle, paretoScatterSpec, renderSvg, svgToPng, type MetricNames } from './plot.js';
import { reportHtml } from './report-html.js';
import type { SweepRow } from './store.js';
import { frontOf } from './sweep.js';

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = formatValue(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function union(rows: readonly SweepRow[], pick: (r: SweepRow) => object | undefined): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(pick(r) ?? {})) if (!seen.has(k)) (seen.add(k), out.push(k));
  return out;
}

/**
 * CSV of rows: index, key, status, one column per dimension, one per metric, then error, evaluator,
 * simulatorVersion, elapsedMs. Dimension values are written as in the space file (`[1,2,4]`, quoted for CSV);
 * metrics with every digit JavaScript prints.
 */
export function rowsToCsv(rows: readonly SweepRow[]): string {
  const dims = union(rows, (r) => r.point);
  const metrics = union(rows, (r) => r.metrics);
  const header = ['index', 'key', 'status', ...dims, ...metrics, 'error', 'evaluator', 'simulatorVersion', 'elapsedMs'];
  const lines = rows.map((r) =>
    [r.index, r.key, r.status, ...dims.map((d) => r.point[d]), ...metrics.map((m) => r.metrics?.[m]), r.error, r.evaluator, r.simulatorVersion, r.elapsedMs.toFixed(3)]
      .map(csvCell)
      .join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}

/**
 * A text table of front rows: index, dimension values as written, and the objectives (titled with their
 * labels and units when given), sorted by the first objective. Each number column has one format with
 * enough digits to tell its distinct values apart (see `formatColumn`).
 */
export function frontTable(front: readonly SweepRow[], objectives: readonly ResolvedObjective[], names: MetricNames = {}): string {
  const dims = union(front, (r) => r.point);
  const first = objectives[0]!;
  const sorted = [...front].sort((a, b) => (a.metrics![first.metric]! - b.metrics![first.metric]!) * (first.goal === 'min' ? 1 : -1));
  const header = ['#', ...dims.map((d) => d.split('.').pop()!), ...objectives.map((o) => (o.goal === 'max' ? `${metricTitle(o.metric, names)} (max)` : metricTitle(o.metric, names)))];
  const columns = objectives.map((o) => formatColumn(sorted.map((r) => r.metrics![o.metric]!)));
  const body = sorted.map((r, i) => [String(r.index), ...dims.map((d) => formatValue(r.point[d])), ...columns.map((c) => c[i]!)]);
  return formatTable(header, body, [true, ...dims.map(() => false), ...objectives.map(() => true)]);
}

/** What {@link writeReport} takes. */
export interface ReportInput {
  readonly rows: readonly SweepRow[];
  readonly objectives: readonly ResolvedObjective[];
  /** Pairs of metrics to scatter. Default: the first objective against each other one. */
  readonly scatter?: ReadonlyArray<readonly [string, string]>;
  /** Metric units for axis titles. */
  readonly units?: Readonly<Record<string, string>>;
  /** Short metric labels for titles (`energyUj` -> `energy`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Units of breakdowns, by breakdown name, for axis titles. */
  readonly breakdownUnits?: Readonly<Record<string, string>>;
  /** Write PNGs beside the SVGs. Default true. */
  readonly png?: boolean;
  /** Write the interactive report.html. Default true. */
  readonly html?: boolean;
  /** The report's heading line under its title (what was swept, on which evaluator). */
  readonly description?: string;
}

/** Files written by {@link writeReport}, and the front table text. */
export interface ReportFiles {
  readonly files: string[];
  readonly table: string;
  readonly front: SweepRow[];
}

/**
 * Writes rows.csv, rows.json, front.csv, front.json, front.txt, a Pareto scatter per pair of metrics
 * (`pareto-<x>-<y>.svg/.png`), a stacked breakdown per breakdown kind found in the front rows
 * (`breakdown-<kind>.svg/.png`) and the interactive `report.html` (see `report-html.ts`) into `dir`.
 */
export async function writeReport(dir: string, input: ReportInput): Promise<ReportFiles> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const put = (name: string, data: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, data);
    files.push(p);
  };
  const { rows, objectives } = input;
  const front = frontOf(rows, objectives);
  const names: MetricNames = { ...(input.units ? { units: input.units } : {}), ...(input.labels ? { labels: input.labels } : {}) };
  const table = frontTable(front, objectives, names);
  put('rows.csv', rowsToCsv(rows));
  put('rows.json', JSON.stringify(rows, null, 1) + '\n');
  put('front.csv', rowsToCsv(front));
  put('front.json', JSON.stringify(front, null, 1) + '\n');
  put('front.txt', table + '\n');
  const goal = new Map(objectives.map((o) => [o.metric, o]));
  const obj = (m: string): ResolvedObjective => goal.get(m) ?? { metric: m, goal: 'min' };
  const pairs = input.scatter ?? objectives.slice(1).map((o) => [objectives[0]!.metric, o.metric] as const);
  const emit = async (name: string, svg: string) => {
    put(`${name}.svg`, svg);
    if (input.png ?? true) put(`${name}.png`, await svgToPng(svg));
  };
  for (const [x, y] of pairs) {
    const spec = paretoScatterSpec(rows, { x: obj(x), y: obj(y), objectives, ...names });
    await emit(`pareto-${x}-${y}`, await renderSvg(spec));
  }
  const first = objectives[0]!;
  const ordered = [...front].sort((a, b) => (a.metrics![first.metric]! - b.metrics![first.metric]!) * (first.goal === 'min' ? 1 : -1));
  for (const kind of union(front, (r) => r.breakdowns)) {
    const title = `${kind} breakdown of the ${ordered.length} designs on the Pareto front, by ${input.labels?.[first.metric] ?? first.metric}`;
    const unit = input.breakdownUnits?.[kind];
    const unitTitle = unit ? `${kind} (${unit})` : kind;
    await emit(`breakdown-${kind}`, await renderSvg(breakdownSpec(ordered, { breakdown: kind, title, unitTitle })));
  }
  if ((input.html ?? true) && front.length > 0) {
    put('report.html', reportHtml({ rows, objectives, ...names, ...(input.breakdownUnits ? { breakdownUnits: input.breakdownUnits } : {}), ...(input.description ? { description: input.description } : {}) }));
  }
  return { files, table, front };
}
