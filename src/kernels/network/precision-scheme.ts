/**
 * Precision assignment: which precision each tensor of a network gets under a scheme. Tensors joined by glue
 * layers (which keep their input's layout) form one layout class and share one precision; the registry says
 * which kinds have weights, which cannot be binary and which cannot read 1-bit channels.
 *
 * @module
 */
import type { IsaConfig } from '../../isa/config.js';
import { randomWidths, type LayerPrecision } from '../precision.js';
import type { ShapedLayer } from './layer-kind.js';
import { layerKind } from './layer-kinds.js';

/** Whether a layer multiplies by weights (its precision is chosen; glue layers inherit theirs). */
export function isCompute(l: ShapedLayer): boolean {
  return layerKind(l.layer.kind).weights === true;
}

/**
 * How to pick every layer's precision:
 * - `fp32`, `int8`: every layer;
 * - `binary`: every layer binary except the first (int8, it reads the image) and layers reading a tensor
 *   that a residual add or an average pooling also reads (int8: there is no binary add or sum; like Bi-Real
 *   Net's real-valued shortcuts);
 * - `{ mixed: fractions, seed }`: a seeded per-channel map per tensor with the given share of each width
 *   (the first layer int8, as is usual for quantised networks; grouped layers without the 1-bit level);
 * - `{ uniform: bits }`: every channel at `bits` (the first layer int8).
 */
export type PrecisionScheme = 'fp32' | 'int8' | 'binary' | { readonly uniform: number } | { readonly mixed: Readonly<Record<number, number>>; readonly seed?: number };

/** Union-find over tensor names: tensors that must share one layout (glue inputs and outputs). */
function tensorClasses(layers: readonly ShapedLayer[]): (t: string) => string {
  const parent = new Map<string, string>();
  const find = (t: string): string => {
    const p = parent.get(t) ?? t;
    if (p === t) return t;
    const r = find(p);
    parent.set(t, r);
    return r;
  };
  for (const l of layers)
    if (!isCompute(l)) {
      for (const i of l.inputs) parent.set(find(i), find(l.name));
    }
  return find;
}

/**
 * The input precision of every compute layer under a scheme, one map per tensor layout class so that layers
 * reading one tensor agree. Returns name -> precision.
 */
export function schemePrecisions(layers: readonly ShapedLayer[], scheme: PrecisionScheme, isa: IsaConfig): Map<string, LayerPrecision> {
  const find = tensorClasses(layers);
  const kind = (l: ShapedLayer) => layerKind(l.layer.kind);
  const noBinary = new Set(layers.filter((l) => kind(l).noBinary).map((l) => find(l.name)));
  const grouped = new Set(layers.filter((l) => kind(l).grouped?.(l.spec)).map((l) => find(l.inputs[0]!)));
  const out = new Map<string, LayerPrecision>();
  const byClass = new Map<string, LayerPrecision>();
  let k = 0;
  for (const l of layers) {
    if (!isCompute(l)) continue;
    const cls = find(l.inputs[0]!);
    const C = l.inShapes[0]!.channels;
    let p: LayerPrecision;
    if (scheme === 'fp32' || scheme === 'int8') p = { kind: scheme };
    else if (l.inputs[0] === 'input') p = { kind: 'int8' };
    else if (scheme === 'binary') p = noBinary.has(cls) || grouped.has(cls) ? { kind: 'int8' } : { kind: 'binary' };
    else if (byClass.has(cls)) p = byClass.get(cls)!;
    else if ('uniform' in scheme) p = { kind: 'mixed', widths: new Array<number>(C).fill(scheme.uniform) };
    else {
      let fr = { ...scheme.mixed };
      if (grouped.has(cls) && fr[1]) {
        fr = { ...fr, 2: (fr[2] ?? 0) + fr[1] };
        delete fr[1];
      }
      for (const w of Object.keys(fr)) if (!isa.mixedWidths.includes(Number(w) as 1)) throw new Error(`scheme width ${w} is not supported by the mixed unit (isa.mixedWidths)`);
      p = { kind: 'mixed', widths: randomWidths(C, fr, (scheme.seed ?? 1) * 1000 + k++) };
    }
    byClass.set(cls, p);
    out.set(l.name, p);
  }
  return out;
}

/**
 * The precision of every tensor, from each compute layer's input precision (given for its layout class);
 * throws when a compute layer has none or layers reading one layout class disagree. `fp32` says whether
 * every tensor is fp32.
 */
function tensorPrecisions(layers: readonly ShapedLayer[], prec: ReadonlyMap<string, LayerPrecision>): { of(t: string): LayerPrecision | undefined; readonly fp32: boolean } {
  const find = tensorClasses(layers);
  const tprec = new Map<string, LayerPrecision>();
  for (const l of layers) {
    if (!isCompute(l)) continue;
    const p = prec.get(l.name);
    if (!p) throw new Error(`no precision for layer '${l.name}'`);
    const cls = find(l.inputs[0]!);
    const q = tprec.get(cls);
    if (q && JSON.stringify(q) !== JSON.stringify(p)) throw new Error(`layers reading one tensor layout disagree on its precision (layer '${l.name}'): give them the same map`);
    tprec.set(cls, p);
  }
  return { of: (t) => tprec.get(find(t)), fp32: [...tprec.values()].every((p) => p.kind === 'fp32') };
}

/**
 * The precisions of a network's tensors, from a map by compute layer (each layer's input precision) or a
 * scheme: `of(t)` for tensor `t`, and whether the whole network is fp32.
 */
export function networkPrecisions(layers: readonly ShapedLayer[], precisions: PrecisionScheme | ReadonlyMap<string, LayerPrecision>, isa: IsaConfig): { of(t: string): LayerPrecision | undefined; readonly fp32: boolean } {
  const prec = precisions instanceof Map ? (precisions as ReadonlyMap<string, LayerPrecision>) : schemePrecisions(layers, precisions as PrecisionScheme, isa);
  return tensorPrecisions(layers, prec);
}
