// Small ONNX models with seeded random weights, built as an exporter would write them.
import { Rng } from '../../src/kernels/rng.js';
import { encodeOnnxModel, type OnnxNodeInput } from '../../src/onnx/encode.js';
import type { OnnxTensor } from '../../src/onnx/graph.js';

export function randomTensor(rng: Rng, name: string, dims: number[], scale: number): OnnxTensor {
  const n = dims.reduce((p, d) => p * d, 1);
  return { name, dataType: 'float32', dims, data: Float32Array.from({ length: n }, () => (rng.float() * 2 - 1) * scale) };
}

/** A small CNN with seeded random weights, as an exporter would write it. */
export function smallCnn(seed: number, extraNodes: OnnxNodeInput[] = []): Uint8Array {
  const rng = new Rng(seed);
  return encodeOnnxModel({
    name: 'small',
    inputs: [{ name: 'x', dataType: 'float32', shape: ['N', 1, 28, 28] }],
    outputs: [{ name: 'y', dataType: 'float32', shape: ['N', 10] }],
    initializers: [randomTensor(rng, 'w1', [6, 1, 3, 3], 0.6), randomTensor(rng, 'b1', [6], 0.1), randomTensor(rng, 'w2', [12, 6, 3, 3], 0.25), randomTensor(rng, 'b2', [12], 0.1), randomTensor(rng, 'w3', [10, 12 * 7 * 7], 0.05), randomTensor(rng, 'b3', [10], 0.1)],
    nodes: [
      { opType: 'Conv', name: 'conv1', inputs: ['x', 'w1', 'b1'], outputs: ['c1'], attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] } },
      { opType: 'Relu', name: 'relu1', inputs: ['c1'], outputs: ['r1'] },
      { opType: 'Conv', name: 'conv2', inputs: ['r1', 'w2', 'b2'], outputs: ['c2'], attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
      { opType: 'Relu', name: 'relu2', inputs: ['c2'], outputs: ['r2'] },
      { opType: 'MaxPool', name: 'pool', inputs: ['r2'], outputs: ['p'], attributes: { kernel_shape: [2, 2], strides: [2, 2] } },
      { opType: 'Flatten', name: 'flat', inputs: ['p'], outputs: ['f'], attributes: { axis: 1 } },
      { opType: 'Gemm', name: 'fc', inputs: ['f', 'w3', 'b3'], outputs: ['y'], attributes: { transB: 1 } },
      ...extraNodes,
    ],
  });
}

