/**
 * A plain reference interpreter of imported ONNX graphs, written from the ONNX operator definitions: NCHW
 * tensors, nested loops, no layouts. It gives the float model's outputs (the accuracy the quantised network
 * is compared with), runs the host-side glue that the simulated core does not (e.g. HardSigmoid, Softmax),
 * and is itself checked against the ONNX operator test data (test/onnx/oracle.test.ts).
 *
 * Values are held as float64 arrays with their ONNX element type; float32 results are rounded to binary32
 * after every operator (as a float32 runtime stores them), integers are exact.
 *
 * @module
 */
import { describeNode, elementCount, intsAttr, numberAttr, stringAttr, type OnnxDataType, type OnnxGraph, type OnnxNode, type OnnxTensor } from './graph.js';

/** A value flowing through the interpreter. */
export interface Value {
  readonly dataType: OnnxDataType;
  readonly dims: readonly number[];
  readonly data: Float64Array;
}

/** An ONNX tensor as a {@link Value}. */
export function valueOf(t: OnnxTensor): Value {
  return { dataType: t.dataType, dims: t.dims, data: Float64Array.from(t.data) };
}

const f32 = Math.fround;
/** Rounds half to even, as ONNX's QuantizeLinear and QLinear* operators do. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
const RANGES: Partial<Record<OnnxDataType, [number, number]>> = { uint8: [0, 255], int8: [-128, 127], int32: [-(2 ** 31), 2 ** 31 - 1], uint16: [0, 65535], int16: [-32768, 32767] };
function saturate(x: number, t: OnnxDataType): number {
  const r = RANGES[t];
  return r ? Math.min(r[1], Math.max(r[0], x)) : x;
}

/** Geometry of a 2-D window operator (Conv, pools) on an NCHW input. */
export interface Window2d {
  readonly kH: number;
  readonly kW: number;
  readonly sH: number;
  readonly sW: number;
  readonly dH: number;
  readonly dW: number;
  /** Padding: top, left, bottom, right. */
  readonly pads: readonly [number, number, number, number];
  readonly outH: number;
  readonly outW: number;
}

/**
 * The window geometry of a Conv/ConvInteger/QLinearConv/MaxPool/AveragePool node on an `inH x inW` input:
 * kernel_shape (or the weight's spatial dims), strides, dilations, pads or auto_pad (SAME_UPPER, SAME_LOWER,
 * VALID), ceil_mode. Only 2-D windows: a 1-D or 3-D one is refused with the node named.
 */
export function window2d(node: OnnxNode, inH: number, inW: number, kernel?: readonly number[]): Window2d {
  const k = intsAttr(node, 'kernel_shape', kernel);
  if (!k || k.length !== 2) throw new Error(`${describeNode(node)}: only 2-D windows are supported (kernel_shape ${k ? `[${k.join(', ')}]` : 'missing'})`);
  const [kH, kW] = k as [number, number];
  const [sH, sW] = (intsAttr(node, 'strides', [1, 1]) ?? [1, 1]) as [number, number];
  const [dH, dW] = (intsAttr(node, 'dilations', [1, 1]) ?? [1, 1]) as [number, number];
  const ceil = numberAttr(node, 'ceil_mode', 0) === 1;
  const autoPad = stringAttr(node, 'auto_pad', 'NOTSET');
  let pads = (intsAttr(node, 'pads', [0, 0, 0, 0]) ?? [0, 0, 0, 0]) as [number, number, number, number];
  let outH: number;
  let outW: number;
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    outH = Math.ceil(inH / sH);
    outW = Math.ceil(inW / sW);
    const total = (o: number, i: number, s: number, kk: number, d: number) => Math.max(0, (o - 1) * s + (kk - 1) * d + 1 - i);
    const tH = total(outH, inH, sH, kH, dH);
    const tW = total(outW, inW, sW, kW, dW);
    const lo = (t: number) => (autoPad === 'SAME_UPPER' ? Math.floor(t / 2) : Math.ceil(t / 2));
    pads = [lo(tH), lo(tW), tH - lo(tH), tW - lo(tW)];
  } else {
    if (autoPad === 'VALID') pads = [0, 0, 0, 0];
    else if (autoPad !== 'NOTSET') throw new Error(`${describeNode(node)}: auto_pad '${autoPad}' is not an ONNX value`);
    const size = (i: number, p0: number, p1: number, kk: number, s: number, d: number) => {
      const x = (i + p0 + p1 - d * (kk - 1) - 1) / s;
      return (ceil ? Math.ceil(x) : Math.floor(x)) + 1;
    };
    outH = size(inH, pads[0], pads[2], kH, sH, dH);
    outW = size(inW, pads[1], pads[3], kW, sW, dW);
    // With ceil_mode, a last window that would start inside the right padding is dropped (as ONNX Runtime does).
    if (ceil) {
      if ((outH - 1) * sH >= inH + pads[0]) outH--;
      if ((outW - 1) * sW >= inW + pads[1]) outW--;
    }
  }
  if (outH < 1 || outW < 1) throw new Error(`${describeNode(node)}: the ${kH}x${kW} window does not fit the ${inH}x${inW} input`);
  return { kH, kW, sH, sW, dH, dW, pads, outH, outW };
}

/**
 * A 2-D convolution, NCHW, exact in float64: out[n][o][y][x] = bias[o] + sum over the group's input
 * channels and the window of (x - xZero) * (w - wZero); padding reads xZero (so contributes nothing).
 * `wZero` may be per output channel.
 */
export function conv2d(x: Value, w: Value, bias: Float64Array | undefined, group: number, win: Window2d, xZero = 0, wZero: ArrayLike<number> = [0]): Float64Array {
  const [N, C, H, W] = x.dims as [number, number, number, number];
  const [O, Cg] = w.dims as [number, number];
  const { kH, kW, sH, sW, dH, dW, pads, outH, outW } = win;
  const Og = O / group;
  const out = new Float64Array(N * O * outH * outW);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++) {
      const g = Math.floor(o / Og);
      const wz = wZero.length === 1 ? wZero[0]! : wZero[o]!;
      for (let oy = 0; oy < outH; oy++)
        for (let ox = 0; ox < outW; ox++) {
          let acc = bias ? bias[o]! : 0;
          for (let ci = 0; ci < Cg; ci++) {
            const c = g * Cg + ci;
            for (let ky = 0; ky < kH; ky++) {
              const iy = oy * sH - pads[0] + ky * dH;
              if (iy < 0 || iy >= H) continue;
              for (let kx = 0; kx < kW; kx++) {
                const ix = ox * sW - pads[1] + kx * dW;
                if (ix < 0 || ix >= W) continue;
                acc += (x.data[((n * C + c) * H + iy) * W + ix]! - xZero) * (w.data[((o * Cg + ci) * kH + ky) * kW + kx]! - wz);
              }
            }
          }
          out[((n * O + o) * outH + oy) * outW + ox] = acc;
        }
    }
  if (C !== Cg * group) throw new Error(`convolution: ${C} input channels, the weight has ${Cg} per group x ${group} groups`);
  return out;
}

/** Matrix product of the last two dimensions with numpy broadcasting of the leading ones; zero points subtracted. */
function matmul(a: Value, b: Value, aZero = 0, bZero: ArrayLike<number> = [0]): Value {
  const ad = a.dims.length === 1 ? [1, a.dims[0]!] : a.dims;
  const bd = b.dims.length === 1 ? [b.dims[0]!, 1] : b.dims;
  const [M, K] = ad.slice(-2) as [number, number];
  const [K2, Nn] = bd.slice(-2) as [number, number];
  if (K !== K2) throw new Error(`MatMul: inner dimensions ${K} and ${K2} differ`);
  const lead = broadcastDims(ad.slice(0, -2), bd.slice(0, -2));
  const batches = elementCount(lead);
  const out = new Float64Array(batches * M * Nn);
  const aB = elementCount(ad.slice(0, -2));
  const bB = elementCount(bd.slice(0, -2));
  for (let t = 0; t < batches; t++) {
    const ao = (aB === 1 ? 0 : t) * M * K;
    const bo = (bB === 1 ? 0 : t) * K * Nn;
    for (let i = 0; i < M; i++)
      for (let j = 0; j < Nn; j++) {
        const bz = bZero.length === 1 ? bZero[0]! : bZero[j]!;
        let acc = 0;
        for (let k = 0; k < K; k++) acc += (a.data[ao + i * K + k]! - aZero) * (b.data[bo + k * Nn + j]! - bz);
        out[(t * M + i) * Nn + j] = acc;
      }
  }
  let dims = [...lead, M, Nn];
  if (a.dims.length === 1) dims = dims.filter((_, i) => i !== dims.length - 2);
  if (b.dims.length === 1) dims = dims.slice(0, -1);
  return { dataType: a.dataType, dims, data: out };
}

function broadcastDims(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast`);
    out.push(Math.max(x, y));
  }
  return out;
}

/** Elementwise binary operator with numpy broadcasting. */
function binary(a: Value, b: Value, f: (x: number, y: number) => number): Value {
  const dims = broadcastDims(a.dims, b.dims);
  const n = elementCount(dims);
  const out = new Float64Array(n);
  const idx = (v: Value) => {
    const off = dims.length - v.dims.length;
    const strides = v.dims.map((_, i) => elementCount(v.dims.slice(i + 1)));
    return (flat: number) => {
      let r = 0;
      let rem = flat;
      for (let d = dims.length - 1; d >= 0; d--) {
        const i = rem % dims[d]!;
        rem = (rem - i) / dims[d]!;
        const vd = d - off;
        if (vd >= 0 && v.dims[vd] !== 1) r += i * strides[vd]!;
      }
      return r;
    };
  };
  const ia = idx(a);
  const ib = idx(b);
  for (let i = 0; i < n; i++) out[i] = f(a.data[ia(i)]!, b.data[ib(i)]!);
  return { dataType: a.dataType, dims, data: out };
}

function unary(a: Value, f: (x: number) => number): Value {
  return { dataType: a.dataType, dims: a.dims, data: a.data.map(f) };
}

/** A 2-D pooling (max or average) on NCHW. */
function pool2d(x: Value, win: Window2d, kind: 'max' | 'avg', countPad: boolean): Value {
  const [N, C, H, W] = x.dims as [number, number, number, number];
  const { kH, kW, sH, sW, dH, dW, pads, outH, outW } = win;
  const out = new Float64Array(N * C * outH * outW);
  for (let nc = 0; nc < N * C; nc++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++) {
        let m = -Infinity;
        let s = 0;
        let cnt = 0;
        for (let ky = 0; ky < kH; ky++)
          for (let kx = 0; kx < kW; kx++) {
            const iy = oy * sH - pads[0] + ky * dH;
            const ix = ox * sW - pads[1] + kx * dW;
            const inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
            // count_include_pad counts the padding, not the part of a ceil-mode window beyond it.
            if (!inside) {
              if (countPad && iy < H + pads[2] && ix < W + pads[3]) cnt++;
              continue;
            }
            const v = x.data[(nc * H + iy) * W + ix]!;
            m = Math.max(m, v);
            s += v;
            cnt++;
          }
        out[(nc * outH + oy) * outW + ox] = kind === 'max' ? m : s / cnt;
      }
  return { dataType: x.dataType, dims: [N, C, outH, outW], data: out };
}

const asF32 = (v: Value): Value => (v.dataType === 'float32' ? { ...v, data: v.data.map(f32) } : v);

/** Operators the reference interpreter runs. */
export const REFERENCE_OPS: ReadonlySet<string> = new Set([
  'Conv', 'ConvInteger', 'QLinearConv', 'MatMul', 'MatMulInteger', 'QLinearMatMul', 'Gemm', 'QuantizeLinear', 'DequantizeLinear',
  'BatchNormalization', 'Relu', 'Clip', 'HardSigmoid', 'HardSwish', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool',
  'Add', 'Sub', 'Mul', 'Div', 'Flatten', 'Reshape', 'Identity', 'Softmax', 'Shape', 'Cast', 'Slice', 'Concat', 'Constant', 'Dropout',
]);

/** Runs one node on its input values (undefined for an omitted optional input); returns its outputs. */
export function runNode(node: OnnxNode, ins: readonly (Value | undefined)[]): Value[] {
  const x = ins[0]!;
  const need = (i: number): Value => {
    const v = ins[i];
    if (!v) throw new Error(`${describeNode(node)}: input ${i} is missing`);
    return v;
  };
  const scalar = (v: Value | undefined, d: number) => (v ? v.data[0]! : d);
  switch (node.opType) {
    case 'Identity':
    case 'Dropout':
      return [x];
    case 'Constant':
      throw new Error('Constant nodes are folded when the graph is decoded');
    case 'Conv': {
      const w = need(1);
      const win = window2d(node, x.dims[2]!, x.dims[3]!, w.dims.slice(2));
      const y = conv2d(x, w, ins[2]?.data, numberAttr(node, 'group', 1), win);
      return [asF32({ dataType: 'float32', dims: [x.dims[0]!, w.dims[0]!, win.outH, win.outW], data: y })];
    }
    case 'ConvInteger': {
      const w = need(1);
      const win = window2d(node, x.dims[2]!, x.dims[3]!, w.dims.slice(2));
      const y = conv2d(x, w, undefined, numberAttr(node, 'group', 1), win, scalar(ins[2], 0), ins[3]?.data ?? [0]);
      return [{ dataType: 'int32', dims: [x.dims[0]!, w.dims[0]!, win.outH, win.outW], data: y.map((v) => v | 0) }];
    }
    case 'QLinearConv': {
      // inputs: x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B
      const w = need(3);
      const win = window2d(node, x.dims[2]!, x.dims[3]!, w.dims.slice(2));
      const acc = conv2d(x, w, ins[8]?.data, numberAttr(node, 'group', 1), win, scalar(ins[2], 0), need(5).data);
      const yT = need(7).dataType;
      const O = w.dims[0]!;
      const plane = win.outH * win.outW;
      const ws = need(4).data;
      const y = acc.map((a, i) => {
        const o = Math.floor(i / plane) % O;
        return saturate(roundHalfEven(requantMultiplier(need(1).data[0]!, ws.length === 1 ? ws[0]! : ws[o]!, need(6).data[0]!) * a) + need(7).data[0]!, yT);
      });
      return [{ dataType: yT, dims: [x.dims[0]!, O, win.outH, win.outW], data: y }];
    }
    case 'MatMul':
      return [asF32(matmul(x, need(1)))];
    case 'MatMulInteger': {
      const y = matmul(x, need(1), scalar(ins[2], 0), ins[3]?.data ?? [0]);
      return [{ ...y, dataType: 'int32' }];
    }
    case 'QLinearMatMul': {
      // inputs: a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point
      const acc = matmul(x, need(3), scalar(ins[2], 0), need(5).data);
      const yT = need(7).dataType;
      const m = requantMultiplier(need(1).data[0]!, need(4).data[0]!, need(6).data[0]!);
      return [{ dataType: yT, dims: acc.dims, data: acc.data.map((a) => saturate(roundHalfEven(m * a) + need(7).data[0]!, yT)) }];
    }
    case 'Gemm': {
      const t = (v: Value, on: boolean): Value => {
        if (!on) return v;
        const [r, c] = v.dims as [number, number];
        const d = new Float64Array(r * c);
        for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) d[j * r + i] = v.data[i * c + j]!;
        return { ...v, dims: [c, r], data: d };
      };
      const ab = matmul(t(x, numberAttr(node, 'transA', 0) === 1), t(need(1), numberAttr(node, 'transB', 0) === 1));
      const alpha = numberAttr(node, 'alpha', 1);
      const beta = numberAttr(node, 'beta', 1);
      const y = unary(ab, (v) => alpha * v);
      return [asF32(ins[2] ? binary(y, ins[2], (a, c) => a + beta * c) : y)];
    }
    case 'QuantizeLinear': {
      const yT = ins[2]?.dataType ?? 'uint8';
      const axis = numberAttr(node, 'axis', 1);
      const per = perAxis(x, need(1), ins[2], axis);
      return [{ dataType: yT, dims: x.dims, data: x.data.map((v, i) => saturate(roundHalfEven(f32(v / per.scale(i))) + per.zero(i), yT)) }];
    }
    case 'DequantizeLinear': {
      const per = perAxis(x, need(1), ins[2], numberAttr(node, 'axis', 1));
      return [{ dataType: 'float32', dims: x.dims, data: x.data.map((v, i) => f32((v - per.zero(i)) * per.scale(i))) }];
    }
    case 'BatchNormalization': {
      if (numberAttr(node, 'training_mode', 0) === 1 || node.outputs.length > 1) throw new Error(`${describeNode(node)}: training mode (batch statistics) is not supported, only inference`);
      const [s, b, mean, v] = [need(1), need(2), need(3), need(4)];
      const eps = numberAttr(node, 'epsilon', 1e-5);
      const C = x.dims[1]!;
      const plane = elementCount(x.dims.slice(2));
      return [asF32({ ...x, data: x.data.map((val, i) => {
        const c = Math.floor(i / plane) % C;
        return ((val - mean.data[c]!) / Math.sqrt(v.data[c]! + eps)) * s.data[c]! + b.data[c]!;
      }) })];
    }
    case 'Relu':
      return [unary(x, (v) => Math.max(0, v))];
    case 'Clip': {
      const lo = ins[1] ? ins[1].data[0]! : numberAttr(node, 'min', -Infinity);
      const hi = ins[2] ? ins[2].data[0]! : numberAttr(node, 'max', Infinity);
      return [unary(x, (v) => Math.min(hi, Math.max(lo, v)))];
    }
    case 'HardSigmoid': {
      const a = numberAttr(node, 'alpha', 0.2);
      const b = numberAttr(node, 'beta', 0.5);
      return [asF32(unary(x, (v) => Math.max(0, Math.min(1, a * v + b))))];
    }
    case 'HardSwish':
      return [asF32(unary(x, (v) => v * Math.max(0, Math.min(1, v / 6 + 0.5))))];
    case 'MaxPool':
    case 'AveragePool': {
      if (node.outputs.length > 1 && node.outputs[1] !== '') throw new Error(`${describeNode(node)}: the Indices output is not supported`);
      const win = window2d(node, x.dims[2]!, x.dims[3]!);
      return [asF32(pool2d(x, win, node.opType === 'MaxPool' ? 'max' : 'avg', numberAttr(node, 'count_include_pad', 0) === 1))];
    }
    case 'GlobalAveragePool':
    case 'GlobalMaxPool': {
      const [H, W] = [x.dims[2]!, x.dims[3]!];
      const win: Window2d = { kH: H, kW: W, sH: 1, sW: 1, dH: 1, dW: 1, pads: [0, 0, 0, 0], outH: 1, outW: 1 };
      return [asF32(pool2d(x, win, node.opType === 'GlobalMaxPool' ? 'max' : 'avg', false))];
    }
    case 'Add':
      return [asF32(binary(x, need(1), (a, b) => a + b))];
    case 'Sub':
      return [asF32(binary(x, need(1), (a, b) => a - b))];
    case 'Mul':
      return [asF32(binary(x, need(1), (a, b) => a * b))];
    case 'Div':
      return [asF32(binary(x, need(1), (a, b) => (x.dataType === 'float32' || x.dataType === 'float64' ? a / b : Math.trunc(a / b))))];
    case 'Flatten': {
      let axis = numberAttr(node, 'axis', 1);
      if (axis < 0) axis += x.dims.length;
      return [{ ...x, dims: [elementCount(x.dims.slice(0, axis)), elementCount(x.dims.slice(axis))] }];
    }
    case 'Reshape':
      return [{ ...x, dims: reshapeDims(node, x.dims, [...need(1).data]) }];
    case 'Softmax': {
      let axis = numberAttr(node, 'axis', -1);
      if (axis < 0) axis += x.dims.length;
      const inner = elementCount(x.dims.slice(axis + 1));
      const len = x.dims[axis]!;
      const out = new Float64Array(x.data.length);
      for (let o = 0; o < x.data.length / (len * inner); o++)
        for (let i = 0; i < inner; i++) {
          const at = (k: number) => (o * len + k) * inner + i;
          let m = -Infinity;
          for (let k = 0; k < len; k++) m = Math.max(m, x.data[at(k)]!);
          let s = 0;
          for (let k = 0; k < len; k++) s += Math.exp(x.data[at(k)]! - m);
          for (let k = 0; k < len; k++) out[at(k)] = Math.exp(x.data[at(k)]! - m) / s;
        }
      return [asF32({ ...x, data: out })];
    }
    case 'Shape': {
      const r = x.dims.length;
      const at = (v: number) => Math.min(r, Math.max(0, v < 0 ? v + r : v));
      const d = x.dims.slice(at(numberAttr(node, 'start', 0)), at(numberAttr(node, 'end', r)));
      return [{ dataType: 'int64', dims: [d.length], data: Float64Array.from(d) }];
    }
    case 'Cast': {
      const to = ({ 1: 'float32', 2: 'uint8', 3: 'int8', 6: 'int32', 7: 'int64', 11: 'float64' } as Record<number, OnnxDataType>)[numberAttr(node, 'to', 1)];
      if (!to) throw new Error(`${describeNode(node)}: cast to type ${numberAttr(node, 'to', 1)} is not supported`);
      return [asF32({ ...x, dataType: to, data: to.startsWith('float') ? x.data : x.data.map(Math.trunc) })];
    }
    case 'Slice':
      return [slice(node, x, ins)];
    case 'Concat': {
      let axis = numberAttr(node, 'axis', 0);
      if (axis < 0) axis += x.dims.length;
      const parts = ins.filter((v): v is Value => v !== undefined);
      const outer = elementCount(x.dims.slice(0, axis));
      const data: number[] = [];
      for (let o = 0; o < outer; o++)
        for (const p of parts) {
          const len = elementCount(p.dims.slice(axis));
          for (let i = 0; i < len; i++) data.push(p.data[o * len + i]!);
        }
      const dims = [...x.dims];
      dims[axis] = parts.reduce((s, p) => s + p.dims[axis]!, 0);
      return [{ dataType: x.dataType, dims, data: Float64Array.from(data) }];
    }
    default:
      throw new Error(`${describeNode(node)}: operator ${node.opType} is not supported`);
  }
}

/** x_scale * w_scale / y_scale in float32 arithmetic, as ONNX Runtime computes the requantisation multiplier. */
export function requantMultiplier(xScale: number, wScale: number, yScale: number): number {
  return f32(f32(xScale * wScale) / yScale);
}

function perAxis(x: Value, scale: Value, zero: Value | undefined, axis: number) {
  if (axis < 0) axis += x.dims.length;
  const per = scale.data.length > 1;
  const inner = elementCount(x.dims.slice(axis + 1));
  const len = x.dims[axis] ?? 1;
  const c = (i: number) => (per ? Math.floor(i / inner) % len : 0);
  return { scale: (i: number) => scale.data[c(i)]!, zero: (i: number) => (zero ? zero.data[c(i)]! : 0) };
}

/** Reshape's target shape: 0 copies the input's dimension (unless allowzero), -1 is inferred. */
export function reshapeDims(node: OnnxNode, dims: readonly number[], shape: number[]): number[] {
  const allowZero = numberAttr(node, 'allowzero', 0) === 1;
  const out = shape.map((d, i) => (d === 0 && !allowZero ? dims[i]! : d));
  const known = out.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const n = elementCount(dims);
  const inferred = out.map((d) => (d === -1 ? n / known : d));
  if (elementCount(inferred) !== n || inferred.some((d) => !Number.isInteger(d))) throw new Error(`${describeNode(node)}: cannot reshape [${dims.join(', ')}] to [${shape.join(', ')}]`);
  return inferred;
}

function slice(node: OnnxNode, x: Value, ins: readonly (Value | undefined)[]): Value {
  const r = x.dims.length;
  const starts = [...(ins[1]?.data ?? intsAttr(node, 'starts', [])!)];
  const ends = [...(ins[2]?.data ?? intsAttr(node, 'ends', [])!)];
  const axes = ins[3] ? [...ins[3].data] : (intsAttr(node, 'axes', undefined) ?? starts.map((_, i) => i));
  const steps = ins[4] ? [...ins[4].data] : starts.map(() => 1);
  const lo = x.dims.map(() => 0);
  const hi = [...x.dims];
  const st = x.dims.map(() => 1);
  axes.forEach((a0, i) => {
    const a = a0 < 0 ? a0 + r : a0;
    const d = x.dims[a]!;
    const s = steps[i]!;
    if (s !== 1) throw new Error(`${describeNode(node)}: only step 1 is supported`);
    const clamp = (v: number) => Math.min(d, Math.max(0, v < 0 ? v + d : v));
    lo[a] = clamp(starts[i]!);
    hi[a] = clamp(ends[i]!);
    st[a] = s;
  });
  const dims = x.dims.map((_, a) => Math.max(0, hi[a]! - lo[a]!));
  const out = new Float64Array(elementCount(dims));
  const strides = x.dims.map((_, i) => elementCount(x.dims.slice(i + 1)));
  for (let i = 0; i < out.length; i++) {
    let rem = i;
    let src = 0;
    for (let a = r - 1; a >= 0; a--) {
      const k = rem % dims[a]!;
      rem = (rem - k) / dims[a]!;
      src += (lo[a]! + k) * strides[a]!;
    }
    out[i] = x.data[src]!;
  }
  return { dataType: x.dataType, dims, data: out };
}

/**
 * Runs a whole graph on the host reference: `feeds` by input name; returns every value computed (graph
 * outputs included) by name. Throws, naming every node, when the graph has operators the reference lacks.
 */
export function runReference(graph: OnnxGraph, feeds: Readonly<Record<string, Value>>): Map<string, Value> {
  const missing = graph.nodes.filter((n) => n.opType !== 'Constant' && (n.domain !== '' || !REFERENCE_OPS.has(n.opType)));
  if (missing.length > 0) throw new Error(`the reference cannot run ${missing.length} node(s): ${missing.map((n) => describeNode(n)).join(', ')}`);
  const env = new Map<string, Value>();
  for (const [k, t] of graph.tensors) env.set(k, valueOf(t));
  for (const i of graph.inputs) {
    const v = feeds[i.name];
    if (!v) throw new Error(`no value fed for graph input '${i.name}'`);
    env.set(i.name, v);
  }
  for (const node of graph.nodes) {
    if (node.opType === 'Constant') continue;
    const ins = node.inputs.map((n) => {
      if (n === '') return undefined;
      const v = env.get(n);
      if (!v) throw new Error(`${describeNode(node)}: input '${n}' is not computed before it`);
      return v;
    });
    const outs = runNode(node, ins);
    node.outputs.forEach((o, i) => {
      if (o !== '' && outs[i]) env.set(o, outs[i]!);
    });
  }
  return env;
}
