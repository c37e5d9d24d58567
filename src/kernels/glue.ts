/**
 * Generators of the glue between convolutions, working on activations in their packed layout: max pooling
 * (`vmax` under each chunk's pattern; `vor` for binary), residual add (`vadds`, saturating at each channel's
 * width) and average pooling (window sums widened into int32 lanes with `vwmacc` against a register of ones,
 * 1-bit channels first widened to 2 bits with `vwiden.u1`, then `vrequant` back into the same layout). Every
 * glue layer keeps its input's layout, so channel positions never move.
 *
 * Each program runs one output pixel per iteration of loops over images, rows and columns.
 *
 * @module
 */
import type { IsaConfig } from '../isa/config.js';
import { encodePattern } from '../isa/pattern.js';
import { CodeBuilder, Ptr } from './builder.js';
import { blockPlace, type ActivationLayout } from './layout.js';
import type { ConvShape } from './spec.js';
import { imagePitch, rowPitch, type TensorPlace } from './tensor.js';

const X_CNT0 = 6;

/** A generated glue program and its loop nest. */
export interface GlueCode {
  readonly instrs: CodeBuilder['instrs'];
  readonly loops: CodeBuilder['loops'];
}

function setPatterns(cb: CodeBuilder, layout: ActivationLayout): void {
  layout.patterns.forEach((runs, k) => {
    const [lo, hi] = encodePattern(runs);
    cb.emit('li', { d: 21, imm: lo | 0 });
    cb.emit('li', { d: 20, imm: hi | 0 });
    cb.emit('setpp', { d: k, s1: 21, s2: 20 });
  });
}

/** Loops over output pixels (n, y, x) moving each pointer by its tensor's steps; `body` emits one pixel. */
function pixelLoops(cb: CodeBuilder, shape: { batch: number; outH: number; outW: number }, ptrs: { p: Ptr; n: number; y: number; x: number }[], body: () => void): void {
  const level = (d: number, count: number, key: 'n' | 'y' | 'x', inner: () => void) => {
    for (const q of ptrs) q.p.shift(0);
    cb.loop(X_CNT0 + d, count, () => {
      inner();
      for (const q of ptrs) q.p.shift(q[key]);
    });
    for (const q of ptrs) q.p.afterLoop(count, q[key]);
  };
  level(0, shape.batch, 'n', () => level(1, shape.outH, 'y', () => level(2, shape.outW, 'x', body)));
}

/** Max pooling (window `shape.kH x kW`, stride, padding read as activation code 0) in the input's layout. */
export function generateMaxPool(shape: ConvShape, input: TensorPlace, output: TensorPlace, isa: IsaConfig): GlueCode {
  const L = input.layout;
  const VB = isa.vlenBits / 8;
  if (input.padH < shape.pH || input.padW < shape.pW) throw new Error('the input buffer border is smaller than the pooling padding');
  const cb = new CodeBuilder();
  setPatterns(cb, L);
  const a = new Ptr(cb, 1);
  const o = new Ptr(cb, 3);
  const Cb = L.pixelBytes;
  a.set(input.addr + (input.padH - shape.pH) * rowPitch(input) + (input.padW - shape.pW) * Cb);
  o.set(output.addr + output.padH * rowPitch(output) + output.padW * Cb);
  const max = (d: number, s: number, j: number) => {
    switch (L.precision) {
      case 'mixed':
        return cb.emit('vmax', { d, s1: d, s2: s, et: 'u', pp: L.chunks[j]!.pp });
      case 'int8':
        return cb.emit('vmax', { d, s1: d, s2: s, et: 'u8' });
      case 'binary':
        return cb.emit('vor', { d, s1: d, s2: s });
      case 'fp32':
        return cb.emit('vmax', { d, s1: d, s2: s, et: 'f32' });
    }
  };
  pixelLoops(
    cb,
    shape,
    [
      { p: a, n: imagePitch(input), y: shape.sH * rowPitch(input), x: shape.sW * Cb },
      { p: o, n: imagePitch(output), y: rowPitch(output), x: Cb },
    ],
    () => {
      for (let j = 0; j < L.chunks.length; j++) {
        for (let ky = 0; ky < shape.kH; ky++)
          for (let kx = 0; kx < shape.kW; kx++) {
            const off = ky * rowPitch(input) + kx * Cb + j * VB;
            if (ky === 0 && kx === 0) cb.emit('vld', { d: 4, s1: 1, imm: a.at(off) });
            else {
              cb.emit('vld', { d: 5, s1: 1, imm: a.at(off) });
              max(4, 5, j);
            }
          }
        cb.emit('vst', { d: 4, s1: 3, imm: o.at(j * VB) });
      }
    },
  );
  cb.emit('halt');
  return { instrs: cb.instrs, loops: cb.loops };
}

/** Residual add `out = a + b`, saturating at each channel's width (fp32: IEEE add); all three in one layout. */
export function generateAdd(shape: { batch: number; outH: number; outW: number }, a: TensorPlace, b: TensorPlace, output: TensorPlace, isa: IsaConfig): GlueCode {
  const L = a.layout;
  if (L.precision === 'binary') throw new Error('a residual add of binary activations is not defined (there is no saturating +/-1 add)');
  const VB = isa.vlenBits / 8;
  const cb = new CodeBuilder();
  setPatterns(cb, L);
  const pa = new Ptr(cb, 1);
  const pb = new Ptr(cb, 2);
  const o = new Ptr(cb, 3);
  const Cb = L.pixelBytes;
  const origin = (t: TensorPlace) => t.addr + t.padH * rowPitch(t) + t.padW * Cb;
  pa.set(origin(a));
  pb.set(origin(b));
  o.set(origin(output));
  pixelLoops(
    cb,
    shape,
    [a, b, output].map((t, i) => ({ p: [pa, pb, o][i]!, n: imagePitch(t), y: rowPitch(t), x: Cb })),
    () => {
      for (let j = 0; j < L.chunks.length; j++) {
        cb.emit('vld', { d: 4, s1: 1, imm: pa.at(j * VB) });
        cb.emit('vld', { d: 5, s1: 2, imm: pb.at(j * VB) });
        if (L.precision === 'mixed') cb.emit('vadds', { d: 4, s1: 4, s2: 5, et: 'u', pp: L.chunks[j]!.pp });
        else if (L.precision === 'int8') cb.emit('vadds', { d: 4, s1: 4, s2: 5, et: 'u8' });
        else cb.emit('vadd', { d: 4, s1: 4, s2: 5, et: 'f32' });
        cb.emit('vst', { d: 4, s1: 3, imm: o.at(j * VB) });
      }
    },
  );
  cb.emit('halt');
  return { instrs: cb.instrs, loops: cb.loops };
}

/**
 * Average pooling without padding for int8 and mixed layouts: window sums of each block of L channels in
 * int32 lanes, then `vrequant` by `shift` into the same layout (the divisor is 2^shift).
 */
export function generateAvgPool(shape: ConvShape, input: TensorPlace, output: TensorPlace, shift: number, isa: IsaConfig): GlueCode {
  const L = input.layout;
  if (L.precision !== 'mixed' && L.precision !== 'int8') throw new Error(`elementwise average pooling is for int8 and mixed layouts, not ${L.precision}`);
  const V = isa.vlenBits;
  const VB = V / 8;
  const lanes = V / 32;
  const cb = new CodeBuilder();
  const a = new Ptr(cb, 1);
  const o = new Ptr(cb, 3);
  const Cb = L.pixelBytes;
  a.set(input.addr + input.padH * rowPitch(input) + input.padW * Cb);
  o.set(output.addr + output.padH * rowPitch(output) + output.padW * Cb);
  // ones: v1 (u2), v2 (u4), v3 (u8)
  cb.emit('addi', { d: 20, s1: 0, imm: 1 });
  cb.emit('vbcast', { d: 1, s1: 20, et: 'u2' });
  cb.emit('vbcast', { d: 2, s1: 20, et: 'u4' });
  cb.emit('vbcast', { d: 3, s1: 20, et: 'u8' });
  const ones: Record<number, number> = { 2: 1, 4: 2, 8: 3 };
  const MAXACC = 24;
  pixelLoops(
    cb,
    shape,
    [
      { p: a, n: imagePitch(input), y: shape.sH * rowPitch(input), x: shape.sW * Cb },
      { p: o, n: imagePitch(output), y: rowPitch(output), x: Cb },
    ],
    () => {
      for (let j = 0; j < L.chunks.length; j++) {
        const blocks: number[] = [];
        for (let pos = 0; pos < L.positions; pos += lanes) if (blockPlace(L, pos).chunk === j) blocks.push(pos);
        for (let g0 = 0; g0 < blocks.length; g0 += MAXACC) {
          const group = blocks.slice(g0, g0 + MAXACC);
          group.forEach((_, i) => cb.emit('vxor', { d: 8 + i, s1: 8 + i, s2: 8 + i }));
          for (let ky = 0; ky < shape.kH; ky++)
            for (let kx = 0; kx < shape.kW; kx++) {
              cb.emit('vld', { d: 4, s1: 1, imm: a.at(ky * rowPitch(input) + kx * Cb + j * VB) });
              let widened = -1;
              group.forEach((pos, i) => {
                const pl = blockPlace(L, pos);
                if (pl.widthBits === 1) {
                  const e0 = pl.part * lanes;
                  const half = e0 >= V / 2 ? 1 : 0;
                  if (widened !== half) cb.emit('vwiden', { d: 5, s1: 4, imm: half, et: 'u1' });
                  widened = half;
                  cb.emit('vwmacc', { d: 8 + i, s1: 5, s2: 1, imm: (e0 - (half * V) / 2) / lanes, et: 'u2' });
                } else cb.emit('vwmacc', { d: 8 + i, s1: 4, s2: ones[pl.widthBits]!, imm: pl.part, et: `u${pl.widthBits}` });
              });
            }
          const full = group.length === blocks.length;
          if (!full) cb.emit('vld', { d: 6, s1: 3, imm: o.at(j * VB) });
          group.forEach((pos, i) => {
            const pl = blockPlace(L, pos);
            cb.emit('vrequant', { d: 6, s1: 8 + i, imm: shift, imm2: pl.part, et: `u${pl.widthBits}` });
          });
          cb.emit('vst', { d: 6, s1: 3, imm: o.at(j * VB) });
        }
      }
    },
  );
  cb.emit('halt');
  return { instrs: cb.instrs, loops: cb.loops };
}
