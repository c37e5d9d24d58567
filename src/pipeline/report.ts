/**
 * The result of a timing run: cycles, instructions, IPC, the CPI stack and unit utilisation, read from the
 * statistics registry (so every number traces back to a named counter), rendered as JSON or as a terminal
 * table.
 *
 * @module
 */
import { formatColumn, formatNumber, formatTable } from '../stats/registry.js';
import type { CoreConfig } from './config.js';
import type { CoreStats } from './stats.js';

/** Retired instructions of one class and width key (the counts energy needs). */
export interface OpCount {
  readonly cls: string;
  readonly width: string;
  readonly count: number;
}

/** What a run did, in the form the energy model prices (see `src/energy`). */
export interface ActionCounts {
  readonly cycles: number;
  readonly ops: readonly OpCount[];
  readonly scalarRegReads: number;
  readonly scalarRegWrites: number;
  readonly vectorRegReads: number;
  readonly vectorRegWrites: number;
  readonly loadBytes: number;
  readonly storeBytes: number;
  readonly memAccesses: number;
}

/** JSON form of a {@link Report}. */
export interface ReportJSON {
  readonly core: string;
  readonly model: string;
  readonly cycles: number;
  readonly instructions: number;
  readonly ipc: number;
  readonly seconds: number;
  readonly cpiStack: Record<string, number>;
  readonly unitUtilisation: Record<string, number>;
  readonly actions: ActionCounts;
  readonly stats: Record<string, { value: number; unit: string; description: string }>;
}

/** The report of one timing run. */
export class Report {
  /** Simulated cycles. */
  readonly cycles: number;
  /** Retired instructions. */
  readonly instructions: number;
  /** CPI-stack components in cycles (they add up to {@link cycles}). */
  readonly cpiStack: Readonly<Record<string, number>>;
  /** Busy fraction of each unit pool. */
  readonly unitUtilisation: Readonly<Record<string, number>>;

  constructor(
    readonly core: CoreConfig,
    readonly stats: CoreStats,
  ) {
    this.cycles = stats.cycles.value;
    this.instructions = stats.instructions.value;
    this.cpiStack = Object.freeze(stats.cpiStack());
    this.unitUtilisation = Object.freeze(stats.utilisation());
  }

  /** Instructions per cycle. */
  get ipc(): number {
    return this.instructions / this.cycles;
  }

  /** Wall-clock time of the run at the core's clock. */
  get seconds(): number {
    return this.cycles / (this.core.clockGHz * 1e9);
  }

  /** The event counts the energy model prices. */
  actions(): ActionCounts {
    const s = this.stats;
    return {
      cycles: this.cycles,
      ops: s.opCounts(),
      scalarRegReads: s.total('xReads'),
      scalarRegWrites: s.total('xWrites'),
      vectorRegReads: s.total('vReads'),
      vectorRegWrites: s.total('vWrites'),
      loadBytes: s.total('loadBytes'),
      storeBytes: s.total('storeBytes'),
      memAccesses: s.total('memAccesses'),
    };
  }

  /** Plain data for JSON.stringify. */
  toJSON(): ReportJSON {
    return {
      core: this.core.name,
      model: this.core.model,
      cycles: this.cycles,
      instructions: this.instructions,
      ipc: this.ipc,
      seconds: this.seconds,
      cpiStack: { ...this.cpiStack },
      unitUtilisation: { ...this.unitUtilisation },
      actions: this.actions(),
      stats: this.stats.registry.toJSON(),
    };
  }

  /** A terminal table: summary, CPI stack (cycles, CPI, share; zero components named on one line) and unit utilisation. */
  toTable(): string {
    const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
    const head = formatTable(
      ['', ''],
      [
        ['core', `${this.core.name} (${this.core.model}, ${this.core.clockGHz} GHz)`],
        ['cycles', String(this.cycles)],
        ['instructions', String(this.instructions)],
        ['IPC', formatNumber(this.ipc)],
        ['time', `${formatNumber(this.seconds * 1e6)} us`],
      ],
    );
    // Components at zero cycles are folded into one line naming them: most runs stall on few causes.
    const stack = Object.entries(this.cpiStack).filter(([, v]) => v !== 0);
    const zero = Object.entries(this.cpiStack).filter(([, v]) => v === 0).map(([n]) => n);
    const cycles = formatColumn(stack.map(([, v]) => v));
    const cpiCol = formatColumn(stack.map(([, v]) => v / this.instructions));
    const cpi =
      formatTable(
        ['CPI stack', 'cycles', 'CPI', 'share'],
        stack.map(([n, v], i) => [n, cycles[i]!, cpiCol[i]!, pct(v / this.cycles)]),
        [false, true, true, true],
      ) + (zero.length > 0 ? `\n(0 cycles: ${zero.join(', ')})` : '');
    const units = formatTable(
      ['unit pool', 'utilisation'],
      Object.entries(this.unitUtilisation).map(([n, v]) => [n, pct(v)]),
      [false, true],
    );
    return [head, cpi, units].join('\n\n');
  }
}
