/**
 * Writing ONNX models from the intermediate form, with the same protobuf library that reads them
 * (`onnx-proto`). Used by the MNIST training script to export its trained network, and by tests to build
 * small models; what it writes reads back through {@link decodeOnnxModel} unchanged.
 *
 * @module
 */
import onnxProto from 'onnx-proto';
import type { OnnxDataType, OnnxTensor } from './graph.js';

const { onnx } = onnxProto;

const CODES: Readonly<Record<OnnxDataType, number>> = { float32: 1, uint8: 2, int8: 3, uint16: 4, int16: 5, int32: 6, int64: 7, bool: 9, float64: 11, uint32: 12 };

/** An attribute to write: an integer, `{ float: x }` (or any non-integer number) for a float, a string, lists, a tensor. */
export type OnnxAttributeInput = number | { readonly float: number } | string | readonly number[] | { readonly floats: readonly number[] } | OnnxTensor;

/** A node to write. */
export interface OnnxNodeInput {
  readonly opType: string;
  readonly name?: string;
  readonly domain?: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, OnnxAttributeInput>>;
}

/** A model to write. */
export interface OnnxModelInput {
  readonly name: string;
  readonly producer?: string;
  /** Default operator set version. Default 13. */
  readonly opset?: number;
  readonly inputs: readonly { readonly name: string; readonly dataType: OnnxDataType; readonly shape: readonly (number | string)[] }[];
  readonly outputs: readonly { readonly name: string; readonly dataType: OnnxDataType; readonly shape: readonly (number | string)[] }[];
  readonly nodes: readonly OnnxNodeInput[];
  readonly initializers?: readonly OnnxTensor[];
  readonly docString?: string;
}

/** A TensorProto message for a tensor (elements written little-endian into raw_data). */
export function tensorProto(t: OnnxTensor): onnxProto.onnx.ITensorProto {
  const n = t.data.length;
  let raw: Uint8Array;
  const put = (size: number, f: (v: DataView, i: number, x: number) => void) => {
    raw = new Uint8Array(n * size);
    const v = new DataView(raw.buffer);
    for (let i = 0; i < n; i++) f(v, i, t.data[i]!);
  };
  switch (t.dataType) {
    case 'float32':
      put(4, (v, i, x) => v.setFloat32(4 * i, x, true));
      break;
    case 'float64':
      put(8, (v, i, x) => v.setFloat64(8 * i, x, true));
      break;
    case 'uint8':
    case 'bool':
    case 'int8':
      put(1, (v, i, x) => v.setUint8(i, x & 0xff));
      break;
    case 'uint16':
    case 'int16':
      put(2, (v, i, x) => v.setUint16(2 * i, x & 0xffff, true));
      break;
    case 'int32':
    case 'uint32':
      put(4, (v, i, x) => v.setUint32(4 * i, x >>> 0, true));
      break;
    case 'int64':
      put(8, (v, i, x) => v.setBigInt64(8 * i, BigInt(x), true));
      break;
  }
  return { name: t.name, dataType: CODES[t.dataType], dims: [...t.dims], rawData: raw! };
}

function attributeProto(name: string, v: OnnxAttributeInput): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: T.INT, i: v } : { name, type: T.FLOAT, f: v };
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: [...(v as number[])] };
  if ('float' in v) return { name, type: T.FLOAT, f: v.float };
  if ('floats' in v) return { name, type: T.FLOATS, floats: [...v.floats] };
  return { name, type: T.TENSOR, t: tensorProto(v as OnnxTensor) };
}

function valueInfoProto(v: OnnxModelInput['inputs'][number]): onnxProto.onnx.IValueInfoProto {
  return { name: v.name, type: { tensorType: { elemType: CODES[v.dataType], shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } };
}

/** Encodes a model as the bytes of a `.onnx` file. */
export function encodeOnnxModel(m: OnnxModelInput): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: m.producer ?? 'mpsimd',
    opsetImport: [{ domain: '', version: m.opset ?? 13 }],
    docString: m.docString ?? '',
    graph: {
      name: m.name,
      node: m.nodes.map((n, i) => ({
        opType: n.opType,
        name: n.name ?? `${n.opType}_${i}`,
        domain: n.domain ?? '',
        input: [...n.inputs],
        output: [...n.outputs],
        attribute: Object.entries(n.attributes ?? {}).map(([k, v]) => attributeProto(k, v)),
      })),
      initializer: (m.initializers ?? []).map(tensorProto),
      input: m.inputs.map(valueInfoProto),
      output: m.outputs.map(valueInfoProto),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Encodes one tensor as a TensorProto message (the format of the ONNX test data's `.pb` files). */
export function encodeOnnxTensor(t: OnnxTensor): Uint8Array {
  return onnx.TensorProto.encode(onnx.TensorProto.create(tensorProto(t))).finish();
}
