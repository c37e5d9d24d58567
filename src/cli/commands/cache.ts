/**
 * `mpsimd cache <trace>`: trace-driven cache simulation from the command line. Reads a Dinero IV din (or
 * xdin) or valgrind Lackey trace from a file or standard input, replays it through the memory hierarchy of
 * `--config` (the MemoryConfig defaults otherwise) and prints a Dinero-like report, or every statistic as
 * JSON. The command only parses options and prints: the work is done by `src/memory`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { type Command, Option } from 'commander';
import { ConfigError } from '../../config/validate.js';
import { formatMemoryEnergy, memoryEnergyTable, priceMemoryEnergy, resolveMemoryEnergyConfig } from '../../energy/memory.js';
import { resolveMemoryConfig } from '../../memory/config.js';
import { MemoryHierarchy } from '../../memory/hierarchy.js';
import { formatMemoryReport } from '../../memory/report.js';
import { runTrace, TRACE_FORMATS, type TraceFormat, TraceParseError } from '../../memory/trace.js';
import { StatsRegistry } from '../../stats/registry.js';

/** Where the command reads standard input and writes its output (replaceable in tests). */
export interface CacheCommandIO {
  /** Read when the trace argument is `-`. */
  readonly stdin: Readable;
  /** Receives the report or the JSON. */
  readonly write: (text: string) => void;
}

const processIO: CacheCommandIO = { stdin: process.stdin, write: (t) => void process.stdout.write(t) };

/** Options of `mpsimd cache`, as commander parses them. */
interface CacheOptions {
  format: TraceFormat;
  config?: string;
  energyConfig?: string;
  timed?: boolean;
  cachegrind?: boolean;
  json?: boolean;
  energy?: boolean;
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${what} '${path}': ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} '${path}' is not valid JSON: ${(e as Error).message}`);
  }
}

/** Adds `cache <trace> [--format din|xdin|lackey] [--config mem.json] ...` to `program`. */
export function registerCacheCommand(program: Command, io: CacheCommandIO = processIO): Command {
  const cmd = program
    .command('cache')
    .description('replay a memory trace (Dinero IV din/xdin or valgrind Lackey) through the cache hierarchy and print a Dinero-like report')
    .argument('<trace>', "trace file, or '-' for standard input")
    .addOption(new Option('--format <format>', 'trace format').choices(TRACE_FORMATS).default('din'))
    .option('--config <file>', 'memory configuration, JSON (see `MemoryConfigSchema`); defaults: 32 KiB L1D, 1 MiB L2, DRAM')
    .option('--timed', 'issue one access per cycle and report timing too (default: untimed, as Dinero)')
    .option('--cachegrind', "count as valgrind's cachegrind does, to compare with it exactly: an access spanning lines is one reference and at most one miss, a Lackey modify one read, no writebacks, write misses reach the next level as writes (untimed only)")
    .option('--json', 'print every statistic (name, value, unit, description) as JSON instead of the report')
    .option('--energy', 'append the memory energy estimate (leakage only in --timed runs)')
    .option('--energy-config <file>', 'memory energy parameters, JSON (see `MemoryEnergyConfigSchema`)');
  cmd.action(async (trace: string, opts: CacheOptions) => {
    try {
      const config = resolveMemoryConfig(opts.config ? readJson(opts.config, 'memory configuration') : {}, opts.config ? `${opts.config}: memory` : 'memory');
      const energyCfg =
        opts.energy || opts.energyConfig
          ? resolveMemoryEnergyConfig(opts.energyConfig ? readJson(opts.energyConfig, 'energy configuration') : {}, opts.energyConfig ? `${opts.energyConfig}: memoryEnergy` : 'memoryEnergy')
          : null;
      if (opts.cachegrind && opts.timed) throw new Error('--cachegrind and --timed cannot be combined: cachegrind mode counts untimed references');
      const stats = new StatsRegistry();
      const memory = new MemoryHierarchy(config, stats, { cachegrind: opts.cachegrind ?? false });
      const source = trace === '-' ? io.stdin : trace;
      const summary = await runTrace(memory, source, opts.format, { timed: opts.timed ?? false });
      const energy = energyCfg ? priceMemoryEnergy(stats, memoryEnergyTable(config, energyCfg), summary.cycles) : null;
      if (opts.json) {
        io.write(JSON.stringify({ trace, format: opts.format, summary, stats: stats.toJSON(), ...(energy ? { energy } : {}) }, null, 2) + '\n');
        return;
      }
      const head =
        `---mpsimd cache: ${trace === '-' ? 'standard input' : trace} (${opts.format}), ${summary.lines} lines, ${summary.records} records, ${summary.accesses} accesses` +
        (opts.timed ? `, ${summary.cycles} cycles, ${summary.retries} retries` : '') +
        (opts.cachegrind ? ', counted as cachegrind does' : '');
      io.write(formatMemoryReport(memory, stats, { title: head }));
      if (energy) io.write('\nmemory energy\n' + formatMemoryEnergy(energy));
    } catch (e) {
      if (e instanceof ConfigError || e instanceof TraceParseError || e instanceof Error) cmd.error(`error: ${e.message}`, { exitCode: 1 });
      throw e;
    }
  });
  return cmd;
}
