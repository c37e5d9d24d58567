/**
 * The convolution generator: every convolution-like layer (fully connected, 2-D convolution with stride,
 * padding, dilation and groups, depthwise convolution, average pooling) as an implicit matrix product,
 * for four precisions and three register-level dataflows.
 *
 * {@link generateConv} composes five parts, each a module of `src/kernels/conv/`:
 * 1. the *reduction form* of the precision (`forms.ts`): what a reduction step reads, how activations are
 *    loaded, how a weight unit is packed, the multiply-accumulate instruction (lane-reducing `vmdot`/`vxdot`,
 *    broadcasting `vdotus`/`vfma`);
 * 2. *tile planning* (`tiles.ts`): steps, taps, output-channel blocks and tiles, runs of identical tiles;
 * 3. *weight packing* (`weights.ts`): the weight stream `[tile][tap][unit]` and the bias vector;
 * 4. *register allocation* (`registers.ts`): reserved registers, accumulators, what the dataflow keeps;
 * 5. the *dataflow emitter* (`dataflows.ts` names one per dataflow), which arranges the primitives of the
 *    emission context (`emitter.ts`: pointers, tile primitives, loop nests) into the layer's code.
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
import { DATAFLOWS } from './conv/dataflows.js';
import { ConvEmitter } from './conv/emitter.js';
import { formOf } from './conv/forms.js';
import { allocateRegisters, FIRST_FREE, VREGS } from './conv/registers.js';
import { planTiles } from './conv/tiles.js';
import type { ConvCode, ConvData, ConvPlacement, DataflowOptions, OutputSpec } from './conv/types.js';
import { packBias, packWeights } from './conv/weights.js';
import { planLayout, type ActivationLayout } from './layout.js';
import type { LayerPrecision } from './precision.js';
import type { ConvShape } from './spec.js';

export type { ConvCode, ConvData, ConvPlacement, ConvPlan, Dataflow, DataflowOptions, LoopOrder, OutputSpec } from './conv/types.js';

/** The output layout an output spec implies for `outC` channels. */
export function outputLayoutOf(out: OutputSpec, outC: number, isa: IsaConfig): ActivationLayout {
  return out.kind === 'requant' ? planLayout(out.precision, outC, isa) : planLayout({ kind: 'fp32' }, outC, isa);
}

/**
 * Generates the instructions and weight/bias images of a convolution. The code refers to the addresses in
 * `place`; the weight and bias images must be placed at `place.weights` and `place.bias`.
 */
export function generateConv(shape: ConvShape, precision: LayerPrecision, data: ConvData, out: OutputSpec, place: ConvPlacement, opts: DataflowOptions, isa: IsaConfig): ConvCode {
  const form = formOf(precision);
  const inL = place.input.layout;
  const outL = place.output.layout;
  if (form.float ? out.kind !== 'fp32' : out.kind === 'fp32') throw new Error(`an ${precision.kind} layer cannot produce ${out.kind} outputs`);
  form.check(shape, precision, isa);
  const dataflow = opts.dataflow ?? 'output-stationary';
  const loopOrder = opts.loopOrder ?? 'channels-outer';
  const emitter = DATAFLOWS[dataflow];
  if (!emitter) throw new Error(`unknown dataflow '${String(dataflow)}' (one of ${Object.keys(DATAFLOWS).join(', ')})`);
  const defaults = emitter.defaults(form);
  const mbMax = opts.mb ?? defaults.mb;
  const nb = opts.nb ?? defaults.nb;
  if (mbMax < 1 || nb < 1) throw new Error('mb and nb must be at least 1');
  const mb = Math.min(mbMax, shape.outW);

  const tiles = planTiles(shape, form, inL, outL, nb, isa);
  const weights = packWeights(tiles, form, shape, data, inL, outL, isa.vlenBits);
  const biasImage = packBias(tiles, form, data, inL, outL);
  const demand = emitter.registers({ mb, nb, kb: opts.kb, maxUnitsPerStep: tiles.maxUnitsPerStep, free: VREGS - FIRST_FREE - mb * nb });
  const regs = allocateRegisters(dataflow, mb, nb, demand);

  const e = new ConvEmitter({ shape, form, inL, outL, out, place, vlenBits: isa.vlenBits, mb, loopOrder, tiles, weights, regs });
  e.prologue();
  emitter.emit(e);
  e.cb.emit('halt');

  const Cg = shape.inC / shape.groups;
  return {
    instrs: e.cb.instrs,
    loops: e.cb.loops,
    weightImage: weights.image,
    biasImage,
    plan: {
      family: form.family,
      dataflow,
      loopOrder,
      mb,
      nb,
      kb: regs.kb,
      vregs: regs.vregs,
      weightBytes: weights.image.length,
      biasBytes: biasImage.length,
      psumBytes: emitter.psum ? shape.batch * shape.outH * shape.outW * outL.positions * 4 : 0,
      usefulMacs: shape.batch * shape.outH * shape.outW * shape.outC * shape.kH * shape.kW * Cg,
    },
  };
}
