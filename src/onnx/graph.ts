/**
 * The intermediate form of an imported ONNX model: a graph of nodes in execution order, named tensors (from
 * initializers and from `Constant` nodes, both as {@link OnnxTensor}), attributes as plain values, and the
 * declared shapes of the graph's inputs and outputs. Nothing here depends on the protobuf library: the
 * decoder (decode.ts) fills these types, and every later stage (shape inference, the float reference,
 * mapping onto the simulator's layers) reads only them.
 *
 * @module
 */

/** Element types of ONNX tensors the importer reads (TensorProto.DataType by name). */
export type OnnxDataType = 'float32' | 'float64' | 'uint8' | 'int8' | 'uint16' | 'int16' | 'int32' | 'int64' | 'uint32' | 'bool';

/** A tensor with its data: shape in ONNX order (NCHW for images), elements row-major. */
export interface OnnxTensor {
  readonly name: string;
  readonly dataType: OnnxDataType;
  readonly dims: readonly number[];
  /**
   * The elements. Integer types are held exactly as numbers (int64 too: a value beyond 2^53 is refused when
   * decoded); float32 as a Float32Array so that values stay binary32.
   */
  readonly data: Float32Array | Float64Array | Int32Array | Uint8Array | Int8Array;
}

/** An attribute value: ints and floats as numbers, lists as arrays, a tensor attribute as a tensor. */
export type OnnxAttribute = number | string | readonly number[] | readonly string[] | OnnxTensor | { readonly graph: string };

/** One node of the graph. */
export interface OnnxNode {
  /** The node's name, or `<opType>#<index>` when the model leaves it empty. */
  readonly name: string;
  readonly opType: string;
  /** Operator set domain: '' (or 'ai.onnx') for the default one. */
  readonly domain: string;
  /** Input tensor names; '' marks an omitted optional input. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, OnnxAttribute>>;
}

/** A graph input or output: element type and shape (a dimension is a number, or a symbolic name). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly dataType: OnnxDataType | undefined;
  readonly shape: readonly (number | string)[] | undefined;
}

/** An imported model. */
export interface OnnxGraph {
  readonly name: string;
  readonly producer: string;
  /** Version of the default operator set. */
  readonly opset: number;
  readonly irVersion: number;
  readonly nodes: readonly OnnxNode[];
  /** Weights and other constants by name: the initializers and every `Constant` node's value. */
  readonly tensors: ReadonlyMap<string, OnnxTensor>;
  /** Inputs that are fed at run time (initializers listed as inputs are left out). */
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

/** The number of elements of a shape. */
export function elementCount(dims: readonly number[]): number {
  return dims.reduce((p, d) => p * d, 1);
}

/** A numeric attribute (int or float), or `dflt` when absent; a clear error names the node when it has another type. */
export function numberAttr(node: OnnxNode, name: string, dflt: number): number {
  const v = node.attributes[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'number') throw new Error(`${describeNode(node)}: attribute '${name}' must be a number`);
  return v;
}

/** An attribute as a list of integers, or `dflt` when absent. */
export function intsAttr(node: OnnxNode, name: string, dflt: readonly number[] | undefined): readonly number[] | undefined {
  const v = node.attributes[name];
  if (v === undefined) return dflt;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) throw new Error(`${describeNode(node)}: attribute '${name}' must be a list of integers`);
  return v as readonly number[];
}

/** An attribute as a string, or `dflt` when absent. */
export function stringAttr(node: OnnxNode, name: string, dflt: string): string {
  const v = node.attributes[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'string') throw new Error(`${describeNode(node)}: attribute '${name}' must be a string`);
  return v;
}

/** How errors name a node: `node 'conv1' (Conv)`. */
export function describeNode(node: Pick<OnnxNode, 'name' | 'opType'>): string {
  return `node '${node.name}' (${node.opType})`;
}
