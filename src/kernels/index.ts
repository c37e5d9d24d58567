/**
 * Kernel generators and networks: layer and network specifications, per-input-channel precision maps, the
 * data layouts that pack mixed-precision channels into precision patterns, code generators for three SIMD
 * dataflows, plain reference implementations, the network zoo and whole-network simulation.
 *
 * @module
 */
export * from './spec.js';
export * from './precision.js';
export * from './layout.js';
export * from './tensor.js';
export * from './builder.js';
export * from './conv.js';
export * from './generate.js';
export * from './reference.js';
export { Rng } from './rng.js';
export * from './glue.js';
export * from './network.js';
export * from './zoo.js';
