/**
 * The cycle-approximate core: consumes the functional executor's dynamic records and decides when each
 * instruction is fetched, dispatched, issued, completed and retired, on an in-order or an out-of-order core
 * (docs/pipeline.md states the stage rules). {@link TimingCore} is what a user builds: a configuration, a memory
 * port, a statistics registry; each run adds to the statistics and returns a {@link Report}. The timing rules
 * themselves run as WebAssembly (engine.ts says how a run is carried out; src/pipeline/wasm/ holds the rules).
 *
 * @module
 */
import type { StaticInfo } from '../isa/trace.js';
import type { MemoryPort } from '../memory/port.js';
import type { StatsRegistry } from '../stats/registry.js';
import { resolveCoreConfig, type CoreConfig, type CoreConfigInput } from './config.js';
import { DescriptorTable } from './descriptors.js';
import { type EngineRunInfo, type RecordSource, type RetireObserver, runCore } from './engine.js';
import { type BranchPredictor, createPredictor } from './predictor.js';
import { Report } from './report.js';
import { CoreStats } from './stats.js';

/** Options of a {@link TimingCore}. */
export interface TimingOptions {
  /** Prefix of every statistic name (default `core`). */
  readonly prefix?: string;
  /** Records per batch asked of the stream (default 4096). */
  readonly batch?: number;
  /** Sees every retired instruction's timeline (slows the run; default none). */
  readonly observer?: RetireObserver;
  /**
   * Out of order: jump over cycles in which no stage can act (default true). The result is identical either way
   * (tested); false only exists to show that.
   */
  readonly skipIdleCycles?: boolean;
}

/** Cycles without a retired instruction after which a run is reported as stuck instead of spinning. */
export const STUCK_CYCLES = 10_000_000;

/**
 * One simulated core attached to one memory port and one statistics registry. Build it, call
 * {@link TimingCore.run} with a program's static facts and its record stream, read the {@link Report}. Further
 * runs add to the same statistics, and the branch predictor keeps what it learnt.
 */
export class TimingCore {
  /** The resolved configuration. */
  readonly core: CoreConfig;
  /** The descriptor table (shared if one was passed in). */
  readonly table: DescriptorTable;
  /** The statistics this core writes. */
  readonly stats: CoreStats;
  /** The branch predictor's state, carried from run to run. */
  readonly predictor: BranchPredictor;
  /** How the simulator ran the last run (not a model statistic; see {@link EngineRunInfo}). */
  lastRun: EngineRunInfo = { skippedCycles: 0 };

  constructor(
    core: CoreConfig | CoreConfigInput,
    private readonly memory: MemoryPort,
    registry: StatsRegistry,
    private readonly options: TimingOptions = {},
    table?: DescriptorTable,
  ) {
    // Always validated: a frozen object is not proof that it was resolved (resolveCoreConfig remembers its own results).
    this.core = resolveCoreConfig(core as CoreConfigInput);
    this.table = table ?? new DescriptorTable(this.core);
    this.stats = new CoreStats(registry, options.prefix ?? 'core', this.table.poolNames, this.table.poolCount, memory.levelNames);
    this.predictor = createPredictor(this.core.branchPredictor);
  }

  /** Runs the whole stream through the core and returns the report. */
  run(s: StaticInfo, next: RecordSource): Report {
    const o = this.options;
    this.lastRun = runCore(
      { core: this.core, table: this.table, stats: this.stats, predictor: this.predictor, memory: this.memory, observer: o.observer, batch: o.batch ?? 4096, skipIdleCycles: o.skipIdleCycles ?? true, stuckCycles: STUCK_CYCLES },
      s,
      next,
    );
    return new Report(this.core, this.stats);
  }
}

/**
 * Simulates the timing of one record stream on one core: builds a {@link TimingCore}, runs it, returns the
 * report. `next` fills a buffer with records (for example `(b) => executor.runBatch(b)`).
 */
export function simulateTiming(
  s: StaticInfo,
  next: RecordSource,
  core: CoreConfig | CoreConfigInput,
  memory: MemoryPort,
  stats: StatsRegistry,
  options: TimingOptions = {},
): Report {
  return new TimingCore(core, memory, stats, options).run(s, next);
}
