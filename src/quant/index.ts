/**
 * Post-training quantisation for the simulated core, per-channel precision assignment from a model's weights
 * and calibration data, and accuracy measured with the core's arithmetic on real test images.
 *
 * @module
 */
export * from './network-reference.js';
export * from './quantise.js';
export * from './assign.js';
export * from './evaluate.js';
export * from './simulate-network.js';
