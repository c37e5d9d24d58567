/**
 * Weight and bias packing: the weight stream in the order the code reads it (`[tile][tap][unit]`, one
 * VLEN-bit register per unit, packed by the reduction form) and the bias vector in the output layout's
 * position order.
 *
 * @module
 */
import type { ActivationLayout } from '../layout.js';
import type { ConvShape } from '../spec.js';
import type { ReductionForm } from './forms.js';
import { outputChannelAt, type TilePlan } from './tiles.js';
import type { ConvData } from './types.js';

/** The packed weight stream. */
export interface WeightStream {
  readonly image: Uint8Array;
  /** Byte offset of each tile's weights in the stream. */
  readonly tileOffset: readonly number[];
  /** Bytes of each tile's weights. */
  readonly tileBytes: readonly number[];
}

/** Packs the weights of every tile, tap and unit. */
export function packWeights(tp: TilePlan, form: ReductionForm, shape: ConvShape, data: ConvData, inL: ActivationLayout, outL: ActivationLayout, vlenBits: number): WeightStream {
  const VB = vlenBits / 8;
  const L = tp.L;
  const Cg = shape.inC / shape.groups;
  const Og = shape.outC / shape.groups;
  const tileBytes = tp.tiles.map((t) => tp.taps.length * t.units.length * VB);
  const tileOffset: number[] = [];
  let total = 0;
  for (const tb of tileBytes) {
    tileOffset.push(total);
    total += tb;
  }
  const image = new Uint8Array(total);
  const ctx = {
    image,
    view: new DataView(image.buffer),
    inL,
    vlenBits,
    stepPos: tp.stepPos,
    weight(oc: number, c: number, [ky, kx]: readonly [number, number]): number {
      const g = Math.floor(oc / Og);
      if (Math.floor(c / Cg) !== g) return 0;
      return data.weights[((oc * shape.kH + ky) * shape.kW + kx) * Cg + (c - g * Cg)]!;
    },
  };
  tp.tiles.forEach((t, ti) => {
    tp.taps.forEach((kyx, tap) => {
      t.units.forEach((u, ui) => {
        const b = t.blocks[u.b]!;
        const ocs = form.laneReducing ? [outputChannelAt(outL, b * L + u.lane)] : Array.from({ length: L }, (_, l) => outputChannelAt(outL, b * L + l));
        form.packUnit(ctx, { at: tileOffset[ti]! + (tap * t.units.length + ui) * VB, ocs, step: u.step, tap: kyx });
      });
    });
  });
  return { image, tileOffset, tileBytes };
}

/** The bias vector, one int32 (fp32) per output position; the form's offset added to integer biases. */
export function packBias(tp: TilePlan, form: ReductionForm, data: ConvData, inL: ActivationLayout, outL: ActivationLayout): Uint8Array {
  const image = new Uint8Array(outL.positions * 4);
  const view = new DataView(image.buffer);
  const offset = form.biasOffset(tp.taps.length * tp.stepPos.flat().filter((q) => inL.order[q]! < 0).length);
  for (let pos = 0; pos < outL.positions; pos++) {
    const oc = outputChannelAt(outL, pos);
    if (oc < 0) continue;
    if (form.float) view.setFloat32(4 * pos, data.bias[oc]!, true);
    else view.setInt32(4 * pos, (data.bias[oc]! + offset) | 0, true);
  }
  return image;
}
