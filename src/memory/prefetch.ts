/**
 * Prefetchers: one small interface ({@link Prefetcher}) and two implementations, next-line (tagged) and
 * per-PC stride. A prefetcher only proposes line numbers; the cache decides whether to issue them (not
 * already present or in flight, an MSHR free) and counts them as issued, useful, late, useless or dropped.
 *
 * @module
 */
import type { PrefetcherConfig } from './config.js';

/** Most candidates one trigger may propose (the `degree` limit of the configuration schema). */
export const MAX_PREFETCH_DEGREE = 64;

/** What a cache needs from a prefetcher. */
export interface Prefetcher {
  /**
   * Observes one demand read or instruction fetch reaching the level: byte address `addr` in line `line`,
   * instruction address `pc` (-1 when unknown), whether it missed, and whether it hit a line brought by a
   * prefetch that no demand had used yet. Writes candidate line numbers into `out` and returns how many.
   */
  observe(addr: number, line: number, pc: number, miss: boolean, hitPrefetched: boolean, out: Float64Array): number;
}

/**
 * Next-line prefetcher, tagged (Smith, "Cache memories", 1982): triggers on a demand miss and on the first
 * demand hit to a prefetched line, and proposes the `degree` lines after the accessed one.
 */
export class NextLinePrefetcher implements Prefetcher {
  constructor(private readonly degree: number) {}
  observe(_addr: number, line: number, _pc: number, miss: boolean, hitPrefetched: boolean, out: Float64Array): number {
    if (!miss && !hitPrefetched) return 0;
    for (let k = 0; k < this.degree; k++) out[k] = line + 1 + k;
    return this.degree;
  }
}

/**
 * Stride prefetcher with a reference prediction table (Chen and Baer, 1995) indexed by PC. Each entry keeps
 * the last address, the last stride and a 2-bit confidence: a repeat of the same non-zero stride raises it, a
 * different stride resets it to 0 and learns the new stride. At confidence >= threshold it proposes the lines
 * of `addr + stride * (distance + k)` for k = 0..degree-1 (skipping the accessed line and repeats). Accesses
 * without a PC (-1) share one extra entry.
 */
export class StridePrefetcher implements Prefetcher {
  private readonly tag: Float64Array;
  private readonly last: Float64Array;
  private readonly stride: Float64Array;
  private readonly conf: Uint8Array;
  private readonly mask: number;

  constructor(
    tableEntries: number,
    private readonly degree: number,
    private readonly distance: number,
    private readonly threshold: number,
    private readonly lineBytes: number,
  ) {
    this.mask = tableEntries - 1;
    // entry `tableEntries` is the shared no-PC entry
    this.tag = new Float64Array(tableEntries + 1).fill(-2);
    this.last = new Float64Array(tableEntries + 1);
    this.stride = new Float64Array(tableEntries + 1);
    this.conf = new Uint8Array(tableEntries + 1);
  }

  observe(addr: number, line: number, pc: number, _miss: boolean, _hitPrefetched: boolean, out: Float64Array): number {
    const e = pc < 0 ? this.mask + 1 : (pc >>> 0) & this.mask;
    if (this.tag[e] !== pc) {
      this.tag[e] = pc;
      this.last[e] = addr;
      this.stride[e] = 0;
      this.conf[e] = 0;
      return 0;
    }
    const d = addr - this.last[e]!;
    if (d === 0) return 0;
    this.last[e] = addr;
    if (d === this.stride[e]) {
      if (this.conf[e]! < 3) this.conf[e]!++;
    } else {
      this.stride[e] = d;
      this.conf[e] = 0;
      return 0;
    }
    if (this.conf[e]! < this.threshold) return 0;
    let n = 0;
    let prevLine = line;
    for (let k = 0; k < this.degree; k++) {
      const a = addr + d * (this.distance + k);
      if (a < 0) break;
      const l = Math.floor(a / this.lineBytes);
      if (l === prevLine || l === line) continue;
      out[n++] = l;
      prevLine = l;
    }
    return n;
  }
}

/** Builds the prefetcher a configuration names, or null for `none`. */
export function createPrefetcher(cfg: PrefetcherConfig, lineBytes: number): Prefetcher | null {
  switch (cfg.kind) {
    case 'none':
      return null;
    case 'next-line':
      return new NextLinePrefetcher(cfg.degree);
    case 'stride':
      return new StridePrefetcher(cfg.tableEntries, cfg.degree, cfg.distance, cfg.confidenceThreshold, lineBytes);
    default: {
      const never: never = cfg;
      throw new Error(`unknown prefetcher ${JSON.stringify(never)}`);
    }
  }
}
