/**
 * The memory hierarchy: cache levels chained to DRAM, answering the core's {@link MemoryPort} questions
 * (`access`, timed) and trace-driven references (`reference`, untimed). This module owns the decisions of
 * what happens on a hit and on a miss at each level (write policy, allocation, eviction, writeback,
 * inclusion, prefetch issue, MSHR merging, RETRY); the levels themselves are passive {@link Cache} units.
 *
 * **Functional first, timing annotated.** Line state changes when a request is made, never later: a miss
 * installs its line at once, marked with the cycle its fill completes (`readyAt`). So which accesses hit and
 * miss depends only on the order of accesses, never on timing, and equals an untimed simulation of the same
 * sequence (which is what Dinero IV computes). Timing only decides *when* data is ready: an access that hits a
 * line still in flight waits for its fill (a "delayed hit", merged into the line's MSHR).
 *
 * **Order of requests to the next level** follows Dinero IV, so two-level hit/miss counts match it: for one
 * line piece, first the fetch of a missing line, then a write-through write, then the writeback of the dirty
 * victim; the pieces of an access spanning lines are handled in address order, each to completion.
 *
 * @module
 */
import type { StatsRegistry } from '../stats/registry.js';
import {
  Cache,
  type CacheView,
  K_EVICT,
  K_IFETCH,
  K_MISC,
  K_PREFETCH,
  K_READ,
  K_WRITE,
} from './cache.js';
import { MISS_CAPACITY, MISS_COMPULSORY, MISS_CONFLICT } from './classifier.js';
import type { MemoryConfig } from './config.js';
import { createDram, type Dram } from './dram.js';
import { HitPathLoan } from './hit-path.js';
import { ACCESS_IFETCH, ACCESS_MISC, type MemoryPort, type PortFastPath, RETRY } from './port.js';
import { MAX_PREFETCH_DEGREE } from './prefetch.js';

/** Bits of data-array traffic for an access of `bytes`, in whole 64-bit words. */
function arrayBits(bytes: number): number {
  return Math.ceil(bytes / 8) * 64;
}

/** Options of a {@link MemoryHierarchy}. */
export interface HierarchyOptions {
  /**
   * Let a core take the first level's plain hits itself (see {@link MemoryHierarchy.fastPath}; default true).
   * The results are identical either way (tested); false only exists to show that.
   */
  readonly fastHits?: boolean;
  /**
   * Count as valgrind's cachegrind does, so a trace replay can be compared with it exactly (default false: the
   * real behaviour). For untimed references only (`reference`; trace replay): an access spanning lines is one
   * reference and at most one miss of each level, and goes to the next level once, whole, if any of its
   * lines missed; a write miss asks the next level with a write, not a read, even when it covers the line; no
   * level writes dirty lines back
   * (cachegrind keeps no dirty state); and no 3C split (cachegrind has none). The trace runner also counts a
   * Lackey modify as one read.
   */
  readonly cachegrind?: boolean;
}

/** A memory hierarchy: any number of cache levels, an optional L1 instruction cache, and DRAM. */
export class MemoryHierarchy implements MemoryPort {
  /** Data (or unified) levels, closest to the core first. */
  private readonly caches: Cache[];
  private readonly l1d: Cache;
  private readonly l1i: Cache | null;
  private readonly below: Map<Cache, Cache | null>;
  private readonly uppers: Map<Cache, Cache[]>;
  private readonly dram: Dram;
  private readonly pfBuf = new Float64Array(MAX_PREFETCH_DEGREE);
  /** Whether the current call is timed (`access`) or not (`reference`). */
  private timed = true;
  /** Set by an exclusive level that hands a dirty line up; read by the level installing it. */
  private fillDirty = false;
  /** While the requested data is being looked for (not writebacks, not prefetches). */
  private demand = false;
  /** Deepest level a demand fetch reached during the current access. */
  private served = 0;
  /** Where each access can be served from: the data levels' names, nearest first, then `dram`. */
  readonly levelNames: readonly string[];
  /** Index into {@link levelNames} of where the last accepted access was served from (delayed hits count as the level hit). */
  lastLevel = 0;
  /** Line size of the first data level (see {@link MemoryPort.lineBytes}). */
  readonly lineBytes: number;
  /** Whether the first level's hit path is lent (see {@link fastPath}). */
  private lent = false;
  /** Counting as cachegrind does (see {@link HierarchyOptions.cachegrind}). */
  readonly cachegrind: boolean;
  /** cachegrind mode, inside an access spanning lines: line fetches are counted here, not made. */
  private deferFetch = false;
  private deferredFetches = 0;

  /** Builds the hierarchy of a resolved configuration; its counters go into `stats`. */
  constructor(
    /** The resolved configuration the hierarchy was built from. */
    readonly config: MemoryConfig,
    /** The registry holding the hierarchy's counters. */
    readonly stats: StatsRegistry,
    options: HierarchyOptions = {},
  ) {
    this.cachegrind = options.cachegrind ?? false;
    const level = (c: MemoryConfig['levels'][number]) => new Cache(this.cachegrind ? { ...c, classifyMisses: false } : c, stats);
    this.caches = config.levels.map(level);
    this.l1d = this.caches[0]!;
    this.l1i = config.l1i === null ? null : level(config.l1i);
    this.dram = createDram(config.dram, stats);
    this.below = new Map();
    this.uppers = new Map();
    this.caches.forEach((c, i) => {
      this.below.set(c, this.caches[i + 1] ?? null);
      this.uppers.set(c, i === 0 ? [] : i === 1 && this.l1i ? [this.caches[0]!, this.l1i] : [this.caches[i - 1]!]);
    });
    if (this.l1i) {
      this.below.set(this.l1i, this.caches[1] ?? null);
      this.uppers.set(this.l1i, []);
    }
    this.caches.forEach((c, i) => (c.depth = i));
    if (options.fastHits === false) for (const c of this.allCaches()) c.fastHits = false;
    this.levelNames = Object.freeze([...this.caches.map((c) => c.name), 'dram']);
    this.lineBytes = this.l1d.lineBytes;
  }

  /** The level called `name` (e.g. `l1d`, `l2`, `l1i`), for inspection; throws for an unknown name. */
  level(name: string): CacheView {
    const c = this.allCaches().find((x) => x.name === name);
    if (!c) throw new Error(`no cache level '${name}' (levels: ${this.allCaches().map((x) => x.name).join(', ')})`);
    return c;
  }

  /** Every level: the instruction cache (if any) first, then the data levels from the core outwards. */
  levels(): CacheView[] {
    return this.allCaches();
  }

  /**
   * Timed access (see {@link MemoryPort.access}). Instruction fetches go to the L1I when there is one; other
   * kinds to levels[0]. Returns the ready cycle, or RETRY when the first level's ports are used up this cycle,
   * when every MSHR is busy, or when the in-flight line's MSHR has no free target; a refused access changes no
   * state. The pieces of an access spanning lines are looked up on consecutive cycles through one port.
   */
  access(addr: number, size: number, kind: number, cycle: number, pc: number): number {
    if (!(kind >= 0 && kind <= ACCESS_MISC) || !(size >= 1) || !(addr >= 0)) {
      throw new RangeError(`access(addr=${addr}, size=${size}, kind=${kind}): need addr >= 0, size >= 1, kind 0..3`);
    }
    const c = kind === ACCESS_IFETCH && this.l1i !== null ? this.l1i : this.l1d;
    if (cycle > c.portCycle) {
      c.portCycle = cycle;
      c.portUsed = 0;
    } else if (c.portUsed >= c.ports) {
      c.retriesPort.value++;
      return RETRY;
    }
    const lb = c.lineBytes;
    const first = Math.floor(addr / lb);
    if (addr - first * lb + size <= lb) {
      // One line: the same checks as resourcesFree, with a single tag lookup.
      const slot = c.find(first);
      if (slot >= 0) {
        if (c.readyAt[slot]! > cycle) {
          const m = c.mshrOf(slot, cycle);
          if (m >= 0 && c.mshrTargets[m]! >= c.targetsPerMshr) {
            c.retriesTargets.value++;
            return RETRY;
          }
        }
      } else if ((kind !== K_WRITE || (c.writeBack && !this.coversLine(c, first, addr, size))) && c.freeMshr(cycle) < 0) {
        c.retriesMshr.value++;
        return RETRY;
      }
      c.portUsed++;
      this.timed = true;
      this.demand = true;
      this.served = 0;
      const r = this.lineAccessAt(c, slot, first, addr, size, kind, cycle, pc);
      this.demand = false;
      this.lastLevel = this.served;
      return r;
    }
    const last = Math.floor((addr + size - 1) / lb);
    if (!this.resourcesFree(c, first, last, addr, size, kind, cycle)) return RETRY;
    c.portUsed++;
    this.timed = true;
    this.demand = true;
    this.served = 0;
    let ready = cycle;
    for (let l = first; l <= last; l++) {
      const a = l === first ? addr : l * lb;
      const end = Math.min(addr + size, (l + 1) * lb);
      const r = this.lineAccess(c, a, end - a, kind, cycle + (l - first), pc);
      if (r > ready) ready = r;
    }
    c.multiLine.value += last - first;
    this.demand = false;
    this.lastLevel = this.served;
    return ready;
  }

  /**
   * The capability a core asks for (see {@link MemoryPort.fastPath}): the first data level's hit path, lent to a
   * core that takes the plain hits itself (see {@link HitPathLoan}), or null when there is none to lend: the
   * level's hits are not all plain (it has a prefetcher, a policy other than LRU, write-through or exclusive
   * inclusion, or `fastHits: false` was asked for), it finds lines through a hash index (more than 32 ways), or
   * it is lent already.
   */
  fastPath(): PortFastPath | null {
    const c = this.l1d;
    if (!c.fastHits || c.hashIndexed || this.lent) return null;
    this.lent = true;
    return { kind: 'hits', loan: new HitPathLoan(c, this, () => (this.lent = false)) };
  }

  /**
   * Untimed (functional) reference, as a trace-driven simulator makes it: same hit/miss behaviour and
   * statistics as {@link access}, no ports, MSHRs or latencies, never refused.
   */
  reference(addr: number, size: number, kind: number, pc = -1): void {
    if (!(kind >= 0 && kind <= ACCESS_MISC) || !(size >= 1) || !(addr >= 0)) {
      throw new RangeError(`reference(addr=${addr}, size=${size}, kind=${kind}): need addr >= 0, size >= 1, kind 0..3`);
    }
    const c = kind === ACCESS_IFETCH && this.l1i !== null ? this.l1i : this.l1d;
    this.timed = false;
    this.request(c, addr, size, kind, 0, pc);
  }

  /** Writes every dirty line back to the next level, outermost last; lines stay valid and become clean (Dinero label 4). */
  copyBack(): void {
    this.timed = false;
    for (const c of this.allCaches()) {
      for (let s = 0; s < c.tags.length; s++) {
        if (c.tags[s]! >= 0 && c.dirty[s] === 1) {
          c.dirty[s] = 0;
          c.writebacks.value++;
          c.readBits.value += c.lineBytes * 8;
          this.writeDown(c, c.tags[s]! * c.lineBytes, c.lineBytes, 0);
        }
      }
    }
  }

  /** Invalidates every line of every level without writing anything back (Dinero label 5). */
  invalidateAll(): void {
    for (const c of this.allCaches()) {
      for (let s = 0; s < c.tags.length; s++) {
        if (c.tags[s]! < 0) continue;
        if (c.pf[s] === 1 && c.pfUseless) c.pfUseless.value++;
        c.remove(s);
      }
    }
  }

  private allCaches(): Cache[] {
    return this.l1i ? [this.l1i, ...this.caches] : [...this.caches];
  }

  /** RETRY checks of a timed access at the first level, without changing any state. */
  private resourcesFree(c: Cache, first: number, last: number, addr: number, size: number, kind: number, t: number): boolean {
    let need = 0;
    for (let l = first; l <= last; l++) {
      const slot = c.find(l);
      if (slot >= 0) {
        if (c.readyAt[slot]! > t) {
          const m = c.mshrOf(slot, t);
          if (m >= 0 && c.mshrTargets[m]! >= c.targetsPerMshr) {
            c.retriesTargets.value++;
            return false;
          }
        }
      } else if (kind !== K_WRITE || (c.writeBack && !this.coversLine(c, l, addr, size))) {
        need++;
      }
    }
    if (need > 0 && c.freeMshrCount(t) < need) {
      c.retriesMshr.value++;
      return false;
    }
    return true;
  }

  /** Whether a write of [addr, addr+size) to `line` of `c` allocates without a fetch (and so without an MSHR). */
  private coversLine(c: Cache, line: number, addr: number, size: number): boolean {
    const b = this.below.get(c)!;
    return addr <= line * c.lineBytes && addr + size >= (line + 1) * c.lineBytes && !(b !== null && b.inclusive);
  }

  /** A request of any size to level `c`: split into line pieces, each handled to completion in order. */
  private request(c: Cache, addr: number, size: number, kind: number, t: number, pc: number): number {
    const lb = c.lineBytes;
    const first = Math.floor(addr / lb);
    const last = Math.floor((addr + size - 1) / lb);
    if (first === last) return this.lineAccess(c, addr, size, kind, t, pc);
    if (this.cachegrind) return this.spanningAsCachegrind(c, addr, size, kind, first, last, pc);
    let ready = t;
    for (let l = first; l <= last; l++) {
      const a = l === first ? addr : l * lb;
      const end = Math.min(addr + size, (l + 1) * lb);
      const r = this.lineAccess(c, a, end - a, kind, t, pc);
      if (r > ready) ready = r;
    }
    c.multiLine.value += last - first;
    return ready;
  }

  /**
   * cachegrind's rule for an access spanning lines `first..last` of `c` (untimed): each line is looked up (and
   * allocated on a miss) as usual, but the whole access counts as one reference and at most one miss, and if
   * any line missed, the whole access is asked of the next level once (cachegrind's `cachesim_ref_is_miss`).
   */
  private spanningAsCachegrind(c: Cache, addr: number, size: number, kind: number, first: number, last: number, pc: number): number {
    const accesses = c.accesses[kind]!;
    const misses = c.misses[kind]!;
    const a0 = accesses.value;
    const m0 = misses.value;
    const outer = this.deferredFetches;
    this.deferFetch = true;
    this.deferredFetches = 0;
    for (let l = first; l <= last; l++) {
      const a = l === first ? addr : l * c.lineBytes;
      this.lineAccess(c, a, Math.min(addr + size, (l + 1) * c.lineBytes) - a, kind, 0, pc);
    }
    this.deferFetch = false;
    const fetched = this.deferredFetches;
    this.deferredFetches = outer;
    accesses.value = a0 + 1;
    if (misses.value > m0) misses.value = m0 + 1;
    c.multiLine.value += last - first;
    if (fetched > 0) {
      c.bytesFromBelow.value += fetched * c.lineBytes;
      const b = this.below.get(c)!;
      if (b === null) this.dram.count(first * c.lineBytes, fetched * c.lineBytes, false);
      else this.request(b, addr, size, kind, 0, pc);
    }
    return 0;
  }

  /** One request confined to one line of `c`, arriving at cycle `t`; returns when its data is ready. */
  private lineAccess(c: Cache, addr: number, size: number, kind: number, t: number, pc: number): number {
    const line = Math.floor(addr / c.lineBytes);
    if (this.timed && c !== this.l1d && c !== this.l1i) t = this.schedulePort(c, t);
    return this.lineAccessAt(c, c.find(line), line, addr, size, kind, t, pc);
  }

  /** {@link lineAccess} once the slot of `line` (or -1) is known. */
  private lineAccessAt(c: Cache, slot: number, line: number, addr: number, size: number, kind: number, t: number, pc: number): number {
    if (kind === K_EVICT) {
      c.victimInserts!.value++;
    } else {
      c.accesses[kind]!.value++;
    }
    if (c.classifier !== null && kind <= K_MISC) {
      // In a non-exclusive level a line gets in by a demand reference, a write from above (both classified) or
      // a prefetch (pf = 1 until its first use). So a line present with pf = 0 was classified here before and
      // the seen-set already holds it: one hash probe saved on most hits. (An exclusive level also takes
      // victims from above, unclassified, so it always asks.)
      const cls = c.classifier.reference(line, slot < 0, kind !== K_WRITE || c.writeBack, slot >= 0 && c.pf[slot] === 0 && !c.exclusive);
      if (cls === MISS_CONFLICT) c.conflict!.value++;
      else if (cls === MISS_CAPACITY) c.capacity!.value++;
      else if (cls === MISS_COMPULSORY) c.compulsory!.value++;
    }
    return slot >= 0 ? this.hit(c, slot, line, addr, size, kind, t, pc) : this.miss(c, line, addr, size, kind, t, pc);
  }

  private hit(c: Cache, slot: number, line: number, addr: number, size: number, kind: number, t: number, pc: number): number {
    if (c.lru !== null) c.lru.stamps[slot] = ++c.lru.clock;
    else c.policy.touch(slot);
    let ready = t + c.hitLatency;
    const fill = c.readyAt[slot]!;
    if (this.timed && fill > ready) {
      ready = fill;
      c.delayedHits.value++;
      if (c === this.l1d || c === this.l1i) {
        const m = c.mshrOf(slot, t);
        if (m >= 0) c.mshrTargets[m]!++;
      }
    }
    if (kind === K_EVICT) return ready; // an exclusive level already holding the victim: nothing to add
    let hitPrefetched = false;
    if (c.pf[slot] === 1 && kind <= K_MISC) {
      c.pf[slot] = 0;
      c.pfUseful!.value++;
      if (this.timed && fill > t) c.pfLate!.value++;
      hitPrefetched = true;
    }
    if (kind === K_WRITE) {
      c.writeBits.value += arrayBits(size);
      if (c.writeBack) {
        c.dirty[slot] = 1;
      } else {
        c.writeThroughs.value++;
        this.writeDown(c, addr, size, t + c.hitLatency);
      }
    } else {
      c.readBits.value += arrayBits(size);
      if (c.exclusive) {
        // The line moves up to the requesting level, taking its dirty state along.
        this.fillDirty = c.dirty[slot] === 1;
        c.remove(slot);
      }
    }
    if (c.prefetcher !== null && (kind === K_READ || kind === K_IFETCH)) this.prefetch(c, addr, line, pc, false, hitPrefetched, t);
    return ready;
  }

  private miss(c: Cache, line: number, addr: number, size: number, kind: number, t: number, pc: number): number {
    if (kind !== K_EVICT) c.misses[kind]!.value++;
    const lb = c.lineBytes;
    if (kind === K_WRITE && !c.writeBack) {
      // no-write-allocate: the write goes on to the next level, posted
      c.writeThroughs.value++;
      this.writeDown(c, addr, size, t + c.hitLatency);
      return t + c.hitLatency;
    }
    if (c.exclusive && kind !== K_WRITE && kind !== K_EVICT) {
      // An exclusive level does not allocate lines fetched for the level above: pass the request through.
      let t1 = t + c.hitLatency;
      let m = -1;
      if (this.timed) {
        m = c.earliestMshr();
        if (c.mshrFree[m]! > t1) {
          c.mshrWaitCycles.value += c.mshrFree[m]! - t1;
          t1 = c.mshrFree[m]!;
        }
      }
      const ready = this.fetch(c, line, kind, t1, pc);
      c.demandFills.value++;
      if (this.timed) {
        c.mshrLine[m] = line;
        c.mshrFree[m] = ready;
        c.mshrTargets[m] = 1;
        c.missLatencyCycles.value += ready - t;
      }
      return ready;
    }
    // A write covering the whole line needs no data (Dinero's rule), unless the level below is inclusive:
    // then it must still be asked, so that it allocates the line too.
    const b = this.below.get(c)!;
    // (cachegrind has no such rule: its write misses always reach the next level.)
    const fetchNeeded = this.cachegrind || !((kind === K_WRITE || kind === K_EVICT) && addr === line * lb && size === lb && !(b !== null && b.inclusive));
    const ready = this.fill(c, line, kind === K_WRITE && !this.cachegrind ? K_READ : kind, fetchNeeded, t, pc, kind === K_WRITE, false);
    if (kind === K_WRITE) c.writeBits.value += arrayBits(size);
    else if (kind !== K_EVICT) c.readBits.value += arrayBits(size);
    if (c.prefetcher !== null && (kind === K_READ || kind === K_IFETCH)) this.prefetch(c, addr, line, pc, true, false, t);
    return ready;
  }

  /**
   * Allocates `line` in `c`: picks a slot (an invalid way, else the policy's victim), fetches the line from
   * below unless `fetchNeeded` is false, installs it, then disposes of the victim. `fetchKind` is the kind
   * of the request sent below (K_READ for a write-allocate fetch, K_PREFETCH for a prefetch); `write` marks
   * the line dirty (write-back); `ownPrefetch` marks it as brought by `c`'s own prefetcher.
   */
  private fill(c: Cache, line: number, fetchKind: number, fetchNeeded: boolean, t: number, pc: number, write: boolean, ownPrefetch: boolean): number {
    const set = line & c.setMask;
    let slot = c.freeSlot(set);
    let victim = -1;
    let victimDirty = false;
    if (slot < 0) {
      slot = c.policy.victim(set);
      victim = c.tags[slot]!;
      victimDirty = c.dirty[slot] === 1;
      if (c.pf[slot] === 1) c.pfUseless!.value++;
      c.evictions.value++;
      c.remove(slot);
    }
    let t1 = t + c.hitLatency;
    let ready = t1;
    let m = -1;
    this.fillDirty = false;
    if (fetchNeeded) {
      if (this.timed) {
        m = c.earliestMshr();
        if (c.mshrFree[m]! > t1) {
          // only below the first level: the first level refuses (RETRY) instead of waiting
          c.mshrWaitCycles.value += c.mshrFree[m]! - t1;
          t1 = c.mshrFree[m]!;
        }
      }
      ready = this.fetch(c, line, fetchKind, t1, pc);
      c.writeBits.value += c.lineBytes * 8;
      if (!ownPrefetch) c.demandFills.value++;
      if (this.timed) {
        c.mshrLine[m] = line;
        c.mshrFree[m] = ready;
        c.mshrTargets[m] = 1;
        if (!ownPrefetch) c.missLatencyCycles.value += ready - t;
      }
    }
    const fromBelowDirty = this.fillDirty;
    this.fillDirty = false;
    c.install(slot, line, write || fromBelowDirty, this.timed ? ready : 0, ownPrefetch);
    if (m >= 0) c.slotMshr[slot] = m;
    if (victim >= 0) this.evict(c, victim, victimDirty, t1);
    return ready;
  }

  /** Fetches `line` of `c` from the next level (or DRAM) at cycle `t`; returns when it arrives. */
  private fetch(c: Cache, line: number, kind: number, t: number, pc: number): number {
    if (this.deferFetch) {
      this.deferredFetches++; // made whole by spanningAsCachegrind
      return t;
    }
    const lb = c.lineBytes;
    if (this.demand && kind !== K_PREFETCH) {
      const d = c.depth + 1; // served by the level below c (or DRAM: depth caches.length), or deeper
      if (d > this.served) this.served = d;
    }
    c.bytesFromBelow.value += lb;
    const b = this.below.get(c)!;
    if (b === null) {
      if (this.timed) return this.dram.read(line * lb, lb, t);
      this.dram.count(line * lb, lb, false);
      return t;
    }
    return this.request(b, line * lb, lb, kind, t, pc);
  }

  /** A posted write of `size` bytes to the level below `c` (or DRAM). */
  private writeDown(c: Cache, addr: number, size: number, t: number): void {
    // A write going down is not where the requested data comes from.
    const demand = this.demand;
    this.demand = false;
    this.writeDownBody(c, addr, size, t);
    this.demand = demand;
  }

  private writeDownBody(c: Cache, addr: number, size: number, t: number): void {
    c.bytesToBelow.value += size;
    const b = this.below.get(c)!;
    if (b === null) {
      if (this.timed) this.dram.write(addr, size, t);
      else this.dram.count(addr, size, true);
      return;
    }
    this.request(b, addr, size, K_WRITE, t, -1);
  }

  /** Disposes of a line evicted from `c`: back-invalidation above (inclusive `c`), then writeback or victim insert. */
  private evict(c: Cache, line: number, dirty: boolean, t: number): void {
    // Writebacks and victim inserts are not where the requested data comes from.
    const demand = this.demand;
    this.demand = false;
    this.evictBody(c, line, dirty, t);
    this.demand = demand;
  }

  private evictBody(c: Cache, line: number, dirty: boolean, t: number): void {
    const lb = c.lineBytes;
    if (c.inclusive) {
      for (const u of this.uppers.get(c)!) {
        const per = lb / u.lineBytes;
        for (let k = 0; k < per; k++) {
          const s = u.find(line * per + k);
          if (s < 0) continue;
          if (u.dirty[s] === 1) dirty = true;
          if (u.pf[s] === 1 && u.pfUseless) u.pfUseless.value++;
          u.remove(s);
          c.backInvalidations!.value++;
        }
      }
    }
    const b = this.below.get(c)!;
    if (b !== null && b.exclusive) {
      // the level below holds what we evict: clean lines too
      c.readBits.value += lb * 8;
      c.bytesToBelow.value += lb;
      if (dirty) {
        c.writebacks.value++;
        this.request(b, line * lb, lb, K_WRITE, t, -1);
      } else {
        this.request(b, line * lb, lb, K_EVICT, t, -1);
      }
      return;
    }
    if (dirty && !this.cachegrind) {
      c.writebacks.value++;
      c.readBits.value += lb * 8;
      this.writeDown(c, line * lb, lb, t);
    }
  }

  /** Asks `c`'s prefetcher for candidates and issues those not present, within free MSHRs. */
  private prefetch(c: Cache, addr: number, line: number, pc: number, miss: boolean, hitPrefetched: boolean, t: number): void {
    const n = c.prefetcher!.observe(addr, line, pc, miss, hitPrefetched, this.pfBuf);
    for (let i = 0; i < n; i++) {
      const pl = this.pfBuf[i]!;
      if (pl < 0 || c.find(pl) >= 0) continue;
      if (this.timed && c.freeMshr(t) < 0) {
        c.pfDropped!.value++;
        continue;
      }
      c.pfIssued!.value++;
      this.fill(c, pl, K_PREFETCH, true, t, pc, false, true);
    }
  }

  /** Port reservation of a level below the first: first come, first served, `ports` requests per cycle. */
  private schedulePort(c: Cache, t: number): number {
    if (t > c.portCycle) {
      c.portCycle = t;
      c.portUsed = 0;
    } else if (c.portUsed >= c.ports) {
      c.portCycle++;
      c.portUsed = 0;
    }
    c.portUsed++;
    c.portWaitCycles.value += c.portCycle - t;
    return c.portCycle;
  }
}

/** Builds a {@link MemoryHierarchy} from a resolved configuration (see `resolveMemoryConfig`). */
export function createMemoryHierarchy(config: MemoryConfig, stats: StatsRegistry, options: HierarchyOptions = {}): MemoryHierarchy {
  return new MemoryHierarchy(config, stats, options);
}
