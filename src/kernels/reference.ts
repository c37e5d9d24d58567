/**
 * Plain-TypeScript reference implementations of every layer, written directly from the definitions (nested
 * loops over NHWC tensors, original channel order, no layouts, no tiling), which the generated kernels must
 * match bit-exactly (fp32: within the bound of {@link fp32ErrorBound}).
 *
 * Integer convolutions are computed exactly (JavaScript numbers hold the sums exactly) and then wrapped to
 * int32, which is what the simulated wrapping accumulation gives. Padding reads the activation code 0: value 0
 * for unsigned activations and -1 for binary ones.
 *
 * @module
 */
import type { LayerPrecision } from './precision.js';
import { requantValue, type ConvShape } from './spec.js';

/** The int32 (or float64 for fp32) result of a convolution-like layer, NHWC in the original channel order. */
export function referenceConv(shape: ConvShape, precision: LayerPrecision['kind'], input: ArrayLike<number>, weights: ArrayLike<number>, bias: ArrayLike<number>): Float64Array {
  const { batch, inC, inH, inW, outC, kH, kW, sH, sW, pH, pW, dH, dW, groups, outH, outW } = shape;
  const Cg = inC / groups;
  const Og = outC / groups;
  const pad = precision === 'binary' ? -1 : 0;
  const out = new Float64Array(batch * outH * outW * outC);
  for (let n = 0; n < batch; n++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++)
        for (let oc = 0; oc < outC; oc++) {
          const g = Math.floor(oc / Og);
          let acc = bias[oc]!;
          for (let ky = 0; ky < kH; ky++)
            for (let kx = 0; kx < kW; kx++) {
              const iy = oy * sH - pH + ky * dH;
              const ix = ox * sW - pW + kx * dW;
              const inside = iy >= 0 && iy < inH && ix >= 0 && ix < inW;
              for (let ci = 0; ci < Cg; ci++) {
                const c = g * Cg + ci;
                const a = inside ? input[((n * inH + iy) * inW + ix) * inC + c]! : pad;
                acc += a * weights[((oc * kH + ky) * kW + kx) * Cg + ci]!;
              }
            }
          out[((n * outH + oy) * outW + ox) * outC + oc] = precision === 'fp32' ? acc : acc | 0;
        }
  return out;
}

/**
 * Error bound of an fp32 kernel against {@link referenceConv}'s float64 result, per output: the kernel
 * accumulates bias + n products with n fused multiply-adds, each rounding once to binary32, so
 * |kernel - exact| <= gamma_(n+1) * (|bias| + sum |a w|) with gamma_k = k u / (1 - k u), u = 2^-24 (Higham,
 * Accuracy and Stability of Numerical Algorithms, 2nd ed., eq. 3.4 with fma); plus the float64 reference's
 * own error, far smaller, covered by using n + 2.
 */
export function fp32ErrorBound(shape: ConvShape, input: ArrayLike<number>, weights: ArrayLike<number>, bias: ArrayLike<number>): Float64Array {
  const absIn = Float64Array.from(input as ArrayLike<number>, Math.abs);
  const absW = Float64Array.from(weights as ArrayLike<number>, Math.abs);
  const absB = Float64Array.from(bias as ArrayLike<number>, Math.abs);
  const mag = referenceConv(shape, 'fp32', absIn, absW, absB);
  const n = shape.kH * shape.kW * (shape.inC / shape.groups) + 2;
  const u = 2 ** -24;
  const gamma = (n * u) / (1 - n * u);
  return mag.map((m) => gamma * m);
}

/** Requantises int32 results to unsigned `widths[c]`-bit codes (binary: to -1/+1), NHWC, channel fastest. */
export function referenceRequant(x: ArrayLike<number>, channels: number, shift: number, out: LayerPrecision): number[] {
  const res = new Array<number>(x.length);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    switch (out.kind) {
      case 'binary':
        res[i] = requantValue(x[i]!, shift, 1) === 1 ? 1 : -1;
        break;
      case 'int8':
        res[i] = requantValue(x[i]!, shift, 8);
        break;
      case 'mixed':
        res[i] = requantValue(x[i]!, shift, out.widths[c]!);
        break;
      case 'fp32':
        throw new Error('fp32 results are not requantised');
    }
  }
  return res;
}

/** Max pooling of NHWC values; padding reads `padValue` (the activation code 0: 0, or -1 for binary). */
export function referenceMaxPool(shape: ConvShape, input: ArrayLike<number>, padValue = 0): number[] {
  const { batch, inC, inH, inW, kH, kW, sH, sW, pH, pW, outH, outW } = shape;
  const out: number[] = [];
  for (let n = 0; n < batch; n++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++)
        for (let c = 0; c < inC; c++) {
          let m = -Infinity;
          for (let ky = 0; ky < kH; ky++)
            for (let kx = 0; kx < kW; kx++) {
              const iy = oy * sH - pH + ky;
              const ix = ox * sW - pW + kx;
              m = Math.max(m, iy >= 0 && iy < inH && ix >= 0 && ix < inW ? input[((n * inH + iy) * inW + ix) * inC + c]! : padValue);
            }
          out.push(m);
        }
  return out;
}

/** Residual add of two activation tensors: unsigned saturating at each channel's width (fp32: IEEE add). */
export function referenceAdd(a: ArrayLike<number>, b: ArrayLike<number>, channels: number, precision: LayerPrecision): number[] {
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) {
    const w = precision.kind === 'mixed' ? precision.widths[i % channels]! : precision.kind === 'int8' ? 8 : 0;
    out[i] = precision.kind === 'fp32' ? Math.fround(a[i]! + b[i]!) : Math.min(a[i]! + b[i]!, 2 ** w - 1);
  }
  return out;
}

/** Average pooling without padding: window sums requantised by `shift` to each channel's width. */
export function referenceAvgPool(shape: ConvShape, input: ArrayLike<number>, shift: number, precision: LayerPrecision): number[] {
  const ones = new Array<number>(shape.outC * shape.kH * shape.kW).fill(1);
  const sums = referenceConv(shape, 'mixed', input, ones, new Array<number>(shape.outC).fill(0));
  return referenceRequant(sums, shape.outC, shift, precision);
}
