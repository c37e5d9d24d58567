/**
 * Worker thread of {@link evaluateQuantised}: computes a quantised network's logits for a slice of images.
 * Only plain data crosses the thread boundary (the network, precisions and integer weights as arrays).
 *
 * @module
 */
import type { LayerPrecision } from '../kernels/precision.js';
import type { NetworkSpecInput } from '../kernels/network.js';
import { quantisedLogits, type QuantisedNetwork } from './quantise.js';

/** One slice of images to run. */
export interface LogitsTask {
  readonly network: NetworkSpecInput;
  readonly precisions: readonly [string, LayerPrecision][];
  readonly params: readonly [string, { weights: number[]; bias: number[] }][];
  readonly inputScale: number;
  readonly outputScale: Float64Array;
  readonly count: number;
  readonly images: Float64Array;
}

/** The quantised network as a task's plain data. */
export function taskNetwork(q: QuantisedNetwork): Omit<LogitsTask, 'count' | 'images'> {
  return {
    network: q.network,
    precisions: [...q.precisions],
    params: [...q.params].map(([k, p]) => [k, { weights: Array.from(p.weights), bias: Array.from(p.bias) }]),
    inputScale: q.inputScale,
    outputScale: q.outputScale,
  };
}

/** Runs one slice: the logits, count x classes. */
export default function logitsOfSlice(t: LogitsTask): Float64Array {
  const q: QuantisedNetwork = { network: t.network, precisions: new Map(t.precisions), params: new Map(t.params), inputScale: t.inputScale, outputScale: t.outputScale, layers: [] };
  return quantisedLogits(q, { count: t.count, data: t.images });
}
