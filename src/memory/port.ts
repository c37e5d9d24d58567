/**
 * The one question the core asks the memory system: "this access starts at this cycle; when is it done?".
 * Answered without allocation: a cycle number, or {@link RETRY} when a resource (MSHRs, ports) is full and the
 * requester must try again on a later cycle (the pipeline counts that as a memory stall).
 *
 * @module
 */

import type { HitPathLoan } from './hit-path.js';

/** Access kinds, as small integers so the hot loop passes numbers, not strings. */
export const ACCESS_READ = 0;
/** A data write (store). */
export const ACCESS_WRITE = 1;
/** An instruction fetch. */
export const ACCESS_IFETCH = 2;
/**
 * A data reference that is neither a load nor a store (Dinero IV's label 3, "misc"): handled like a read,
 * counted apart, and not used to train prefetchers.
 */
export const ACCESS_MISC = 3;

/** Returned by {@link MemoryPort.access} when the access cannot start this cycle. */
export const RETRY = -1;

/** What the timing model needs from a memory system. */
export interface MemoryPort {
  /**
   * Starts an access of `size` bytes at byte address `addr` (any alignment; an access that spans lines
   * touches each line) at core cycle `cycle`. Returns the cycle at which a load's data is ready or a store is
   * accepted (>= cycle), or RETRY. `pc` (optional, -1 when unknown) lets PC-indexed prefetchers train.
   */
  access(addr: number, size: number, kind: number, cycle: number, pc: number): number;
  /**
   * Optional: names of the places an access can be served from, nearest first (e.g. `l1d`, `l2`, `dram`).
   * A core that finds them splits its memory stall cycles by level.
   */
  readonly levelNames?: readonly string[];
  /** Optional, with {@link levelNames}: index into it of where the last accepted access was served from. */
  readonly lastLevel?: number;
  /**
   * Optional: the line size of the level a core's accesses reach first (bytes). A core that merges the elements of
   * a strided access into one access per block (CoreConfig lsuBlockBytes) never makes a block larger than this, so
   * a merged access touches no more lines than its elements do.
   */
  readonly lineBytes?: number;
  /**
   * Optional capability: what a core may answer itself instead of calling {@link access} (see
   * {@link PortFastPath}), or null when nothing. The WebAssembly cores (src/pipeline/engine.ts) ask once per run;
   * a {@link PortFastPath} of kind `hits` must be ended before anything else uses the port.
   */
  fastPath?(): PortFastPath | null;
}

/**
 * What a memory port lets a core answer itself: a fixed latency (the answer is always `cycle + latencyCycles`),
 * or the plain hits of its first level, on state the port lends for the run ({@link HitPathLoan}).
 */
export type PortFastPath = { readonly kind: 'fixed'; readonly latencyCycles: number } | { readonly kind: 'hits'; readonly loan: HitPathLoan };

/** A memory with one fixed latency and no limits: for tests of the core that must not depend on caches. */
export class FixedLatencyMemory implements MemoryPort {
  constructor(readonly latencyCycles: number) {
    if (!Number.isInteger(latencyCycles) || latencyCycles < 0) {
      throw new Error(`FixedLatencyMemory: latencyCycles must be a non-negative integer, got ${latencyCycles}`);
    }
  }
  access(_addr: number, _size: number, _kind: number, cycle: number, _pc: number): number {
    return cycle + this.latencyCycles;
  }
  /** Its latency, unless a subclass answers `access` otherwise. */
  fastPath(): PortFastPath | null {
    return this.access === FixedLatencyMemory.prototype.access ? { kind: 'fixed', latencyCycles: this.latencyCycles } : null;
  }
}
