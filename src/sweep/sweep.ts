/**
 * `sweep()`: runs a strategy's points over a space on a pool of workers, streaming each finished point to the
 * results store and to an async iterator, and ends with the rows and their Pareto front.
 *
 * Flow per batch of points from the strategy: each admitted point is merged into the base configuration and
 * workload and validated by the evaluator's schemas (a point that fails is an `invalid` row with located
 * errors); its key is the hash of what it evaluates; points of other shards are skipped; points already in
 * the store are reused; the rest run on the pool and are appended to the store the moment they finish.
 *
 * @module
 */
import { ConfigError, parseConfig } from '../config/validate.js';
import { dimensionProblems } from './check.js';
import { loadEvaluator, type Evaluator, type WorkloadSpec } from './evaluator.js';
import { contentHash, deepMerge } from './json.js';
import { costs, paretoFront, resolveObjectives, type Objective, type ResolvedObjective } from './pareto.js';
import { createRunner, type WorkerCount } from './pool.js';
import { Rng } from './rng.js';
import { inShard, WHOLE, type Shard } from './shard.js';
import type { PointValues, Space } from './space.js';
import { ResultStore, sortRows, type SweepRow } from './store.js';
import { grid, type Strategy, type Told } from './strategy.js';
import type { PointTask } from './task.js';
import { SIMULATOR_VERSION } from './version.js';

/** Progress of a running sweep, given to {@link SweepOptions.onProgress} after every point. */
export interface SweepProgress {
  /** Points of this shard finished (evaluated now, reused from the store, or invalid). */
  readonly done: number;
  /** Points this shard is expected to have, when the strategy knows. */
  readonly total: number | undefined;
  readonly evaluated: number;
  readonly reused: number;
  readonly failed: number;
  readonly invalid: number;
  readonly elapsedMs: number;
  /** Points evaluated per second (reused ones excluded). */
  readonly rate: number;
  /** Estimated time to finish, from `rate`; undefined when unknown. */
  readonly etaMs: number | undefined;
}

/** What {@link sweep} takes; only `space` and `workload` are required. */
export interface SweepOptions {
  readonly space: Space;
  /** The evaluator and its workload parameters. */
  readonly workload: WorkloadSpec;
  /** Objectives for the front. Default: the evaluator's `defaultObjectives`. */
  readonly objectives?: readonly Objective[];
  /** Search strategy. Default {@link grid}. */
  readonly strategy?: Strategy;
  /** Worker threads; 0 runs points in this thread. Default `'auto'`, one per core. */
  readonly workers?: WorkerCount;
  /** Path of the JSONL results store; finished points in it are skipped. Default: no store. */
  readonly store?: string;
  /** fsync the store after every line. Default true. */
  readonly fsync?: boolean;
  /** Evaluate again the points the store holds as `error`. Default false. */
  readonly retryErrors?: boolean;
  /** Seed of the strategy's randomness. Default 1. */
  readonly seed?: number;
  /** The slice of the points to run. Default the whole sweep. */
  readonly shard?: Shard;
  /** Called after each finished point. */
  readonly onProgress?: (p: SweepProgress) => void;
  /**
   * Validate every listed dimension value against the evaluator's schemas before the first point runs, and
   * throw a ConfigError listing every bad value (see `check.ts`). Default true; false records such points as
   * `invalid` rows instead.
   */
  readonly checkDimensions?: boolean;
}

/** Counts of what happened to the points of a sweep. */
export interface SweepCounts {
  readonly admitted: number;
  readonly pruned: number;
  readonly otherShards: number;
  readonly duplicates: number;
  readonly evaluated: number;
  readonly reused: number;
  readonly failed: number;
  readonly invalid: number;
}

/** The outcome of a sweep. */
export interface SweepResult {
  /** Every row of this shard, sorted by index. */
  readonly rows: SweepRow[];
  /** The rows on the Pareto front of {@link SweepResult.objectives}, sorted by index. */
  readonly front: SweepRow[];
  readonly objectives: ResolvedObjective[];
  readonly evaluator: string;
  readonly strategy: string;
  readonly seed: number;
  readonly shard: Shard;
  readonly counts: SweepCounts;
  readonly elapsedMs: number;
}

/**
 * A running sweep: `await` it for the {@link SweepResult}, or iterate it with `for await` to get rows as they
 * finish (attach the iterator before awaiting; one iterator per run).
 */
export interface SweepRun extends AsyncIterable<SweepRow>, PromiseLike<SweepResult> {
  readonly result: Promise<SweepResult>;
}

/** The rows of `rows` on the Pareto front of `objectives` (rows that are not `ok` or lack a metric are left out). */
export function frontOf(rows: readonly SweepRow[], objectives: readonly ResolvedObjective[]): SweepRow[] {
  const ok: SweepRow[] = [];
  const pts: number[][] = [];
  for (const r of rows) {
    const c = r.status === 'ok' && r.metrics ? costs(r.metrics, objectives) : undefined;
    if (c !== undefined) {
      ok.push(r);
      pts.push(c);
    }
  }
  return paretoFront(pts).map((i) => ok[i]!);
}

/** Starts a sweep (see the module comment). */
export function sweep(options: SweepOptions): SweepRun {
  const queue: SweepRow[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  const emit = (r: SweepRow) => {
    queue.push(r);
    wake?.();
  };
  const result = runSweep(options, emit).finally(() => {
    finished = true;
    wake?.();
  });
  result.catch(() => {}); // reported through `result` and the iterator, never as unhandled
  return {
    result,
    then: (onOk, onErr) => result.then(onOk, onErr),
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (queue.length > 0) {
          yield queue.shift()!;
          continue;
        }
        if (finished) break;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
      await result; // rethrows a sweep failure
    },
  };
}

interface Resolved {
  readonly key: string;
  readonly task?: PointTask;
  readonly error?: string;
}

function resolvePoint(ev: Evaluator<unknown, unknown>, options: SweepOptions, p: PointValues): Resolved {
  const o = options.space.overrides(p);
  const configIn = deepMerge(options.space.base, o.config);
  const workloadIn = deepMerge(options.workload.params ?? {}, o.workload);
  try {
    const config = parseConfig(ev.configSchema, configIn, 'config');
    const workload = parseConfig(ev.workloadSchema, workloadIn, 'workload');
    const task: PointTask = {
      evaluator: ev.name,
      ...(options.workload.module !== undefined ? { module: options.workload.module } : {}),
      config,
      workload,
    };
    return { key: contentHash({ evaluator: ev.name, config, workload }), task };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const error = e.problems.map((q) => `${q.path}: ${q.message}`).join('; ');
    return { key: contentHash({ evaluator: ev.name, invalid: { config: configIn, workload: workloadIn } }), error };
  }
}

async function runSweep(options: SweepOptions, emit: (r: SweepRow) => void): Promise<SweepResult> {
  const t0 = performance.now();
  const ev = await loadEvaluator(options.workload);
  const objectives = resolveObjectives(options.objectives ?? ev.defaultObjectives);
  const known = new Set(ev.metrics.map((m) => m.name));
  const unknown = objectives.filter((o) => !known.has(o.metric)).map((o) => o.metric);
  if (unknown.length > 0) {
    throw new Error(`objective(s) ${unknown.join(', ')} not reported by evaluator '${ev.name}' (it reports ${[...known].join(', ')})`);
  }
  if (objectives.length === 0) throw new Error('a sweep needs at least one objective');
  if (options.checkDimensions ?? true) {
    const problems = dimensionProblems(options.space, options.workload, ev);
    if (problems.length > 0) throw new ConfigError('space', problems);
  }
  const strategy = options.strategy ?? grid();
  const shard = options.shard ?? WHOLE;
  if (shard.count > 1 && !strategy.shardable) {
    throw new Error(`strategy '${strategy.name}' cannot be sharded: each of its batches depends on the results of the last`);
  }
  const seed = options.seed ?? 1;
  const expected = strategy.expectedPoints(options.space);
  const total = expected === undefined ? undefined : Math.floor(expected / shard.count) + (shard.index < expected % shard.count ? 1 : 0);

  const store = options.store !== undefined ? ResultStore.open(options.store, { fsync: options.fsync ?? true }) : undefined;
  const runner = createRunner(options.workers ?? 'auto');
  const c = { admitted: 0, pruned: 0, otherShards: 0, duplicates: 0, evaluated: 0, reused: 0, failed: 0, invalid: 0 };
  const rows = new Map<string, SweepRow>();
  const prunedBy = new Map<string, number>();
  const progress = () => {
    if (!options.onProgress) return;
    const elapsedMs = performance.now() - t0;
    const done = c.evaluated + c.reused + c.invalid;
    const rate = c.evaluated / Math.max(elapsedMs / 1000, 1e-9);
    const etaMs = total !== undefined && rate > 0 ? (Math.max(0, total - done) / rate) * 1000 : undefined;
    options.onProgress({ done, total, evaluated: c.evaluated, reused: c.reused, failed: c.failed, invalid: c.invalid, elapsedMs, rate, etaMs });
  };
  const finish = (row: SweepRow, fresh: boolean) => {
    rows.set(row.key, row);
    if (fresh) store?.append(row);
    emit(row);
    progress();
  };
  const base = (index: number, key: string, point: PointValues) => ({ index, key, point, evaluator: ev.name, simulatorVersion: SIMULATOR_VERSION });

  // At most `limit` evaluations in flight, so a huge grid is not queued all at once.
  const limit = runner.concurrency * 2;
  let inFlight = 0;
  let slot: (() => void) | undefined;
  const acquire = async () => {
    while (inFlight >= limit) await new Promise<void>((r) => (slot = r));
    inFlight++;
  };
  const release = () => {
    inFlight--;
    const s = slot;
    slot = undefined;
    s?.();
  };

  const gen = strategy.batches({ space: options.space, rng: new Rng(seed), objectives: objectives.length });
  let index = 0;
  try {
    let told: Told[] = [];
    for (let step = gen.next(told); !step.done; step = gen.next(told)) {
      const batch = step.value;
      const pending: Promise<SweepRow | undefined>[] = [];
      for (const e of batch) {
        if (e.prunedBy !== undefined) {
          c.pruned++;
          prunedBy.set(e.prunedBy, (prunedBy.get(e.prunedBy) ?? 0) + 1);
          pending.push(Promise.resolve(undefined));
          continue;
        }
        const i = index++;
        c.admitted++;
        if (!inShard(i, shard)) {
          c.otherShards++;
          pending.push(Promise.resolve(undefined));
          continue;
        }
        const r = resolvePoint(ev, options, e.values);
        const seen = rows.get(r.key);
        if (seen !== undefined) {
          c.duplicates++;
          pending.push(Promise.resolve(seen));
          continue;
        }
        const stored = store?.get(r.key);
        if (stored !== undefined && stored.simulatorVersion === SIMULATOR_VERSION && !(options.retryErrors && stored.status === 'error')) {
          c.reused++;
          // The stored row is this point: give it this run's index and values (equal unless the space changed).
          const row: SweepRow = { ...stored, ...base(i, r.key, e.values) };
          finish(row, false);
          pending.push(Promise.resolve(row));
          continue;
        }
        if (r.task === undefined) {
          c.invalid++;
          const row: SweepRow = { ...base(i, r.key, e.values), status: 'invalid', error: r.error!, elapsedMs: 0 };
          finish(row, true);
          pending.push(Promise.resolve(row));
          continue;
        }
        const task = r.task;
        await acquire();
        pending.push(
          runner.run(task).then((out) => {
            release();
            c.evaluated++;
            let row: SweepRow;
            if (out.ok) {
              row = { ...base(i, r.key, e.values), status: 'ok', metrics: out.result.metrics, ...(out.result.breakdowns ? { breakdowns: out.result.breakdowns } : {}), elapsedMs: out.elapsedMs };
            } else {
              c.failed++;
              row = { ...base(i, r.key, e.values), status: 'error', error: out.error, elapsedMs: out.elapsedMs };
            }
            finish(row, true);
            return row;
          }),
        );
      }
      const done = await Promise.all(pending);
      told = batch.map((e, j) => {
        const row = done[j];
        const cost = row?.status === 'ok' && row.metrics ? costs(row.metrics, objectives) : undefined;
        return { values: e.values, costs: cost };
      });
    }
  } finally {
    await runner.close();
    store?.close();
  }
  if (c.admitted === 0 && c.pruned > 0) {
    const why = [...prunedBy].map(([name, n]) => `'${name}' pruned ${n}`).join(', ');
    throw new Error(`the constraints pruned every one of the ${c.pruned} points the strategy drew (${why}): nothing to run; check the constraints against the dimensions' values`);
  }
  const all = sortRows([...rows.values()]);
  if (all.length > 0 && all.every((r) => r.status === 'invalid')) {
    throw new Error(`every point of the sweep is invalid; the first: ${all[0]!.error}`);
  }
  return {
    rows: all,
    front: frontOf(all, objectives),
    objectives,
    evaluator: ev.name,
    strategy: strategy.name,
    seed,
    shard,
    counts: { ...c },
    elapsedMs: performance.now() - t0,
  };
}
