/**
 * Plain whole-network references over a network spec with real weights, built from the per-layer references
 * of src/kernels/reference.ts (nested loops, original channel order, NHWC):
 * - {@link floatNetwork}: the float model (float64 arithmetic; ReLU, or the Clip maximum, after every compute
 *   layer but the last; average pooling divides by the window size), which must agree with the ONNX
 *   reference on the imported model;
 * - {@link integerNetwork}: the quantised model exactly as the simulated core computes it (int32 sums
 *   wrapped, `vrequant` rounding and clamping into each tensor's widths, binary activations as -1/+1,
 *   saturating adds), which the chained simulation must match bit for bit.
 *
 * @module
 */
import { isCompute, parseNetwork, type NetworkSpecInput, type ShapedLayer } from '../kernels/network.js';
import type { LayerPrecision } from '../kernels/precision.js';
import { referenceAdd, referenceAvgPool, referenceConv, referenceMaxPool, referenceRequant } from '../kernels/reference.js';
import { convShapeOf, poolShapeOf, type ConvShape, type LayerSpec } from '../kernels/spec.js';

/** A layer's spec of spec.ts: what the built-in kinds' shape inference lowers every layer to. */
export function layerSpecOf(l: ShapedLayer): LayerSpec {
  return l.spec as unknown as LayerSpec;
}

/** A layer's spec with another batch size (the references run any number of images at once). */
function withBatch(spec: LayerSpec, batch: number): LayerSpec {
  return { ...spec, batch } as LayerSpec;
}

function shapeOf(spec: LayerSpec, batch: number): ConvShape {
  const s = withBatch(spec, batch);
  return s.kind === 'maxpool' ? poolShapeOf(s) : convShapeOf(s as Exclude<LayerSpec, { kind: 'maxpool' | 'add' }>);
}

/** Float weights of a compute layer in the generators' order. */
export interface FloatParams {
  readonly weights: ArrayLike<number>;
  readonly bias: ArrayLike<number>;
}

/**
 * Runs the float network on `batch` images (`input` NHWC). `clampMax`: the upper clamp after a layer (Clip),
 * Infinity for ReLU. `tap` sees every layer's output (NHWC) as it is computed, e.g. for calibration.
 * Returns the last layer's output (NHWC).
 */
export function floatNetwork(network: NetworkSpecInput, params: ReadonlyMap<string, FloatParams>, clampMax: ReadonlyMap<string, number>, input: ArrayLike<number>, batch: number, tap?: (layer: ShapedLayer, out: Float64Array) => void): Float64Array {
  const { layers } = parseNetwork(network);
  const env = new Map<string, ArrayLike<number>>([['input', input]]);
  const last = layers[layers.length - 1]!;
  let out: Float64Array = new Float64Array(0);
  for (const l of layers) {
    const x = env.get(l.inputs[0]!)!;
    const s = layerSpecOf(l);
    if (isCompute(l)) {
      const p = params.get(l.name);
      if (!p) throw new Error(`no weights for layer '${l.name}'`);
      out = referenceConv(shapeOf(s, batch), 'fp32', x, p.weights, p.bias);
      if (l !== last) {
        const hi = clampMax.get(l.name) ?? Infinity;
        for (let i = 0; i < out.length; i++) out[i] = Math.min(hi, Math.max(0, out[i]!));
      }
    } else if (s.kind === 'maxpool') out = Float64Array.from(referenceMaxPool(shapeOf(s, batch), x, -Infinity));
    else if (s.kind === 'avgpool') {
      const sh = shapeOf(s, batch);
      const k = sh.kH * sh.kW;
      out = referenceConv(sh, 'fp32', x, new Array<number>(sh.outC * k).fill(1 / k), new Array<number>(sh.outC).fill(0));
    } else {
      const y = env.get(l.inputs[1]!)!;
      out = Float64Array.from({ length: x.length }, (_, i) => x[i]! + y[i]!);
    }
    tap?.(l, out);
    env.set(l.name, out);
  }
  return out;
}

/** Integer weights, int32 biases and the requantisation shift of a compute layer. */
export interface IntegerParams {
  readonly weights: ArrayLike<number>;
  readonly bias: ArrayLike<number>;
}

/**
 * Runs the quantised network on `batch` images of input codes (NHWC, the first layer's input precision),
 * exactly as the simulated core does. `precisions` gives each compute layer's input precision; a tensor
 * read by glue keeps its producer's consumer precision (as simulateNetwork lays tensors out). Shifts come
 * from the spec (`shift` of each compute and average-pooling layer). Returns the last layer's int32 results.
 */
export function integerNetwork(network: NetworkSpecInput, params: ReadonlyMap<string, IntegerParams>, precisions: ReadonlyMap<string, LayerPrecision>, input: ArrayLike<number>, batch: number): Float64Array {
  const { layers } = parseNetwork(network);
  const tensorPrecision = tensorPrecisions(layers, precisions);
  const env = new Map<string, ArrayLike<number>>([['input', input]]);
  const last = layers[layers.length - 1]!;
  let out: Float64Array = new Float64Array(0);
  for (const l of layers) {
    const x = env.get(l.inputs[0]!)!;
    const s = layerSpecOf(l);
    const inP = tensorPrecision(l.inputs[0]!);
    let res: ArrayLike<number>;
    if (isCompute(l)) {
      const p = params.get(l.name);
      if (!p) throw new Error(`no weights for layer '${l.name}'`);
      const prec = precisions.get(l.name)!;
      const sh = shapeOf(s, batch);
      out = referenceConv(sh, prec.kind, x, p.weights, p.bias);
      if (l === last) return out;
      const shift = (s as { shift?: number }).shift;
      if (shift === undefined) throw new Error(`layer '${l.name}' has no shift`);
      res = referenceRequant(out, sh.outC, shift, tensorPrecision(l.name));
    } else if (s.kind === 'maxpool') res = referenceMaxPool(shapeOf(s, batch), x, inP.kind === 'binary' ? -1 : 0);
    else if (s.kind === 'avgpool') {
      if (s.shift === undefined) throw new Error(`layer '${l.name}' has no shift`);
      res = referenceAvgPool(shapeOf(s, batch), x, s.shift, inP);
    } else res = referenceAdd(x, env.get(l.inputs[1]!)!, l.out.channels, inP);
    env.set(l.name, res);
  }
  throw new Error('the network must end with a compute layer');
}

/**
 * The precision of every tensor: a compute layer's input precision applies to the tensor it reads, and
 * glue layers (pooling, add) keep one layout for their inputs and output, as simulateNetwork places them.
 */
export function tensorPrecisions(layers: readonly ShapedLayer[], precisions: ReadonlyMap<string, LayerPrecision>): (tensor: string) => LayerPrecision {
  const parent = new Map<string, string>();
  const find = (t: string): string => {
    const p = parent.get(t) ?? t;
    return p === t ? t : find(p);
  };
  for (const l of layers) if (!isCompute(l)) for (const i of l.inputs) parent.set(find(i), find(l.name));
  const byClass = new Map<string, LayerPrecision>();
  for (const l of layers) if (isCompute(l)) byClass.set(find(l.inputs[0]!), precisions.get(l.name)!);
  return (t) => {
    const p = byClass.get(find(t));
    if (!p) throw new Error(`tensor '${t}' is read by no compute layer, so it has no precision`);
    return p;
  };
}
