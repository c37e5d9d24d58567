/**
 * A machine (ISA + core + memory) and `simulate`, which runs a program on it functionally and timed.
 *
 * @module
 */
export { MachineConfigSchema, resolveMachineConfig, type MachineConfig, type MachineConfigInput } from './config.js';
export { simulate, type SimulateOptions, type SimulationResult } from './simulate.js';
export { networkTiming } from './network.js';
