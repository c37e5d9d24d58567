/**
 * Plots of sweep results, rendered headless to SVG by vega-lite + vega (no browser, no canvas) and to PNG by
 * resvg (a Rust SVG renderer shipped as a prebuilt npm binary, using the system's fonts):
 * - {@link paretoScatterSpec}: any two metrics, every distinct result a marker coloured by the swept
 *   dimension that best explains the spread ({@link keyDimension}), the Pareto front of the two metrics drawn
 *   as a step line with its designs labelled by row number, designs that land on one spot counted (`×3`), and
 *   log axes where a metric spans more than 10x;
 * - {@link breakdownSpec}: a stacked horizontal bar per design of one breakdown (CPI stack, energy by
 *   component), for the designs on the front, parts that are zero everywhere left out, the legend in a
 *   column beside the bars so the figure is as wide as its content.
 *
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import { formatValue } from './json.js';
import { costs, paretoFront, type ResolvedObjective } from './pareto.js';
import type { SweepRow } from './store.js';

/** A vega-lite specification (the JSON of any vega-lite plot). */
export type VegaLiteSpec = TopLevelSpec;

const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';
/** Shared look of every plot: readable fonts, legends in a column at the right. */
export const PLOT_CONFIG = {
  font: FONT,
  background: 'white',
  view: { stroke: '#bbb' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e8e8e8', titlePadding: 8 },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'right', direction: 'vertical', labelLimit: 260, symbolStrokeWidth: 1 },
  title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: '#555', anchor: 'start', limit: 900 },
} as const;

/** How a metric is named in titles: its label and unit (`energy (µJ)`), from the evaluator's metric list. */
export interface MetricNames {
  /** Units by metric name. */
  readonly units?: Readonly<Record<string, string>>;
  /** Short labels by metric name (`energyUj` -> `energy`); default the metric's name. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** `energy (µJ)`: a metric's label with its unit, for axis and column titles. */
export function metricTitle(metric: string, names: MetricNames = {}, goal?: 'min' | 'max'): string {
  const label = names.labels?.[metric] ?? metric;
  const unit = names.units?.[metric];
  const parts = [unit && unit !== metric && unit !== '-' ? unit : '', goal === 'max' ? 'higher is better' : goal === 'min' ? 'lower is better' : ''].filter(Boolean);
  return parts.length > 0 ? `${label} (${parts.join(', ')})` : label;
}

/**
 * A short label of a design: its dimension values, `name=value` with the last part of each name and values
 * as written; only the dimensions in `only` when given.
 */
export function designLabel(point: Readonly<Record<string, unknown>>, only?: ReadonlySet<string>): string {
  return Object.entries(point)
    .filter(([k]) => only === undefined || only.has(k))
    .map(([k, v]) => `${k.split('.').pop()}=${formatValue(v)}`)
    .join(' ');
}

/** The dimensions whose value differs between some of `rows`, in the order the dimensions are declared. */
export function varyingDims(rows: readonly SweepRow[]): Set<string> {
  const first = rows[0]?.point ?? {};
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.point)))];
  return new Set(names.filter((k) => rows.some((r) => JSON.stringify(r.point[k]) !== JSON.stringify(first[k]))));
}

/** Whether a series spans more than `ratio` (default 10x) with every value positive: then a log axis reads better. */
export function wantsLog(vs: readonly number[], ratio = 10): boolean {
  const pos = vs.filter((v) => v > 0);
  return pos.length === vs.length && pos.length > 1 && Math.max(...pos) / Math.min(...pos) > ratio;
}

/**
 * The swept dimension that explains most of the spread of `metrics` over `rows`: among dimensions taking 2 to
 * `maxValues` values, the one whose groups differ most (the share of the variance, of the logarithm for
 * positive metrics, that lies between its groups, averaged over the metrics). Undefined when nothing varies.
 */
export function keyDimension(rows: readonly SweepRow[], metrics: readonly string[], maxValues = 10): string | undefined {
  const ok = rows.filter((r) => r.status === 'ok' && metrics.every((m) => Number.isFinite(r.metrics?.[m])));
  let best: string | undefined;
  let bestShare = -1;
  for (const dim of varyingDims(ok)) {
    const groups = new Map<string, number[]>();
    ok.forEach((r, i) => {
      const k = formatValue(r.point[dim]);
      groups.set(k, [...(groups.get(k) ?? []), i]);
    });
    if (groups.size < 2 || groups.size > maxValues) continue;
    let share = 0;
    for (const m of metrics) {
      const raw = ok.map((r) => r.metrics![m]!);
      const vs = raw.every((v) => v > 0) ? raw.map(Math.log) : raw;
      const mean = vs.reduce((s, v) => s + v, 0) / vs.length;
      const total = vs.reduce((s, v) => s + (v - mean) ** 2, 0);
      let between = 0;
      for (const idx of groups.values()) {
        const gm = idx.reduce((s, i) => s + vs[i]!, 0) / idx.length;
        between += idx.length * (gm - mean) ** 2;
      }
      share += total > 0 ? between / total : 0;
    }
    share /= metrics.length;
    if (share > bestShare + 1e-12) [best, bestShare] = [dim, share];
  }
  return best;
}

/** Options of {@link paretoScatterSpec}. */
export interface ScatterOptions extends MetricNames {
  /** Metric on the x axis, and its goal (default min). */
  readonly x: ResolvedObjective;
  /** Metric on the y axis, and its goal (default min). */
  readonly y: ResolvedObjective;
  /** Objectives of the full front to mark; default just x and y. */
  readonly objectives?: readonly ResolvedObjective[];
  readonly title?: string;
  /** Dimension that colours the markers; default {@link keyDimension}; null colours by front membership only. */
  readonly colorBy?: string | null;
}

/** Plot area of the scatter, in pixels. */
const SCATTER_W = 560;
const SCATTER_H = 380;
/** Approximate size of one character of the 10-px label font, for placing labels apart. */
const CHAR_W = 6.2;
const LABEL_H = 11;

/** One axis: its domain, log or linear, and where a value lands in pixels. */
export interface AxisLayout {
  readonly log: boolean;
  readonly domain: [number, number];
  /** The domain was cut short on the side away from the front; values past it are drawn at its edge. */
  readonly cut: boolean;
  readonly px: (v: number) => number;
}

/**
 * The domain of one axis: log where the values span more than 10x; otherwise linear, and cut short on the
 * side away from the front where a few far designs stand apart from the rest (a gap of more than 40% of the
 * span with at most 30% of the designs beyond it), so they do not squash the front into a corner.
 */
export function axisLayout(vs: readonly number[], front: readonly number[], goal: 'min' | 'max', length = 1, flip = false): AxisLayout {
  const lo = Math.min(...vs);
  const hi = Math.max(...vs);
  const log = wantsLog(vs);
  let d0: number;
  let d1: number;
  let cut = false;
  if (log) {
    const f = Math.pow(hi / lo, 0.04);
    [d0, d1] = [lo / f, hi * f];
  } else {
    let [a, b] = [lo, hi];
    // Distinct values on the far side of the front, walked away from it.
    const edge = goal === 'min' ? Math.max(...front) : Math.min(...front);
    const far = [...new Set(vs)].filter((v) => (goal === 'min' ? v >= edge : v <= edge)).sort((p, q) => (goal === 'min' ? p - q : q - p));
    let gap = 0;
    let at = -1;
    for (let i = 1; i < far.length; i++) {
      const g = Math.abs(far[i]! - far[i - 1]!);
      if (g > gap) [gap, at] = [g, i];
    }
    const beyond = at < 0 ? 0 : vs.filter((v) => (goal === 'min' ? v >= far[at]! : v <= far[at]!)).length;
    if (at > 0 && gap > 0.4 * (hi - lo) && beyond <= 0.3 * vs.length) {
      cut = true;
      if (goal === 'min') b = far[at - 1]!;
      else a = far[at - 1]!;
    }
    const pad = (b - a || Math.abs(a) || 1) * 0.05;
    [d0, d1] = [a - pad, b + pad * (cut && goal === 'min' ? 2 : 1)];
    if (cut && goal === 'max') d0 -= pad;
  }
  const t = (v: number) => (log ? (Math.log(v) - Math.log(d0)) / (Math.log(d1) - Math.log(d0)) : (v - d0) / (d1 - d0));
  return { log, domain: [d0, d1], cut, px: (v) => (flip ? length * (1 - t(v)) : length * t(v)) };
}

/** Notes joined into lines of at most `width` characters, for subtitles. */
function wrapNotes(notes: readonly string[], width = 100): string[] {
  const lines: string[] = [];
  for (const n of notes) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + 2 + n.length <= width) lines[last] += `; ${n}`;
    else lines.push(n);
  }
  return lines;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Pareto scatter of two metrics (see the module comment). */
export function paretoScatterSpec(rows: readonly SweepRow[], options: ScatterOptions): VegaLiteSpec {
  const { x, y } = options;
  const ok = rows.filter((r) => r.status === 'ok' && r.metrics && costs(r.metrics, [x, y]) !== undefined);
  const pair = new Set(paretoFront(ok.map((r) => costs(r.metrics!, [x, y])!)).map((i) => ok[i]!.key));
  const all = options.objectives ?? [x, y];
  const okAll = ok.filter((r) => costs(r.metrics!, all) !== undefined);
  const full = new Set(paretoFront(okAll.map((r) => costs(r.metrics!, all)!)).map((i) => okAll[i]!.key));
  const xLabel = options.labels?.[x.metric] ?? x.metric;
  const yLabel = options.labels?.[y.metric] ?? y.metric;
  const CLASS_PAIR = `front of ${xLabel} and ${yLabel}`;
  const CLASS_FULL = `front of all ${all.length} objectives`;
  const BEYOND = 'beyond the axis (at its edge)';
  const classes = all.length > 2 ? [CLASS_PAIR, CLASS_FULL, 'dominated'] : [CLASS_PAIR, 'dominated'];
  const colorBy = options.colorBy === undefined ? keyDimension(ok, [x.metric, y.metric]) : (options.colorBy ?? undefined);

  // Designs with equal results share one marker, labelled with their count.
  const spots = new Map<string, SweepRow[]>();
  for (const r of ok) {
    const k = `${r.metrics![x.metric]}|${r.metrics![y.metric]}`;
    spots.set(k, [...(spots.get(k) ?? []), r]);
  }
  const groups = [...spots.values()].map((members) => {
    const cls = members.some((r) => pair.has(r.key)) ? CLASS_PAIR : members.some((r) => full.has(r.key)) ? CLASS_FULL : 'dominated';
    const colors = new Set(members.map((r) => formatValue(r.point[colorBy ?? ''])));
    return { members, cls, x: members[0]!.metrics![x.metric]!, y: members[0]!.metrics![y.metric]!, color: colorBy === undefined ? cls : colors.size === 1 ? [...colors][0]! : 'several' };
  });
  const onFront = groups.filter((g) => g.cls === CLASS_PAIR);
  const ax = axisLayout(groups.map((g) => g.x), onFront.map((g) => g.x), x.goal, SCATTER_W, false);
  const ay = axisLayout(groups.map((g) => g.y), onFront.map((g) => g.y), y.goal, SCATTER_H, true);
  const clampTo = (v: number, a: AxisLayout) => Math.min(Math.max(v, a.domain[0]), a.domain[1]);

  // Labels: the front's designs by row number (and count), then counts of other shared spots, each put
  // beside its marker where it overlaps no marker and no other label, or left out (front.csv lists all).
  const taken: Box[] = groups.map((g) => {
    const [px, py] = [ax.px(clampTo(g.x, ax)), ay.px(clampTo(g.y, ay))];
    return { x0: px - 5, y0: py - 5, x1: px + 5, y1: py + 5 };
  });
  const candidates: [number, number, 'left' | 'right' | 'center'][] = [[7, -7, 'left'], [7, 7, 'left'], [-7, -7, 'right'], [-7, 7, 'right'], [0, -12, 'center'], [0, 12, 'center'], [9, 0, 'left'], [-9, 0, 'right']];
  const labels: { x: number; y: number; text: string; align: string; front: boolean }[] = [];
  let unlabelled = 0;
  const ordered = [...groups].sort((a, b) => Number(b.cls === CLASS_PAIR) - Number(a.cls === CLASS_PAIR) || a.x - b.x);
  for (const g of ordered) {
    const count = g.members.length > 1 ? `×${g.members.length}` : '';
    const text = g.cls === CLASS_PAIR ? `#${Math.min(...g.members.map((r) => r.index))}${count ? ' ' + count : ''}` : count;
    if (text === '') continue;
    const [px, py] = [ax.px(clampTo(g.x, ax)), ay.px(clampTo(g.y, ay))];
    const w = text.length * CHAR_W;
    const place = candidates
      .map(([dx, dy, align]) => {
        const x0 = align === 'left' ? px + dx : align === 'right' ? px + dx - w : px - w / 2;
        return { box: { x0, y0: py + dy - LABEL_H / 2, x1: x0 + w, y1: py + dy + LABEL_H / 2 }, dx, dy, align };
      })
      .find((c) => c.box.x0 >= 0 && c.box.x1 <= SCATTER_W && c.box.y0 >= 0 && c.box.y1 <= SCATTER_H && !taken.some((t) => overlaps(t, c.box)));
    if (place === undefined) {
      if (g.cls === CLASS_PAIR) unlabelled++;
      continue;
    }
    taken.push(place.box);
    // Back from pixels to data coordinates, so the label needs no offset channel.
    const inv = (p: number, a: AxisLayout, len: number, flip: boolean) => {
      const t = flip ? 1 - p / len : p / len;
      return a.log ? Math.exp(Math.log(a.domain[0]) + t * (Math.log(a.domain[1]) - Math.log(a.domain[0]))) : a.domain[0] + t * (a.domain[1] - a.domain[0]);
    };
    const anchorX = place.align === 'left' ? place.box.x0 : place.align === 'right' ? place.box.x1 : (place.box.x0 + place.box.x1) / 2;
    labels.push({ x: inv(anchorX, ax, SCATTER_W, false), y: inv(py + place.dy, ay, SCATTER_H, true), text, align: place.align, front: g.cls === CLASS_PAIR });
  }

  const beyond = groups.filter((g) => g.x !== clampTo(g.x, ax) || g.y !== clampTo(g.y, ay));
  const values = groups
    .map((g) => ({ x: clampTo(g.x, ax), y: clampTo(g.y, ay), cls: g.cls, color: g.color, shape: beyond.includes(g) ? BEYOND : g.cls }))
    .sort((a, b) => classes.indexOf(b.cls) - classes.indexOf(a.cls));
  const frontLine = onFront.map((g) => ({ x: g.x, y: g.y })).sort((a, b) => a.x - b.x || a.y - b.y);
  const frontDesigns = onFront.reduce((s, g) => s + g.members.length, 0);
  // Large counts read better as 120k, 1.2M; small ones keep vega's plain format (SI prefixes on µJ would say "350m").
  const axisOf = (a: AxisLayout, vs: number[]) => (Math.max(...vs.map(Math.abs)) >= 1e4 ? { format: '~s' } : {});
  const scaleOf = (a: AxisLayout) => (a.log ? { type: 'log' as const, domain: a.domain, nice: false } : { type: 'linear' as const, domain: a.domain, nice: false, zero: false });
  const xEnc = { field: 'x', type: 'quantitative' as const, title: metricTitle(x.metric, options, x.goal), scale: scaleOf(ax), axis: axisOf(ax, groups.map((g) => g.x)) };
  const yEnc = { field: 'y', type: 'quantitative' as const, title: metricTitle(y.metric, options, y.goal), scale: scaleOf(ay), axis: axisOf(ay, groups.map((g) => g.y)) };
  const pick = <T,>(three: [T, T, T]) => (all.length > 2 ? three : [three[0], three[2]]);
  const shapeDomain = [...classes, ...(beyond.length > 0 ? [BEYOND] : [])];
  const shapeRange = [...pick(['diamond', 'square', 'circle']), ...(beyond.length > 0 ? ['triangle-up'] : [])];
  const colorDomain = [...new Set(values.map((v) => v.color))].sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
  const isFront = `datum.cls === ${JSON.stringify(CLASS_PAIR)}`;
  const notes = [
    `dashed step line: the Pareto front of ${xLabel} and ${yLabel}`,
    '#n: design number (index in front.csv)',
    '×n: designs with equal results',
    ...(colorBy ? [`colour: ${colorBy}`] : []),
    ...(ax.log || ay.log ? [`log scale on ${[ax.log ? xLabel : '', ay.log ? yLabel : ''].filter(Boolean).join(' and ')}`] : []),
    ...(beyond.length > 0 ? [`${beyond.reduce((s, g) => s + g.members.length, 0)} designs beyond the axes, drawn at their edge`] : []),
    ...(unlabelled > 0 ? [`${unlabelled} front labels left out where they would overlap`] : []),
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: options.title ?? `${yLabel} vs ${xLabel}: ${ok.length} designs${spots.size < ok.length ? ` at ${spots.size} distinct points` : ''}, ${frontDesigns} on the front`,
      subtitle: wrapNotes(notes),
    },
    width: SCATTER_W,
    height: SCATTER_H,
    config: PLOT_CONFIG,
    layer: [
      {
        data: { values: frontLine },
        mark: { type: 'line', interpolate: y.goal === 'min' ? 'step-after' : 'step-before', color: '#444', strokeWidth: 1.2, strokeDash: [4, 3], clip: true },
        encoding: { x: xEnc, y: yEnc },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, strokeWidth: 1 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          // Without a dimension to colour by, colour repeats the shape's classes (one legend for both).
          color:
            colorBy === undefined
              ? { field: 'shape', type: 'nominal', title: null, scale: { domain: shapeDomain, range: [...pick(['#d95f02', '#1b6ca8', '#b0b0b0']), '#888'] } }
              : { field: 'color', type: 'nominal', title: colorBy, scale: { domain: colorDomain, scheme: 'tableau10' } },
          shape: { field: 'shape', type: 'nominal', title: colorBy === undefined ? null : 'design', scale: { domain: shapeDomain, range: shapeRange }, legend: { labelLimit: 320 } },
          size: { condition: { test: isFront, value: 120 }, value: 45 },
          opacity: { condition: { test: `datum.cls === 'dominated'`, value: 0.6 }, value: 1 },
          stroke: { condition: { test: `datum.cls !== 'dominated'`, value: '#222' }, value: null },
        },
      },
      ...(['left', 'right', 'center'] as const).map((align) => ({
        data: { values: labels.filter((l) => l.align === align) },
        mark: { type: 'text' as const, align, baseline: 'middle' as const, fontSize: 10 },
        encoding: {
          x: { field: 'x', type: 'quantitative' as const },
          y: { field: 'y', type: 'quantitative' as const },
          text: { field: 'text' },
          color: { condition: { test: 'datum.front', value: '#111' }, value: '#777' },
        },
      })),
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
  const dims = [...varyingDims(shown)];
  const parts: string[] = [];
  for (const r of shown) for (const [part, v] of Object.entries(r.breakdowns![options.breakdown]!)) if (v !== 0 && !parts.includes(part)) parts.push(part);
  const zero = new Set(shown.flatMap((r) => Object.keys(r.breakdowns![options.breakdown]!)).filter((p) => !parts.includes(p)));
  const values = shown.flatMap((r, i) =>
    Object.entries(r.breakdowns![options.breakdown]!)
      .filter(([part]) => parts.includes(part))
      .map(([part, value]) => ({ design: [`#${r.index}`, ...dims.map((d) => formatValue(r.point[d]))].join(' · '), order: i, part, partOrder: parts.indexOf(part), value })),
  );
  const notes = [
    `rows: design number${dims.length > 0 ? `, ${dims.map((d) => d.split('.').pop()).join(', ')}` : ''}`,
    shown.length < withIt.length ? `the first ${shown.length} of ${withIt.length} designs` : '',
    zero.size > 0 ? `not shown, zero for every design: ${[...zero].join(', ')}` : '',
  ].filter(Boolean);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: options.title ?? `${options.breakdown} breakdown`, subtitle: wrapNotes(notes, 90) },
    width: 460,
    height: { step: 18 },
    config: PLOT_CONFIG,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'design', type: 'nominal', title: null, sort: { field: 'order', op: 'min' }, axis: { labelLimit: 420 } },
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
