/**
 * Precisions of a layer and per-input-channel precision maps.
 *
 * A layer computes in one of four precisions:
 * - `fp32`: IEEE binary32 activations and weights (`vfma.f32`);
 * - `int8`: unsigned 8-bit activations, signed 8-bit weights (`vdotus`, x86 vpdpbusd);
 * - `binary`: activations and weights in {-1, +1}, one bit each (`vxdot`, XNOR-popcount);
 * - `mixed`: a width per input channel among the widths of the core's mixed unit (default {1, 2, 4}),
 *   applying to that channel's activations (unsigned) and weights (signed; 1-bit = -1/+1), computed with
 *   `vmdot`. Uniform 4- or 2-bit layers are `mixed` with every channel at one width.
 *
 * One width per channel serves weights and activations alike, as in SySMOL: `vmdot` decodes both operands
 * under one precision pattern (docs/isa.md explains why the ISA has no two-pattern form).
 *
 * A precision map comes from a JSON file ({@link PrecisionMapSchema}), from the seeded generator
 * {@link randomWidths}, or from a quantiser later; {@link resolvePrecision} checks it against a layer and a
 * core and reports every problem with its location.
 *
 * @module
 */
import { z } from 'zod';
import { ConfigError, parseConfig, type ConfigProblem } from '../config/validate.js';
import { Rng } from './rng.js';

/** The precision of one layer, resolved: for `mixed`, one width per input channel in the original order. */
export type LayerPrecision =
  | { readonly kind: 'fp32' }
  | { readonly kind: 'int8' }
  | { readonly kind: 'binary' }
  | { readonly kind: 'mixed'; readonly widths: readonly number[] };

/** Schema of one layer's entry in a precision-map file. */
export const LayerPrecisionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fp32') }).strict(),
  z.object({ kind: z.literal('int8') }).strict(),
  z.object({ kind: z.literal('binary') }).strict(),
  z.object({ kind: z.literal('uniform'), bits: z.number().int().min(1).max(8) }).strict(),
  z.object({ kind: z.literal('mixed'), widths: z.array(z.number().int().min(1).max(8)).min(1) }).strict(),
  z
    .object({
      kind: z.literal('random'),
      fractions: z
        .record(z.string().regex(/^[1248]$/, 'must be a width: 1, 2, 4 or 8'), z.number().min(0).max(1))
        .superRefine((f, ctx) => {
          const problem = fractionsProblem(f);
          if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
        }),
      seed: z.number().int().default(1),
    })
    .strict(),
]);

/** One layer's entry as written in a file. */
export type LayerPrecisionInput = z.input<typeof LayerPrecisionSchema>;

/**
 * Schema of a precision-map file: a default for layers not listed, and an entry per layer name. Example:
 * `{ "default": { "kind": "uniform", "bits": 4 }, "layers": { "conv1": { "kind": "int8" },
 *    "layer1.0.conv1": { "kind": "mixed", "widths": [4, 2, 1, ...] } } }`.
 */
export const PrecisionMapSchema = z
  .object({
    default: LayerPrecisionSchema.optional(),
    layers: z.record(z.string(), LayerPrecisionSchema).default({}),
  })
  .strict();

/** A precision-map file, validated (entries not yet checked against layers). */
export type PrecisionMap = z.output<typeof PrecisionMapSchema>;

/** Parses a precision-map file's JSON value, with every problem located (`precisions.layers.conv1.widths`). */
export function parsePrecisionMap(input: unknown, root = 'precisions'): PrecisionMap {
  return parseConfig(PrecisionMapSchema, input, root);
}

/** What a precision must satisfy on a core. */
export interface PrecisionRules {
  /** Widths the mixed unit supports (isa.mixedWidths). */
  readonly mixedWidths: readonly number[];
  /** Most distinct widths in one layer (default 3, as in SySMOL). */
  readonly maxLevels?: number;
}

/**
 * Turns a file entry into a {@link LayerPrecision} for a layer with `channels` input channels, checking the
 * widths against the core; throws a ConfigError listing every problem under `root`.
 */
export function resolvePrecision(entry: LayerPrecisionInput, channels: number, rules: PrecisionRules, root = 'precision'): LayerPrecision {
  const e = parseConfig(LayerPrecisionSchema, entry, root);
  let p: LayerPrecision;
  switch (e.kind) {
    case 'fp32':
    case 'int8':
    case 'binary':
      return { kind: e.kind };
    case 'uniform':
      p = { kind: 'mixed', widths: new Array<number>(channels).fill(e.bits) };
      break;
    case 'mixed':
      p = { kind: 'mixed', widths: e.widths };
      break;
    case 'random': {
      const fr: Record<number, number> = {};
      for (const [k, v] of Object.entries(e.fractions)) fr[Number(k)] = v;
      p = { kind: 'mixed', widths: randomWidths(channels, fr, e.seed) };
      break;
    }
    default: {
      const never: never = e;
      throw new Error(`unknown precision ${JSON.stringify(never)}`);
    }
  }
  const problems = precisionProblems(p, channels, rules, root);
  if (problems.length > 0) throw new ConfigError(root, problems);
  return p;
}

/** Every problem of a precision for a layer with `channels` input channels on a core (empty when valid). */
export function precisionProblems(p: LayerPrecision, channels: number, rules: PrecisionRules, root = 'precision'): ConfigProblem[] {
  if (p.kind !== 'mixed') return [];
  const out: ConfigProblem[] = [];
  if (p.widths.length !== channels) out.push({ path: `${root}.widths`, message: `has ${p.widths.length} entries, the layer has ${channels} input channels` });
  p.widths.forEach((w, i) => {
    if (!rules.mixedWidths.includes(w)) out.push({ path: `${root}.widths[${i}]`, message: `${w} is not a width the mixed unit supports (${rules.mixedWidths.join('/')})` });
  });
  const levels = new Set(p.widths).size;
  const max = rules.maxLevels ?? 3;
  if (levels > max) out.push({ path: `${root}.widths`, message: `uses ${levels} distinct widths, at most ${max} are allowed per layer` });
  return out;
}

/** How far the shares of a precision mix may sum from 1 (rounding in a hand-written mix, e.g. thirds). */
export const FRACTION_SUM_TOLERANCE = 1e-6;

/**
 * The problem with a mix of per-width shares, or undefined when it is one: every share a number in [0, 1],
 * some share positive, and the shares summing to 1 within {@link FRACTION_SUM_TOLERANCE}.
 */
export function fractionsProblem(fractions: Readonly<Record<number | string, number>>): string | undefined {
  const entries = Object.entries(fractions);
  const text = entries.map(([w, f]) => `${w}=${f}`).join(', ');
  for (const [w, f] of entries) {
    if (typeof f !== 'number' || !Number.isFinite(f) || f < 0 || f > 1) return `the share of width ${w} must be a number in [0, 1], got ${String(f)}`;
  }
  const sum = entries.reduce((s, [, f]) => s + f, 0);
  if (!(sum > 0)) return `no width has a positive share (${text || 'none given'})`;
  if (Math.abs(sum - 1) > FRACTION_SUM_TOLERANCE) {
    return `the shares must sum to 1 (within ${FRACTION_SUM_TOLERANCE.toExponential(0)}), they sum to ${Number(sum.toPrecision(12))}: ${text}`;
  }
  return undefined;
}

/**
 * A seeded per-channel width map: `fractions` gives the share of channels at each width (they must sum to 1,
 * see {@link fractionsProblem}); counts are rounded by largest remainder so they sum to `channels` exactly, then shuffled with `seed`.
 * Example: `randomWidths(64, { 4: 0.25, 2: 0.25, 1: 0.5 }, 7)` has 16 four-bit, 16 two-bit and 32 one-bit
 * channels in a seed-dependent order.
 */
export function randomWidths(channels: number, fractions: Readonly<Record<number, number>>, seed: number): number[] {
  const problem = fractionsProblem(fractions);
  if (problem !== undefined) throw new Error(`precision mix: ${problem}`);
  const entries = Object.entries(fractions)
    .map(([w, f]) => [Number(w), f] as const)
    .filter(([, f]) => f > 0)
    .sort((a, b) => b[0] - a[0]);
  const total = entries.reduce((s, [, f]) => s + f, 0);
  const exact = entries.map(([w, f]) => [w, (f / total) * channels] as const);
  const counts = exact.map(([w, x]) => [w, Math.floor(x), x - Math.floor(x)] as [number, number, number]);
  let left = channels - counts.reduce((s, c) => s + c[1], 0);
  for (const c of [...counts].sort((a, b) => b[2] - a[2] || b[0] - a[0])) {
    if (left === 0) break;
    c[1]++;
    left--;
  }
  const widths = counts.flatMap(([w, n]) => new Array<number>(n).fill(w));
  const rng = new Rng(seed);
  for (let i = widths.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [widths[i], widths[j]] = [widths[j]!, widths[i]!];
  }
  return widths;
}

/** A uniform mixed precision: every one of `channels` channels at `bits` bits. */
export function uniformPrecision(bits: number, channels: number): LayerPrecision {
  return { kind: 'mixed', widths: new Array<number>(channels).fill(bits) };
}

/** Short human label of a precision, e.g. `mixed{4:16,2:16,1:32}`, `int8`. */
export function precisionLabel(p: LayerPrecision): string {
  if (p.kind !== 'mixed') return p.kind;
  const counts = new Map<number, number>();
  for (const w of p.widths) counts.set(w, (counts.get(w) ?? 0) + 1);
  const parts = [...counts.entries()].sort((a, b) => b[0] - a[0]);
  if (parts.length === 1) return `uint${parts[0]![0]}`;
  return `mixed{${parts.map(([w, n]) => `${w}:${n}`).join(',')}}`;
}

/** Bits per weight of channel `c` under a precision (fp32 32, int8 8, binary 1). */
export function weightBits(p: LayerPrecision, c: number): number {
  switch (p.kind) {
    case 'fp32':
      return 32;
    case 'int8':
      return 8;
    case 'binary':
      return 1;
    case 'mixed':
      return p.widths[c]!;
  }
}
