/**
 * Where points run: a piscina pool of worker threads (one per core by default) or, with `workers: 0`, the
 * calling thread (for debugging, and for evaluators too cheap to be worth a message). A worker that dies (an
 * evaluator calling `process.exit`, running out of memory) fails only its point; piscina starts another.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { runTask, type PointTask, type TaskOutcome } from './task.js';
import { workerFile } from '../workers/file.js';

/** Runs tasks, up to `concurrency` at a time. */
export interface PointRunner {
  readonly concurrency: number;
  run(task: PointTask): Promise<TaskOutcome>;
  close(): Promise<void>;
}

/** How many workers: a number (0 runs inline) or `'auto'`, one per core. */
export type WorkerCount = number | 'auto';

/** The number of threads `'auto'` means on this machine. */
export function autoWorkers(): number {
  return Math.max(1, availableParallelism());
}

function workerFilename(): string {
  return workerFile(new URL('./worker.js', import.meta.url), import.meta.url);
}

/** A runner with `workers` worker threads, or an inline one for 0. */
export function createRunner(workers: WorkerCount): PointRunner {
  const n = workers === 'auto' ? autoWorkers() : workers;
  if (!Number.isInteger(n) || n < 0) throw new Error(`workers must be 'auto' or an integer >= 0, got ${String(workers)}`);
  if (n === 0) {
    // One point at a time, so each point's elapsed time is its own.
    let last: Promise<unknown> = Promise.resolve();
    const run = (task: PointTask) => {
      const next = last.then(() => runTask(task));
      last = next;
      return next;
    };
    return { concurrency: 1, run, close: async () => {} };
  }
  const pool = new Piscina({ filename: workerFilename(), minThreads: n, maxThreads: n, idleTimeout: 60_000 });
  return {
    concurrency: n,
    run: async (task) => {
      try {
        return (await pool.run(task)) as TaskOutcome;
      } catch (e) {
        return { ok: false, error: `worker died: ${e instanceof Error ? e.message : String(e)}`, elapsedMs: 0 };
      }
    },
    close: () => pool.destroy(),
  };
}
