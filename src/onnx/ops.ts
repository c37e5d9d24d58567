/**
 * Which ONNX operators the importer takes, and how each one runs: on the simulated core, fused into a
 * neighbour (folded weights, the requantisation's clamp), on the host as glue, or folded away as constant
 * shape arithmetic. {@link unsupportedNodes} lists every node of a model outside this table at once, each
 * with its name and type, so a user sees the whole gap in one error.
 *
 * @module
 */
import type { OnnxGraph, OnnxNode } from './graph.js';

/** How an operator runs. */
export type OperatorRole = 'core' | 'fused' | 'host' | 'shape';

/** The operators the importer takes (default ONNX domain), with how each runs and what limits apply. */
export const SUPPORTED_OPERATORS: Readonly<Record<string, { readonly role: OperatorRole; readonly note: string }>> = {
  Conv: { role: 'core', note: '2-D; groups, depthwise, stride, dilation; symmetric padding on the core (asymmetric padding is explicit on the host)' },
  ConvInteger: { role: 'core', note: 'int8 kernel (vdotus); zero points folded into the int32 bias' },
  QLinearConv: { role: 'core', note: 'int8 kernel; the float requantisation runs on the host' },
  MatMul: { role: 'core', note: 'fully connected layer (batch rows); leading dimensions as separate layers' },
  MatMulInteger: { role: 'core', note: 'int8 fully connected layer; zero points folded into the bias' },
  QLinearMatMul: { role: 'core', note: 'int8 fully connected layer; the float requantisation runs on the host' },
  Gemm: { role: 'core', note: 'fully connected layer; alpha a power of two; a bias broadcast over rows' },
  MaxPool: { role: 'core', note: '2-D, no dilation' },
  AveragePool: { role: 'core', note: '2-D; padding only with count_include_pad=1' },
  GlobalAveragePool: { role: 'core', note: '' },
  GlobalMaxPool: { role: 'core', note: '' },
  Add: { role: 'core', note: 'residual add of two activation tensors; adding a constant runs on the host' },
  BatchNormalization: { role: 'fused', note: 'inference only; folded into the preceding Conv' },
  Relu: { role: 'fused', note: 'the requantisation clamps at 0' },
  Clip: { role: 'fused', note: 'Clip(0, max) is the requantisation clamp when max is the top code; otherwise on the host' },
  HardSigmoid: { role: 'host', note: '' },
  HardSwish: { role: 'host', note: '' },
  Mul: { role: 'host', note: 'elementwise' },
  Div: { role: 'host', note: 'elementwise' },
  Sub: { role: 'host', note: 'elementwise' },
  Softmax: { role: 'host', note: 'monotonic: the top-1 class is read from the logits' },
  QuantizeLinear: { role: 'host', note: 'per tensor or per axis' },
  DequantizeLinear: { role: 'host', note: 'per tensor or per axis' },
  Flatten: { role: 'shape', note: '' },
  Reshape: { role: 'shape', note: '' },
  Identity: { role: 'shape', note: '' },
  Dropout: { role: 'shape', note: 'inference: the identity' },
  Shape: { role: 'shape', note: 'folded to a constant for the given input shape' },
  Cast: { role: 'shape', note: 'folded where its input is constant' },
  Slice: { role: 'shape', note: 'step 1' },
  Concat: { role: 'shape', note: '' },
  Constant: { role: 'shape', note: 'a named tensor' },
};

/** A node the importer does not take. */
export interface UnsupportedNode {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
}

/** Every node of a graph whose operator is not in {@link SUPPORTED_OPERATORS} (or is of another domain). */
export function unsupportedNodes(graph: Pick<OnnxGraph, 'nodes'>): UnsupportedNode[] {
  return graph.nodes.filter((n) => !isSupported(n)).map((n) => ({ name: n.name, opType: n.opType, domain: n.domain }));
}

function isSupported(n: OnnxNode): boolean {
  return n.domain === '' && Object.hasOwn(SUPPORTED_OPERATORS, n.opType);
}

/** Thrown by the importer when a model has operators it does not take: lists all of them. */
export class UnsupportedOperatorsError extends Error {
  constructor(readonly nodes: readonly UnsupportedNode[]) {
    const types = [...new Set(nodes.map((n) => (n.domain ? `${n.domain}.${n.opType}` : n.opType)))];
    super(
      `the model has ${nodes.length} node(s) of ${types.length} unsupported operator(s) (${types.join(', ')}):\n` +
        nodes.map((n) => `  node '${n.name}' (${n.domain ? `${n.domain}.` : ''}${n.opType})`).join('\n') +
        `\nsupported: ${Object.keys(SUPPORTED_OPERATORS).join(', ')} (docs/models.md)`,
    );
    this.name = 'UnsupportedOperatorsError';
  }
}
