/**
 * The one generator interface: (layer, precision, dataflow options, core) -> a program with its memory image
 * (weights, bias, input and output buffers placed in simulated memory) and a way to read the outputs back.
 *
 * @module
 */
import type { IsaConfig } from '../isa/config.js';
import { resolveIsaConfig, type IsaConfigInput } from '../isa/config.js';
import { makeProgram, type DataBlock, type Program } from '../isa/program.js';
import type { MachineState } from '../isa/state.js';
import { executionCounts } from './builder.js';
import { generateConv, outputLayoutOf, type ConvData, type ConvPlan, type DataflowOptions, type OutputSpec } from './conv.js';
import { planLayout } from './layout.js';
import type { LayerPrecision } from './precision.js';
import { Rng } from './rng.js';
import { convShapeOf, type AvgPoolSpec, type Conv2dSpec, type ConvShape, type DepthwiseSpec, type FcSpec } from './spec.js';
import { packTensor, placeBytes, unpackTensor, type TensorPlace } from './tensor.js';

/** A named range of simulated memory. */
export interface MemoryRegion {
  readonly name: 'input' | 'output' | 'weights' | 'bias' | 'psum';
  readonly addr: number;
  readonly bytes: number;
}

/** Options of {@link generate}: the dataflow, what to do with results, and where memory starts. */
export interface GenerateOptions extends DataflowOptions {
  /** Default: `int32` results (`fp32` for an fp32 layer). */
  readonly output?: OutputSpec;
  /** Zero border of the output buffer (the next layer's padding). Default [0, 0]. */
  readonly outputPadding?: readonly [number, number];
  /** First data address. Default 256. */
  readonly base?: number;
  /** Packed input values to place in the memory image (NHWC, original channel order). */
  readonly input?: ArrayLike<number>;
  /** Place input and output at these addresses instead of allocating them (for networks). */
  readonly inputPlace?: TensorPlace;
  readonly outputAddr?: number;
}

/** A generated layer. */
export interface Kernel {
  readonly program: Program;
  readonly regions: readonly MemoryRegion[];
  readonly input: TensorPlace;
  readonly output: TensorPlace;
  readonly plan: ConvPlan;
  /** Runs of each instruction, from the loop nest alone (exact for generated code). */
  readonly execCounts: Float64Array;
  /** The counted loops of the program (`top`..`branch` run `count` times), as the builder emitted them. */
  readonly loops: readonly { readonly top: number; readonly branch: number; readonly count: number }[];
  /** Bytes of data memory the kernel needs (highest address used + 1). */
  readonly memoryEnd: number;
  /** Writes NHWC input values (original channel order) into a machine state. */
  writeInput(state: MachineState, values: ArrayLike<number>): void;
  /** The outputs, NHWC in the original channel order: int32, fp32, or requantised activation codes. */
  readOutput(state: MachineState): number[];
}

/** Convolution-like layers the generator handles. */
export type ConvLikeLayer = Conv2dSpec | FcSpec | DepthwiseSpec | AvgPoolSpec;

const align = (n: number, a: number) => Math.ceil(n / a) * a;

/**
 * Generates a convolution-like layer. `data` holds weights `[outC][kH][kW][inC/groups]` and biases in the
 * original channel order. Throws a clear error for what does not fit the core (registers, patterns, branch
 * range, memory).
 */
export function generate(layer: ConvLikeLayer, precision: LayerPrecision, data: ConvData, options: GenerateOptions = {}, isaInput: IsaConfigInput | IsaConfig = {}): Kernel {
  const isa = resolveIsaConfig(isaInput as IsaConfigInput);
  const shape = convShapeOf(layer);
  const out: OutputSpec = options.output ?? (precision.kind === 'fp32' ? { kind: 'fp32' } : { kind: 'int32' });
  const VB = isa.vlenBits / 8;
  let at = options.base ?? 256;
  const input: TensorPlace =
    options.inputPlace ?? { addr: at, batch: shape.batch, height: shape.inH, width: shape.inW, padH: shape.pH, padW: shape.pW, layout: planLayout(precision, shape.inC, isa) };
  if (input.padH < shape.pH || input.padW < shape.pW) throw new Error(`the input buffer has a ${input.padH}x${input.padW} border, the layer pads ${shape.pH}x${shape.pW}`);
  if (!options.inputPlace) at = align(at + placeBytes(input), VB);
  const [oph, opw] = options.outputPadding ?? [0, 0];
  const output: TensorPlace = { addr: options.outputAddr ?? at, batch: shape.batch, height: shape.outH, width: shape.outW, padH: oph, padW: opw, layout: outputLayoutOf(out, shape.outC, isa) };
  at = Math.max(at, align(output.addr + placeBytes(output), VB));
  // Sizes first (a dry run places nothing), then the real generation with addresses.
  const wAddr = at;
  const dry = generateConv(shape, precision, data, out, { input, output, weights: wAddr, bias: 0, psum: 0 }, options, isa);
  const bAddr = align(wAddr + dry.plan.weightBytes, VB);
  const pAddr = align(bAddr + dry.plan.biasBytes, VB);
  const end = pAddr + dry.plan.psumBytes;
  if (end > isa.memoryBytes) throw new Error(`the layer needs ${end} bytes of data memory, the core has ${isa.memoryBytes} (isa.memoryBytes)`);
  const code = generateConv(shape, precision, data, out, { input, output, weights: wAddr, bias: bAddr, psum: pAddr }, options, isa);
  const blocks: DataBlock[] = [
    { addr: wAddr, bytes: code.weightImage },
    { addr: bAddr, bytes: code.biasImage },
  ];
  if (options.input) blocks.push({ addr: input.addr, bytes: packTensor(input, options.input) });
  const program = makeProgram(code.instrs, blocks);
  const regions: MemoryRegion[] = [
    { name: 'input', addr: input.addr, bytes: placeBytes(input) },
    { name: 'output', addr: output.addr, bytes: placeBytes(output) },
    { name: 'weights', addr: wAddr, bytes: code.plan.weightBytes },
    { name: 'bias', addr: bAddr, bytes: code.plan.biasBytes },
    { name: 'psum', addr: pAddr, bytes: code.plan.psumBytes },
  ];
  return {
    program,
    regions,
    input,
    output,
    plan: code.plan,
    execCounts: executionCounts(code.instrs.length, code.loops),
    loops: code.loops,
    memoryEnd: end,
    writeInput: (state, values) => state.writeBytes(input.addr, packTensor(input, values)),
    readOutput: (state) => readRaw(state, output, out, shape),
  };
}

function readRaw(state: MachineState, output: TensorPlace, out: OutputSpec, shape: ConvShape): number[] {
  if (out.kind === 'requant') return unpackTensor(output, state.mem);
  const res: number[] = [];
  const L = output.layout;
  const dv = state.memView;
  for (let n = 0; n < shape.batch; n++)
    for (let y = 0; y < shape.outH; y++)
      for (let x = 0; x < shape.outW; x++) {
        const base = output.addr + ((n * (output.height + 2 * output.padH) + y + output.padH) * (output.width + 2 * output.padW) + x + output.padW) * L.pixelBytes;
        for (let c = 0; c < shape.outC; c++) {
          const a = base + 4 * L.posOf[c]!;
          res.push(out.kind === 'fp32' ? dv.getFloat32(a, true) : dv.getInt32(a, true));
        }
      }
  return res;
}

/**
 * Seeded synthetic data for a layer: weights in range for each input channel's width (int8 -128..127,
 * binary -1/+1, fp32 uniform in [-1, 1)), and small biases.
 */
export function randomConvData(shape: ConvShape, precision: LayerPrecision, seed: number): ConvData {
  const rng = new Rng(seed);
  const Cg = shape.inC / shape.groups;
  const Og = shape.outC / shape.groups;
  const n = shape.outC * shape.kH * shape.kW * Cg;
  const weights = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const ci = i % Cg;
    const oc = Math.floor(i / (shape.kH * shape.kW * Cg));
    const c = Math.floor(oc / Og) * Cg + ci;
    weights[i] = randomWeight(rng, precision, c);
  }
  const bias = Array.from({ length: shape.outC }, () => (precision.kind === 'fp32' ? Math.fround(rng.float() - 0.5) : rng.int(-64, 64)));
  return { weights, bias };
}

function randomWeight(rng: Rng, p: LayerPrecision, c: number): number {
  switch (p.kind) {
    case 'fp32':
      return Math.fround(rng.float() * 2 - 1);
    case 'int8':
      return rng.int(-128, 127);
    case 'binary':
      return rng.int(0, 1) === 1 ? 1 : -1;
    case 'mixed': {
      const w = p.widths[c]!;
      return w === 1 ? (rng.int(0, 1) === 1 ? 1 : -1) : rng.int(-(2 ** (w - 1)), 2 ** (w - 1) - 1);
    }
  }
}

/** Seeded activations for `count` pixels of `channels` channels at a precision (original channel order). */
export function randomActivations(count: number, channels: number, precision: LayerPrecision, seed: number): number[] {
  const rng = new Rng(seed);
  const out = new Array<number>(count * channels);
  for (let i = 0; i < out.length; i++) {
    const c = i % channels;
    switch (precision.kind) {
      case 'fp32':
        out[i] = Math.fround(rng.float() * 2 - 1);
        break;
      case 'int8':
        out[i] = rng.int(0, 255);
        break;
      case 'binary':
        out[i] = rng.int(0, 1) === 1 ? 1 : -1;
        break;
      case 'mixed':
        out[i] = rng.int(0, 2 ** precision.widths[c]! - 1);
        break;
    }
  }
  return out;
}
