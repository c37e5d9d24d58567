/**
 * Layer specifications: what a layer computes, independent of precision, dataflow and core. Each kind has a
 * zod schema (unknown keys rejected, every problem reported with its path) and all convolution-like kinds
 * (fully connected, 2-D convolution, depthwise convolution, average pooling) normalise to one
 * {@link ConvShape}, which the reference and the generators work on.
 *
 * Tensors are NHWC: `batch x height x width x channels`, channels fastest. Padding is symmetric and pads
 * with the activation code 0 (value 0 for unsigned activations, -1 for binary ones; see docs/kernels.md).
 *
 * @module
 */
import { z } from 'zod';
import { parseConfig } from '../config/validate.js';

const pos = z.number().int().min(1);
const nonneg = z.number().int().min(0);
/** A size given once for both dimensions or as `[height, width]`. */
const pair = (min: number) => z.union([z.number().int().min(min), z.tuple([z.number().int().min(min), z.number().int().min(min)])]);

/** Requantisation shift of a layer's int32 results to the next layer's activations (see {@link requantValue}). */
const shift = z.number().int().min(0).max(31).optional().meta({ description: 'Right shift (with round half up) applied to int32 results before they are clamped to the next layer\'s activation width; default: chosen from the fan-in (see docs/kernels.md).' });

// Fields shared by the layer kinds, declared once.
const common = { name: z.string().optional(), batch: pos.default(1) };
const window = { inHeight: pos, inWidth: pos, kernel: pair(1), stride: pair(1).default(1) };
const padding = { padding: pair(0).default(0) };
const dilation = { dilation: pair(1).default(1) };

/** Schema of a 2-D convolution. */
export const Conv2dSpecSchema = z
  .object({
    kind: z.literal('conv2d'),
    ...common,
    inChannels: pos,
    outChannels: pos,
    ...window,
    ...padding,
    ...dilation,
    groups: pos.default(1),
    shift,
  })
  .strict();

/** Schema of a fully connected layer: matrix-vector (`batch` 1) or matrix-matrix (`batch` > 1). */
export const FcSpecSchema = z
  .object({ kind: z.literal('fc'), ...common, inFeatures: pos, outFeatures: pos, shift })
  .strict();

/** Schema of a depthwise convolution (one filter per channel). */
export const DepthwiseSpecSchema = z
  .object({
    kind: z.literal('depthwise'),
    ...common,
    channels: pos,
    ...window,
    ...padding,
    ...dilation,
    shift,
  })
  .strict();

/** Schema of max pooling (on activations, in their packed layout). */
export const MaxPoolSpecSchema = z
  .object({
    kind: z.literal('maxpool'),
    ...common,
    channels: pos,
    ...window,
    ...padding,
  })
  .strict();

/**
 * Schema of average pooling. It is computed as a sum over the window (a depthwise convolution with weights 1)
 * followed by the requantisation shift, so the divisor is a power of two chosen by `shift`.
 */
export const AvgPoolSpecSchema = z
  .object({
    kind: z.literal('avgpool'),
    ...common,
    channels: pos,
    ...window,
    shift,
  })
  .strict();

/** Schema of a residual add of two activation tensors of one layout (saturating at the element width). */
export const AddSpecSchema = z
  .object({ kind: z.literal('add'), ...common, channels: pos, height: pos, width: pos })
  .strict();

/** Schema of any layer. */
export const LayerSpecSchema = z.discriminatedUnion('kind', [Conv2dSpecSchema, FcSpecSchema, DepthwiseSpecSchema, MaxPoolSpecSchema, AvgPoolSpecSchema, AddSpecSchema]);

/** A 2-D convolution, validated. */
export type Conv2dSpec = z.output<typeof Conv2dSpecSchema>;
/** A fully connected layer, validated. */
export type FcSpec = z.output<typeof FcSpecSchema>;
/** A depthwise convolution, validated. */
export type DepthwiseSpec = z.output<typeof DepthwiseSpecSchema>;
/** Max pooling, validated. */
export type MaxPoolSpec = z.output<typeof MaxPoolSpecSchema>;
/** Average pooling, validated. */
export type AvgPoolSpec = z.output<typeof AvgPoolSpecSchema>;
/** A residual add, validated. */
export type AddSpec = z.output<typeof AddSpecSchema>;
/** Any validated layer. */
export type LayerSpec = z.output<typeof LayerSpecSchema>;
/** What a user may write for a layer (defaults not yet applied). */
export type LayerSpecInput = z.input<typeof LayerSpecSchema>;

/** Validates a layer, throwing a ConfigError that lists every problem with its path. */
export function parseLayer(input: unknown, root = 'layer'): LayerSpec {
  const layer = parseConfig(LayerSpecSchema, input, root);
  // Shape problems zod cannot see; reported with the same path style.
  const problems = layerShapeProblems(layer);
  if (problems.length > 0) throw new Error(`invalid ${root}:\n` + problems.map((p) => `  ${root}.${p}`).join('\n'));
  return layer;
}

/**
 * A convolution-like layer in one normalised form: NHWC input `batch x inH x inW x inC`, `outC` filters of
 * `kH x kW x (inC / groups)`, output `batch x outH x outW x outC`.
 */
export interface ConvShape {
  readonly batch: number;
  readonly inC: number;
  readonly inH: number;
  readonly inW: number;
  readonly outC: number;
  readonly kH: number;
  readonly kW: number;
  readonly sH: number;
  readonly sW: number;
  readonly pH: number;
  readonly pW: number;
  readonly dH: number;
  readonly dW: number;
  readonly groups: number;
  readonly outH: number;
  readonly outW: number;
}

function two(v: number | readonly [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/** The output size of a convolution along one dimension. */
export function convOutSize(inSize: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((inSize + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/** The normalised shape of a convolution-like layer (conv2d, fc, depthwise, avgpool). */
export function convShapeOf(layer: Conv2dSpec | FcSpec | DepthwiseSpec | AvgPoolSpec): ConvShape {
  switch (layer.kind) {
    case 'fc':
      return mk(layer.batch, layer.inFeatures, 1, 1, layer.outFeatures, [1, 1], [1, 1], [0, 0], [1, 1], 1);
    case 'conv2d':
      return mk(layer.batch, layer.inChannels, layer.inHeight, layer.inWidth, layer.outChannels, two(layer.kernel), two(layer.stride), two(layer.padding), two(layer.dilation), layer.groups);
    case 'depthwise':
      return mk(layer.batch, layer.channels, layer.inHeight, layer.inWidth, layer.channels, two(layer.kernel), two(layer.stride), two(layer.padding), two(layer.dilation), layer.channels);
    case 'avgpool':
      return mk(layer.batch, layer.channels, layer.inHeight, layer.inWidth, layer.channels, two(layer.kernel), two(layer.stride), [0, 0], [1, 1], layer.channels);
    default: {
      const never: never = layer;
      throw new Error(`not a convolution-like layer: ${JSON.stringify(never)}`);
    }
  }
}

function mk(batch: number, inC: number, inH: number, inW: number, outC: number, k: [number, number], s: [number, number], p: [number, number], d: [number, number], groups: number): ConvShape {
  return Object.freeze({
    batch,
    inC,
    inH,
    inW,
    outC,
    kH: k[0],
    kW: k[1],
    sH: s[0],
    sW: s[1],
    pH: p[0],
    pW: p[1],
    dH: d[0],
    dW: d[1],
    groups,
    outH: convOutSize(inH, k[0], s[0], p[0], d[0]),
    outW: convOutSize(inW, k[1], s[1], p[1], d[1]),
  });
}

/** Problems with a layer's shape that the schema cannot express (empty when there are none). */
export function layerShapeProblems(layer: LayerSpec): string[] {
  const out: string[] = [];
  if (layer.kind === 'conv2d') {
    if (layer.inChannels % layer.groups !== 0) out.push(`groups: ${layer.groups} does not divide inChannels ${layer.inChannels}`);
    if (layer.outChannels % layer.groups !== 0) out.push(`groups: ${layer.groups} does not divide outChannels ${layer.outChannels}`);
  }
  if (layer.kind === 'conv2d' || layer.kind === 'depthwise' || layer.kind === 'avgpool') {
    const s = convShapeOf(layer);
    if (s.outH < 1 || s.outW < 1) out.push(`kernel: the ${s.kH}x${s.kW} window (dilation ${s.dH}x${s.dW}) does not fit the padded ${s.inH}x${s.inW} input`);
  }
  if (layer.kind === 'maxpool') {
    const [kh, kw] = two(layer.kernel);
    const [sh, sw] = two(layer.stride);
    const [ph, pw] = two(layer.padding);
    if (convOutSize(layer.inHeight, kh, sh, ph, 1) < 1 || convOutSize(layer.inWidth, kw, sw, pw, 1) < 1) out.push('kernel: the window does not fit the padded input');
    if (ph >= kh || pw >= kw) out.push('padding: must be smaller than the kernel');
  }
  return out;
}

/** Output geometry of a max-pooling layer as a ConvShape (groups = channels, weights unused). */
export function poolShapeOf(layer: MaxPoolSpec): ConvShape {
  return mk(layer.batch, layer.channels, layer.inHeight, layer.inWidth, layer.channels, two(layer.kernel), two(layer.stride), two(layer.padding), [1, 1], layer.channels);
}

/**
 * Requantisation of an int32 result `x` to an unsigned `bits`-bit activation code: add 2^(shift-1) (round half
 * up; nothing when shift is 0), shift right arithmetically, clamp to 0 .. 2^bits - 1. The clamp at 0 is the
 * fused ReLU. This is exactly what `vrequant.u<bits>` does per lane.
 */
export function requantValue(x: number, shift: number, bits: number): number {
  const y = Math.floor((x + (shift > 0 ? 2 ** (shift - 1) : 0)) / 2 ** shift);
  const hi = 2 ** bits - 1;
  return y < 0 ? 0 : y > hi ? hi : y;
}
