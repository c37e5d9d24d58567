/**
 * The interactive sweep report: one self-contained HTML file (`results/report.html`) that opens from disk in
 * any browser with no network: vega, vega-lite and vega-embed are inlined from their npm builds, and so are
 * the data and the vega-lite specification. It holds a Pareto scatter per pair of objectives (hover a point:
 * every dimension and metric of the design; click it: its CPI and energy breakdowns and all its numbers
 * beside the plots; double-click: clear), and a table of the front.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { formatColumn } from '../stats/registry.js';
import { formatValue } from './json.js';
import { costs, paretoFront, type ResolvedObjective } from './pareto.js';
import { axisLayout, designLabel, keyDimension, metricTitle, PLOT_CONFIG, type MetricNames, type VegaLiteSpec, varyingDims } from './plot.js';
import type { SweepRow } from './store.js';
import { frontOf } from './sweep.js';

/** What {@link reportHtml} takes. */
export interface HtmlReportInput extends MetricNames {
  readonly rows: readonly SweepRow[];
  readonly objectives: readonly ResolvedObjective[];
  /** Units of breakdowns, by breakdown name. */
  readonly breakdownUnits?: Readonly<Record<string, string>>;
  /** Page heading. Default `mpsimd sweep report`. */
  readonly title?: string;
  /** A line under the heading (the space, the evaluator). */
  readonly description?: string;
}

/**
 * One design in the report's data. Dimensions and metrics are fields `d0, d1, ...` and `m0, m1, ...` in the
 * order of {@link interactiveReportSpec}'s `dims` and `metrics` (vega-lite reads dots in field names as paths).
 */
export interface PointDatum {
  /** The row's key in the store. */
  key: string;
  /** The design number (the row's index). */
  index: number;
  /** `#index name=value ...` of the dimensions that vary. */
  design: string;
  /** `on the front` (of all objectives) or `dominated`. */
  front: string;
  /** Other designs with equal objectives (`#3, #7`), or `none`. */
  same: string;
  /** The lines of the selected-design panel. */
  lines: string[];
  [field: string]: unknown;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** JSON safe inside a <script> element. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** The pairs of objectives: every pair, in objective order. */
export function objectivePairs(objectives: readonly ResolvedObjective[]): [ResolvedObjective, ResolvedObjective][] {
  const out: [ResolvedObjective, ResolvedObjective][] = [];
  for (let i = 0; i < objectives.length; i++) for (let j = i + 1; j < objectives.length; j++) out.push([objectives[i]!, objectives[j]!]);
  return out;
}

/** The report's data and vega-lite specification (exported for tests; {@link reportHtml} embeds them). */
export function interactiveReportSpec(input: HtmlReportInput): { spec: VegaLiteSpec; points: PointDatum[]; dims: string[]; metrics: string[] } {
  const ok = input.rows.filter((r) => r.status === 'ok' && r.metrics && costs(r.metrics, input.objectives) !== undefined);
  const dims = [...new Set(ok.flatMap((r) => Object.keys(r.point)))];
  const objectiveNames = input.objectives.map((o) => o.metric);
  const metrics = [...objectiveNames, ...[...new Set(ok.flatMap((r) => Object.keys(r.metrics!)))].filter((m) => !objectiveNames.includes(m))];
  const front = new Set(frontOf(ok, input.objectives).map((r) => r.key));
  const varying = varyingDims(ok);
  const byResult = new Map<string, number[]>();
  for (const r of ok) {
    const k = JSON.stringify(objectiveNames.map((m) => r.metrics![m]));
    byResult.set(k, [...(byResult.get(k) ?? []), r.index]);
  }
  const colorBy = keyDimension(ok, objectiveNames);
  const colorField = colorBy === undefined ? undefined : `d${dims.indexOf(colorBy)}`;
  // Dominated designs first, so the front is drawn on top.
  const drawOrder = [...ok].sort((a, b) => Number(front.has(a.key)) - Number(front.has(b.key)) || a.index - b.index);
  const points: PointDatum[] = drawOrder.map((r) => {
    const same = byResult.get(JSON.stringify(objectiveNames.map((m) => r.metrics![m])))!.filter((i) => i !== r.index);
    const d: PointDatum = {
      key: r.key,
      index: r.index,
      design: `#${r.index} ${designLabel(r.point, varying)}`.trim(),
      front: front.has(r.key) ? 'on the front' : 'dominated',
      same: same.length > 0 ? same.map((i) => `#${i}`).join(', ') : 'none',
      lines: [
        `design #${r.index}${front.has(r.key) ? ' (on the front)' : ''}`,
        ...dims.map((n) => `${n} = ${formatValue(r.point[n])}`),
        ...metrics.filter((m) => r.metrics![m] !== undefined).map((m) => `${metricTitle(m, input)} = ${Number(r.metrics![m]!.toPrecision(6))}`),
      ],
    };
    dims.forEach((n, i) => (d[`d${i}`] = formatValue(r.point[n])));
    metrics.forEach((m, i) => (d[`m${i}`] = r.metrics![m] ?? null));
    return d;
  });
  const kinds = [...new Set(ok.flatMap((r) => Object.keys(r.breakdowns ?? {})))];
  const parts = ok.flatMap((r) =>
    kinds.flatMap((b) =>
      Object.entries(r.breakdowns?.[b] ?? {})
        .filter(([, v]) => v !== 0)
        .map(([part, value], order) => ({ key: r.key, breakdown: b, part, value, order })),
    ),
  );
  const tooltip = [
    { field: 'design', title: 'design' },
    { field: 'front', title: 'Pareto front (all objectives)' },
    ...dims.map((n, i) => ({ field: `d${i}`, title: n })),
    ...metrics.map((m, i) => ({ field: `m${i}`, title: metricTitle(m, input), type: 'quantitative', format: ',.6~g' })),
    { field: 'same', title: 'same objectives as' },
  ];
  const scatters = objectivePairs(input.objectives).map(([x, y], p) => {
    const xi = metrics.indexOf(x.metric);
    const yi = metrics.indexOf(y.metric);
    const pairFront = paretoFront(ok.map((r) => costs(r.metrics!, [x, y])!)).map((i) => ({ x: ok[i]!.metrics![x.metric]!, y: ok[i]!.metrics![y.metric]! }));
    pairFront.sort((a, b) => a.x - b.x || a.y - b.y);
    // The static plots' axes (log past 10x, far designs at a cut axis' edge); wheel and drag change them.
    const sc = (m: string, goal: 'min' | 'max') => {
      const a = axisLayout(ok.map((r) => r.metrics![m]!), pairFront.map((v) => (m === x.metric ? v.x : v.y)), goal);
      return { type: a.log ? 'log' : 'linear', domain: a.domain, nice: false, clamp: true, ...(a.log ? {} : { zero: false }) };
    };
    const xEnc = { field: `m${xi}`, type: 'quantitative', title: metricTitle(x.metric, input, x.goal), scale: sc(x.metric, x.goal) };
    const yEnc = { field: `m${yi}`, type: 'quantitative', title: metricTitle(y.metric, input, y.goal), scale: sc(y.metric, y.goal) };
    return {
      width: 420,
      height: 300,
      title: `${input.labels?.[y.metric] ?? y.metric} vs ${input.labels?.[x.metric] ?? x.metric}`,
      layer: [
        {
          data: { values: pairFront.map((v) => ({ [`m${xi}`]: v.x, [`m${yi}`]: v.y })) },
          mark: { type: 'line', interpolate: y.goal === 'min' ? 'step-after' : 'step-before', color: '#444', strokeDash: [4, 3], strokeWidth: 1.2 },
          encoding: { x: xEnc, y: yEnc },
        },
        {
          name: `s${p}`,
          data: { name: 'points' },
          // Wheel zooms, drag pans, double-click resets (and clears the selection).
          params: [{ name: `zoom${p}`, select: 'interval', bind: 'scales' }],
          mark: { type: 'point', filled: true, cursor: 'pointer' },
          encoding: {
            x: { field: `m${xi}`, type: 'quantitative' },
            y: { field: `m${yi}`, type: 'quantitative' },
            color:
              colorField === undefined
                ? { field: 'front', type: 'nominal', title: null, scale: { domain: ['on the front', 'dominated'], range: ['#d95f02', '#1b6ca8'] } }
                : { field: colorField, type: 'nominal', title: colorBy, scale: { scheme: 'tableau10' } },
            shape: { field: 'front', type: 'nominal', title: 'Pareto front (all objectives)', scale: { domain: ['on the front', 'dominated'], range: ['diamond', 'circle'] } },
            size: { condition: [{ param: 'pick', empty: false, value: 320 }, { test: "datum.front !== 'dominated'", value: 110 }], value: 40 },
            stroke: { condition: [{ param: 'pick', empty: false, value: '#000' }, { test: "datum.front !== 'dominated'", value: '#333' }], value: null },
            strokeWidth: { condition: { param: 'pick', empty: false, value: 2.5 }, value: 1 },
            opacity: { condition: { test: "datum.front === 'dominated'", value: 0.6 }, value: 0.95 },
            tooltip,
          },
        },
      ],
    };
  });
  // A fixed axis per breakdown (its largest part over all designs), so that two selected designs compare by eye.
  const partMax = (b: string) => Math.max(0, ...parts.filter((p) => p.breakdown === b).map((p) => p.value));
  const breakdownViews = kinds.map((b) => ({
    width: 300,
    height: { step: 16 },
    title: { text: `${b} breakdown of the selected design${input.breakdownUnits?.[b] ? ` (${input.breakdownUnits[b]})` : ''}`, subtitle: 'click a point; double-click clears' },
    data: { name: 'parts' },
    transform: [{ filter: { param: 'pick', empty: false } }, { filter: { field: 'breakdown', equal: b } }],
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'part', type: 'nominal', title: null, sort: { field: 'order', op: 'min' } },
      x: { field: 'value', type: 'quantitative', title: input.breakdownUnits?.[b] ?? b, scale: { domain: [0, partMax(b) || 1] } },
      color: { field: 'part', type: 'nominal', legend: null, scale: { scheme: 'tableau20' } },
    },
  }));
  const selected = {
    width: 300,
    height: 15 * Math.max(1, ...points.map((d) => d.lines.length)),
    title: { text: 'selected design', subtitle: 'click a point in a scatter plot' },
    data: { name: 'points' },
    transform: [{ filter: { param: 'pick', empty: false } }],
    mark: { type: 'text', align: 'left', baseline: 'top', fontSize: 11, lineHeight: 15, x: 0, y: 0 },
    encoding: { text: { field: 'lines' } },
  };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: { ...PLOT_CONFIG, view: { stroke: '#ccc' }, legend: { ...PLOT_CONFIG.legend, titleLimit: 300 } },
    datasets: { points, parts },
    resolve: { scale: { color: 'independent' } },
    params: [{ name: 'pick', select: { type: 'point', fields: ['key'], on: 'click', clear: 'dblclick' }, views: scatters.map((_, p) => `s${p}`) }],
    vconcat: [{ concat: scatters, columns: 2 }, { hconcat: [selected, ...breakdownViews] }],
  };
  return { spec: spec as unknown as VegaLiteSpec, points, dims, metrics };
}

/** The browser builds of vega, vega-lite and vega-embed, read from node_modules. */
function libraryScripts(): string[] {
  const require = createRequire(import.meta.url);
  return [
    ['vega', 'vega.min.js'],
    ['vega-lite', 'vega-lite.min.js'],
    ['vega-embed', 'vega-embed.min.js'],
  ].map(([pkg, file]) => {
    // Their exports maps hide build/, so find it beside the package's main file (in build/ for all three).
    const path = join(dirname(require.resolve(pkg!)), file!);
    try {
      return readFileSync(path, 'utf8').replace(/<\/script/gi, '<\\/script');
    } catch (e) {
      throw new Error(`cannot inline ${pkg}'s browser build ${path}: ${(e as Error).message}`);
    }
  });
}

/** The front as an HTML table: row number, every dimension as written, every metric in one format per column. */
function frontTableHtml(input: HtmlReportInput, dims: readonly string[], metrics: readonly string[]): string {
  const first = input.objectives[0]!;
  const front = frontOf(input.rows, input.objectives).sort((a, b) => (a.metrics![first.metric]! - b.metrics![first.metric]!) * (first.goal === 'min' ? 1 : -1));
  const cols = metrics.map((m) => formatColumn(front.map((r) => r.metrics![m] ?? NaN)));
  const head = ['#', ...dims, ...metrics.map((m) => metricTitle(m, input, input.objectives.find((o) => o.metric === m)?.goal))];
  const body = front.map((r, i) => `<tr data-key="${escapeHtml(r.key)}"><td>${r.index}</td>${dims.map((d) => `<td>${escapeHtml(formatValue(r.point[d]))}</td>`).join('')}${cols.map((c) => `<td class="num">${escapeHtml(c[i]!)}</td>`).join('')}</tr>`);
  return `<table id="front"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

/** The whole self-contained report page (see the module comment). */
export function reportHtml(input: HtmlReportInput): string {
  const { spec, dims, metrics } = interactiveReportSpec(input);
  const title = input.title ?? 'mpsimd sweep report';
  const ok = input.rows.filter((r) => r.status === 'ok').length;
  const frontSize = frontOf(input.rows, input.objectives).length;
  const summary = `${input.rows.length} designs, ${ok} evaluated; ${frontSize} on the Pareto front of ${input.objectives.map((o) => `${o.goal === 'max' ? 'max ' : ''}${input.labels?.[o.metric] ?? o.metric}`).join(', ')}.`;
  const scripts = libraryScripts()
    .map((s) => `<script>${s}</script>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; }
p.note { color: #555; margin-top: 0.2em; }
table { border-collapse: collapse; font-size: 0.85em; margin-top: 0.5em; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f4f4f4; }
#vg-tooltip-element table td.key { font-weight: bold; }
</style>
${scripts}
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${input.description ? `<p class="note">${escapeHtml(input.description)}</p>` : ''}
<p class="note">${escapeHtml(summary)} Hover a point for its design and numbers; click it for its breakdowns; double-click to clear.</p>
<div id="vis"></div>
<h2>Pareto front</h2>
${frontTableHtml(input, dims, metrics)}
<script>
const report = { spec: ${scriptJson(spec)} };
report.points = report.spec.datasets.points;
window.mpsimdReport = report;
vegaEmbed('#vis', report.spec, { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } })
  .then((r) => { window.mpsimdView = r.view; document.body.dataset.rendered = 'yes'; })
  .catch((e) => { document.body.dataset.rendered = 'failed'; console.error(e); });
</script>
</body>
</html>
`;
}
