/**
 * Plots of sweep results, rendered headless to SVG by vega-lite + vega (no browser, no canvas) and to PNG by
 * resvg (a Rust SVG renderer shipped as a prebuilt npm binary, using the system's fonts):
 * - {@link paretoScatterSpec}: any two metrics, every design a dot, the Pareto front of the two metrics drawn
 *   as a step line, and the members of the front over all objectives marked;
 * - {@link breakdownSpec}: a stacked horizontal bar per design of one breakdown (CPI stack, energy by
 *   component), for the designs on the front.
 *
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import { costs, paretoFront, type ResolvedObjective } from './pareto.js';
import type { SweepRow } from './store.js';

/** A vega-lite specification (the JSON of any vega-lite plot). */
export type VegaLiteSpec = TopLevelSpec;

const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';
const CONFIG = {
  font: FONT,
  background: 'white',
  view: { stroke: '#bbb' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e8e8e8' },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom', direction: 'horizontal', labelLimit: 400 },
  title: { fontSize: 14, anchor: 'start' },
} as const;

/**
 * A short label of a design: its dimension values, `name=value` with the last part of each name; only the
 * dimensions in `only` when given.
 */
export function designLabel(point: Readonly<Record<string, unknown>>, only?: ReadonlySet<string>): string {
  return Object.entries(point)
    .filter(([k]) => only === undefined || only.has(k))
    .map(([k, v]) => `${k.split('.').pop()}=${Array.isArray(v) ? v.join('/') : String(v)}`)
    .join(' ');
}

/** The dimensions whose value differs between some of `rows`. */
export function varyingDims(rows: readonly SweepRow[]): Set<string> {
  const out = new Set<string>();
  const first = rows[0]?.point ?? {};
  for (const r of rows) for (const [k, v] of Object.entries(r.point)) if (JSON.stringify(v) !== JSON.stringify(first[k])) out.add(k);
  return out;
}

/** Whether a positive series spans enough orders of magnitude to want a log axis. */
function wantsLog(vs: readonly number[]): boolean {
  const pos = vs.filter((v) => v > 0);
  return pos.length === vs.length && pos.length > 1 && Math.max(...pos) / Math.min(...pos) > 30;
}

/** Options of {@link paretoScatterSpec}. */
export interface ScatterOptions {
  /** Metric on the x axis, and its goal (default min). */
  readonly x: ResolvedObjective;
  /** Metric on the y axis, and its goal (default min). */
  readonly y: ResolvedObjective;
  /** Objectives of the full front to mark; default just x and y. */
  readonly objectives?: readonly ResolvedObjective[];
  /** Units shown in axis titles, by metric. */
  readonly units?: Readonly<Record<string, string>>;
  readonly title?: string;
}

/** Pareto scatter of two metrics (see the module comment). */
export function paretoScatterSpec(rows: readonly SweepRow[], options: ScatterOptions): VegaLiteSpec {
  const { x, y } = options;
  const ok = rows.filter((r) => r.status === 'ok' && r.metrics && costs(r.metrics, [x, y]) !== undefined);
  const pair = new Set(paretoFront(ok.map((r) => costs(r.metrics!, [x, y])!)));
  const all = options.objectives ?? [x, y];
  const okAll = ok.filter((r) => costs(r.metrics!, all) !== undefined);
  const full = new Set(paretoFront(okAll.map((r) => costs(r.metrics!, all)!)).map((i) => okAll[i]!.key));
  const CLASS_PAIR = `Pareto front of ${x.metric} and ${y.metric}`;
  const CLASS_FULL = `on the front of all ${all.length} objectives`;
  const values = ok.map((r, i) => ({
    x: r.metrics![x.metric]!,
    y: r.metrics![y.metric]!,
    design: designLabel(r.point),
    cls: pair.has(i) ? CLASS_PAIR : full.has(r.key) ? CLASS_FULL : 'dominated',
  }));
  const frontLine = values.filter((v) => v.cls === CLASS_PAIR).sort((a, b) => a.x - b.x || a.y - b.y);
  const title = (m: string) => (options.units?.[m] && options.units[m] !== m ? `${m} (${options.units[m]})` : m);
  const scale = (vs: number[]) => (wantsLog(vs) ? { type: 'log' as const, nice: false } : { zero: false, nice: true });
  const xs = values.map((v) => v.x);
  const ys = values.map((v) => v.y);
  const domain = all.length > 2 ? [CLASS_PAIR, CLASS_FULL, 'dominated'] : [CLASS_PAIR, 'dominated'];
  const pick = <T,>(three: [T, T, T]) => (all.length > 2 ? three : [three[0], three[2]]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? `${y.metric} vs ${x.metric}: ${values.length} designs, ${frontLine.length} on the front`,
    width: 560,
    height: 380,
    config: CONFIG,
    layer: [
      {
        data: { values: frontLine },
        mark: { type: 'line', interpolate: y.goal === 'min' ? 'step-after' : 'step-before', color: '#d95f02', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: title(x.metric), scale: scale(xs) },
          y: { field: 'y', type: 'quantitative', title: title(y.metric), scale: scale(ys) },
        },
      },
      {
        data: { values: [...values].sort((a, b) => domain.indexOf(b.cls) - domain.indexOf(a.cls)) },
        mark: { type: 'point', filled: true, opacity: 0.85 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          color: { field: 'cls', type: 'nominal', title: null, scale: { domain, range: pick(['#d95f02', '#1b6ca8', '#c4c4c4']) } },
          shape: { field: 'cls', type: 'nominal', title: null, scale: { domain, range: pick(['diamond', 'circle', 'circle']) } },
          size: { field: 'cls', type: 'ordinal', sort: domain, title: null, scale: { domain, range: pick([90, 40, 18]) } },
        },
      },
    ],
  } as VegaLiteSpec;
}

/** Options of {@link breakdownSpec}. */
export interface BreakdownOptions {
  /** The breakdown to stack, a key of the rows' `breakdowns` (`cpi`, `energy`, ...). */
  readonly breakdown: string;
  /** Axis title. Default the breakdown's name. */
  readonly unitTitle?: string;
  /** Most designs to show (the first ones given). Default 30. */
  readonly maxDesigns?: number;
  readonly title?: string;
}

/** Stacked breakdown per design, in the order given (see the module comment). */
export function breakdownSpec(rows: readonly SweepRow[], options: BreakdownOptions): VegaLiteSpec {
  const withIt = rows.filter((r) => r.status === 'ok' && r.breakdowns?.[options.breakdown]);
  const shown = withIt.slice(0, options.maxDesigns ?? 30);
  const parts: string[] = [];
  const varying = varyingDims(shown);
  const values = shown.flatMap((r, i) =>
    Object.entries(r.breakdowns![options.breakdown]!).map(([part, value]) => {
      if (!parts.includes(part)) parts.push(part);
      return { design: `#${r.index} ${designLabel(r.point, varying)}`, order: i, part, partOrder: 0, value };
    }),
  );
  for (const v of values) v.partOrder = parts.indexOf(v.part);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: (options.title ?? `${options.breakdown} breakdown`) + (shown.length < withIt.length ? ` (first ${shown.length} of ${withIt.length})` : ''),
    width: 420,
    height: { step: 18 },
    config: CONFIG,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'design', type: 'nominal', title: null, sort: { field: 'order', op: 'min' }, axis: { labelLimit: 1000 } },
      x: { field: 'value', type: 'quantitative', stack: 'zero', title: options.unitTitle ?? options.breakdown },
      color: { field: 'part', type: 'nominal', title: null, sort: parts, scale: { scheme: parts.length > 10 ? 'tableau20' : 'tableau10' } },
      order: { field: 'partOrder', type: 'quantitative' },
    },
  } as VegaLiteSpec;
}

/** Renders a vega-lite specification to an SVG document. */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  // Loaded on first use: `import 'mpsimd'` should not pay for the plotting stack.
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Rasterises an SVG to PNG at `scale` times its size (default 2) with the system's fonts. */
export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const r = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
  });
  return r.render().asPng();
}
