/**
 * One evaluation, as sent to a worker thread and run there (or inline when a sweep uses no workers). Only
 * plain data crosses the thread boundary: the evaluator is named, and its module imported by the worker.
 *
 * @module
 */
import { loadEvaluator, type EvalResult } from './evaluator.js';

/** An evaluation to run: which evaluator (and the module registering it) on which resolved inputs. */
export interface PointTask {
  readonly evaluator: string;
  readonly module?: string;
  readonly config: unknown;
  readonly workload: unknown;
}

/** Outcome of a {@link PointTask}: metrics, or the error the evaluator threw; always with its wall time. */
export type TaskOutcome =
  | { readonly ok: true; readonly result: EvalResult; readonly elapsedMs: number }
  | { readonly ok: false; readonly error: string; readonly elapsedMs: number };

/** Runs a task, turning a throw into an `ok: false` outcome and checking that metrics are numbers. */
export async function runTask(task: PointTask): Promise<TaskOutcome> {
  const t0 = performance.now();
  try {
    const ev = await loadEvaluator({ evaluator: task.evaluator, ...(task.module !== undefined ? { module: task.module } : {}) });
    const result = await ev.evaluate(task.config, task.workload);
    for (const [k, v] of Object.entries(result.metrics)) {
      if (typeof v !== 'number') throw new Error(`evaluator '${task.evaluator}' returned metric ${k} = ${String(v)}, not a number`);
    }
    return { ok: true, result: { metrics: result.metrics, ...(result.breakdowns ? { breakdowns: result.breakdowns } : {}) }, elapsedMs: performance.now() - t0 };
  } catch (e) {
    const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { ok: false, error, elapsedMs: performance.now() - t0 };
  }
}
