/**
 * The reference network: a whole network computed plainly, layer by layer, on NHWC values in the original
 * channel order, through each layer kind's `reference` (no layouts, no generated code). With the same
 * precisions and seed, {@link simulateNetwork}'s full-mode output must equal it: exactly for integer
 * precisions, and up to rounding for fp32 (the reference sums in float64).
 *
 * @module
 */
import { resolveIsaConfig, type IsaConfigInput } from '../../isa/config.js';
import { randomActivations } from '../generate.js';
import type { LayerPrecision } from '../precision.js';
import { layerKind } from './layer-kinds.js';
import { networkPrecisions, type PrecisionScheme } from './precision-scheme.js';
import type { NetworkSpec, NetworkSpecInput } from './schema.js';
import { parseNetwork } from './shapes.js';

/**
 * The last layer's raw results (int32, or fp32 computed in float64), NHWC in the original channel order, for
 * the synthetic input and weights `simulateNetwork` uses with the same `seed` (default 1).
 */
export function referenceNetwork(network: NetworkSpecInput | NetworkSpec, precisions: PrecisionScheme | ReadonlyMap<string, LayerPrecision>, isaInput: IsaConfigInput = {}, options: { readonly seed?: number } = {}): number[] {
  const { spec, layers } = parseNetwork(network);
  const prec = networkPrecisions(layers, precisions, resolveIsaConfig(isaInput));
  const seed = options.seed ?? 1;
  const last = layers[layers.length - 1]!;
  const values = new Map<string, number[]>([['input', randomActivations(spec.batch * spec.input.height * spec.input.width, spec.input.channels, prec.of('input')!, seed)]]);
  layers.forEach((l, index) => {
    const outPrecision = prec.of(l.name);
    const c = { layer: l, index, seed, inPrecisions: l.inputs.map((t) => prec.of(t)!), ...(outPrecision ? { outPrecision } : {}), last: l === last, fp32Net: prec.fp32 };
    values.set(l.name, layerKind(l.layer.kind).reference(c, l.inputs.map((t) => values.get(t)!)));
  });
  return values.get(last.name)!;
}
