/**
 * Networks: a JSON spec (schema-validated, shapes inferred layer by layer), per-tensor precision
 * assignment, and {@link simulateNetwork}, which generates every layer, runs them one after the other on one
 * simulated memory (activations stay where the producing layer wrote them, in the consumer's layout), and
 * reports per layer and in total: instructions by class, useful MACs, bytes of weights and activations,
 * model size and compression vs fp32, and whatever a pluggable timing model returns.
 *
 * The parts live in `src/kernels/network/`: `schema.ts` (network JSON), `shapes.ts` (shape inference),
 * `precision-scheme.ts` (precision assignment), `sampling.ts` (sampled timing), `simulate.ts` (placement,
 * generation, runs and reports), `reference.ts` (the plain reference network), and the registry of layer
 * kinds, `layer-kinds.ts`, whose entries (`layer-kind.ts` declares their interface) hold everything a kind
 * means: schema, shape inference, generator and reference.
 *
 * @module
 */
export * from './network/layer-kind.js';
export { LAYER_KINDS, layerKind, type LayerKindName } from './network/layer-kinds.js';
export * from './network/schema.js';
export * from './network/shapes.js';
export * from './network/precision-scheme.js';
export * from './network/timing.js';
export * from './network/sampling.js';
export * from './network/simulate.js';
export * from './network/reference.js';
