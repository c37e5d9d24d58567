/**
 * One ONNX node on the simulated core: the node is lowered to a simulator layer (conv2d, depthwise, fc,
 * maxpool, avgpool) with its weights, the layer is generated, run on the functional executor, and its
 * result read back in ONNX's NCHW order. What the core does not compute is done on the host and says so:
 * explicit padding where ONNX pads asymmetrically or with a value other than the kernel's code 0, the zero
 * point corrections folded into an int32 bias, and the float requantisation of the QLinear operators
 * (the core's `vrequant` shifts by a power of two; ONNX multiplies by an arbitrary float).
 *
 * A node the simulator cannot run is refused with a {@link NotRunnable} error giving the reason, so callers
 * can list such cases rather than skip them silently.
 *
 * @module
 */
import type { IsaConfigInput } from '../isa/config.js';
import { resolveIsaConfig } from '../isa/config.js';
import { Executor } from '../isa/executor.js';
import { makeProgram } from '../isa/program.js';
import { generate } from '../kernels/generate.js';
import { generateAdd, generateMaxPool } from '../kernels/glue.js';
import { planLayout } from '../kernels/layout.js';
import type { LayerPrecision } from '../kernels/precision.js';
import { poolShapeOf, type AvgPoolSpec, type Conv2dSpec, type DepthwiseSpec, type FcSpec, type MaxPoolSpec } from '../kernels/spec.js';
import { packTensor, placeBytes, unpackTensor, type TensorPlace } from '../kernels/tensor.js';
import { describeNode, elementCount, numberAttr, type OnnxNode } from './graph.js';
import { requantMultiplier, roundHalfEven, window2d, type Value } from './reference.js';

/** Thrown when a node's shapes or attributes are outside what the simulated kernels can run. */
export class NotRunnable extends Error {
  constructor(
    readonly node: string,
    readonly reason: string,
  ) {
    super(`${node}: ${reason}`);
    this.name = 'NotRunnable';
  }
}

/** What a simulated node reports beside its outputs. */
export interface SimulatedNode {
  readonly outputs: Value[];
  /** Instructions the core executed. */
  readonly instructions: number;
  /** What ran on the host rather than on the core (empty when nothing did). */
  readonly host: readonly string[];
}

/** NCHW -> NHWC. */
export function toNhwc(data: ArrayLike<number>, n: number, c: number, h: number, w: number): number[] {
  const out = new Array<number>(n * c * h * w);
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[((b * h + y) * w + x) * c + ch] = data[((b * c + ch) * h + y) * w + x]!;
  return out;
}

/** NHWC -> NCHW. */
export function toNchw(data: ArrayLike<number>, n: number, c: number, h: number, w: number): Float64Array {
  const out = new Float64Array(n * c * h * w);
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[((b * c + ch) * h + y) * w + x] = data[((b * h + y) * w + x) * c + ch]!;
  return out;
}

/** Pads an NCHW tensor explicitly (top, left, bottom, right) with `value`. */
export function padNchw(x: Value, pads: readonly [number, number, number, number], value: number): Value {
  const [N, C, H, W] = x.dims as [number, number, number, number];
  const [t, l, b, r] = pads;
  const H2 = H + t + b;
  const W2 = W + l + r;
  const out = new Float64Array(N * C * H2 * W2).fill(value);
  for (let nc = 0; nc < N * C; nc++) for (let y = 0; y < H; y++) for (let xx = 0; xx < W; xx++) out[(nc * H2 + y + t) * W2 + xx + l] = x.data[(nc * H + y) * W + xx]!;
  return { dataType: x.dataType, dims: [N, C, H2, W2], data: out };
}

/** OIHW weights -> the generator's [out][kH][kW][in/groups]. */
function ohwi(w: Value, sub: (o: number) => number = () => 0): number[] {
  const [O, Cg, kH, kW] = w.dims as [number, number, number, number];
  const out = new Array<number>(O * Cg * kH * kW);
  for (let o = 0; o < O; o++) for (let c = 0; c < Cg; c++) for (let y = 0; y < kH; y++) for (let x = 0; x < kW; x++) out[((o * kH + y) * kW + x) * Cg + c] = w.data[((o * Cg + c) * kH + y) * kW + x]! - sub(o);
  return out;
}

type ConvLike = Conv2dSpec | DepthwiseSpec | FcSpec | AvgPoolSpec;

function runConvLike(spec: ConvLike, p: LayerPrecision, weights: number[], bias: number[], inputNhwc: number[], isa: IsaConfigInput): { out: number[]; instructions: number } {
  const k = generate(spec, p, { weights, bias }, { input: inputNhwc }, { ...isa, memoryBytes: 2 ** 31 });
  // The executor's memory is sized to the layer (clearing a large fixed memory per node would dominate).
  const ex = new Executor(k.program, { ...isa, memoryBytes: Math.max(4096, Math.ceil(k.memoryEnd / 4096) * 4096) });
  const r = ex.run();
  return { out: k.readOutput(ex.state), instructions: r.instructions };
}

/**
 * An int8 layer whose weights (after their zero point) may span -255..255, as uint8 weights with a zero
 * point do: weights outside the signed 8-bit range of `vdotus` are split into two int8 passes,
 * w = 128 hi + lo with lo in 0..127, and the host adds 128 x the first pass's int32 results to the second's.
 */
function runInt8(spec: ConvLike, weights: number[], bias: number[], inputNhwc: number[], isa: IsaConfigInput, host: string[], refuse: (r: string) => never): { out: number[]; instructions: number } {
  if (weights.every(int8Range)) return runConvLike(spec, { kind: 'int8' }, weights, bias, inputNhwc, isa);
  if (!weights.every((w) => w >= -(2 ** 14) && w < 2 ** 14)) refuse('weights minus their zero point exceed the two-pass int8 range');
  const hi = weights.map((w) => Math.floor(w / 128));
  if (!hi.every(int8Range)) refuse('weights minus their zero point exceed the two-pass int8 range');
  const lo = weights.map((w, i) => w - 128 * hi[i]!);
  const a = runConvLike(spec, { kind: 'int8' }, hi, new Array<number>(bias.length).fill(0), inputNhwc, isa);
  const b = runConvLike(spec, { kind: 'int8' }, lo, bias, inputNhwc, isa);
  host.push('weights beyond int8 split into two int8 passes (w = 128 hi + lo), summed on the host');
  return { out: b.out.map((v, i) => (v + 128 * a.out[i]!) | 0), instructions: a.instructions + b.instructions };
}

/** A 2-D window node's pads made symmetric for the kernel, or explicit on the host (returned as `hostPad`). */
function splitPads(pads: readonly [number, number, number, number], mustHost: boolean): { kernel: [number, number]; hostPad: [number, number, number, number] | undefined } {
  const [t, l, b, r] = pads;
  if (!mustHost && t === b && l === r) return { kernel: [t, l], hostPad: undefined };
  return { kernel: [0, 0], hostPad: t + l + b + r > 0 ? [t, l, b, r] : undefined };
}

const int8Range = (v: number) => v >= -128 && v <= 127;

/**
 * Runs a Conv, ConvInteger, QLinearConv, MatMul, MatMulInteger, QLinearMatMul, Gemm, MaxPool, AveragePool,
 * GlobalAveragePool or GlobalMaxPool node on the simulated core. Float nodes compute in fp32 (`vfma.f32`),
 * integer ones in int8 (`vdotus`: unsigned 8-bit activations, signed 8-bit weights). `ins` are the node's
 * input values (undefined for omitted optional inputs).
 */
export function simulateNode(node: OnnxNode, ins: readonly (Value | undefined)[], isaInput: IsaConfigInput = {}): SimulatedNode {
  const isa = resolveIsaConfig(isaInput);
  const where = describeNode(node);
  const refuse = (reason: string): never => {
    throw new NotRunnable(where, reason);
  };
  const x = ins[0]!;
  const host: string[] = [];
  const done = (r: SimulatedNode): SimulatedNode => ({ ...r, host: [...new Set(r.host)] });
  switch (node.opType) {
    case 'Conv':
    case 'ConvInteger':
    case 'QLinearConv': {
      const integer = node.opType !== 'Conv';
      const w = node.opType === 'QLinearConv' ? ins[3]! : ins[1]!;
      if (x.dims.length !== 4) refuse(`only 2-D convolutions run (input has rank ${x.dims.length})`);
      const win = window2d(node, x.dims[2]!, x.dims[3]!, w.dims.slice(2));
      const group = numberAttr(node, 'group', 1);
      let xZero = node.opType === 'ConvInteger' ? (ins[2]?.data[0] ?? 0) : node.opType === 'QLinearConv' ? ins[2]!.data[0]! : 0;
      const wZeroV = node.opType === 'ConvInteger' ? ins[3] : node.opType === 'QLinearConv' ? ins[5] : undefined;
      const wZero = (o: number) => (wZeroV ? (wZeroV.data.length === 1 ? wZeroV.data[0]! : wZeroV.data[o]!) : 0);
      let xin = x;
      // The int8 kernel reads unsigned activations: signed ones are offset by 128, a zero point like any other.
      if (integer && x.dataType === 'int8') {
        xin = { ...x, dataType: 'uint8', data: x.data.map((v) => v + 128) };
        xZero += 128;
        host.push('int8 activations offset by 128 to uint8');
      } else if (integer && x.dataType !== 'uint8') refuse(`activations of type ${x.dataType} (uint8 or int8 run)`);
      // Padding reads code 0 on the core; ONNX pads with the zero point, so a nonzero one is padded on the host.
      const { kernel, hostPad } = splitPads(win.pads, xZero !== 0);
      if (hostPad) {
        xin = padNchw(xin, hostPad, xZero);
        host.push(`padding [${hostPad.join(', ')}] with ${xZero}`);
      }
      const [N, C, H, W] = xin.dims as [number, number, number, number];
      const O = w.dims[0]!;
      const weights = ohwi(w, wZero);
      const spec: Conv2dSpec | DepthwiseSpec =
        group > 1 && group === C && O === C
          ? { kind: 'depthwise', batch: N, channels: C, inHeight: H, inWidth: W, kernel: [win.kH, win.kW], stride: [win.sH, win.sW], padding: kernel, dilation: [win.dH, win.dW] }
          : { kind: 'conv2d', batch: N, inChannels: C, outChannels: O, inHeight: H, inWidth: W, kernel: [win.kH, win.kW], stride: [win.sH, win.sW], padding: kernel, dilation: [win.dH, win.dW], groups: group };
      const Cg = w.dims[1]!;
      const taps = Cg * win.kH * win.kW;
      let bias: number[];
      if (integer) {
        // sum (x - xz)(w - wz) = sum x (w - wz) - xz * sum (w - wz): the second term is per output channel.
        const b = node.opType === 'QLinearConv' ? ins[8] : undefined;
        bias = Array.from({ length: O }, (_, o) => {
          let s = 0;
          for (let i = 0; i < taps; i++) s += weights[o * taps + i]!;
          return (b ? b.data[o]! : 0) - xZero * s;
        });
        if (xZero !== 0) host.push('zero-point correction folded into the int32 bias');
      } else bias = Array.from({ length: O }, (_, o) => ins[2]?.data[o] ?? 0);
      const nhwc = toNhwc(xin.data, N, C, H, W);
      const r = integer ? runInt8(spec, weights, bias, nhwc, isa, host, refuse) : runConvLike(spec, { kind: 'fp32' }, weights, bias, nhwc, isa);
      let y: Value = { dataType: integer ? 'int32' : 'float32', dims: [N, O, win.outH, win.outW], data: toNchw(r.out, N, O, win.outH, win.outW) };
      if (node.opType === 'QLinearConv') {
        const ws = ins[4]!.data;
        const plane = win.outH * win.outW;
        y = requantOnHost(y, ins[7]!, (i) => requantMultiplier(ins[1]!.data[0]!, ws.length === 1 ? ws[0]! : ws[Math.floor(i / plane) % O]!, ins[6]!.data[0]!));
        host.push('float requantisation of the int32 results');
      }
      return done({ outputs: [y], instructions: r.instructions, host });
    }
    case 'MatMul':
    case 'MatMulInteger':
    case 'QLinearMatMul':
    case 'Gemm': {
      const integer = node.opType !== 'MatMul' && node.opType !== 'Gemm';
      let a = x;
      let b = node.opType === 'QLinearMatMul' ? ins[3]! : ins[1]!;
      let aZero = node.opType === 'MatMulInteger' ? (ins[2]?.data[0] ?? 0) : node.opType === 'QLinearMatMul' ? ins[2]!.data[0]! : 0;
      const bZeroV = node.opType === 'MatMulInteger' ? ins[3] : node.opType === 'QLinearMatMul' ? ins[5] : undefined;
      if (node.opType === 'Gemm') {
        if (numberAttr(node, 'transA', 0) === 1) a = transpose2(a);
        if (numberAttr(node, 'transB', 0) === 0) b = transpose2(b);
      } else b = transposeLast2(b);
      if (a.dims.length < 2 || b.dims.length < 2) refuse('1-D operands are not supported');
      if (integer && a.dataType === 'int8') {
        a = { ...a, dataType: 'uint8', data: a.data.map((v) => v + 128) };
        aZero += 128;
        host.push('int8 activations offset by 128 to uint8');
      }
      // b is now [..., N, K]: each leading index is one fully connected layer with its own weights.
      const [M, K] = a.dims.slice(-2) as [number, number];
      const [Nn, K2] = b.dims.slice(-2) as [number, number];
      if (K !== K2) refuse(`inner dimensions ${K} and ${K2} differ`);
      const lead = a.dims.slice(0, -2);
      const leadB = b.dims.slice(0, -2);
      if (elementCount(leadB) !== 1 && leadB.join() !== lead.join()) refuse('only equal (or absent) leading dimensions of the second operand run');
      const batches = elementCount(lead);
      const out = new Float64Array(batches * M * Nn);
      let instructions = 0;
      for (let t = 0; t < batches; t++) {
        const bo = elementCount(leadB) === 1 ? 0 : t * Nn * K;
        const weights = Array.from({ length: Nn * K }, (_, i) => b.data[bo + i]! - (bZeroV ? (bZeroV.data.length === 1 ? bZeroV.data[0]! : bZeroV.data[Math.floor(i / K)]!) : 0));
        const alpha = node.opType === 'Gemm' ? numberAttr(node, 'alpha', 1) : 1;
        if (alpha !== 1) {
          if (Math.log2(Math.abs(alpha)) % 1 !== 0) refuse(`alpha ${alpha} is not a power of two (it is folded into the weights, which must stay exact)`);
          for (let i = 0; i < weights.length; i++) weights[i] = weights[i]! * alpha;
        }
        let bias = new Array<number>(Nn).fill(0);
        if (integer) bias = bias.map((_, o) => -aZero * weights.slice(o * K, o * K + K).reduce((s, v) => s + v, 0));
        const spec: FcSpec = { kind: 'fc', batch: M, inFeatures: K, outFeatures: Nn };
        const rows = Array.from(a.data.subarray(t * M * K, (t + 1) * M * K));
        const r = integer ? runInt8(spec, weights, bias, rows, isa, host, refuse) : runConvLike(spec, { kind: 'fp32' }, weights, bias, rows, isa);
        instructions += r.instructions;
        out.set(r.out, t * M * Nn);
      }
      let y: Value = { dataType: integer ? 'int32' : 'float32', dims: [...lead, M, Nn], data: out };
      if (node.opType === 'Gemm' && ins[2]) {
        const beta = numberAttr(node, 'beta', 1);
        const c = ins[2];
        const cd = c.dims.length === 0 ? [1, 1] : c.dims.length === 1 ? [1, c.dims[0]!] : c.dims;
        y = { ...y, data: y.data.map((v, i) => Math.fround(v + beta * c.data[(cd[0] === 1 ? 0 : Math.floor(i / Nn)) * cd[1]! + (cd[1] === 1 ? 0 : i % Nn)]!)) };
        host.push('bias C added on the host');
      }
      if (node.opType === 'QLinearMatMul') {
        const m = requantMultiplier(ins[1]!.data[0]!, ins[4]!.data[0]!, ins[6]!.data[0]!);
        y = requantOnHost(y, ins[7]!, () => m);
        host.push('float requantisation of the int32 results');
      }
      return done({ outputs: [y], instructions, host });
    }
    case 'MaxPool':
    case 'GlobalMaxPool':
    case 'AveragePool':
    case 'GlobalAveragePool': {
      if (x.dims.length !== 4) refuse(`only 2-D pooling runs (input has rank ${x.dims.length})`);
      const global = node.opType.startsWith('Global');
      const max = node.opType.endsWith('MaxPool');
      const [N, C, H, W] = x.dims as [number, number, number, number];
      const win = global ? { kH: H, kW: W, sH: 1, sW: 1, dH: 1, dW: 1, pads: [0, 0, 0, 0] as const, outH: 1, outW: 1 } : window2d(node, H, W);
      if (win.dH !== 1 || win.dW !== 1) refuse('dilated pooling windows do not run (the pooling kernels have no dilation)');
      const float = x.dataType === 'float32';
      if (!float && !(max && x.dataType === 'uint8')) refuse(`pooling of ${x.dataType} values does not run (float32, and uint8 max pooling, do)`);
      // Windows past the input (padding, ceil mode) are padded explicitly: -inf for max pooling (code 0 for
      // uint8, which is the smallest value), 0 for average pooling, which then counts them, as count_include_pad=1.
      const [t, l] = win.pads;
      const b = Math.max(0, (win.outH - 1) * win.sH + win.kH - H - t);
      const r = Math.max(0, (win.outW - 1) * win.sW + win.kW - W - l);
      let xin = x;
      if (t + l + b + r > 0) {
        if (!max && numberAttr(node, 'count_include_pad', 0) === 0) refuse('padded average pooling with count_include_pad=0 divides border windows by fewer elements; the core divides every window by kH*kW');
        if (!max && (b !== win.pads[2] || r !== win.pads[3])) refuse('ceil-mode average pooling divides its last windows by fewer elements; the core divides every window by kH*kW');
        xin = padNchw(x, [t, l, b, r], max ? (float ? -Infinity : 0) : 0);
        host.push(`padding [${t}, ${l}, ${b}, ${r}]`);
      }
      const [H2, W2] = [xin.dims[2]!, xin.dims[3]!];
      const p: LayerPrecision = { kind: float ? 'fp32' : 'int8' };
      const nhwc = toNhwc(xin.data, N, C, H2, W2);
      let out: number[];
      let instructions: number;
      if (max) {
        const spec: MaxPoolSpec = { kind: 'maxpool', batch: N, channels: C, inHeight: H2, inWidth: W2, kernel: [win.kH, win.kW], stride: [win.sH, win.sW], padding: 0 };
        const shape = poolShapeOf(spec);
        const inPlace: TensorPlace = { addr: 256, batch: N, height: H2, width: W2, padH: 0, padW: 0, layout: planLayout(p, C, isa) };
        const outPlace: TensorPlace = { ...inPlace, addr: 256 + placeBytes(inPlace) + 64, height: shape.outH, width: shape.outW };
        const code = generateMaxPool(shape, inPlace, outPlace, isa);
        const mem = { ...isa, memoryBytes: Math.max(4096, Math.ceil((outPlace.addr + placeBytes(outPlace)) / 4096) * 4096) };
        const ex = new Executor(makeProgram(code.instrs, [{ addr: inPlace.addr, bytes: packTensor(inPlace, nhwc) }]), mem);
        instructions = ex.run().instructions;
        out = unpackTensor(outPlace, ex.state.mem);
        if (shape.outH !== win.outH || shape.outW !== win.outW) refuse(`output ${shape.outH}x${shape.outW} differs from ONNX's ${win.outH}x${win.outW}`);
      } else {
        // fp32 average pooling is a depthwise product with weights 1/(kH*kW), rounded to binary32.
        const spec: AvgPoolSpec = { kind: 'avgpool', batch: N, channels: C, inHeight: H2, inWidth: W2, kernel: [win.kH, win.kW], stride: [win.sH, win.sW] };
        const k = win.kH * win.kW;
        const r2 = runConvLike(spec, p, new Array<number>(C * k).fill(Math.fround(1 / k)), new Array<number>(C).fill(0), nhwc, isa);
        out = r2.out;
        instructions = r2.instructions;
      }
      return done({ outputs: [{ dataType: x.dataType, dims: [N, C, win.outH, win.outW], data: toNchw(out, N, C, win.outH, win.outW) }], instructions, host });
    }
    case 'Add': {
      const y = ins[1]!;
      if (x.dims.length !== 4 || y.dims.join() !== x.dims.join() || x.dataType !== 'float32') refuse('only a residual add of two float32 NCHW tensors of one shape runs on the core');
      const [N, C, H, W] = x.dims as [number, number, number, number];
      const place = (addr: number): TensorPlace => ({ addr, batch: N, height: H, width: W, padH: 0, padW: 0, layout: planLayout({ kind: 'fp32' }, C, isa) });
      const a = place(256);
      const b = place(256 + placeBytes(a));
      const o = place(b.addr + placeBytes(b));
      const code = generateAdd({ batch: N, outH: H, outW: W }, a, b, o, isa);
      const mem = { ...isa, memoryBytes: Math.max(4096, Math.ceil((o.addr + placeBytes(o)) / 4096) * 4096) };
      const ex = new Executor(makeProgram(code.instrs, [{ addr: a.addr, bytes: packTensor(a, toNhwc(x.data, N, C, H, W)) }, { addr: b.addr, bytes: packTensor(b, toNhwc(y.data, N, C, H, W)) }]), mem);
      const instructions = ex.run().instructions;
      return done({ outputs: [{ dataType: 'float32', dims: x.dims, data: toNchw(unpackTensor(o, ex.state.mem), N, C, H, W) }], instructions, host });
    }
    default:
      return refuse(`operator ${node.opType} has no simulated kernel`);
  }
}

function requantOnHost(acc: Value, zero: Value, multiplier: (i: number) => number): Value {
  const t = zero.dataType;
  const [lo, hi] = t === 'int8' ? [-128, 127] : [0, 255];
  return { dataType: t, dims: acc.dims, data: acc.data.map((a, i) => Math.min(hi, Math.max(lo, roundHalfEven(multiplier(i) * a) + zero.data[0]!))) };
}

function transpose2(v: Value): Value {
  const [r, c] = v.dims as [number, number];
  const d = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) d[j * r + i] = v.data[i * c + j]!;
  return { ...v, dims: [c, r], data: d };
}

/** Swaps the last two dimensions (MatMul's B [.., K, N] -> [.., N, K], the fully connected layer's weights). */
function transposeLast2(v: Value): Value {
  if (v.dims.length < 2) return v;
  const [r, c] = v.dims.slice(-2) as [number, number];
  const lead = elementCount(v.dims.slice(0, -2));
  const d = new Float64Array(v.data.length);
  for (let t = 0; t < lead; t++) for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) d[t * r * c + j * r + i] = v.data[t * r * c + i * c + j]!;
  return { ...v, dims: [...v.dims.slice(0, -2), c, r], data: d };
}
