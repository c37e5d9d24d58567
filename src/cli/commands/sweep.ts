/**
 * CLI commands of design-space sweeps: `sweep` (run a space file or the built-in default space), `merge`
 * (join shard stores), `plot` (tables, CSV and plots from a store) and `schema` (JSON Schema of space files).
 *
 * @module
 */
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { readTextFile, writeOutputFile } from '../../config/files.js';
import {
  BUILTIN_EVALUATORS_MODULE,
  createProgressReporter,
  DEFAULT_SPACE_FILE,
  formatDuration,
  loadEvaluator,
  loadSpaceFile,
  mergeStores,
  parseShard,
  progressModeFor,
  parseStore,
  resolveObjectives,
  shardFromEnv,
  spaceFileJsonSchema,
  spaceFromFile,
  sweep,
  writeReport,
  type LoadedSpace,
  type Objective,
  type SweepRow,
} from '../../sweep/index.js';

function workersOption(v: string): number | 'auto' {
  if (v === 'auto') return 'auto';
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--workers: expected 'auto' or an integer >= 0, got '${v}'`);
  return n;
}

function objectivesOption(v: string | undefined): Objective[] | undefined {
  if (v === undefined) return undefined;
  return v.split(',').map((s) => {
    const t = s.trim();
    return t.startsWith('max:') ? { metric: t.slice(4), goal: 'max' as const } : t.replace(/^min:/, '');
  });
}

interface Units {
  metrics: Record<string, string>;
  labels: Record<string, string>;
  breakdowns: Record<string, string>;
}

/** Units and labels of the evaluator's metrics and breakdowns, for titles (none when it cannot be loaded). */
async function unitsOf(evaluator: string, module?: string): Promise<Units> {
  try {
    const ev = await loadEvaluator({ evaluator, ...(module ? { module } : {}) });
    return {
      metrics: Object.fromEntries(ev.metrics.map((m) => [m.name, m.unit])),
      labels: Object.fromEntries(ev.metrics.map((m) => [m.name, m.label ?? m.name])),
      breakdowns: { ...ev.breakdownUnits },
    };
  } catch {
    return { metrics: {}, labels: {}, breakdowns: {} };
  }
}

/** The command line that started this process, to be run again (arguments quoted for a POSIX shell). */
function resumeCommand(): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['mpsimd', ...process.argv.slice(2)].map(quote).join(' ');
}

/** How many front rows the terminal table shows (front.csv has them all). */
const TABLE_ROWS = 30;

async function report(dir: string, rows: SweepRow[], objectives: readonly Objective[], units: Units, png: boolean, quiet: boolean, description: string) {
  const resolved = resolveObjectives(objectives);
  const out = await writeReport(dir, { rows, objectives: resolved, units: units.metrics, labels: units.labels, breakdownUnits: units.breakdowns, png, description });
  if (!quiet) {
    console.log(`\nPareto front over ${resolved.map((o) => o.metric).join(', ')}: ${out.front.length} of ${rows.filter((r) => r.status === 'ok').length} designs\n`);
    const lines = out.table.split('\n');
    console.log(lines.slice(0, TABLE_ROWS + 2).join('\n'));
    if (lines.length > TABLE_ROWS + 2) console.log(`... ${lines.length - TABLE_ROWS - 2} more rows in ${join(dir, 'front.csv')}`);
    console.log(`\nwrote ${out.files.map((f) => relative(process.cwd(), f)).join(', ')}`);
  }
}

interface SweepCliOptions {
  out: string;
  store?: string;
  workers: number | 'auto';
  seed?: string;
  shard?: string;
  objectives?: string;
  quiet?: boolean;
  png: boolean;
  fsync: boolean;
  retryErrors?: boolean;
  printDefault?: boolean;
}

/** Adds `sweep`, `merge`, `plot` and `schema` to the CLI. */
export function registerSweepCommands(program: Command): void {
  program
    .command('sweep [space.json]')
    .description('run a design-space sweep (the built-in default space when no file is given) and write results/')
    .option('-o, --out <dir>', 'folder for the store, tables, CSV and plots', 'results')
    .option('--store <file.jsonl>', 'results store (default <out>/store.jsonl, or <out>/store.shard-I-of-N.jsonl for a shard)')
    .option('-w, --workers <n>', "worker threads: 'auto' (one per core) or a number, 0 = in this thread", workersOption, 'auto' as const)
    .option('--seed <n>', 'seed of the strategy (overrides the space file)')
    .option('--shard <i/n>', 'run shard i of n (0-based); default from SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX')
    .option('--objectives <list>', 'objectives, e.g. cycles,energyUj,max:macsPerCycle (overrides the space file)')
    .option('-q, --quiet', 'print nothing but errors')
    .option('--no-png', 'write SVG plots only')
    .option('--no-fsync', 'do not fsync the store after each point (a kill still loses nothing; a power cut may)')
    .option('--retry-errors', 'evaluate again the points the store holds as errors')
    .option('--print-default', 'print the built-in default space file and exit')
    .action(async (file: string | undefined, o: SweepCliOptions) => {
      if (o.printDefault) {
        console.log(JSON.stringify(DEFAULT_SPACE_FILE, null, 2));
        return;
      }
      const loaded: LoadedSpace = file === undefined ? spaceFromFile(DEFAULT_SPACE_FILE) : loadSpaceFile(file);
      const shard = o.shard !== undefined ? parseShard(o.shard) : shardFromEnv(process.env);
      const sharded = shard !== undefined && shard.count > 1;
      const store = o.store ?? join(o.out, sharded ? `store.shard-${shard.index}-of-${shard.count}.jsonl` : 'store.jsonl');
      const seed = o.seed !== undefined ? Number(o.seed) : loaded.seed;
      if (!Number.isInteger(seed)) throw new Error(`--seed: expected an integer, got '${o.seed}'`);
      const objectives = objectivesOption(o.objectives) ?? loaded.objectives;
      const progress = createProgressReporter(progressModeFor(process.stderr, o.quiet ?? false));
      // Ctrl-C (or a scheduler's SIGTERM) ends the sweep at once: every finished point is already in the
      // store, so say so and how to go on.
      let stored = 0;
      const interrupted = (signal: NodeJS.Signals) => {
        progress.stop();
        console.error(
          `\nsweep interrupted (${signal}): ${stored} points of this run are in ${store}, with those it held before.\n` +
            `Run the same command again to resume: points already in the store are not evaluated again:\n  ${resumeCommand()}`,
        );
        process.exit(signal === 'SIGINT' ? 130 : 143);
      };
      process.once('SIGINT', interrupted);
      process.once('SIGTERM', interrupted);
      if (!o.quiet) {
        console.error(
          `sweep: ${file ?? 'built-in default space'} on evaluator '${loaded.workload.evaluator}', strategy ${loaded.strategy.name}, seed ${seed}` +
            `${sharded ? `, shard ${shard.index}/${shard.count}` : ''}, store ${store}`,
        );
      }
      const result = await sweep({
        space: loaded.space,
        workload: loaded.workload,
        ...(objectives ? { objectives } : {}),
        strategy: loaded.strategy,
        workers: o.workers,
        store,
        fsync: o.fsync,
        retryErrors: o.retryErrors ?? false,
        seed,
        ...(shard ? { shard } : {}),
        onProgress: (p) => {
          stored = p.evaluated + p.invalid;
          progress.update(p);
        },
      }).result.finally(() => {
        progress.stop();
        process.removeListener('SIGINT', interrupted);
        process.removeListener('SIGTERM', interrupted);
      });
      const c = result.counts;
      if (!o.quiet) {
        console.error(
          `sweep: ${result.rows.length} points in ${formatDuration(result.elapsedMs)}: ${c.evaluated} evaluated, ${c.reused} from the store, ` +
            `${c.failed} failed, ${c.invalid} invalid; ${c.pruned} pruned by constraints${sharded ? `, ${c.otherShards} left to other shards` : ''}`,
        );
        for (const r of result.rows.filter((x) => x.status !== 'ok').slice(0, 5)) console.error(`  #${r.index} ${r.status}: ${r.error}`);
      }
      const ok = result.rows.filter((r) => r.status === 'ok').length;
      if (ok === 0 && result.rows.length > 0) {
        console.error(`error: no point of the sweep was evaluated successfully (${c.failed} failed, ${c.invalid} invalid): there is no front; the errors are in ${store}`);
        process.exitCode = 1;
      }
      if (sharded) {
        if (!o.quiet) console.log(`shard done; when all shards are: mpsimd merge ${join(o.out, 'store.shard-*.jsonl')} -o ${join(o.out, 'store.jsonl')} && mpsimd plot ${join(o.out, 'store.jsonl')}`);
        return;
      }
      const units = await unitsOf(loaded.workload.evaluator, loaded.workload.module);
      await report(o.out, result.rows, result.objectives, units, o.png, o.quiet ?? false, `${file ?? 'built-in default space'}: evaluator '${loaded.workload.evaluator}', strategy ${loaded.strategy.name}, seed ${seed}`);
    });

  program
    .command('merge <stores...>')
    .description("join the stores of a sweep's shards (or of several runs) into one, one row per point, in point order")
    .requiredOption('-o, --output <file.jsonl>', 'merged store to write')
    .action((stores: string[], o: { output: string }) => {
      const m = mergeStores(stores);
      for (const i of m.inputs) {
        if (i.rows === 0) console.error(`warning: ${i.path} holds no rows${i.badLines > 0 ? ` (${i.badLines} unreadable lines): is it a sweep store?` : ' (empty)'}`);
      }
      if (m.rows.length === 0) throw new Error(`the ${stores.length === 1 ? 'store holds' : `${stores.length} stores hold`} no rows: nothing to merge, ${o.output} not written`);
      writeOutputFile(o.output, m.rows.map((r) => JSON.stringify(r) + '\n').join(''), 'merged store');
      console.log(`merged ${stores.length} stores: ${m.rows.length} points, ${m.duplicates} duplicate lines dropped, ${m.badLines} unreadable lines -> ${o.output}`);
      if (m.conflicts.length > 0) console.error(`warning: ${m.conflicts.length} points have different results in different stores (kept the last): ${m.conflicts.slice(0, 5).join(', ')}`);
    });

  program
    .command('plot <store.jsonl>')
    .description('write the table, CSV, JSON and plots of a store (e.g. a merged one)')
    .option('-o, --out <dir>', 'output folder', 'results')
    .option('--space <space.json>', 'take the objectives from this space file')
    .option('--objectives <list>', 'objectives, e.g. cycles,energyUj,max:macsPerCycle')
    .option('--no-png', 'write SVG plots only')
    .action(async (storePath: string, o: { out: string; space?: string; objectives?: string; png: boolean }) => {
      const { rows, badLines } = parseStore(readTextFile(storePath, 'store'));
      if (rows.length === 0) throw new Error(`store '${storePath}' holds no rows${badLines > 0 ? ` (${badLines} unreadable lines): is it a sweep store?` : ''}`);
      if (badLines > 0) console.error(`warning: ${badLines} unreadable lines in ${storePath}`);
      const evaluator = rows[0]!.evaluator;
      const loaded = o.space ? loadSpaceFile(o.space) : undefined;
      const module = loaded?.workload.module;
      let objectives = objectivesOption(o.objectives) ?? loaded?.objectives;
      if (objectives === undefined) {
        objectives =
          evaluator === 'analytic' ? (DEFAULT_SPACE_FILE.objectives as Objective[]) : [...(await loadEvaluator({ evaluator, module: module ?? BUILTIN_EVALUATORS_MODULE })).defaultObjectives];
      }
      const known = new Set(rows.flatMap((r) => Object.keys(r.metrics ?? {})));
      const unknown = resolveObjectives(objectives).filter((x) => !known.has(x.metric)).map((x) => x.metric);
      if (unknown.length > 0) throw new Error(`objective(s) ${unknown.join(', ')} not in store '${storePath}' (its metrics: ${[...known].join(', ') || 'none'})`);
      const sorted = mergeStores([storePath]).rows;
      await report(o.out, sorted, objectives, await unitsOf(evaluator, module), o.png, false, `${storePath}: evaluator '${evaluator}'`);
    });

  program
    .command('schema')
    .description('print the JSON Schema of space files')
    .action(() => {
      console.log(JSON.stringify(spaceFileJsonSchema(), null, 2));
    });
}
