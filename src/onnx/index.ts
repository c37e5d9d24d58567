/**
 * ONNX import: decoding (`onnx-proto`), the intermediate graph, a plain reference interpreter, graph passes
 * (constant folding, HardSwish fusion, BatchNormalization folding), single nodes and whole models on the
 * simulated core, and the mapping of a model onto the simulator's network layers with its real weights.
 *
 * @module
 */
export * from './graph.js';
export { decodeOnnxModel, decodeOnnxTensor } from './decode.js';
export { encodeOnnxModel, encodeOnnxTensor, type OnnxAttributeInput, type OnnxModelInput, type OnnxNodeInput } from './encode.js';
export * from './ops.js';
export { runNode, runReference, valueOf, window2d, conv2d, roundHalfEven, requantMultiplier, reshapeDims, REFERENCE_OPS, type Value, type Window2d } from './reference.js';
export * from './passes.js';
export * from './import.js';
export { NotRunnable, simulateNode, toNhwc, toNchw, padNchw, type SimulatedNode } from './simulate-node.js';
export * from './run.js';
export * from './lower.js';
