/**
 * mpsimd: a simulator of CPU SIMD cores for neural networks whose weights and activations have different
 * precisions element by element. This entry point re-exports the public API of each module:
 * - the ISA and functional model (`isa/`),
 * - statistics (`stats/`) and configuration validation (`config/`),
 * - the memory hierarchy: caches, DRAM, trace-driven simulation (`memory/`), and its energy table (`energy/`),
 * - the core timing model (`pipeline/`) and `simulate`, which runs a program on a machine (`machine/`),
 * - design-space sweeps: spaces, evaluators, strategies, results stores, Pareto fronts and plots (`sweep/`),
 * - ONNX import (`onnx/`), post-training quantisation, precision assignment and accuracy (`quant/`), and the
 *   real models and data sets used to measure them (`models/`).
 *
 * @packageDocumentation
 */
export * from './isa/index.js';
export * from './stats/registry.js';
export * from './config/validate.js';
export * from './config/files.js';
export * from './memory/index.js';
export * from './energy/memory.js';
export * from './energy/index.js';
export * from './presets/index.js';
export * from './pipeline/index.js';
export * from './machine/index.js';
export * from './kernels/index.js';
export * from './sweep/index.js';
export * from './onnx/index.js';
export * from './quant/index.js';
export * from './models/index.js';
// Two modules export a seeded generator named Rng; the sweep's is the public one.
export { Rng } from './sweep/rng.js';
