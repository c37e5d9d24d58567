/**
 * Shards: deterministic slices of a sweep for job arrays. Shard `i` of `n` takes the points whose index is
 * `i` modulo `n`, so every point is in exactly one shard and the shards are balanced whatever the order of the
 * grid. The shard comes from `--shard i/n`, else from Slurm (`SLURM_ARRAY_TASK_ID` less
 * `SLURM_ARRAY_TASK_MIN`, divided by `SLURM_ARRAY_TASK_STEP`, of `SLURM_ARRAY_TASK_COUNT`), else from a Kubernetes indexed Job
 * (`JOB_COMPLETION_INDEX`, of `MPSIMD_SHARD_COUNT`, which the Job sets equal to its `completions`).
 *
 * @module
 */

/** Shard `index` (0-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The whole sweep as one shard. */
export const WHOLE: Shard = Object.freeze({ index: 0, count: 1 });

/** Checks and builds a shard. */
export function makeShard(index: number, count: number, source = 'shard'): Shard {
  if (!Number.isInteger(count) || count < 1) throw new Error(`${source}: shard count must be an integer >= 1, got ${count}`);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new Error(`${source}: shard index must be an integer in 0..${count - 1}, got ${index}`);
  }
  return Object.freeze({ index, count });
}

/** Parses `i/n` (0-based i). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (m === null) throw new Error(`--shard: expected i/n such as 0/4, got '${text}'`);
  return makeShard(Number(m[1]), Number(m[2]), '--shard');
}

/** The shard given by a job array's environment variables, or undefined when none is set. */
export function shardFromEnv(env: Readonly<Record<string, string | undefined>>): Shard | undefined {
  const int = (name: string) => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    if (!/^\d+$/.test(v.trim())) throw new Error(`${name} must be a non-negative integer, got '${v}'`);
    return Number(v);
  };
  const slurmId = int('SLURM_ARRAY_TASK_ID');
  if (slurmId !== undefined) {
    const count = int('SLURM_ARRAY_TASK_COUNT');
    if (count === undefined) throw new Error('SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not');
    const step = int('SLURM_ARRAY_TASK_STEP') ?? 1;
    return makeShard((slurmId - (int('SLURM_ARRAY_TASK_MIN') ?? 0)) / Math.max(1, step), count, 'Slurm array');
  }
  const k8s = int('JOB_COMPLETION_INDEX');
  if (k8s !== undefined) {
    const count = int('MPSIMD_SHARD_COUNT');
    if (count === undefined) throw new Error('JOB_COMPLETION_INDEX is set: set MPSIMD_SHARD_COUNT to the Job\'s completions');
    return makeShard(k8s, count, 'Kubernetes indexed Job');
  }
  return undefined;
}

/** Whether point `index` belongs to `shard`. */
export function inShard(index: number, shard: Shard): boolean {
  return index % shard.count === shard.index;
}
