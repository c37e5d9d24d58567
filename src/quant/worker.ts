/**
 * Worker thread of the accuracy runs (evaluate.ts): a quantised network's logits for a slice of images, on
 * the simulated core (`engine: 'core'`, {@link SimulatedNetwork}) or with the integer reference. Only plain
 * data crosses the thread boundary (the network, precisions and integer weights as arrays).
 *
 * @module
 */
import type { LayerPrecision } from '../kernels/precision.js';
import type { NetworkSpecInput } from '../kernels/network.js';
import type { IsaConfigInput } from '../isa/config.js';
import { inputCodes, quantisedLogits, type QuantisedNetwork } from './quantise.js';
import { SimulatedNetwork } from './simulate-network.js';

/** One slice of images to run. */
export interface LogitsTask {
  readonly network: NetworkSpecInput;
  readonly precisions: readonly [string, LayerPrecision][];
  readonly params: readonly [string, { weights: number[]; bias: number[] }][];
  readonly inputScale: number;
  readonly outputScale: Float64Array;
  readonly count: number;
  readonly images: Float64Array;
  /** `core`: the simulated core (bit-exact); `reference`: the integer reference (same values, faster). */
  readonly engine: 'core' | 'reference';
  readonly isa: IsaConfigInput;
}

/** The quantised network as a task's plain data. */
export function taskNetwork(q: QuantisedNetwork): Omit<LogitsTask, 'count' | 'images' | 'engine' | 'isa'> {
  return {
    network: q.network,
    precisions: [...q.precisions],
    params: [...q.params].map(([k, p]) => [k, { weights: Array.from(p.weights), bias: Array.from(p.bias) }]),
    inputScale: q.inputScale,
    outputScale: q.outputScale,
  };
}

/** Runs one slice: the logits (count x classes) and the instructions the core executed (0 for the reference). */
export default function logitsOfSlice(t: LogitsTask): { logits: Float64Array; instructions: number } {
  const q: QuantisedNetwork = { network: t.network, precisions: new Map(t.precisions), params: new Map(t.params), inputScale: t.inputScale, outputScale: t.outputScale, layers: [] };
  const images = { count: t.count, data: t.images };
  if (t.engine === 'reference') return { logits: quantisedLogits(q, images), instructions: 0 };
  const sim = new SimulatedNetwork(q, t.isa);
  const acc = sim.run(inputCodes(q, images), t.count);
  const k = q.outputScale.length;
  return { logits: Float64Array.from(acc, (v, i) => v * q.outputScale[i % k]!), instructions: sim.instructions };
}
