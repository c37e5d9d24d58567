/**
 * Decoding of ONNX protobuf bytes (a model, or a single TensorProto as the ONNX test data stores inputs and
 * outputs) into the intermediate form of graph.ts. The protobuf wire format is read by the npm package
 * `onnx-proto` (protobufjs code generated from ONNX's own onnx.proto); this module only turns its messages
 * into plain values: 64-bit integers into numbers (refused beyond 2^53), raw little-endian data into typed
 * arrays, Constant nodes into named tensors.
 *
 * @module
 */
import onnxProto from 'onnx-proto';
import type { OnnxAttribute, OnnxDataType, OnnxGraph, OnnxNode, OnnxTensor, OnnxValueInfo } from './graph.js';
import { elementCount } from './graph.js';

const { onnx } = onnxProto;
type Long = { toNumber(): number; high: number; low: number; unsigned: boolean };
type Int64 = number | Long;

const DTYPES: Readonly<Record<number, OnnxDataType>> = { 1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool', 11: 'float64', 12: 'uint32' };
const DTYPE_NAMES: Readonly<Record<number, string>> = { 8: 'string', 10: 'float16', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16' };

/** A 64-bit protobuf integer as a number; throws where it would lose precision. */
function num(v: Int64 | null | undefined, what: string): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === 'number' ? v : v.toNumber();
  if (!Number.isSafeInteger(n)) throw new Error(`${what}: ${String(n)} does not fit a 53-bit integer`);
  return n;
}

function dataTypeOf(code: number, what: string): OnnxDataType {
  const t = DTYPES[code];
  if (!t) throw new Error(`${what}: element type ${DTYPE_NAMES[code] ?? code} is not supported (float32, float64, int8/16/32/64, uint8/16/32, bool are)`);
  return t;
}

/** Decodes one TensorProto message (already parsed by protobufjs) into an {@link OnnxTensor}. */
function tensorFrom(t: onnxProto.onnx.ITensorProto, fallbackName: string): OnnxTensor {
  const name = t.name || fallbackName;
  const what = `tensor '${name}'`;
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) throw new Error(`${what}: data stored outside the model file (external data) is not supported`);
  const dataType = dataTypeOf(t.dataType ?? 0, what);
  const dims = (t.dims ?? []).map((d) => num(d, `${what} dims`));
  const n = elementCount(dims);
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
  let data: OnnxTensor['data'];
  if (raw) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const size: Record<OnnxDataType, number> = { float32: 4, float64: 8, uint8: 1, int8: 1, bool: 1, uint16: 2, int16: 2, int32: 4, uint32: 4, int64: 8 };
    if (raw.byteLength !== n * size[dataType]) throw new Error(`${what}: raw data has ${raw.byteLength} bytes, ${dims.join('x') || 'a scalar'} ${dataType} needs ${n * size[dataType]}`);
    switch (dataType) {
      case 'float32':
        data = Float32Array.from({ length: n }, (_, i) => view.getFloat32(4 * i, true));
        break;
      case 'float64':
        data = Float64Array.from({ length: n }, (_, i) => view.getFloat64(8 * i, true));
        break;
      case 'uint8':
      case 'bool':
        data = Uint8Array.from(raw);
        break;
      case 'int8':
        data = Int8Array.from({ length: n }, (_, i) => view.getInt8(i));
        break;
      case 'uint16':
        data = Int32Array.from({ length: n }, (_, i) => view.getUint16(2 * i, true));
        break;
      case 'int16':
        data = Int32Array.from({ length: n }, (_, i) => view.getInt16(2 * i, true));
        break;
      case 'int32':
        data = Int32Array.from({ length: n }, (_, i) => view.getInt32(4 * i, true));
        break;
      case 'uint32':
        data = Float64Array.from({ length: n }, (_, i) => view.getUint32(4 * i, true));
        break;
      case 'int64':
        data = Float64Array.from({ length: n }, (_, i) => {
          const v = view.getBigInt64(8 * i, true);
          const x = Number(v);
          if (!Number.isSafeInteger(x)) throw new Error(`${what}[${i}]: ${v} does not fit a 53-bit integer`);
          return x;
        });
        break;
    }
  } else {
    // Typed fields: float_data, double_data, int64_data, uint64_data, and int32_data for every narrower integer.
    let vals: number[];
    switch (dataType) {
      case 'float32':
        vals = t.floatData ?? [];
        break;
      case 'float64':
        vals = t.doubleData ?? [];
        break;
      case 'int64':
        vals = (t.int64Data ?? []).map((v, i) => num(v, `${what}[${i}]`));
        break;
      case 'uint32':
        vals = (t.uint64Data ?? []).map((v, i) => num(v, `${what}[${i}]`));
        break;
      default:
        vals = t.int32Data ?? [];
    }
    if (vals.length !== n) throw new Error(`${what}: has ${vals.length} elements, its shape ${dims.join('x') || '(scalar)'} needs ${n}`);
    data =
      dataType === 'float32'
        ? Float32Array.from(vals)
        : dataType === 'uint8' || dataType === 'bool'
          ? Uint8Array.from(vals)
          : dataType === 'int8'
            ? Int8Array.from(vals)
            : dataType === 'float64' || dataType === 'int64' || dataType === 'uint32'
              ? Float64Array.from(vals)
              : Int32Array.from(vals);
  }
  return { name, dataType, dims, data };
}

function attributeFrom(a: onnxProto.onnx.IAttributeProto, where: string): OnnxAttribute {
  const T = onnx.AttributeProto.AttributeType;
  const what = `${where} attribute '${a.name}'`;
  // Older writers leave `type` unset: infer it from the field that is present.
  const type = a.type || (a.t ? T.TENSOR : a.ints?.length ? T.INTS : a.floats?.length ? T.FLOATS : a.strings?.length ? T.STRINGS : a.s?.length ? T.STRING : a.f ? T.FLOAT : T.INT);
  switch (type) {
    case T.FLOAT:
      return a.f ?? 0;
    case T.INT:
      return num(a.i, what);
    case T.STRING:
      return new TextDecoder().decode(a.s ?? new Uint8Array());
    case T.TENSOR:
      return tensorFrom(a.t!, a.name ?? '');
    case T.FLOATS:
      return [...(a.floats ?? [])];
    case T.INTS:
      return (a.ints ?? []).map((v) => num(v, what));
    case T.STRINGS:
      return (a.strings ?? []).map((s) => new TextDecoder().decode(s));
    case T.GRAPH:
      return { graph: a.g?.name ?? '' };
    default:
      throw new Error(`${what}: attribute type ${T[type] ?? type} is not supported`);
  }
}

/** The tensor a Constant node holds, from whichever of its attributes (value, value_float(s), value_int(s)) is set. */
function constantValue(node: OnnxNode): OnnxTensor {
  const name = node.outputs[0]!;
  const a = node.attributes;
  const v = a['value'];
  if (v !== undefined && typeof v === 'object' && 'dims' in v) return { ...v, name };
  if (typeof a['value_float'] === 'number') return { name, dataType: 'float32', dims: [], data: Float32Array.of(a['value_float']) };
  if (Array.isArray(a['value_floats'])) return { name, dataType: 'float32', dims: [a['value_floats'].length], data: Float32Array.from(a['value_floats'] as number[]) };
  if (typeof a['value_int'] === 'number') return { name, dataType: 'int64', dims: [], data: Float64Array.of(a['value_int']) };
  if (Array.isArray(a['value_ints'])) return { name, dataType: 'int64', dims: [a['value_ints'].length], data: Float64Array.from(a['value_ints'] as number[]) };
  throw new Error(`node '${node.name}' (Constant): no tensor value (sparse and string constants are not supported)`);
}

function valueInfo(v: onnxProto.onnx.IValueInfoProto): OnnxValueInfo {
  const tt = v.type?.tensorType;
  const code = tt?.elemType ?? 0;
  return {
    name: v.name ?? '',
    dataType: DTYPES[code],
    shape: tt?.shape?.dim?.map((d) => (d.dimValue !== null && d.dimValue !== undefined && num(d.dimValue, `input '${v.name}'`) > 0 ? num(d.dimValue, `input '${v.name}'`) : d.dimParam || '?')),
  };
}

function decodeMessage<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new Error(`not a valid ONNX ${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Decodes an ONNX model (the bytes of a `.onnx` file) into an {@link OnnxGraph}: nodes in file order (ONNX
 * requires topological order), initializers and Constant nodes as named tensors (the Constant nodes are kept
 * in `nodes` too, so that a node count matches what other tools show), attributes as plain values.
 */
export function decodeOnnxModel(bytes: Uint8Array): OnnxGraph {
  const m = decodeMessage('model', () => onnx.ModelProto.decode(bytes));
  const g = m.graph;
  if (!g || (g.node ?? []).length === 0) throw new Error('not a valid ONNX model: it has no graph, or the graph has no nodes');
  const opset = (m.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  const tensors = new Map<string, OnnxTensor>();
  for (const [i, t] of (g.initializer ?? []).entries()) {
    const x = tensorFrom(t, `initializer#${i}`);
    tensors.set(x.name, x);
  }
  const nodes: OnnxNode[] = (g.node ?? []).map((n, i) => {
    const name = n.name || `${n.opType}#${i}`;
    const where = `node '${name}' (${n.opType})`;
    const attributes: Record<string, OnnxAttribute> = {};
    for (const a of n.attribute ?? []) attributes[a.name ?? ''] = attributeFrom(a, where);
    const node: OnnxNode = { name, opType: n.opType ?? '', domain: n.domain === 'ai.onnx' ? '' : (n.domain ?? ''), inputs: [...(n.input ?? [])], outputs: [...(n.output ?? [])], attributes };
    if (node.opType === 'Constant' && node.domain === '') tensors.set(node.outputs[0]!, constantValue(node));
    return node;
  });
  return {
    name: g.name ?? '',
    producer: [m.producerName, m.producerVersion].filter(Boolean).join(' '),
    opset: opset ? num(opset.version, 'opset version') : 1,
    irVersion: num(m.irVersion, 'ir version'),
    nodes,
    tensors,
    inputs: (g.input ?? []).filter((v) => !tensors.has(v.name ?? '')).map(valueInfo),
    outputs: (g.output ?? []).map(valueInfo),
  };
}

/** Decodes a serialised TensorProto (as the ONNX test data's `input_0.pb`, `output_0.pb` files store them). */
export function decodeOnnxTensor(bytes: Uint8Array): OnnxTensor {
  return tensorFrom(decodeMessage('tensor', () => onnx.TensorProto.decode(bytes)), 'tensor');
}
