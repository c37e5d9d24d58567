/**
 * Where a tensor lives in simulated memory: a base address, its NHWC geometry with the zero border its
 * consumer's padding needs, and its channel layout. Producers write only the interior; the border stays as
 * the memory image placed it (zero bytes), which is the padding value.
 *
 * @module
 */
import type { ActivationLayout } from './layout.js';
import { packPixel, unpackPixel } from './layout.js';

/** A tensor placed in memory. */
export interface TensorPlace {
  readonly addr: number;
  readonly batch: number;
  readonly height: number;
  readonly width: number;
  /** Zero rows above and below. */
  readonly padH: number;
  /** Zero columns left and right. */
  readonly padW: number;
  readonly layout: ActivationLayout;
}

/** Bytes between two rows of a placed tensor. */
export function rowPitch(t: TensorPlace): number {
  return (t.width + 2 * t.padW) * t.layout.pixelBytes;
}

/** Bytes between two images of a placed tensor. */
export function imagePitch(t: TensorPlace): number {
  return (t.height + 2 * t.padH) * rowPitch(t);
}

/** Total bytes of a placed tensor, border included. */
export function placeBytes(t: TensorPlace): number {
  return t.batch * imagePitch(t);
}

/** Address of pixel (n, y, x) of the interior (y, x may reach into the border: -pad .. size+pad-1). */
export function pixelAddr(t: TensorPlace, n: number, y: number, x: number): number {
  return t.addr + n * imagePitch(t) + (y + t.padH) * rowPitch(t) + (x + t.padW) * t.layout.pixelBytes;
}

/** The memory image of a tensor (NHWC values in the original channel order), border zero. */
export function packTensor(t: TensorPlace, values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(placeBytes(t));
  const C = t.layout.channels;
  const px = new Array<number>(C);
  for (let n = 0; n < t.batch; n++)
    for (let y = 0; y < t.height; y++)
      for (let x = 0; x < t.width; x++) {
        const base = ((n * t.height + y) * t.width + x) * C;
        for (let c = 0; c < C; c++) px[c] = values[base + c]!;
        packPixel(t.layout, px, out, pixelAddr(t, n, y, x) - t.addr);
      }
  return out;
}

/** Reads a tensor back from memory bytes (`mem` holds the whole memory) as NHWC values in original order. */
export function unpackTensor(t: TensorPlace, mem: Uint8Array): number[] {
  const C = t.layout.channels;
  const out = new Array<number>(t.batch * t.height * t.width * C);
  for (let n = 0; n < t.batch; n++)
    for (let y = 0; y < t.height; y++)
      for (let x = 0; x < t.width; x++) {
        const px = unpackPixel(t.layout, mem, pixelAddr(t, n, y, x));
        const base = ((n * t.height + y) * t.width + x) * C;
        for (let c = 0; c < C; c++) out[base + c] = px[c]!;
      }
  return out;
}
