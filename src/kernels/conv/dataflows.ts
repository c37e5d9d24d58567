/**
 * The registry of dataflow emitters: one entry per {@link Dataflow}. A new dataflow is a new emitter module
 * (see `output-stationary.ts` for the shape of one) and one line here.
 *
 * @module
 */
import type { DataflowEmitter } from './emitter.js';
import { inputStationary } from './input-stationary.js';
import { outputStationary } from './output-stationary.js';
import type { Dataflow } from './types.js';
import { weightStationary } from './weight-stationary.js';

/** Every dataflow's emitter, by name. */
export const DATAFLOWS: Readonly<Record<Dataflow, DataflowEmitter>> = {
  'output-stationary': outputStationary,
  'weight-stationary': weightStationary,
  'input-stationary': inputStationary,
};
