/**
 * The convolution generator: every convolution-like layer (fully connected, 2-D convolution with stride,
 * padding, dilation and groups, depthwise convolution, average pooling) as an implicit matrix product,
 * for four precisions and three register-level dataflows.
 *
 * ## Two kernel families
 * - *Lane-reducing* (mixed precision with `vmdot.ppK`, binary with `vxdot`): one instruction reduces a whole
 *   register of input channels (one chunk of the pixel vector) into int32 lane `l` of an accumulator; a
 *   weight *unit* is one output channel's chunk, and a block of L = VLEN/32 output channels shares one
 *   accumulator register.
 * - *Broadcasting* (int8 with `vdotus`, fp32 with `vfma.f32`): 4 input bytes (int8) or one float (fp32) of a
 *   pixel are loaded with `lw` and broadcast to every lane (`vbcast.u32`); a weight unit is one register
 *   holding those input channels for L output channels.
 *
 * ## Reduction steps and tiles
 * The reduction runs over taps (ky, kx) and, within a tap, over *steps* (a chunk, a word of 4 int8 channels
 * or one fp32 channel). Output channels are in the output layout's position order (the next layer's
 * channel grouping), in blocks of L; a tile is `mb` output pixels along a row times `nb` blocks. A step is
 * skipped for a block when none of its channels belongs to the block's groups (grouped and depthwise
 * convolutions), so structurally zero weights cost nothing but lane waste.
 *
 * ## Dataflows (register level)
 * - output-stationary: a tile's accumulators stay in registers over the whole reduction; activations are
 *   reused across the tile's output channels, weights across its pixels.
 * - weight-stationary: the weights of a group of `kb` steps stay in registers while every pixel streams by;
 *   partial sums go through an int32 (fp32) buffer in memory between step groups.
 * - input-stationary: the activations of `mb` pixels for `kb` steps stay in registers while every output
 *   channel block streams by; partial sums go through memory as for weight-stationary.
 * The loop order (`channels-outer` or `pixels-outer`) chooses which tile loop is outermost.
 *
 * @module
 */
import type { IsaConfig } from '../isa/config.js';
import { encodePattern } from '../isa/pattern.js';
import type { Instr } from '../isa/instr.js';
import { CodeBuilder, Ptr } from './builder.js';
import { blockPlace, planLayout, writeBits, type ActivationLayout } from './layout.js';
import type { LayerPrecision } from './precision.js';
import type { ConvShape } from './spec.js';
import { imagePitch, rowPitch, type TensorPlace } from './tensor.js';

/** Register-level dataflow. */
export type Dataflow = 'output-stationary' | 'weight-stationary' | 'input-stationary';

/** Which tile loop is outermost. */
export type LoopOrder = 'channels-outer' | 'pixels-outer';

/** Dataflow options; every field optional, defaults chosen to fit 32 vector registers. */
export interface DataflowOptions {
  /** Default `output-stationary`. */
  readonly dataflow?: Dataflow;
  /** Output pixels per tile (register blocking along the output row). Default 4 (output-stationary), else 2. */
  readonly mb?: number;
  /** Blocks of L output channels per tile. Default 2 (lane-reducing) or 4 (broadcasting) for output-stationary, 1 otherwise. */
  readonly nb?: number;
  /** Reduction steps held in registers per step group (weight- and input-stationary). Default: as many as fit. */
  readonly kb?: number;
  /** Default `channels-outer`. */
  readonly loopOrder?: LoopOrder;
}

/** What the generator does with the int32 (fp32) results. */
export type OutputSpec =
  | { readonly kind: 'int32' }
  | { readonly kind: 'fp32'; readonly relu?: boolean }
  | { readonly kind: 'requant'; readonly precision: LayerPrecision; readonly shift: number };

/** Layer data: weights `[outC][kH][kW][inC/groups]` and one bias per output channel. */
export interface ConvData {
  readonly weights: ArrayLike<number>;
  readonly bias: ArrayLike<number>;
}

/** The memory the generated program uses. */
export interface ConvPlacement {
  readonly input: TensorPlace;
  readonly output: TensorPlace;
  /** Address of the weight stream. */
  readonly weights: number;
  /** Address of the bias vector. */
  readonly bias: number;
  /** Address of the partial-sum buffer (weight- and input-stationary only). */
  readonly psum: number;
}

/** Static facts of a generated convolution. */
export interface ConvPlan {
  readonly family: 'mdot' | 'xdot' | 'int8' | 'fp32';
  readonly dataflow: Dataflow;
  readonly loopOrder: LoopOrder;
  readonly mb: number;
  readonly nb: number;
  readonly kb: number;
  /** Vector registers used. */
  readonly vregs: number;
  readonly weightBytes: number;
  readonly biasBytes: number;
  readonly psumBytes: number;
  /** Multiply-accumulates of the layer as specified (no padding, no skipped work). */
  readonly usefulMacs: number;
}

/** The generated program for one layer, before it is given addresses. */
export interface ConvCode {
  readonly instrs: Instr[];
  /** Loop nest of the code (see `executionCounts`). */
  readonly loops: CodeBuilder['loops'];
  readonly weightImage: Uint8Array;
  readonly biasImage: Uint8Array;
  readonly plan: ConvPlan;
}

interface Unit {
  /** Block index within the tile. */
  readonly b: number;
  /** Lane (lane-reducing family) or 0. */
  readonly lane: number;
  readonly step: number;
}

interface Tile {
  readonly blocks: readonly number[];
  /** Relevant steps, ascending. */
  readonly steps: readonly number[];
  /** Weight units of one tap, in stream order. */
  readonly units: readonly Unit[];
  /** Output chunk of the first block. */
  readonly chunk0: number;
  readonly sig: string;
}

const R_TMP = 0;
const R_ZERO = 1;
const R_W = [2, 3];
const FIRST_FREE = 4;
/** Steps unrolled per iteration of a broadcasting kernel's step loop. */
const STEP_UNROLL = 8;

const X_A = 1;
const X_W = 2;
const X_O = 3;
const X_B = 4;
const X_P = 5;
const X_CNT0 = 6;
const X_S = 20;
const X_PP = 21;

/** The family of kernel a precision needs. */
function familyOf(p: LayerPrecision): ConvPlan['family'] {
  switch (p.kind) {
    case 'mixed':
      return 'mdot';
    case 'binary':
      return 'xdot';
    case 'int8':
      return 'int8';
    case 'fp32':
      return 'fp32';
  }
}

/** The output layout an output spec implies for `outC` channels. */
export function outputLayoutOf(out: OutputSpec, outC: number, isa: IsaConfig): ActivationLayout {
  return out.kind === 'requant' ? planLayout(out.precision, outC, isa) : planLayout({ kind: 'fp32' }, outC, isa);
}

/**
 * Generates the instructions and weight/bias images of a convolution. The code refers to the addresses in
 * `place`; the weight and bias images must be placed at `place.weights` and `place.bias`.
 */
export function generateConv(
  shape: ConvShape,
  precision: LayerPrecision,
  data: ConvData,
  out: OutputSpec,
  place: ConvPlacement,
  opts: DataflowOptions,
  isa: IsaConfig,
): ConvCode {
  const family = familyOf(precision);
  const inL = place.input.layout;
  const outL = place.output.layout;
  const V = isa.vlenBits;
  const VB = V / 8;
  const L = V / 32;
  const lane = family === 'mdot' || family === 'xdot';
  if (family === 'fp32' ? out.kind !== 'fp32' : out.kind === 'fp32') throw new Error(`an ${precision.kind} layer cannot produce ${out.kind} outputs`);
  if (family === 'mdot' && !isa.mixedUnit) throw new Error('a mixed-precision layer needs the mixed unit (isa.mixedUnit = false); decoding in software is not generated yet');
  const Cg = shape.inC / shape.groups;
  const Og = shape.outC / shape.groups;
  if (shape.groups > 1 && family === 'xdot') throw new Error('grouped or depthwise binary layers are not supported: XNOR-popcount cannot zero the channels of other groups');
  if (shape.groups > 1 && family === 'mdot' && precision.kind === 'mixed' && precision.widths.includes(1)) {
    throw new Error('grouped or depthwise layers cannot have 1-bit channels: a 1-bit weight is -1 or +1, so vmdot cannot ignore the channels of other groups (give these layers widths of 2 bits or more)');
  }
  const dataflow = opts.dataflow ?? 'output-stationary';
  const loopOrder = opts.loopOrder ?? 'channels-outer';
  const os = dataflow === 'output-stationary';
  const mbMax = opts.mb ?? (os ? 4 : 2);
  const nb = opts.nb ?? (os ? (lane ? 2 : 4) : 1);
  if (mbMax < 1 || nb < 1) throw new Error('mb and nb must be at least 1');
  const mb = Math.min(mbMax, shape.outW);

  // ---- steps: what one reduction step reads -------------------------------------------------------------
  const nSteps = family === 'int8' ? inL.positions / 4 : family === 'fp32' ? inL.positions : inL.chunks.length;
  const stepPositions = (s: number): number[] => {
    if (family === 'int8') return [4 * s, 4 * s + 1, 4 * s + 2, 4 * s + 3];
    if (family === 'fp32') return [s];
    const out: number[] = [];
    for (let q = 0; q < inL.positions; q++) if (Math.floor(inL.bitAt[q]! / V) === s) out.push(q);
    return out;
  };
  const stepPos = Array.from({ length: nSteps }, (_, s) => stepPositions(s));
  const stepOff = (s: number) => (lane ? s * VB : 4 * s);
  // groups of input channels present in each step
  const stepGroups = stepPos.map((ps) => new Set(ps.filter((q) => inL.order[q]! >= 0).map((q) => Math.floor(inL.order[q]! / Cg))));
  const ocOf = (pos: number) => (pos < outL.positions ? outL.order[pos]! : -1);
  const relevant = (ocPos: number, s: number) => {
    const oc = ocOf(ocPos);
    return oc >= 0 && stepGroups[s]!.has(Math.floor(oc / Og));
  };

  // ---- tiles of output-channel blocks ---------------------------------------------------------------------
  const nBlocks = outL.positions / L;
  const blockPlaces = Array.from({ length: nBlocks }, (_, b) => blockPlace(outL, b * L));
  const blocksInChunk = new Map<number, number>();
  for (const pl of blockPlaces) blocksInChunk.set(pl.chunk, (blocksInChunk.get(pl.chunk) ?? 0) + 1);
  const tiles: Tile[] = [];
  for (let b0 = 0; b0 < nBlocks; b0 += nb) {
    const blocks = Array.from({ length: Math.min(nb, nBlocks - b0) }, (_, i) => b0 + i);
    const units: Unit[] = [];
    const steps: number[] = [];
    for (let s = 0; s < nSteps; s++) {
      let any = false;
      blocks.forEach((b, bi) => {
        if (lane) {
          for (let l = 0; l < L; l++) if (relevant(b * L + l, s)) units.push({ b: bi, lane: l, step: s });
        } else {
          let rel = false;
          for (let l = 0; l < L; l++) rel ||= relevant(b * L + l, s);
          if (rel) units.push({ b: bi, lane: 0, step: s });
        }
      });
      if (units.length > 0 && units[units.length - 1]!.step === s) any = true;
      if (any) steps.push(s);
    }
    const chunk0 = blockPlaces[b0]!.chunk;
    const places = blocks.map((b) => {
      const pl = blockPlaces[b]!;
      return [pl.chunk - chunk0, pl.widthBits, pl.part, blocksInChunk.get(pl.chunk)];
    });
    tiles.push({ blocks, steps, units, chunk0, sig: JSON.stringify([units.map((u) => [u.b, u.lane, u.step]), places]) });
  }
  const taps: [number, number][] = [];
  for (let ky = 0; ky < shape.kH; ky++) for (let kx = 0; kx < shape.kW; kx++) taps.push([ky, kx]);

  // ---- weight stream: [tile][tap][unit], and the bias vector -------------------------------------------
  const tileBytes = tiles.map((t) => taps.length * t.units.length * VB);
  const tileW0: number[] = [];
  let wTotal = 0;
  for (const tb of tileBytes) {
    tileW0.push(wTotal);
    wTotal += tb;
  }
  const wimg = new Uint8Array(wTotal);
  const wdv = new DataView(wimg.buffer);
  const weightOf = (oc: number, ky: number, kx: number, c: number): number => {
    const g = Math.floor(oc / Og);
    if (Math.floor(c / Cg) !== g) return 0;
    return data.weights[((oc * shape.kH + ky) * shape.kW + kx) * Cg + (c - g * Cg)]!;
  };
  tiles.forEach((t, ti) => {
    taps.forEach(([ky, kx], tap) => {
      t.units.forEach((u, ui) => {
        const at = tileW0[ti]! + (tap * t.units.length + ui) * VB;
        const b = t.blocks[u.b]!;
        if (lane) {
          const oc = ocOf(b * L + u.lane);
          for (const q of stepPos[u.step]!) {
            const c = inL.order[q]!;
            const w = inL.widthAt[q]!;
            const v = c < 0 ? 0 : weightOf(oc, ky, kx, c);
            const bit = inL.bitAt[q]! - u.step * V;
            let raw: number;
            if (w === 1) raw = v > 0 ? 1 : 0;
            else {
              if (!Number.isInteger(v) || v < -(2 ** (w - 1)) || v >= 2 ** (w - 1)) throw new RangeError(`weight ${v} of output channel ${oc}, input channel ${c} does not fit ${w} signed bits`);
              raw = v < 0 ? v + 2 ** w : v;
            }
            writeBits(wimg, at * 8 + bit, w, raw);
          }
        } else {
          for (let l = 0; l < L; l++) {
            const oc = ocOf(b * L + l);
            stepPos[u.step]!.forEach((q, j) => {
              const c = inL.order[q]!;
              const v = oc < 0 || c < 0 ? 0 : weightOf(oc, ky, kx, c);
              if (family === 'int8') {
                if (!Number.isInteger(v) || v < -128 || v > 127) throw new RangeError(`int8 weight ${v} out of range`);
                wdv.setInt8(at + 4 * l + j, v);
              } else wdv.setFloat32(at + 4 * l, v, true);
            });
          }
        }
      });
    });
  });
  const bimg = new Uint8Array(outL.positions * 4);
  const bdv = new DataView(bimg.buffer);
  // Binary: a padding position reads 0 XNOR 0 = +1 in every tap; the bias takes it back.
  const binaryPad = family === 'xdot' ? taps.length * stepPos.flat().filter((q) => inL.order[q]! < 0).length : 0;
  for (let pos = 0; pos < outL.positions; pos++) {
    const oc = ocOf(pos);
    if (oc < 0) continue;
    if (family === 'fp32') bdv.setFloat32(4 * pos, data.bias[oc]!, true);
    else bdv.setInt32(4 * pos, (data.bias[oc]! - binaryPad) | 0, true);
  }

  // ---- registers ----------------------------------------------------------------------------------------
  const maxUnitsPerStep = Math.max(1, ...tiles.map((t) => Math.max(0, ...t.steps.map((s) => t.units.filter((u) => u.step === s).length))));
  const flatSteps = (t: Tile) => taps.flatMap((_, tap) => t.steps.map((s) => [tap, s] as [number, number]));
  let kb = 1;
  const nAcc = mb * nb;
  let vregs: number;
  if (os) {
    vregs = FIRST_FREE + nAcc + mb;
  } else if (dataflow === 'weight-stationary') {
    const room = 32 - FIRST_FREE - nAcc - mb;
    kb = opts.kb ?? Math.max(1, Math.floor(room / maxUnitsPerStep));
    vregs = FIRST_FREE + nAcc + mb + kb * maxUnitsPerStep;
  } else {
    const room = 32 - FIRST_FREE - nAcc;
    kb = opts.kb ?? Math.max(1, Math.floor(room / mb));
    vregs = FIRST_FREE + nAcc + mb * kb;
  }
  if (kb < 1) throw new Error('kb must be at least 1');
  if (vregs > 32) {
    throw new Error(
      `${dataflow} with mb=${mb}, nb=${nb}${os ? '' : `, kb=${kb}`} needs ${vregs} vector registers (${FIRST_FREE} reserved, ${nAcc} accumulators, ` +
        `${os ? mb : dataflow === 'weight-stationary' ? `${mb} activations, ${kb * maxUnitsPerStep} weights` : `${mb * kb} activations`}); the core has 32`,
    );
  }
  const accReg = (p: number, b: number) => FIRST_FREE + p * nb + b;
  const actBase = FIRST_FREE + nAcc;

  // ---- code ---------------------------------------------------------------------------------------------
  const cb = new CodeBuilder(31);
  const aP = new Ptr(cb, X_A);
  const wP = new Ptr(cb, X_W);
  const oP = new Ptr(cb, X_O);
  const bP = new Ptr(cb, X_B);
  const pP = new Ptr(cb, X_P);
  const ptrs = [aP, wP, oP, bP, pP];
  inL.patterns.forEach((runs, k) => {
    const [lo, hi] = encodePattern(runs);
    cb.emit('li', { d: X_PP, imm: lo | 0 });
    cb.emit('li', { d: X_S, imm: hi | 0 });
    cb.emit('setpp', { d: k, s1: X_PP, s2: X_S });
  });
  if (out.kind === 'fp32' && out.relu) cb.emit('vxor', { d: R_ZERO, s1: R_ZERO, s2: R_ZERO });

  const inRow = rowPitch(place.input);
  const inImg = imagePitch(place.input);
  const Cb = inL.pixelBytes;
  const outRow = rowPitch(place.output);
  const outImg = imagePitch(place.output);
  const CbOut = outL.pixelBytes;
  const psPix = outL.positions * 4;
  const psRow = shape.outW * psPix;
  const psImg = shape.outH * psRow;
  let wRot = 0;

  /** Activation of pixel p at tap, step s into register r. */
  const loadAct = (r: number, p: number, tap: number, s: number) => {
    const [ky, kx] = taps[tap]!;
    const off = ky * shape.dH * inRow + (p * shape.sW + kx * shape.dW) * Cb + stepOff(s);
    if (lane) cb.emit('vld', { d: r, s1: X_A, imm: aP.at(off) });
    else {
      cb.emit('lw', { d: X_S, s1: X_A, imm: aP.at(off) });
      cb.emit('vbcast', { d: r, s1: X_S, et: 'u32' });
    }
  };
  const mac = (acc: number, act: number, w: number, u: Unit) => {
    switch (family) {
      case 'mdot':
        cb.emit('vmdot', { d: acc, s1: act, s2: w, imm: u.lane, pp: inL.chunks[u.step]!.pp });
        break;
      case 'xdot':
        cb.emit('vxdot', { d: acc, s1: act, s2: w, imm: u.lane });
        break;
      case 'int8':
        cb.emit('vdotus', { d: acc, s1: act, s2: w });
        break;
      case 'fp32':
        cb.emit('vfma', { d: acc, s1: act, s2: w, et: 'f32' });
        break;
    }
  };
  const initAcc = (t: Tile, m: number, fromPsum: boolean) => {
    for (let p = 0; p < m; p++)
      t.blocks.forEach((_, bi) => {
        if (fromPsum) cb.emit('vld', { d: accReg(p, bi), s1: X_P, imm: pP.at(p * psPix + bi * VB) });
        else cb.emit('vld', { d: accReg(p, bi), s1: X_B, imm: bP.at(bi * VB) });
      });
  };
  const storePsum = (t: Tile, m: number) => {
    for (let p = 0; p < m; p++) t.blocks.forEach((_, bi) => cb.emit('vst', { d: accReg(p, bi), s1: X_P, imm: pP.at(p * psPix + bi * VB) }));
  };
  const epilogue = (t: Tile, m: number) => {
    for (let p = 0; p < m; p++) {
      if (out.kind !== 'requant') {
        t.blocks.forEach((b, bi) => {
          const r = accReg(p, bi);
          if (out.kind === 'fp32' && out.relu) cb.emit('vmax', { d: r, s1: r, s2: R_ZERO, et: 'f32' });
          cb.emit('vst', { d: r, s1: X_O, imm: oP.at(p * CbOut + (blockPlaces[b]!.chunk - t.chunk0) * VB) });
        });
        continue;
      }
      const byChunk = new Map<number, number[]>();
      t.blocks.forEach((b, bi) => {
        const c = blockPlaces[b]!.chunk;
        byChunk.set(c, [...(byChunk.get(c) ?? []), bi]);
      });
      for (const [c, bis] of byChunk) {
        const off = p * CbOut + (c - t.chunk0) * VB;
        if (bis.length < blocksInChunk.get(c)!) cb.emit('vld', { d: R_TMP, s1: X_O, imm: oP.at(off) });
        for (const bi of bis) {
          const pl = blockPlaces[t.blocks[bi]!]!;
          cb.emit('vrequant', { d: R_TMP, s1: accReg(p, bi), imm: out.shift, imm2: pl.part, et: `u${pl.widthBits}` });
        }
        cb.emit('vst', { d: R_TMP, s1: X_O, imm: oP.at(off) });
      }
    }
  };
  /** Weight units of `t` for (tap, step) with their byte offset from the tile's weight origin. */
  const unitsAt = (t: Tile, tap: number, s: number) =>
    t.units.map((u, ui) => ({ u, off: (tap * t.units.length + ui) * VB })).filter((x) => x.u.step === s);

  /** The output-stationary tile body: m pixels, tile t; pointers at the tile's origins. */
  const osBody = (t: Tile, m: number) => {
    initAcc(t, m, false);
    const tapsPerRow = shape.kW;
    const stepBody = (tap: number, s: number) => {
      for (let p = 0; p < m; p++) loadAct(actBase + p, p, tap, s);
      for (const { u, off } of unitsAt(t, tap, s)) {
        const w = R_W[wRot++ & 1]!;
        cb.emit('vld', { d: w, s1: X_W, imm: wP.at(off) });
        for (let p = 0; p < m; p++) mac(accReg(p, u.b), actBase + p, w, u);
      }
    };
    // Broadcasting kernels over many channels loop over groups of STEP_UNROLL steps when every step has the
    // same units (dense layers): activations move 4 bytes and weights one step of units per step.
    const perStep = t.steps.length > 0 ? t.units.filter((u) => u.step === t.steps[0]).map((u) => u.b) : [];
    const uniformSteps =
      !lane &&
      t.steps.length > 2 * STEP_UNROLL &&
      t.steps.every((s, i) => s === t.steps[0]! + i) &&
      t.steps.every((s) => JSON.stringify(t.units.filter((u) => u.step === s).map((u) => u.b)) === JSON.stringify(perStep));
    const rowBody = (kyTaps: number[]) => {
      for (const tap of kyTaps) {
        if (!uniformSteps) {
          for (const s of t.steps) stepBody(tap, s);
          continue;
        }
        const groups = Math.floor(t.steps.length / STEP_UNROLL);
        const dA = STEP_UNROLL * 4;
        const dW = STEP_UNROLL * perStep.length * VB;
        aP.shift(0);
        wP.shift(0);
        cb.loop(X_CNT0 + 4, groups, () => {
          for (let i = 0; i < STEP_UNROLL; i++) stepBody(tap, t.steps[i]!);
          aP.shift(dA);
          wP.shift(dW);
        });
        aP.afterLoop(groups, dA);
        wP.afterLoop(groups, dW);
        aP.reorigin(groups * dA);
        wP.reorigin(groups * dW);
        for (let i = groups * STEP_UNROLL; i < t.steps.length; i++) stepBody(tap, t.steps[i]! - groups * STEP_UNROLL);
        aP.reorigin(-groups * dA);
        wP.reorigin(-groups * dW);
      }
    };
    if (shape.kH > 1 && taps.length * t.steps.length * (m + t.units.length * (1 + m)) > 4000) {
      // Loop over kernel rows: each iteration reads one row of taps; pointers move one dilated input row.
      const rowTaps = Array.from({ length: tapsPerRow }, (_, i) => i);
      aP.shift(0);
      wP.shift(0);
      const cnt = X_CNT0 + 5;
      cb.loop(cnt, shape.kH, () => {
        rowBody(rowTaps);
        aP.shift(shape.dH * inRow);
        wP.shift(tapsPerRow * t.units.length * VB);
      });
      aP.afterLoop(shape.kH, shape.dH * inRow);
      wP.afterLoop(shape.kH, tapsPerRow * t.units.length * VB);
    } else rowBody(taps.map((_, i) => i));
    epilogue(t, m);
  };

  /** Tile runs: consecutive tiles with one signature and constant strides share code in a loop. */
  interface Run {
    readonly tiles: Tile[];
    readonly first: number;
  }
  const runs: Run[] = [];
  tiles.forEach((t, ti) => {
    const r = runs[runs.length - 1];
    if (r && r.tiles[0]!.sig === t.sig) {
      const prev = r.tiles[r.tiles.length - 1]!;
      const d0 = r.tiles.length > 1 ? r.tiles[1]!.chunk0 - r.tiles[0]!.chunk0 : t.chunk0 - prev.chunk0;
      if (t.chunk0 - prev.chunk0 === d0) {
        r.tiles.push(t);
        return;
      }
    }
    runs.push({ tiles: [t], first: ti });
  });
  const runStrides = (r: Run) => ({
    w: tileBytes[r.first]!,
    b: nb * VB,
    o: r.tiles.length > 1 ? (r.tiles[1]!.chunk0 - r.tiles[0]!.chunk0) * VB : 0,
    p: nb * VB,
  });
  /** Loops over the tiles of every run, pointers at run origins; `body(t)` emits one tile. */
  const channelLoops = (depth: number, body: (t: Tile) => void) => {
    for (const r of runs) {
      const t0 = r.tiles[0]!;
      const st = runStrides(r);
      wP.reorigin(tileW0[r.first]!);
      bP.reorigin(r.first * nb * VB);
      oP.reorigin(t0.chunk0 * VB);
      pP.reorigin(r.first * nb * VB);
      for (const q of ptrs) q.shift(0);
      cb.loop(X_CNT0 + depth, r.tiles.length, () => {
        body(t0);
        wP.shift(st.w);
        bP.shift(st.b);
        oP.shift(st.o);
        pP.shift(st.p);
        aP.shift(0);
      });
      aP.afterLoop(r.tiles.length, 0);
      wP.afterLoop(r.tiles.length, st.w);
      bP.afterLoop(r.tiles.length, st.b);
      oP.afterLoop(r.tiles.length, st.o);
      pP.afterLoop(r.tiles.length, st.p);
      wP.reorigin(-tileW0[r.first]!);
      bP.reorigin(-r.first * nb * VB);
      oP.reorigin(-t0.chunk0 * VB);
      pP.reorigin(-r.first * nb * VB);
    }
  };
  /** Loops over images, output rows and tiles of `mb` pixels (then the remainder); `body(m)` emits a tile. */
  const pixelLoops = (depth: number, body: (m: number) => void) => {
    const full = Math.floor(shape.outW / mb);
    const rem = shape.outW - full * mb;
    const steps = {
      n: [inImg, 0, outImg, 0, psImg],
      y: [shape.sH * inRow, 0, outRow, 0, psRow],
      x: [mb * shape.sW * Cb, 0, mb * CbOut, 0, mb * psPix],
    };
    const level = (d: number, count: number, st: number[], inner: () => void) => {
      for (const q of ptrs) q.shift(0);
      cb.loop(X_CNT0 + d, count, () => {
        inner();
        ptrs.forEach((q, i) => q.shift(st[i]!));
      });
      ptrs.forEach((q, i) => q.afterLoop(count, st[i]!));
    };
    level(depth, shape.batch, steps.n, () =>
      level(depth + 1, shape.outH, steps.y, () => {
        level(depth + 2, full, steps.x, () => body(mb));
        if (rem > 0) {
          ptrs.forEach((q, i) => q.reorigin(full * steps.x[i]!));
          body(rem);
          ptrs.forEach((q, i) => q.reorigin(-full * steps.x[i]!));
        }
      }),
    );
  };
  const setOrigins = () => {
    aP.set(place.input.addr + place.input.padH * inRow + place.input.padW * Cb - shape.pH * inRow - shape.pW * Cb);
    wP.set(place.weights);
    oP.set(place.output.addr + place.output.padH * outRow + place.output.padW * CbOut);
    bP.set(place.bias);
    pP.set(place.psum);
  };
  setOrigins();

  if (os) {
    if (loopOrder === 'channels-outer') channelLoops(0, (t) => pixelLoops(1, (m) => osBody(t, m)));
    else pixelLoops(0, (m) => channelLoops(3, (t) => osBody(t, m)));
  } else if (dataflow === 'weight-stationary') {
    // For each tile: for each group of kb steps: load its weights, then stream every pixel.
    channelLoops(0, (t) => {
      const flat = flatSteps(t);
      for (let k0 = 0; k0 < flat.length; k0 += kb) {
        const group = flat.slice(k0, k0 + kb);
        const wregs = new Map<string, number>();
        let r = actBase + mb;
        for (const [tap, s] of group)
          for (const { u, off } of unitsAt(t, tap, s)) {
            cb.emit('vld', { d: r, s1: X_W, imm: wP.at(off) });
            wregs.set(`${tap}/${s}/${u.b}/${u.lane}`, r++);
          }
        const first = k0 === 0;
        const last = k0 + kb >= flat.length;
        pixelLoops(1, (m) => {
          initAcc(t, m, !first);
          for (const [tap, s] of group) {
            for (let p = 0; p < m; p++) loadAct(actBase + p, p, tap, s);
            for (const { u } of unitsAt(t, tap, s)) for (let p = 0; p < m; p++) mac(accReg(p, u.b), actBase + p, wregs.get(`${tap}/${s}/${u.b}/${u.lane}`)!, u);
          }
          if (last) epilogue(t, m);
          else storePsum(t, m);
        });
      }
    });
  } else {
    // For each pixel tile: for each group of kb steps: load its activations, then stream every channel tile.
    const allSteps = [...new Set(tiles.flatMap((t) => t.steps))].sort((a, b) => a - b);
    const flat = taps.flatMap((_, tap) => allSteps.map((s) => [tap, s] as [number, number]));
    pixelLoops(0, (m) => {
      for (let k0 = 0; k0 < flat.length; k0 += kb) {
        const group = flat.slice(k0, k0 + kb);
        group.forEach(([tap, s], gi) => {
          for (let p = 0; p < m; p++) loadAct(actBase + gi * mb + p, p, tap, s);
        });
        const first = k0 === 0;
        const last = k0 + kb >= flat.length;
        channelLoops(3, (t) => {
          initAcc(t, m, !first);
          group.forEach(([tap, s], gi) => {
            for (const { u, off } of unitsAt(t, tap, s)) {
              const w = R_W[wRot++ & 1]!;
              cb.emit('vld', { d: w, s1: X_W, imm: wP.at(off) });
              for (let p = 0; p < m; p++) mac(accReg(p, u.b), actBase + gi * mb + p, w, u);
            }
          });
          if (last) epilogue(t, m);
          else storePsum(t, m);
        });
      }
    });
  }
  cb.emit('halt');

  const usefulMacs = shape.batch * shape.outH * shape.outW * shape.outC * shape.kH * shape.kW * Cg;
  return {
    instrs: cb.instrs,
    loops: cb.loops,
    weightImage: wimg,
    biasImage: bimg,
    plan: {
      family,
      dataflow,
      loopOrder,
      mb,
      nb,
      kb,
      vregs,
      weightBytes: wimg.length,
      biasBytes: bimg.length,
      psumBytes: os ? 0 : shape.batch * shape.outH * shape.outW * psPix,
      usefulMacs,
    },
  };
}
