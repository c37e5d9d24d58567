/**
 * Mapping of an imported model onto the simulator's network form: a {@link NetworkSpecInput} (layers `conv`,
 * `depthwise`, `fc`, `maxpool`, `avgpool`, `add`, shapes inferred by the network code) plus each compute
 * layer's real float weights and biases in the generators' order (`[out][kH][kW][in/groups]`).
 *
 * What the core computes fixes what maps: every activation tensor is unsigned (the requantisation clamps at
 * 0), so each intermediate Conv/Gemm output must be followed by Relu (fused into the requantisation) or by
 * Clip(0, max); padding is symmetric; a Flatten or Reshape may only stand before the fully connected layer
 * (its weights are permuted from ONNX's CHW flattening to the core's HWC order); a Softmax at the very end is
 * dropped (it does not change the top-1 class). Every node that does not map is reported, each with its
 * reason, in one {@link NotMappableError}.
 *
 * @module
 */
import type { NetworkSpecInput } from '../kernels/network.js';
import { describeNode, numberAttr, type OnnxNode, type OnnxTensor } from './graph.js';
import type { ImportedModel } from './import.js';
import { window2d } from './reference.js';

type NetLayerInput = NetworkSpecInput['layers'][number];

/** The float weights of one compute layer, in the generators' order. */
export interface LayerParams {
  /** `[out][kH][kW][in/groups]`. */
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

/** An imported model as a network. */
export interface LoweredModel {
  readonly network: NetworkSpecInput;
  /** Weights and biases by compute layer name. */
  readonly params: ReadonlyMap<string, LayerParams>;
  /** Layer names whose output the model clamps at 0 (Relu/Clip fused); every other compute layer but the last is refused. */
  readonly clampMax: ReadonlyMap<string, number>;
  /** Operators dropped because they do not change the top-1 class (a final Softmax). */
  readonly dropped: readonly string[];
}

/** A model that does not map onto the simulator's layers: every offending node with its reason. */
export class NotMappableError extends Error {
  constructor(readonly problems: readonly { readonly node: string; readonly reason: string }[]) {
    super(`the model does not map onto the simulator's layers (${problems.length} problem(s)):\n` + problems.map((p) => `  ${p.node}: ${p.reason}`).join('\n'));
    this.name = 'NotMappableError';
  }
}

/** Maps an imported model onto a network spec with its weights; throws {@link NotMappableError} listing every problem. */
export function lowerToNetwork(model: ImportedModel): LoweredModel {
  const g = model.graph;
  const shapes = model.shapes;
  const problems: { node: string; reason: string }[] = [];
  const layers: NetLayerInput[] = [];
  const params = new Map<string, LayerParams>();
  const clampMax = new Map<string, number>();
  const dropped: string[] = [];
  // tensor name -> the network layer name holding it ('input' for the model input)
  const alias = new Map<string, string>([[model.input.name, 'input']]);
  // tensors that are a CHW flattening of a layer's output (Flatten/Reshape before a fully connected layer)
  const flat = new Map<string, string>();
  const readers = new Map<string, OnnxNode[]>();
  for (const n of g.nodes) for (const i of n.inputs) readers.set(i, [...(readers.get(i) ?? []), n]);
  const konst = (name: string): OnnxTensor | undefined => g.tensors.get(name);
  const src = (node: OnnxNode, t: string): string | undefined => {
    const a = alias.get(t);
    if (a === undefined) problems.push({ node: describeNode(node), reason: `reads '${t}', which is not a mapped activation tensor` });
    return a;
  };
  const lastCompute = { name: '' };

  for (const node of g.nodes) {
    const where = describeNode(node);
    const bad = (reason: string) => problems.push({ node: where, reason });
    const out = node.outputs[0]!;
    switch (node.opType) {
      case 'Conv': {
        const w = konst(node.inputs[1]!);
        if (!w) {
          bad('the weights are not a constant');
          break;
        }
        const x = src(node, node.inputs[0]!);
        const xd = shapes.get(node.inputs[0]!)!;
        const win = window2d(node, xd[2]!, xd[3]!, w.dims.slice(2));
        const [t, l, b, r] = win.pads;
        if (t !== b || l !== r) bad(`asymmetric padding [${win.pads.join(', ')}]: the core pads both sides alike`);
        const group = numberAttr(node, 'group', 1);
        const [O, Cg, kH, kW] = w.dims as [number, number, number, number];
        const C = xd[1]!;
        const name = node.name;
        const common = { name, ...(x && x !== prevName(layers) ? { input: x } : {}), kernel: [kH, kW] as [number, number], stride: [win.sH, win.sW] as [number, number], padding: [t, l] as [number, number] };
        if (group > 1 && group === C && O === C) {
          if (win.dH !== 1 || win.dW !== 1) bad('a dilated depthwise convolution');
          layers.push({ ...common, kind: 'depthwise' });
        } else layers.push({ ...common, kind: 'conv', out: O, dilation: [win.dH, win.dW], groups: group });
        const wt = new Float64Array(O * kH * kW * Cg);
        for (let o = 0; o < O; o++) for (let c = 0; c < Cg; c++) for (let y = 0; y < kH; y++) for (let xx = 0; xx < kW; xx++) wt[((o * kH + y) * kW + xx) * Cg + c] = w.data[((o * Cg + c) * kH + y) * kW + xx]!;
        const bias = node.inputs[2] ? konst(node.inputs[2]) : undefined;
        params.set(name, { weights: wt, bias: Float64Array.from({ length: O }, (_, o) => bias?.data[o] ?? 0) });
        alias.set(out, name);
        lastCompute.name = name;
        break;
      }
      case 'Gemm':
      case 'MatMul': {
        const bT = konst(node.inputs[1]!);
        if (!bT || bT.dims.length !== 2) {
          bad('the second operand is not a constant matrix');
          break;
        }
        if (node.opType === 'Gemm' && (numberAttr(node, 'transA', 0) !== 0 || numberAttr(node, 'alpha', 1) !== 1 || numberAttr(node, 'beta', 1) !== 1)) {
          bad('transA, alpha or beta other than the defaults');
          break;
        }
        const transB = node.opType === 'Gemm' && numberAttr(node, 'transB', 0) === 1;
        const [K, N] = transB ? [bT.dims[1]!, bT.dims[0]!] : [bT.dims[0]!, bT.dims[1]!];
        const at = (k: number, n: number) => (transB ? bT.data[n * K + k]! : bT.data[k * N + n]!);
        const inName = node.inputs[0]!;
        const from = flat.get(inName);
        const layerIn = from ?? src(node, inName);
        // The core reads a map flattened in HWC order; ONNX's Flatten gives CHW: permute the weights' rows.
        const srcShape = from !== undefined ? shapes.get(flatSource(g.nodes, inName)!)! : shapes.get(inName)!;
        const [C, H, W] = srcShape.length === 4 ? [srcShape[1]!, srcShape[2]!, srcShape[3]!] : [srcShape[1]!, 1, 1];
        if (C * H * W !== K) {
          bad(`reads ${C * H * W} features, the weights have ${K}`);
          break;
        }
        const wt = new Float64Array(N * K);
        for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) wt[n * K + (y * W + x) * C + c] = at((c * H + y) * W + x, n);
        const cT = node.opType === 'Gemm' && node.inputs[2] ? konst(node.inputs[2]) : undefined;
        if (node.opType === 'Gemm' && node.inputs[2] && (!cT || cT.data.length !== N)) bad('the bias is not a constant vector of the output size');
        const name = node.name;
        layers.push({ name, kind: 'fc', out: N, ...(layerIn && layerIn !== prevName(layers) ? { input: layerIn } : {}) });
        params.set(name, { weights: wt, bias: Float64Array.from({ length: N }, (_, i) => cT?.data[i] ?? 0) });
        alias.set(out, name);
        lastCompute.name = name;
        break;
      }
      case 'Relu':
      case 'Clip': {
        const from = alias.get(node.inputs[0]!);
        const layer = layers.find((l) => l.name === from);
        let hi = Infinity;
        if (node.opType === 'Clip') {
          const lo = node.inputs[1] ? konst(node.inputs[1])?.data[0] : numberAttr(node, 'min', -Infinity);
          hi = (node.inputs[2] ? konst(node.inputs[2])?.data[0] : numberAttr(node, 'max', Infinity)) ?? NaN;
          if (lo !== 0 || !(hi > 0)) {
            bad('only Clip(0, max > 0) maps (onto the requantisation clamp)');
            break;
          }
        }
        if (!layer || (layer.kind !== 'conv' && layer.kind !== 'fc' && layer.kind !== 'depthwise') || (readers.get(node.inputs[0]!) ?? []).length !== 1) {
          bad(`only a ${node.opType} that alone reads a convolution or fully connected layer maps (it is fused into its requantisation)`);
          break;
        }
        clampMax.set(layer.name, hi);
        alias.set(out, layer.name);
        break;
      }
      case 'MaxPool':
      case 'AveragePool':
      case 'GlobalAveragePool': {
        const x = src(node, node.inputs[0]!);
        const xd = shapes.get(node.inputs[0]!)!;
        const name = node.name;
        const input = x && x !== prevName(layers) ? { input: x } : {};
        if (node.opType === 'GlobalAveragePool') layers.push({ name, kind: 'avgpool', ...input });
        else {
          const win = window2d(node, xd[2]!, xd[3]!);
          const [t, l, b, r] = win.pads;
          if (numberAttr(node, 'ceil_mode', 0) === 1) bad('ceil_mode');
          if (t !== b || l !== r) bad(`asymmetric padding [${win.pads.join(', ')}]`);
          if (win.dH !== 1 || win.dW !== 1) bad('dilation');
          if (node.opType === 'AveragePool' && t + l > 0) bad('a padded average pooling (the core has no padding for it)');
          if (node.opType === 'MaxPool') layers.push({ name, kind: 'maxpool', ...input, kernel: [win.kH, win.kW], stride: [win.sH, win.sW], padding: [t, l] });
          else layers.push({ name, kind: 'avgpool', ...input, kernel: [win.kH, win.kW], stride: [win.sH, win.sW] });
        }
        alias.set(out, name);
        break;
      }
      case 'Add': {
        const [a, b] = node.inputs.map((i) => alias.get(i));
        if (!a || !b) {
          bad('only a residual add of two activation tensors maps (adding a constant does not)');
          break;
        }
        layers.push({ name: node.name, kind: 'add', inputs: [a, b] });
        alias.set(out, node.name);
        break;
      }
      case 'Flatten':
      case 'Reshape': {
        const d = shapes.get(out)!;
        const okReaders = (readers.get(out) ?? []).every((r) => r.opType === 'Gemm' || r.opType === 'MatMul');
        const x = src(node, node.inputs[0]!);
        if (d.length !== 2 || !okReaders || !x) bad('only a flattening to [batch, features] read by a fully connected layer maps');
        else flat.set(out, x);
        break;
      }
      case 'Identity':
      case 'Dropout': {
        const x = alias.get(node.inputs[0]!);
        if (x) alias.set(out, x);
        break;
      }
      case 'Softmax':
        if (out === model.output.name) dropped.push(where);
        else bad('a Softmax before the last layer');
        break;
      default:
        bad(`${node.opType} has no simulator layer (it runs on the host in runModel, not in a simulated network)`);
    }
  }
  // Intermediate compute outputs must be clamped at 0: the core's activations are unsigned.
  for (const l of layers) {
    if ((l.kind === 'conv' || l.kind === 'fc' || l.kind === 'depthwise') && l.name !== lastCompute.name && !clampMax.has(l.name)) {
      problems.push({ node: `layer '${l.name}'`, reason: 'its output is not followed by Relu or Clip(0, max): the core\'s activations are unsigned (clamped at 0)' });
    }
  }
  const lastLayer = layers[layers.length - 1];
  if (lastLayer && lastLayer.name !== lastCompute.name) problems.push({ node: `layer '${lastLayer.name}'`, reason: 'the network must end with a convolution or fully connected layer (its int32 results are the logits)' });
  if (problems.length > 0) throw new NotMappableError(problems);
  const d = model.input.dims;
  return {
    network: { name: model.source.name || 'onnx-model', source: `ONNX (${model.source.producer || 'unknown producer'})`, batch: d[0]!, input: { channels: d[1]!, height: d[2]!, width: d[3]! }, layers },
    params,
    clampMax,
    dropped,
  };
}

function prevName(layers: readonly NetLayerInput[]): string {
  return layers.length === 0 ? 'input' : layers[layers.length - 1]!.name;
}

/** The tensor a Flatten/Reshape output was made from. */
function flatSource(nodes: readonly OnnxNode[], t: string): string | undefined {
  return nodes.find((n) => n.outputs[0] === t)?.inputs[0];
}
