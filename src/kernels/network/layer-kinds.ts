/**
 * The registry of network layer kinds: one {@link LayerKind} entry per kind a network JSON may use. Adding
 * a kind is one entry here (schema, shape inference, generator, reference) plus its generator if it needs a
 * new one; the network code finds everything else through {@link layerKind}.
 *
 * Convolution-like kinds (`conv`, `depthwise`, `fc`, and `avgpool` on fp32) lower to a layer spec of
 * `spec.ts` and share the convolution generator through {@link convLayer}; glue kinds (`maxpool`, integer
 * `avgpool`, `add`) keep their input's layout and use the generators of `glue.ts`.
 *
 * @module
 */
import { z } from 'zod';
import { makeProgram } from '../../isa/program.js';
import { executionCounts } from '../builder.js';
import type { OutputSpec } from '../conv.js';
import { generate, randomConvData } from '../generate.js';
import type { GlueCode } from '../glue.js';
import { generateAdd, generateAvgPool, generateMaxPool } from '../glue.js';
import { weightBits } from '../precision.js';
import { referenceAdd, referenceAvgPool, referenceConv, referenceMaxPool, referenceRequant } from '../reference.js';
import { convShapeOf, poolShapeOf, type AddSpec, type AvgPoolSpec, type Conv2dSpec, type ConvShape, type DepthwiseSpec, type FcSpec, type MaxPoolSpec } from '../spec.js';
import { defineLayerKind, type LayerBuild, type LayerContext, type LayerKind, type LayerProgram, type TensorShape } from './layer-kind.js';

const pos = z.number().int().min(1);
const pair = (min: number) => z.union([z.number().int().min(min), z.tuple([z.number().int().min(min), z.number().int().min(min)])]);
const shift = z.number().int().min(0).max(31).optional();
const common = { name: z.string().min(1), input: z.string().optional().meta({ description: 'Name of the layer whose output this layer reads, or "input"; default: the previous layer.' }) };
const two = (v: number | readonly [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

/** A convolution-like layer spec. */
type ConvLike = Conv2dSpec | FcSpec | DepthwiseSpec | AvgPoolSpec;

const convOut = (s: ConvLike): TensorShape => {
  const c = convShapeOf(s);
  return { channels: c.outC, height: c.outH, width: c.outW };
};

/**
 * The data of a convolution-like layer in a network, for its generator and its reference alike: seeded
 * synthetic weights (or the averaging weights of an fp32 average pooling), the requantisation shift (the
 * layer's, else chosen from the fan-in), and what is done with the results.
 */
function convParams(c: LayerContext<ConvLike>, avg: boolean): { shape: ConvShape; data: { weights: ArrayLike<number>; bias: ArrayLike<number> }; shift: number; output: OutputSpec } {
  const s = c.layer.spec;
  const p = c.inPrecisions[0]!;
  const shape = convShapeOf(s);
  const data = avg
    ? { weights: new Array<number>(shape.outC * shape.kH * shape.kW).fill(Math.fround(1 / (shape.kH * shape.kW))), bias: new Array<number>(shape.outC).fill(0) }
    : randomConvData(shape, p, c.seed * 7919 + c.index);
  const fan = shape.kH * shape.kW * (shape.inC / shape.groups);
  const sh = s.shift ?? (avg ? 0 : Math.min(31, Math.round(0.5 * Math.log2(fan)) + 3));
  const output: OutputSpec = c.last
    ? c.fp32Net
      ? { kind: 'fp32' }
      : { kind: 'int32' }
    : p.kind === 'fp32'
      ? { kind: 'fp32', relu: true }
      : { kind: 'requant', precision: c.outPrecision!, shift: sh };
  return { shape, data, shift: sh, output };
}

/**
 * Generates a convolution-like layer with the convolution generator; model bytes count real weights at their
 * widths. `avg`: an average pooling (weights 1/(kH kW), no model bytes).
 */
export function convLayer(b: LayerBuild<ConvLike>, avg = false): LayerProgram {
  const s = b.layer.spec;
  const p = b.inPrecisions[0]!;
  const { shape, data, output } = convParams(b, avg);
  const out = b.output;
  const k = generate(s, p, data, { ...b.options, output, inputPlace: b.inputs[0]!, outputAddr: out?.addr ?? b.base, outputPadding: out ? [out.padH, out.padW] : [0, 0], base: b.base }, { ...b.isa, memoryBytes: 2 ** 31 });
  const weighted = !avg;
  const Cg = shape.inC / shape.groups;
  const nParams = weighted ? shape.outC * shape.kH * shape.kW * Cg : 0;
  let bits = 0;
  for (let i = 0; i < nParams; i++) bits += weightBits(p, (i % Cg) + Math.floor(Math.floor(i / (shape.kH * shape.kW * Cg)) / (shape.outC / shape.groups)) * Cg);
  return {
    program: k.program,
    counts: k.execCounts,
    loops: k.loops,
    precision: p,
    usefulMacs: k.plan.usefulMacs,
    weightStreamBytes: k.plan.weightBytes,
    modelBytes: weighted ? bits / 8 + 4 * shape.outC : 0,
    fp32ModelBytes: 4 * (nParams + (weighted ? shape.outC : 0)),
    memoryEnd: k.memoryEnd,
    readOutput: k.readOutput,
  };
}

/** The reference of a convolution-like layer: exact sums, then ReLU (fp32) or requantisation (integers). */
function convReference(c: LayerContext<ConvLike>, inputs: readonly (readonly number[])[], avg = false): number[] {
  const p = c.inPrecisions[0]!;
  const { shape, data, shift, output } = convParams(c, avg);
  const raw = referenceConv(shape, p.kind, inputs[0]!, data.weights, data.bias);
  if (output.kind === 'requant') return referenceRequant(raw, shape.outC, shift, output.precision);
  return Array.from(raw, (v) => (output.kind === 'fp32' && output.relu ? Math.max(v, 0) : v));
}

/** A glue program: the layer keeps its input's layout and writes into the arena. */
function glueLayer(b: LayerBuild, gen: (out: NonNullable<LayerBuild['output']>) => GlueCode): LayerProgram {
  if (!b.output) throw new Error(`the last layer '${b.layer.name}' must be a convolution or fully connected layer`);
  const code = gen(b.output);
  return { program: makeProgram(code.instrs), counts: executionCounts(code.instrs.length, code.loops), loops: code.loops, precision: b.inPrecisions[0]!, usefulMacs: 0, weightStreamBytes: 0, modelBytes: 0, fp32ModelBytes: 0 };
}

/** Pad value of an activation tensor: the code 0 (-1 for binary activations). */
const padValue = (c: LayerContext) => (c.inPrecisions[0]!.kind === 'binary' ? -1 : 0);

const conv = defineLayerKind({
  schema: z.object({ ...common, kind: z.literal('conv'), out: pos, kernel: pair(1), stride: pair(1).default(1), padding: pair(0).default(0), dilation: pair(1).default(1), groups: pos.default(1), shift }).strict(),
  weights: true,
  shape(l, [x], batch) {
    const spec: Conv2dSpec = { name: l.name, batch, kind: 'conv2d', inChannels: x!.channels, outChannels: l.out, inHeight: x!.height, inWidth: x!.width, kernel: l.kernel, stride: l.stride, padding: l.padding, dilation: l.dilation, groups: l.groups, shift: l.shift };
    return { spec, out: convOut(spec) };
  },
  grouped: (s) => s.groups > 1,
  padding: (s) => two(s.padding),
  generate: (b) => convLayer(b),
  reference: (c, x) => convReference(c, x),
});

const depthwise = defineLayerKind({
  schema: z.object({ ...common, kind: z.literal('depthwise'), kernel: pair(1), stride: pair(1).default(1), padding: pair(0).default(0), shift }).strict(),
  weights: true,
  shape(l, [x], batch) {
    const spec: DepthwiseSpec = { name: l.name, batch, kind: 'depthwise', channels: x!.channels, inHeight: x!.height, inWidth: x!.width, kernel: l.kernel, stride: l.stride, padding: l.padding, dilation: 1, shift: l.shift };
    return { spec, out: convOut(spec) };
  },
  grouped: () => true,
  padding: (s) => two(s.padding),
  generate: (b) => convLayer(b),
  reference: (c, x) => convReference(c, x),
});

const fc = defineLayerKind({
  schema: z.object({ ...common, kind: z.literal('fc'), out: pos, shift }).strict(),
  weights: true,
  shape(l, [x], batch) {
    // A fully connected layer over an HxW map reads it flattened (HWC order): a convolution with an HxW kernel.
    const spec: FcSpec | Conv2dSpec =
      x!.height === 1 && x!.width === 1
        ? { name: l.name, batch, kind: 'fc', inFeatures: x!.channels, outFeatures: l.out, shift: l.shift }
        : { name: l.name, batch, kind: 'conv2d', inChannels: x!.channels, outChannels: l.out, inHeight: x!.height, inWidth: x!.width, kernel: [x!.height, x!.width], stride: 1, padding: 0, dilation: 1, groups: 1, shift: l.shift };
    return { spec, out: convOut(spec) };
  },
  generate: (b) => convLayer(b),
  reference: (c, x) => convReference(c, x),
});

const maxpool = defineLayerKind({
  schema: z.object({ ...common, kind: z.literal('maxpool'), kernel: pair(1), stride: pair(1).default(1), padding: pair(0).default(0) }).strict(),
  shape(l, [x], batch) {
    const spec: MaxPoolSpec = { name: l.name, batch, kind: 'maxpool', channels: x!.channels, inHeight: x!.height, inWidth: x!.width, kernel: l.kernel, stride: l.stride, padding: l.padding };
    const s = poolShapeOf(spec);
    return { spec, out: { channels: s.outC, height: s.outH, width: s.outW } };
  },
  padding: (s) => two(s.padding),
  generate: (b) => glueLayer(b, (out) => generateMaxPool(poolShapeOf(b.layer.spec), b.inputs[0]!, out, b.isa)),
  reference: (c, [x]) => referenceMaxPool(poolShapeOf(c.layer.spec), x!, padValue(c)),
});

const avgpool = defineLayerKind({
  schema: z.object({ ...common, kind: z.literal('avgpool'), kernel: pair(1).optional().meta({ description: 'Default: the whole input (global average pooling).' }), stride: pair(1).default(1), shift }).strict(),
  noBinary: true,
  shape(l, [x], batch) {
    const spec: AvgPoolSpec = { name: l.name, batch, kind: 'avgpool', channels: x!.channels, inHeight: x!.height, inWidth: x!.width, kernel: l.kernel ?? [x!.height, x!.width], stride: l.stride, shift: l.shift };
    return { spec, out: convOut(spec) };
  },
  // fp32: a depthwise product with weights 1/(kH kW); integers: window sums requantised by the shift (2^shift divides).
  generate(b) {
    if (b.inPrecisions[0]!.kind === 'fp32') return convLayer(b, true);
    const shape = convShapeOf(b.layer.spec);
    return glueLayer(b, (out) => generateAvgPool(shape, b.inputs[0]!, out, avgShift(b.layer.spec, shape), b.isa));
  },
  reference(c, inputs) {
    if (c.inPrecisions[0]!.kind === 'fp32') return convReference(c, inputs, true);
    const shape = convShapeOf(c.layer.spec);
    return referenceAvgPool(shape, inputs[0]!, avgShift(c.layer.spec, shape), c.inPrecisions[0]!);
  },
});

/** The requantisation shift of an integer average pooling: the layer's, else log2 of the window. */
const avgShift = (s: AvgPoolSpec, shape: ConvShape) => s.shift ?? Math.round(Math.log2(shape.kH * shape.kW));

const add = defineLayerKind({
  schema: z.object({ name: z.string().min(1), kind: z.literal('add'), inputs: z.tuple([z.string(), z.string()]) }).strict(),
  noBinary: true,
  inputs: (l) => [...l.inputs],
  shape(l, [x, y], batch, where) {
    if (x!.channels !== y!.channels || x!.height !== y!.height || x!.width !== y!.width) throw new Error(`${where}: adds ${x!.channels}x${x!.height}x${x!.width} to ${y!.channels}x${y!.height}x${y!.width}`);
    const spec: AddSpec = { name: l.name, batch, kind: 'add', channels: x!.channels, height: x!.height, width: x!.width };
    return { spec, out: { channels: spec.channels, height: spec.height, width: spec.width } };
  },
  generate: (b) => glueLayer(b, (out) => generateAdd({ batch: b.layer.spec.batch, outH: b.layer.out.height, outW: b.layer.out.width }, b.inputs[0]!, b.inputs[1]!, out, b.isa)),
  reference: (c, [x, y]) => referenceAdd(x!, y!, c.layer.out.channels, c.inPrecisions[0]!),
});

/** Every layer kind a network may use, by the `kind` written in its JSON. */
export const LAYER_KINDS = { conv, depthwise, fc, maxpool, avgpool, add } as const;

/** The names of the layer kinds. */
export type LayerKindName = keyof typeof LAYER_KINDS;

/** The registry entry of a layer kind (the kind as written in network JSON). */
export function layerKind(kind: string): LayerKind {
  const k = Object.hasOwn(LAYER_KINDS, kind) ? (LAYER_KINDS as unknown as Record<string, LayerKind>)[kind] : undefined;
  if (!k) throw new Error(`unknown layer kind '${kind}' (one of ${Object.keys(LAYER_KINDS).join(', ')})`);
  return k;
}
