/**
 * Graph passes on an imported model, each returning a new {@link OnnxGraph} that computes the same function:
 * - {@link inferShapes}: every tensor's shape for given input shapes, by one evaluation of the reference
 *   interpreter on zeros (exact for the supported operators, whose output shapes never depend on values
 *   other than constants);
 * - {@link foldConstants}: Shape nodes become constants for the given input shapes, and every node whose
 *   inputs are all constant (the Cast/Slice/Concat/Reshape arithmetic exporters emit) is evaluated away;
 * - {@link foldBatchNorm}: a BatchNormalization that alone reads a Conv's output is folded into the Conv's
 *   weights and bias (w' = w s / sqrt(v + eps), b' = (b - mean) s / sqrt(v + eps) + beta, in float64,
 *   rounded once to binary32);
 * - {@link fuseHardSwish}: the x * Clip(x + 3, 0, 6) / 6 chain that exporters write is one HardSwish node.
 *
 * @module
 */
import { describeNode, elementCount, numberAttr, type OnnxGraph, type OnnxNode, type OnnxTensor } from './graph.js';
import { runNode, runReference, valueOf, type Value } from './reference.js';

/** Every tensor's shape (dims) for the given input shapes (symbolic input dimensions replaced). */
export function inferShapes(graph: OnnxGraph, inputShapes: Readonly<Record<string, readonly number[]>>): Map<string, readonly number[]> {
  const feeds: Record<string, Value> = {};
  for (const i of graph.inputs) {
    const dims = inputShapes[i.name] ?? i.shape;
    if (!dims || dims.some((d) => typeof d !== 'number')) throw new Error(`input '${i.name}' has the shape [${(i.shape ?? []).join(', ')}]: give its numeric shape`);
    feeds[i.name] = { dataType: i.dataType ?? 'float32', dims: dims as number[], data: new Float64Array(elementCount(dims as number[])) };
  }
  const env = runReference(graph, feeds);
  return new Map([...env].map(([k, v]) => [k, v.dims]));
}

function tensorOf(name: string, v: Value): OnnxTensor {
  const data = v.dataType === 'float32' ? Float32Array.from(v.data) : v.dataType === 'int32' ? Int32Array.from(v.data) : v.dataType === 'uint8' || v.dataType === 'bool' ? Uint8Array.from(v.data) : v.dataType === 'int8' ? Int8Array.from(v.data) : Float64Array.from(v.data);
  return { name, dataType: v.dataType, dims: v.dims, data };
}

/** Folds Shape nodes (for the given input shapes) and every node with only constant inputs into tensors. */
export function foldConstants(graph: OnnxGraph, inputShapes: Readonly<Record<string, readonly number[]>>): OnnxGraph {
  const shapes = inferShapes(graph, inputShapes);
  const tensors = new Map(graph.tensors);
  const nodes: OnnxNode[] = [];
  for (const n of graph.nodes) {
    if (n.opType === 'Constant') continue;
    if (n.opType === 'Shape') {
      const out = runNode(n, [{ dataType: 'float32', dims: shapes.get(n.inputs[0]!)!, data: new Float64Array(0) }])[0]!;
      tensors.set(n.outputs[0]!, tensorOf(n.outputs[0]!, out));
      continue;
    }
    const ins = n.inputs.filter((i) => i !== '');
    if (ins.length > 0 && ins.every((i) => tensors.has(i))) {
      const outs = runNode(n, n.inputs.map((i) => (i === '' ? undefined : valueOf(tensors.get(i)!))));
      n.outputs.forEach((o, k) => outs[k] && tensors.set(o, tensorOf(o, outs[k]!)));
      continue;
    }
    nodes.push(n);
  }
  return prune({ ...graph, nodes, tensors });
}

/** Drops tensors no node reads (folded intermediates). */
function prune(g: OnnxGraph): OnnxGraph {
  const used = new Set(g.nodes.flatMap((n) => n.inputs));
  for (const o of g.outputs) used.add(o.name);
  return { ...g, tensors: new Map([...g.tensors].filter(([k]) => used.has(k))) };
}

/** How many nodes read each tensor (graph outputs count as a reader). */
function readers(g: OnnxGraph): Map<string, number> {
  const r = new Map<string, number>();
  for (const n of g.nodes) for (const i of n.inputs) r.set(i, (r.get(i) ?? 0) + 1);
  for (const o of g.outputs) r.set(o.name, (r.get(o.name) ?? 0) + 1);
  return r;
}

/** Folds each BatchNormalization that alone reads a Conv's output (constant weights) into that Conv. */
export function foldBatchNorm(graph: OnnxGraph): OnnxGraph {
  const rd = readers(graph);
  const producer = new Map(graph.nodes.map((n) => [n.outputs[0]!, n]));
  const tensors = new Map(graph.tensors);
  const replaced = new Map<OnnxNode, OnnxNode>();
  const dropped = new Set<OnnxNode>();
  for (const bn of graph.nodes) {
    if (bn.opType !== 'BatchNormalization') continue;
    const conv = producer.get(bn.inputs[0]!);
    if (!conv || conv.opType !== 'Conv' || rd.get(conv.outputs[0]!) !== 1 || !tensors.has(conv.inputs[1]!)) continue;
    const params = bn.inputs.slice(1, 5).map((i) => tensors.get(i));
    if (params.some((p) => !p) || (conv.inputs[2] && !tensors.has(conv.inputs[2]))) continue;
    const [s, b, mean, v] = params as OnnxTensor[];
    const eps = numberAttr(bn, 'epsilon', 1e-5);
    const w = tensors.get(conv.inputs[1]!)!;
    const O = w.dims[0]!;
    const per = elementCount(w.dims.slice(1));
    const oldBias = conv.inputs[2] ? tensors.get(conv.inputs[2])!.data : undefined;
    const k = Array.from({ length: O }, (_, o) => s.data[o]! / Math.sqrt(v.data[o]! + eps));
    const wName = `${conv.name}.weight.bn_folded`;
    const bName = `${conv.name}.bias.bn_folded`;
    tensors.set(wName, { name: wName, dataType: 'float32', dims: w.dims, data: Float32Array.from(w.data, (x, i) => x * k[Math.floor(i / per)]!) });
    tensors.set(bName, { name: bName, dataType: 'float32', dims: [O], data: Float32Array.from({ length: O }, (_, o) => ((oldBias ? oldBias[o]! : 0) - mean.data[o]!) * k[o]! + b.data[o]!) });
    replaced.set(conv, { ...conv, inputs: [conv.inputs[0]!, wName, bName], outputs: [bn.outputs[0]!] });
    dropped.add(bn);
  }
  const nodes = graph.nodes.filter((n) => !dropped.has(n)).map((n) => replaced.get(n) ?? n);
  return prune({ ...graph, nodes, tensors });
}

const scalarOf = (g: OnnxGraph, name: string): number | undefined => {
  const t = g.tensors.get(name);
  return t && elementCount(t.dims) === 1 ? t.data[0] : undefined;
};

/** Replaces x -> Add(x, 3) -> Clip(0, 6) -> Mul(x, .) -> Div(., 6) chains by one HardSwish node. */
export function fuseHardSwish(graph: OnnxGraph): OnnxGraph {
  const rd = readers(graph);
  const byInput = new Map<string, OnnxNode[]>();
  for (const n of graph.nodes) for (const i of n.inputs) byInput.set(i, [...(byInput.get(i) ?? []), n]);
  const only = (t: string) => (rd.get(t) === 1 ? byInput.get(t)![0] : undefined);
  const drop = new Set<OnnxNode>();
  const replace = new Map<OnnxNode, OnnxNode>();
  for (const add of graph.nodes) {
    if (add.opType !== 'Add' || scalarOf(graph, add.inputs[1]!) !== 3) continue;
    const x = add.inputs[0]!;
    const clip = only(add.outputs[0]!);
    if (!clip || clip.opType !== 'Clip') continue;
    const lo = clip.inputs[1] ? scalarOf(graph, clip.inputs[1]) : numberAttr(clip, 'min', -Infinity);
    const hi = clip.inputs[2] ? scalarOf(graph, clip.inputs[2]) : numberAttr(clip, 'max', Infinity);
    if (lo !== 0 || hi !== 6) continue;
    const mul = only(clip.outputs[0]!);
    if (!mul || mul.opType !== 'Mul' || !mul.inputs.includes(x)) continue;
    const div = only(mul.outputs[0]!);
    if (!div || div.opType !== 'Div' || scalarOf(graph, div.inputs[1]!) !== 6) continue;
    drop.add(clip).add(mul).add(div);
    replace.set(add, { name: `${add.name}.hardswish`, opType: 'HardSwish', domain: '', inputs: [x], outputs: [div.outputs[0]!], attributes: {} });
  }
  const nodes = graph.nodes.filter((n) => !drop.has(n)).map((n) => replace.get(n) ?? n);
  return prune({ ...graph, nodes, tensors: graph.tensors });
}

/** Checks that every node's inputs are computed before it (ONNX requires topological order). */
export function checkTopological(graph: OnnxGraph): void {
  const have = new Set([...graph.tensors.keys(), ...graph.inputs.map((i) => i.name), '']);
  for (const n of graph.nodes) {
    for (const i of n.inputs) if (!have.has(i)) throw new Error(`${describeNode(n)}: input '${i}' is not computed before it`);
    for (const o of n.outputs) have.add(o);
  }
}
