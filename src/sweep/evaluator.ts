/**
 * Evaluators: what a sweep runs at each point. An evaluator is a named object registered in a module; worker
 * threads cannot receive closures, so a sweep names the evaluator and the module that registers it, and each
 * worker imports that module and looks the name up. Adding an evaluator is one {@link registerEvaluator} call
 * in such a module (the built-in ones are registered in `evaluators/builtin.ts`).
 *
 * @module
 */
import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import type { z } from 'zod';
import type { JsonObject } from './json.js';

/** A metric an evaluator reports: its name (a key of {@link EvalResult.metrics}), unit and meaning. */
export interface MetricDef {
  readonly name: string;
  readonly unit: string;
  readonly description: string;
  /** Short name for plot titles and table heads (`energy` for `energyUj`); default the name. */
  readonly label?: string;
}

/**
 * What one evaluation returns. `metrics` are plain numbers (cycles, energy, area, model size...);
 * `breakdowns` split a total into named parts for stacked plots, e.g. `{ cpi: { compute: 1.1, memory: 0.4 } }`
 * (a CPI or cycle stack) or `{ energy: { mac: 120, sram: 80, leakage: 9 } }`.
 */
export interface EvalResult {
  readonly metrics: Readonly<Record<string, number>>;
  readonly breakdowns?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/**
 * A named function from (design configuration, workload) to metrics. Its schemas validate every point's
 * merged configuration and workload, so a bad point is reported with located errors before it runs.
 */
export interface Evaluator<C = unknown, W = unknown> {
  /** The name a sweep refers to it by. */
  readonly name: string;
  /** One paragraph: what it models and how far its numbers can be trusted. */
  readonly description: string;
  /** Schema of the design configuration (base configuration with a point's overrides). */
  readonly configSchema: z.ZodType<C>;
  /** Schema of the workload parameters. */
  readonly workloadSchema: z.ZodType<W>;
  /** Every metric it reports. */
  readonly metrics: readonly MetricDef[];
  /** Unit of each breakdown's parts, by breakdown name (`{ cpi: 'cycles/instruction', energy: 'µJ' }`). */
  readonly breakdownUnits?: Readonly<Record<string, string>>;
  /** Objectives (metric names, minimised) used when a sweep names none. */
  readonly defaultObjectives: readonly string[];
  /** Evaluates one point. May throw: the sweep records the error for that point and goes on. */
  evaluate(config: C, workload: W): EvalResult | Promise<EvalResult>;
}

/** Which evaluator a sweep runs and with what workload parameters. */
export interface WorkloadSpec {
  /** Name of a registered evaluator, e.g. `'analytic'`. */
  readonly evaluator: string;
  /**
   * Module that registers the evaluator when imported: an absolute path, a `file:` URL or a package
   * specifier. Default: mpsimd's built-in evaluators.
   */
  readonly module?: string;
  /** Workload parameters, validated by the evaluator's `workloadSchema`; `workload.*` dimensions override them. */
  readonly params?: JsonObject;
}

// One registry per thread, kept on globalThis: a thread can hold two instances of this module (seen: a
// script run with tsx loads the built package's worker and the evaluators' module through two loaders), and
// evaluators registered into one must be found through the other.
const REGISTRY_KEY = Symbol.for('mpsimd.sweep.evaluators');
const registry: Map<string, Evaluator<any, any>> = ((globalThis as Record<symbol, unknown>)[REGISTRY_KEY] as Map<string, Evaluator<any, any>> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[REGISTRY_KEY] = new Map<string, Evaluator<any, any>>());

/** Registers an evaluator under its name; registering a different object under a taken name throws. */
export function registerEvaluator<C, W>(evaluator: Evaluator<C, W>): Evaluator<C, W> {
  const old = registry.get(evaluator.name);
  if (old !== undefined && old !== evaluator) throw new Error(`evaluator '${evaluator.name}' is registered twice`);
  registry.set(evaluator.name, evaluator);
  return evaluator;
}

/** The names of the registered evaluators. */
export function evaluatorNames(): string[] {
  return [...registry.keys()].sort();
}

/** The URL of the module registering the built-in evaluators (works from the sources and from dist/). */
export const BUILTIN_EVALUATORS_MODULE: string = new URL(
  import.meta.url.endsWith('.ts') ? './evaluators/builtin.ts' : './evaluators/builtin.js',
  import.meta.url,
).href;

/** Turns a module reference into something `import()` accepts from any file: absolute paths become URLs. */
export function moduleUrl(module: string | undefined): string {
  if (module === undefined) return BUILTIN_EVALUATORS_MODULE;
  return isAbsolute(module) ? pathToFileURL(module).href : module;
}

/** Imports the workload's module and returns its evaluator; throws naming the evaluators that exist. */
export async function loadEvaluator(workload: WorkloadSpec): Promise<Evaluator<unknown, unknown>> {
  await import(moduleUrl(workload.module));
  const e = registry.get(workload.evaluator);
  if (e === undefined) {
    throw new Error(`unknown evaluator '${workload.evaluator}' (registered: ${evaluatorNames().join(', ') || 'none'})`);
  }
  return e;
}
