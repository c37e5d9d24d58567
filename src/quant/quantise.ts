/**
 * Post-training quantisation of a network with real weights onto the simulated core's arithmetic, given
 * every compute layer's input precision (fp32 excepted: see {@link quantise}). No retraining.
 *
 * The core's arithmetic fixes the method. An activation tensor holds unsigned codes b (w bits per channel,
 * 0..2^w-1; binary tensors -1/+1 meaning b = 0/1), with value alpha[c] * b. A compute layer sums integer
 * weights q times codes into int32, adds an int32 bias, and `vrequant` divides by 2^shift (one shift per
 * layer, round half up) and clamps into the next tensor's widths. So, with beta[o] the weight step of output
 * channel o:
 *   real weight folded with the input scale  V[o][k][c] = W[o][k][c] * alpha_in[c]
 *   integer weight  q = clamp(round(V / beta[o])) in channel c's signed range (1 bit: sign, -1/+1)
 *   output scale    alpha_out[o] = m * beta[o] * 2^shift   (m = 1/2 when the input is binary: sum q a = 2 sum q b - sum q)
 * Calibration (float runs of the network on calibration images) gives each tensor channel's MSE-optimal
 * activation step for its width (a search over steps on the channel's samples) and each output channel's
 * MSE-optimal weight step (weighted by the calibration codes' second moments). One power of two per layer
 * cannot match both steps for every channel, so the shift is the median of the ideal ones, and where a
 * channel's two steps disagree the coarser one gives way: never clip weights (beta = max(beta_opt,
 * alpha_opt / (m 2^shift))), and activations take the step that follows (alpha = m beta 2^shift).
 * The last layer is not requantised: its int32 results times m * beta[o] are the logits.
 *
 * @module
 */
import { isCompute, parseNetwork, type NetworkSpecInput, type ShapedLayer } from '../kernels/network.js';
import type { LayerPrecision } from '../kernels/precision.js';
import { convShapeOf } from '../kernels/spec.js';
import type { LoweredModel } from '../onnx/lower.js';
import { floatNetwork, integerNetwork, layerSpecOf, tensorPrecisions, type IntegerParams } from './network-reference.js';

/** Calibration or evaluation images: `count` images, NHWC float values as the model reads them. */
export interface ImageBatch {
  readonly count: number;
  readonly data: ArrayLike<number>;
}

/** A network quantised for the core, ready to simulate or to evaluate with {@link integerNetwork}. */
export interface QuantisedNetwork {
  /** The network spec with every compute and average-pooling layer's shift. */
  readonly network: NetworkSpecInput;
  /** Input precision of every compute layer. */
  readonly precisions: ReadonlyMap<string, LayerPrecision>;
  /** Integer weights ([out][kH][kW][in/groups]) and int32 biases by compute layer. */
  readonly params: ReadonlyMap<string, IntegerParams>;
  /** The input codes are round(x / inputScale), clamped to 0..255 (int8) or the first layer's widths. */
  readonly inputScale: number;
  /** Logit o = outputScale[o] * int32 result o (the last layer's m * beta). */
  readonly outputScale: Float64Array;
  /** Per compute layer: the requantisation shift, and the error proxy (output MSE relative to the output's mean square). */
  readonly layers: readonly { readonly name: string; readonly shift: number | undefined; readonly relativeError: number }[];
}

/** Widths of a tensor's channels under a precision (int8 8, binary 1). */
export function channelWidths(p: LayerPrecision, channels: number): number[] {
  switch (p.kind) {
    case 'int8':
      return new Array<number>(channels).fill(8);
    case 'binary':
      return new Array<number>(channels).fill(1);
    case 'mixed':
      return [...p.widths];
    case 'fp32':
      throw new Error('fp32 tensors have no integer widths');
  }
}

/** Signed integer range of a weight at width w: 1 bit is -1/+1. */
function weightRange(w: number): [number, number] {
  return w === 1 ? [-1, 1] : [-(2 ** (w - 1)), 2 ** (w - 1) - 1];
}

/** Quantises a real weight to width w at step beta (1 bit: the sign, 0 to +1). */
export function quantiseWeight(v: number, beta: number, w: number): number {
  if (w === 1) return v < 0 ? -1 : 1;
  const [lo, hi] = weightRange(w);
  return Math.min(hi, Math.max(lo, Math.round(v / beta)));
}

/** Per-channel samples of a tensor (NHWC, channel fastest), at most `max` per channel, evenly strided. */
export function channelSamples(values: ArrayLike<number>, channels: number, max = 4096): Float64Array[] {
  const pixels = values.length / channels;
  const step = Math.max(1, Math.floor(pixels / max));
  return Array.from({ length: channels }, (_, c) => {
    const out: number[] = [];
    for (let p = 0; p < pixels; p += step) out.push(values[p * channels + c]!);
    return Float64Array.from(out);
  });
}

/** Mean squared error of quantising samples to unsigned codes 0..2^w-1 at step alpha. */
export function activationError(samples: Float64Array, alpha: number, w: number): number {
  const top = 2 ** w - 1;
  let e = 0;
  for (const x of samples) {
    const q = Math.min(top, Math.max(0, Math.round(x / alpha)));
    e += (x - alpha * q) ** 2;
  }
  return e / Math.max(1, samples.length);
}

/**
 * The MSE-optimal activation step of a channel's samples at width w: a search over steps from max/(2^w-1)
 * down to 1/64 of it (16 per octave). A channel that is always 0 gets step 1 (any step is exact).
 */
export function optimalActivationStep(samples: Float64Array, w: number): { alpha: number; error: number } {
  let max = 0;
  for (const x of samples) max = Math.max(max, x);
  if (!(max > 0)) return { alpha: 1, error: 0 };
  const top = 2 ** w - 1;
  let best = { alpha: max / top, error: activationError(samples, max / top, w) };
  for (let t = 1; t <= 96; t++) {
    const alpha = (max / top) * 2 ** (-t / 16);
    const error = activationError(samples, alpha, w);
    if (error < best.error) best = { alpha, error };
  }
  return best;
}

function meanSquare(s: Float64Array): number {
  let e = 0;
  for (const x of s) e += x * x;
  return e / Math.max(1, s.length);
}

/** Float runs of the network on calibration images: every tensor's per-channel samples, and each layer's output mean square. */
export interface CalibrationStats {
  readonly samples: ReadonlyMap<string, Float64Array[]>;
  readonly outputMeanSquare: ReadonlyMap<string, number>;
  readonly inputMax: number;
}

/** Runs the float network on the calibration images and collects the statistics the quantiser needs. */
export function calibrate(model: LoweredModel, calibration: ImageBatch): CalibrationStats {
  const samples = new Map<string, Float64Array[]>();
  const outputMeanSquare = new Map<string, number>();
  const C0 = (model.network.input as { channels: number }).channels;
  samples.set('input', channelSamples(calibration.data, C0));
  let inputMax = 0;
  for (let i = 0; i < calibration.data.length; i++) inputMax = Math.max(inputMax, calibration.data[i]!);
  floatNetwork({ ...model.network, batch: calibration.count }, model.params, model.clampMax, calibration.data, calibration.count, (l, out) => {
    samples.set(l.name, channelSamples(out, l.out.channels));
    let s = 0;
    for (const v of out) s += v * v;
    outputMeanSquare.set(l.name, s / out.length);
  });
  return { samples, outputMeanSquare, inputMax };
}

/** Per-input-channel facts of a compute layer used by the quantiser and the precision assignment. */
export interface LayerFacts {
  readonly layer: ShapedLayer;
  /** Reduction taps per input channel of one output (kH * kW), input channels per group, outputs. */
  readonly taps: number;
  readonly inPerGroup: number;
  readonly outChannels: number;
  readonly groups: number;
}

export function layerFacts(l: ShapedLayer): LayerFacts {
  const s = convShapeOf(layerSpecOf(l) as Parameters<typeof convShapeOf>[0]);
  return { layer: l, taps: s.kH * s.kW, inPerGroup: s.inC / s.groups, outChannels: s.outC, groups: s.groups };
}

/** Input channel (in the tensor) of weight index i of a layer ([out][kH][kW][in/groups]). */
export function weightChannel(f: LayerFacts, i: number): number {
  const per = f.taps * f.inPerGroup;
  const o = Math.floor(i / per);
  return Math.floor(o / (f.outChannels / f.groups)) * f.inPerGroup + (i % f.inPerGroup);
}

/**
 * The MSE-optimal weight step of one output channel: `v` its folded weights, `widths` and `second` each
 * weight's width and its input code's second moment E[b^2]. Searched over 8 steps per octave from the
 * largest |v| down to 1/2^12 of it.
 */
export function optimalWeightStep(v: ArrayLike<number>, widths: ArrayLike<number>, second: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i]!));
  if (!(max > 0)) return 1;
  let best = { beta: max, err: Infinity };
  for (let t = 0; t <= 96; t++) {
    const beta = max * 2 ** (-t / 8);
    let err = 0;
    for (let i = 0; i < v.length; i++) err += (v[i]! - beta * quantiseWeight(v[i]!, beta, widths[i]!)) ** 2 * second[i]!;
    if (err < best.err) best = { beta, err };
  }
  return best.beta;
}

/**
 * Quantises a lowered model for the given input precisions (one per compute layer; the first layer reads the
 * image and must be int8). Scales, steps and shifts come from the calibration statistics; see the module
 * comment for the method. fp32 networks are not quantised: simulate them as they are.
 */
export function quantise(model: LoweredModel, precisions: ReadonlyMap<string, LayerPrecision>, stats: CalibrationStats): QuantisedNetwork {
  const { layers } = parseNetwork(model.network);
  const tp = tensorPrecisions(layers, precisions);
  const last = layers[layers.length - 1]!;
  const alphas = new Map<string, Float64Array>();
  const inP = tp('input');
  if (inP.kind !== 'int8') throw new Error(`the first layer reads the image and must be int8, not ${inP.kind}`);
  const inputScale = stats.inputMax > 0 ? stats.inputMax / 255 : 1;
  alphas.set('input', new Float64Array((model.network.input as { channels: number }).channels).fill(inputScale));
  const params = new Map<string, IntegerParams>();
  const specLayers = model.network.layers.map((l) => ({ ...l }));
  const report: { name: string; shift: number | undefined; relativeError: number }[] = [];
  let outputScale = new Float64Array(0);
  for (const [li, l] of layers.entries()) {
    const spec = specLayers[li]!;
    const alphaIn = alphas.get(l.inputs[0]!)!;
    if (!isCompute(l)) {
      // Glue keeps the codes' meaning: max pooling and adds leave the scale, average pooling divides the
      // window sum by 2^shift (shift = ceil(log2(window)), so a full window never saturates).
      if (l.spec.kind === 'avgpool') {
        const s = convShapeOf(layerSpecOf(l) as Parameters<typeof convShapeOf>[0]);
        const k = s.kH * s.kW;
        const shift = Math.ceil(Math.log2(k));
        (spec as { shift?: number }).shift = shift;
        alphas.set(l.name, alphaIn.map((a) => (a * 2 ** shift) / k));
      } else if (l.spec.kind === 'add') {
        const b = alphas.get(l.inputs[1]!)!;
        if (alphaIn.some((a, c) => Math.abs(a - b[c]!) > 1e-12 * a)) throw new Error(`layer '${l.name}': the two tensors added have different scales; residual adds are not quantised yet`);
        alphas.set(l.name, alphaIn);
      } else alphas.set(l.name, alphaIn);
      continue;
    }
    const f = layerFacts(l);
    const prec = precisions.get(l.name)!;
    const W = model.params.get(l.name)!;
    const wIn = channelWidths(prec, alphaIn.length);
    const m = prec.kind === 'binary' ? 0.5 : 1;
    const inSamples = stats.samples.get(l.inputs[0]!)!;
    const second = Float64Array.from(inSamples, (s, c) => meanSquare(s) / alphaIn[c]! ** 2);
    const n = W.weights.length;
    const per = n / f.outChannels;
    const V = new Float64Array(n);
    const widthOf = new Float64Array(n);
    const secondOf = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const c = weightChannel(f, i);
      V[i] = W.weights[i]! * alphaIn[c]!;
      widthOf[i] = wIn[c]!;
      secondOf[i] = second[c]!;
    }
    const betaOpt = Float64Array.from({ length: f.outChannels }, (_, o) => optimalWeightStep(V.subarray(o * per, (o + 1) * per), widthOf.subarray(o * per, (o + 1) * per), secondOf.subarray(o * per, (o + 1) * per)));
    let beta = betaOpt;
    let shift: number | undefined;
    if (l !== last) {
      const outP = tp(l.name);
      const wOut = channelWidths(outP, f.outChannels);
      const outSamples = stats.samples.get(l.name)!;
      const alphaOpt = Float64Array.from({ length: f.outChannels }, (_, o) => optimalActivationStep(outSamples[o]!, wOut[o]!).alpha);
      const logs = Array.from(alphaOpt, (a, o) => Math.log2(a / (m * betaOpt[o]!))).sort((a, b) => a - b);
      const median = logs[Math.floor(logs.length / 2)]!;
      shift = Math.min(31, Math.max(0, Math.round(median)));
      beta = betaOpt.map((b, o) => Math.max(b, alphaOpt[o]! / (m * 2 ** shift!)));
      alphas.set(l.name, beta.map((b) => m * b * 2 ** shift!));
      (spec as { shift?: number }).shift = shift;
    } else outputScale = beta.map((b) => m * b);
    const q = new Array<number>(n);
    let werr = 0;
    for (let i = 0; i < n; i++) {
      const o = Math.floor(i / per);
      q[i] = quantiseWeight(V[i]!, beta[o]!, widthOf[i]!);
      werr += (V[i]! - beta[o]! * q[i]!) ** 2 * secondOf[i]!;
    }
    const bias = Array.from({ length: f.outChannels }, (_, o) => {
      let b = Math.round(W.bias[o]! / (m * beta[o]!));
      // Binary inputs: sum q a = 2 sum q b - sum q, so the sum of the weights is added back.
      if (prec.kind === 'binary') for (let i = o * per; i < (o + 1) * per; i++) b += q[i]!;
      if (b < -(2 ** 31) || b >= 2 ** 31) throw new Error(`layer '${l.name}': bias of output ${o} does not fit int32 at this scale`);
      return b;
    });
    params.set(l.name, { weights: q, bias });
    report.push({ name: l.name, shift, relativeError: werr / f.outChannels / Math.max(1e-30, stats.outputMeanSquare.get(l.name) ?? 1) });
  }
  return { network: { ...model.network, layers: specLayers as NetworkSpecInput['layers'] }, precisions, params, inputScale, outputScale, layers: report };
}

/** Input codes of images for a quantised network: round(x / inputScale), clamped to 0..255. */
export function inputCodes(q: QuantisedNetwork, images: ImageBatch): Uint8Array {
  return Uint8Array.from(images.data as ArrayLike<number>, (x) => Math.min(255, Math.max(0, Math.round(x / q.inputScale))));
}

/** The quantised network's logits for a batch of images (integer reference: what the core computes). */
export function quantisedLogits(q: QuantisedNetwork, images: ImageBatch): Float64Array {
  const acc = integerNetwork({ ...q.network, batch: images.count }, q.params, q.precisions, inputCodes(q, images), images.count);
  const k = q.outputScale.length;
  return acc.map((v, i) => v * q.outputScale[i % k]!);
}
