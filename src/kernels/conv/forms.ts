/**
 * Reduction forms: how one kernel family reduces input channels into int32 (fp32) accumulators. A form owns
 * everything that depends on the instruction doing the reduction: which layers it accepts, what one reduction
 * *step* reads from a pixel vector, how activations reach a register, how a weight *unit* is packed, and the
 * multiply-accumulate instruction. Tile planning, register allocation and the dataflow emitters only see this
 * interface, so a new reduction instruction is one more form here.
 *
 * - *Lane-reducing* forms (`vmdot.ppK`, `vxdot`): one instruction reduces a whole register of input channels
 *   (one chunk of the pixel vector) into int32 lane `l` of an accumulator; a weight unit is one output
 *   channel's chunk, and a block of L = VLEN/32 output channels shares one accumulator register.
 * - *Broadcasting* forms (`vdotus` for int8, `vfma.f32` for fp32): 4 input bytes (int8) or one float (fp32)
 *   of a pixel are loaded with `lw` and broadcast to every lane (`vbcast.u32`); a weight unit is one register
 *   holding those input channels for L output channels.
 *
 * @module
 */
import type { IsaConfig } from '../../isa/config.js';
import type { CodeBuilder } from '../builder.js';
import { writeBits, type ActivationLayout } from '../layout.js';
import type { LayerPrecision } from '../precision.js';
import type { ConvShape } from '../spec.js';
import { X_A, X_S } from './registers.js';
import type { ConvPlan } from './types.js';

/** One weight unit to pack: VLEN/8 bytes at `at` in the weight image. */
export interface UnitToPack {
  readonly at: number;
  /** Output channel of each lane the unit serves (one for a lane-reducing form, L for broadcasting; -1: padding). */
  readonly ocs: readonly number[];
  /** Reduction step of the unit. */
  readonly step: number;
  /** Kernel tap `[ky, kx]` of the unit. */
  readonly tap: readonly [number, number];
}

/** What packing a unit needs to know about the layer. */
export interface PackContext {
  readonly image: Uint8Array;
  readonly view: DataView;
  readonly inL: ActivationLayout;
  readonly vlenBits: number;
  /** Input positions read by each step. */
  readonly stepPos: readonly (readonly number[])[];
  /** The layer's weight for output channel `oc`, input channel `c` at a tap (0 outside the channel's group). */
  weight(oc: number, c: number, tap: readonly [number, number]): number;
}

/** A reduction form (see the module comment). */
export interface ReductionForm {
  readonly family: ConvPlan['family'];
  /** True: a unit is one output channel's chunk reduced into one lane; false: a unit is a register of L output channels. */
  readonly laneReducing: boolean;
  /** Results are fp32 (else int32). */
  readonly float: boolean;
  /** Throws a clear error when the layer cannot use this form. */
  check(shape: ConvShape, precision: LayerPrecision, isa: IsaConfig): void;
  /** Reduction steps of one pixel vector in layout `inL`. */
  stepCount(inL: ActivationLayout): number;
  /** Input positions (of `inL`) that step `s` reads. */
  stepPositions(inL: ActivationLayout, s: number, vlenBits: number): number[];
  /** Byte offset of step `s` within the pixel vector. */
  stepOffset(s: number, vlenBytes: number): number;
  /** Writes one weight unit into the image; throws a RangeError naming a weight that does not fit. */
  packUnit(ctx: PackContext, u: UnitToPack): void;
  /** Added to every int32 bias: what `paddingReads` reads of padding positions per output add to a sum. */
  biasOffset(paddingReads: number): number;
  /** Loads the activations of one step (at immediate `imm` from the activation pointer) into vector register `r`. */
  loadActivation(cb: CodeBuilder, r: number, imm: number): void;
  /** acc += act . w for a unit of output lane `lane` (lane-reducing forms) and reduction step `step` of layout `inL`. */
  mac(cb: CodeBuilder, acc: number, act: number, w: number, lane: number, step: number, inL: ActivationLayout): void;
}

/** Lane-reducing units: the output channel's weights at their input channels' widths and bit positions. */
function packLaneUnit(ctx: PackContext, u: UnitToPack): void {
  const oc = u.ocs[0]!;
  const inL = ctx.inL;
  for (const q of ctx.stepPos[u.step]!) {
    const c = inL.order[q]!;
    const w = inL.widthAt[q]!;
    const v = c < 0 ? 0 : ctx.weight(oc, c, u.tap);
    const bit = inL.bitAt[q]! - u.step * ctx.vlenBits;
    let raw: number;
    if (w === 1) raw = v > 0 ? 1 : 0;
    else {
      if (!Number.isInteger(v) || v < -(2 ** (w - 1)) || v >= 2 ** (w - 1)) throw new RangeError(`weight ${v} of output channel ${oc}, input channel ${c} does not fit ${w} signed bits`);
      raw = v < 0 ? v + 2 ** w : v;
    }
    writeBits(ctx.image, u.at * 8 + bit, w, raw);
  }
}

const laneSteps = {
  laneReducing: true,
  float: false,
  stepCount: (inL: ActivationLayout) => inL.chunks.length,
  stepPositions(inL: ActivationLayout, s: number, V: number): number[] {
    const out: number[] = [];
    for (let q = 0; q < inL.positions; q++) if (Math.floor(inL.bitAt[q]! / V) === s) out.push(q);
    return out;
  },
  stepOffset: (s: number, VB: number) => s * VB,
  packUnit: packLaneUnit,
  loadActivation(cb: CodeBuilder, r: number, imm: number): void {
    cb.emit('vld', { d: r, s1: X_A, imm });
  },
} as const;

const broadcastSteps = {
  laneReducing: false,
  stepOffset: (s: number) => 4 * s,
  biasOffset: () => 0,
  loadActivation(cb: CodeBuilder, r: number, imm: number): void {
    cb.emit('lw', { d: X_S, s1: X_A, imm });
    cb.emit('vbcast', { d: r, s1: X_S, et: 'u32' });
  },
} as const;

/** Mixed precision with the mixed unit: `vmdot.ppK`, one chunk per step under the chunk's pattern. */
const MDOT: ReductionForm = {
  ...laneSteps,
  family: 'mdot',
  check(shape, precision, isa) {
    if (!isa.mixedUnit) throw new Error('a mixed-precision layer needs the mixed unit (isa.mixedUnit = false); decoding in software is not generated yet');
    if (shape.groups > 1 && precision.kind === 'mixed' && precision.widths.includes(1)) {
      throw new Error('grouped or depthwise layers cannot have 1-bit channels: a 1-bit weight is -1 or +1, so vmdot cannot ignore the channels of other groups (give these layers widths of 2 bits or more)');
    }
  },
  biasOffset: () => 0,
  mac(cb, acc, act, w, lane, step, inL) {
    cb.emit('vmdot', { d: acc, s1: act, s2: w, imm: lane, pp: inL.chunks[step]!.pp });
  },
};

/** Binary: XNOR-popcount `vxdot`, one chunk per step. */
const XDOT: ReductionForm = {
  ...laneSteps,
  family: 'xdot',
  check(shape) {
    if (shape.groups > 1) throw new Error('grouped or depthwise binary layers are not supported: XNOR-popcount cannot zero the channels of other groups');
  },
  // A padding position reads 0 XNOR 0 = +1 in every tap; the bias takes it back.
  biasOffset: (paddingReads) => -paddingReads,
  mac(cb, acc, act, w, lane) {
    cb.emit('vxdot', { d: acc, s1: act, s2: w, imm: lane });
  },
};

/** int8: a word of 4 channels broadcast, `vdotus` (unsigned activations x signed weights) per int32 lane. */
const INT8: ReductionForm = {
  ...broadcastSteps,
  family: 'int8',
  float: false,
  check() {},
  stepCount: (inL) => inL.positions / 4,
  stepPositions: (_inL, s) => [4 * s, 4 * s + 1, 4 * s + 2, 4 * s + 3],
  packUnit(ctx, u) {
    u.ocs.forEach((oc, l) =>
      ctx.stepPos[u.step]!.forEach((q, j) => {
        const c = ctx.inL.order[q]!;
        const v = oc < 0 || c < 0 ? 0 : ctx.weight(oc, c, u.tap);
        if (!Number.isInteger(v) || v < -128 || v > 127) throw new RangeError(`int8 weight ${v} out of range`);
        ctx.view.setInt8(u.at + 4 * l + j, v);
      }),
    );
  },
  mac(cb, acc, act, w) {
    cb.emit('vdotus', { d: acc, s1: act, s2: w });
  },
};

/** fp32: one channel broadcast, `vfma.f32` per lane. */
const FP32: ReductionForm = {
  ...broadcastSteps,
  family: 'fp32',
  float: true,
  check() {},
  stepCount: (inL) => inL.positions,
  stepPositions: (_inL, s) => [s],
  packUnit(ctx, u) {
    u.ocs.forEach((oc, l) =>
      ctx.stepPos[u.step]!.forEach((q) => {
        const c = ctx.inL.order[q]!;
        ctx.view.setFloat32(u.at + 4 * l, oc < 0 || c < 0 ? 0 : ctx.weight(oc, c, u.tap), true);
      }),
    );
  },
  mac(cb, acc, act, w) {
    cb.emit('vfma', { d: acc, s1: act, s2: w, et: 'f32' });
  },
};

/** The form a layer precision's kernels use. */
export function formOf(p: LayerPrecision): ReductionForm {
  switch (p.kind) {
    case 'mixed':
      return MDOT;
    case 'binary':
      return XDOT;
    case 'int8':
      return INT8;
    case 'fp32':
      return FP32;
  }
}
