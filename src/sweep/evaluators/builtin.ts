/**
 * Registers mpsimd's built-in evaluators. Worker threads import this module (the default
 * {@link WorkloadSpec.module}) to find them by name; the cycle-level simulator's evaluator is registered here
 * with one more line when it lands.
 *
 * @module
 */
import { registerEvaluator, type WorkloadSpec } from '../evaluator.js';
import { analyticEvaluator } from './analytic.js';
import { functionalKernelEvaluator } from './functional.js';
import { simulateLayerEvaluator } from './layer.js';
import { onnxModelEvaluator } from './model.js';

export type { WorkloadSpec };

registerEvaluator(analyticEvaluator);
registerEvaluator(functionalKernelEvaluator);
registerEvaluator(simulateLayerEvaluator);
registerEvaluator(onnxModelEvaluator);
