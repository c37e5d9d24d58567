// The importer and the simulated kernels against an independent oracle: the ONNX operator test cases of
// Debian's libonnx-testdata (outputs computed by ONNX's own reference implementation). Every case of the
// operators the importer claims is run; a case that cannot run is listed below with its reason and counted,
// never skipped silently.
//  - the host reference (src/onnx/reference.ts) must match every claimed case (integers exactly, floats with
//    ONNX's own backend-test tolerance rtol 1e-3, atol 1e-7);
//  - the simulated kernels (src/onnx/simulate-node.ts) must reproduce the integer cases bit-exactly, and the
//    float ones within the fp32 error bound of their reduction (gamma_(n+3) * sum |a w|, see
//    src/kernels/reference.ts) plus one rounding of the oracle's own float32 result.
import { describe, expect, it } from 'vitest';
import type { OnnxNode } from '../../src/onnx/graph.js';
import { runNode, runReference, valueOf, type Value } from '../../src/onnx/reference.js';
import { NotRunnable, simulateNode } from '../../src/onnx/simulate-node.js';
import { caseNames, loadCase, loadCaseModel } from './testdata.js';

const CLAIMED = new Set([
  'Conv', 'ConvInteger', 'QLinearConv', 'MatMul', 'MatMulInteger', 'QLinearMatMul', 'Gemm', 'QuantizeLinear', 'DequantizeLinear', 'BatchNormalization',
  'Relu', 'Clip', 'HardSigmoid', 'HardSwish', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'Add', 'Sub', 'Mul', 'Div', 'Flatten', 'Reshape', 'Softmax',
]);
const SIMULATED = new Set(['Conv', 'ConvInteger', 'QLinearConv', 'MatMul', 'MatMulInteger', 'QLinearMatMul', 'Gemm', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool']);

/** Cases of claimed operators the importer refuses, with the reason it must give. */
const REFERENCE_REFUSES: Record<string, RegExp> = {
  test_averagepool_1d_default: /only 2-D windows/,
  test_averagepool_3d_default: /only 2-D windows/,
  test_maxpool_1d_default: /only 2-D windows/,
  test_maxpool_3d_default: /only 2-D windows/,
  test_batchnorm_epsilon_training_mode: /training mode/,
  test_batchnorm_example_training_mode: /training mode/,
  test_maxpool_with_argmax_2d_precomputed_pads: /Indices output/,
  test_maxpool_with_argmax_2d_precomputed_strides: /Indices output/,
};

/** Cases the reference runs but the simulated kernels cannot, with the reason. */
const NOT_SIMULATED: Record<string, RegExp> = {
  test_averagepool_1d_default: /only 2-D pooling/,
  test_averagepool_3d_default: /only 2-D pooling/,
  test_maxpool_1d_default: /only 2-D pooling/,
  test_maxpool_3d_default: /only 2-D pooling/,
  test_maxpool_with_argmax_2d_precomputed_pads: /Indices output/,
  test_maxpool_with_argmax_2d_precomputed_strides: /Indices output/,
  test_maxpool_2d_dilations: /dilated pooling/,
  test_averagepool_2d_ceil: /divides border windows by fewer|ceil-mode/,
  test_averagepool_2d_pads: /count_include_pad=0/,
  test_averagepool_2d_precomputed_pads: /count_include_pad=0/,
  test_averagepool_2d_precomputed_same_upper: /count_include_pad=0/,
  test_averagepool_2d_same_lower: /count_include_pad=0/,
  test_averagepool_2d_same_upper: /count_include_pad=0/,
};

const claimedCases = caseNames().filter((n) => {
  if (/_expanded$/.test(n)) return false;
  try {
    const g = loadCaseModel(n);
    return g.nodes.every((x) => x.opType === 'Constant' || CLAIMED.has(x.opType));
  } catch {
    return false;
  }
});

function feedsOf(name: string) {
  const c = loadCase(name);
  return c.sets.map((s) => ({ feeds: Object.fromEntries(c.graph.inputs.map((i, k) => [i.name, valueOf(s.inputs[k]!)])), outputs: s.outputs, graph: c.graph }));
}

const isInt = (v: { dataType: string }) => !v.dataType.startsWith('float');

describe('ONNX operator test data (libonnx-testdata): host reference', () => {
  it('covers the claimed operators (case count)', () => {
    // 125 cases of the claimed operators in libonnx-testdata 1.12; the count catches a case lost by a filter.
    expect(claimedCases.length).toBe(125);
  });
  for (const name of claimedCases) {
    it(name, () => {
      for (const { feeds, outputs, graph } of feedsOf(name)) {
        if (REFERENCE_REFUSES[name]) {
          expect(() => runReference(graph, feeds)).toThrow(REFERENCE_REFUSES[name]);
          return;
        }
        const env = runReference(graph, feeds);
        graph.outputs.forEach((o, k) => {
          const got = env.get(o.name)!;
          const exp = outputs[k]!;
          expect(got.dims).toEqual(exp.dims);
          if (isInt(exp)) expect(Array.from(got.data)).toEqual(Array.from(exp.data));
          else exp.data.forEach((e, i) => expect(Math.abs(got.data[i]! - e)).toBeLessThanOrEqual(1e-7 + 1e-3 * Math.abs(e)));
        });
      }
    });
  }
});

/** The node on |inputs| (|x|, |w|, |bias|): sum |a w| per output, for the fp32 error bound. */
function magnitudes(node: OnnxNode, ins: (Value | undefined)[]): Float64Array {
  const abs = ins.map((v) => (v ? { ...v, data: v.data.map(Math.abs) } : v));
  const plain = { ...node, attributes: { ...node.attributes, alpha: Math.abs(Number(node.attributes['alpha'] ?? 1)), beta: Math.abs(Number(node.attributes['beta'] ?? 1)) } };
  return runNode(node.opType === 'Gemm' ? plain : node, abs)[0]!.data;
}

function reductionLength(node: OnnxNode, ins: (Value | undefined)[]): number {
  const x = ins[0]!;
  switch (node.opType) {
    case 'Conv':
      return ins[1]!.dims.slice(1).reduce((p, d) => p * d, 1);
    case 'MatMul':
      return x.dims[x.dims.length - 1]!;
    case 'Gemm':
      return numberOf(node, 'transA') ? x.dims[0]! : x.dims[1]!;
    case 'AveragePool':
    case 'GlobalAveragePool':
      return x.dims.slice(2).reduce((p, d) => p * d, 1);
    default:
      return 0;
  }
}
const numberOf = (n: OnnxNode, k: string) => Number(n.attributes[k] ?? 0);

const simulatedCases = claimedCases.filter((n) => {
  const g = loadCaseModel(n);
  return g.nodes.length === 1 && SIMULATED.has(g.nodes[0]!.opType);
});

describe('ONNX operator test data (libonnx-testdata): simulated kernels', () => {
  it('runs every simulated-operator case but the listed ones (counts)', () => {
    expect(simulatedCases.length).toBe(59);
    expect(simulatedCases.filter((n) => NOT_SIMULATED[n]).length).toBe(Object.keys(NOT_SIMULATED).length);
    expect(simulatedCases.length - Object.keys(NOT_SIMULATED).length).toBe(46);
  });
  for (const name of simulatedCases) {
    it(name, () => {
      for (const { feeds, outputs, graph } of feedsOf(name)) {
        const node = graph.nodes[0]!;
        const ins = node.inputs.map((i) => (i === '' ? undefined : (feeds[i] ?? valueOf(graph.tensors.get(i)!))));
        if (NOT_SIMULATED[name]) {
          const run = () => {
            if (node.outputs.length > 1) throw new NotRunnable(node.name, 'the Indices output is not computed');
            simulateNode(node, ins);
          };
          expect(run).toThrow(NOT_SIMULATED[name]);
          return;
        }
        const r = simulateNode(node, ins);
        const got = r.outputs[0]!;
        const exp = outputs[0]!;
        expect(got.dims).toEqual(exp.dims);
        expect(r.instructions).toBeGreaterThan(0);
        if (isInt(exp)) {
          expect(Array.from(got.data)).toEqual(Array.from(exp.data));
          continue;
        }
        const n = reductionLength(node, ins);
        const u = 2 ** -24;
        const gamma = ((n + 3) * u) / (1 - (n + 3) * u);
        const mag = node.opType.endsWith('MaxPool') ? new Float64Array(exp.data.length) : magnitudes(node, ins);
        exp.data.forEach((e, i) => expect(Math.abs(got.data[i]! - e)).toBeLessThanOrEqual(gamma * mag[i]! + u * Math.abs(e)));
      }
    });
  }
});
