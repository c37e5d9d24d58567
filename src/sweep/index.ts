/**
 * Design-space sweeps: spaces of design points, evaluators that score them, search strategies, a worker pool,
 * a resumable JSONL results store with shards and merge, Pareto fronts, and plots.
 *
 * @module
 */
export * from './json.js';
export * from './rng.js';
export * from './space.js';
export * from './space-file.js';
export * from './check.js';
export * from './evaluator.js';
export * from './pareto.js';
export * from './strategy.js';
export * from './store.js';
export * from './shard.js';
export * from './pool.js';
export * from './task.js';
export * from './sweep.js';
export * from './progress.js';
export * from './plot.js';
export * from './output.js';
export * from './report-html.js';
export * from './defaults.js';
export * from './version.js';
export * from './evaluators/analytic.js';
export * from './evaluators/functional.js';
export * from './evaluators/model.js';
export { LayerDesignSchema } from './evaluators/layer.js';
