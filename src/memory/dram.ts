/**
 * Main memory behind the last cache level: one interface ({@link Dram}) with a fixed-latency,
 * bandwidth-limited model and an optional bank/row-buffer model (open-page policy). Both count their traffic
 * in the statistics registry under `dram.`; the banked model also counts row hits, misses and conflicts and
 * row activations (an energy event).
 *
 * Timing is computed when a request arrives, first-come first-served in the order requests are made (the
 * memory system makes them in the order the core issues accesses). Writes are posted: they take bus and bank
 * time, delaying later requests, but nobody waits for them.
 *
 * @module
 */
import type { Counter, StatsRegistry } from '../stats/registry.js';
import type { DramConfig } from './config.js';

/** What the last cache level needs from main memory. */
export interface Dram {
  /** A read of `bytes` at `addr` arriving at cycle `t`; returns the cycle its data is back. */
  read(addr: number, bytes: number, t: number): number;
  /** A posted write of `bytes` at `addr` arriving at cycle `t`. */
  write(addr: number, bytes: number, t: number): void;
  /** A read or write that only counts (untimed, functional simulation). */
  count(addr: number, bytes: number, isWrite: boolean): void;
}

/** Counters every DRAM model keeps. */
class DramCounters {
  readonly reads: Counter;
  readonly writes: Counter;
  readonly readBits: Counter;
  readonly writeBits: Counter;
  readonly queueCycles: Counter;

  constructor(stats: StatsRegistry) {
    this.reads = stats.counter('dram.reads', 'accesses', 'Read requests (line fills) served by DRAM.');
    this.writes = stats.counter('dram.writes', 'accesses', 'Write requests (writebacks, write-throughs) absorbed by DRAM.');
    this.readBits = stats.counter('dram.readBits', 'bits', 'Bits read from DRAM (energy event).');
    this.writeBits = stats.counter('dram.writeBits', 'bits', 'Bits written to DRAM (energy event).');
    this.queueCycles = stats.counter('dram.queueCycles', 'cycles', 'Cycles requests waited for the data bus or their bank (timed runs).');
    stats.formula('dram.bytes', 'bytes', 'Bytes moved between the last cache level and DRAM.', () => (this.readBits.value + this.writeBits.value) / 8);
  }
}

/**
 * Fixed latency + bandwidth. A request of `b` bytes arriving at `t` starts at `s = max(t, busFree)`, holds the
 * bus for `b / bytesPerCycle` cycles (`busFree = s + b / bytesPerCycle`), and a read's data is back at
 * `ceil(s + latencyCycles)`. Unloaded, a read takes exactly `latencyCycles`; under load, requests are spaced
 * by their transfer time.
 */
export class FixedLatencyDram implements Dram {
  private busFree = 0;
  private readonly c: DramCounters;

  constructor(
    private readonly latencyCycles: number,
    private readonly bytesPerCycle: number,
    stats: StatsRegistry,
  ) {
    this.c = new DramCounters(stats);
  }

  read(addr: number, bytes: number, t: number): number {
    this.count(addr, bytes, false);
    const s = this.occupy(bytes, t);
    return Math.ceil(s + this.latencyCycles);
  }
  write(addr: number, bytes: number, t: number): void {
    this.count(addr, bytes, true);
    this.occupy(bytes, t);
  }
  count(_addr: number, bytes: number, isWrite: boolean): void {
    if (isWrite) {
      this.c.writes.value++;
      this.c.writeBits.value += bytes * 8;
    } else {
      this.c.reads.value++;
      this.c.readBits.value += bytes * 8;
    }
  }
  private occupy(bytes: number, t: number): number {
    const s = t > this.busFree ? t : this.busFree;
    this.c.queueCycles.value += s - t;
    this.busFree = s + bytes / this.bytesPerCycle;
    return s;
  }
}

/**
 * Banks with open-page row buffers. Address mapping (row-interleaved): `bank = floor(addr / rowBytes) mod
 * banks`, `row = floor(addr / (rowBytes * banks))`. A request arriving at `t` starts at
 * `s = max(t, bankFree[bank])` and issues its column command at
 *
 * | row buffer of the bank     | outcome       | column command at      |
 * |----------------------------|---------------|------------------------|
 * | holds this row             | row hit       | s                      |
 * | empty (no row open)        | row miss      | s + tRCD               |
 * | holds another row          | row conflict  | s + tRP + tRCD         |
 *
 * Data leaves at `d = max(column + tCAS, busFree)` and holds the bus for `b / bytesPerCycle` cycles; the bank
 * can take its next column command after that burst (`bankFree = column + b / bytesPerCycle`). A read's data
 * is back at `ceil(d + b / bytesPerCycle + controllerLatencyCycles)`. The row stays open (open-page policy);
 * refresh, write-to-read turnaround and rank switching are not modelled.
 */
export class BankedDram implements Dram {
  private busFree = 0;
  private readonly openRow: Float64Array;
  private readonly bankFree: Float64Array;
  private readonly c: DramCounters;
  private readonly rowHits: Counter;
  private readonly rowMisses: Counter;
  private readonly rowConflicts: Counter;
  private readonly activations: Counter;

  constructor(
    private readonly cfg: Extract<DramConfig, { model: 'banked' }>,
    stats: StatsRegistry,
  ) {
    this.c = new DramCounters(stats);
    this.openRow = new Float64Array(cfg.banks).fill(-1);
    this.bankFree = new Float64Array(cfg.banks);
    this.rowHits = stats.counter('dram.rowHits', 'accesses', 'Requests that found their row open in the row buffer.');
    this.rowMisses = stats.counter('dram.rowMisses', 'accesses', 'Requests to a bank with no open row (activate, then read/write).');
    this.rowConflicts = stats.counter('dram.rowConflicts', 'accesses', 'Requests to a bank with another row open (precharge, activate, read/write).');
    this.activations = stats.counter('dram.activations', 'count', 'Row activations (row misses + conflicts; energy event).');
  }

  read(addr: number, bytes: number, t: number): number {
    this.c.reads.value++;
    this.c.readBits.value += bytes * 8;
    return Math.ceil(this.schedule(addr, bytes, t) + this.cfg.controllerLatencyCycles);
  }
  write(addr: number, bytes: number, t: number): void {
    this.c.writes.value++;
    this.c.writeBits.value += bytes * 8;
    this.schedule(addr, bytes, t);
  }
  count(addr: number, bytes: number, isWrite: boolean): void {
    if (isWrite) {
      this.c.writes.value++;
      this.c.writeBits.value += bytes * 8;
    } else {
      this.c.reads.value++;
      this.c.readBits.value += bytes * 8;
    }
    this.rowState(addr); // row-buffer outcome still counted, without time
  }

  /** Updates the row buffer for `addr` and returns the column-command delay after the bank is free. */
  private rowState(addr: number): number {
    const cfg = this.cfg;
    const rowIndex = Math.floor(addr / cfg.rowBytes);
    const bank = rowIndex & (cfg.banks - 1);
    const row = Math.floor(rowIndex / cfg.banks);
    const open = this.openRow[bank]!;
    this.openRow[bank] = row;
    if (open === row) {
      this.rowHits.value++;
      return 0;
    }
    this.activations.value++;
    if (open < 0) {
      this.rowMisses.value++;
      return cfg.tRcdCycles;
    }
    this.rowConflicts.value++;
    return cfg.tRpCycles + cfg.tRcdCycles;
  }

  /** Returns the cycle the last byte of the burst leaves the bus. */
  private schedule(addr: number, bytes: number, t: number): number {
    const cfg = this.cfg;
    const bank = Math.floor(addr / cfg.rowBytes) & (cfg.banks - 1);
    const s = t > this.bankFree[bank]! ? t : this.bankFree[bank]!;
    const column = s + this.rowState(addr);
    const burst = bytes / cfg.bytesPerCycle;
    const ready = column + cfg.tCasCycles;
    const d = ready > this.busFree ? ready : this.busFree;
    this.c.queueCycles.value += s - t + (d - ready);
    this.busFree = d + burst;
    this.bankFree[bank] = column + burst;
    return d + burst;
  }
}

/** Builds the DRAM model a configuration names. */
export function createDram(cfg: DramConfig, stats: StatsRegistry): Dram {
  switch (cfg.model) {
    case 'fixed':
      return new FixedLatencyDram(cfg.latencyCycles, cfg.bytesPerCycle, stats);
    case 'banked':
      return new BankedDram(cfg, stats);
    default: {
      const never: never = cfg;
      throw new Error(`unknown DRAM model ${JSON.stringify(never)}`);
    }
  }
}
