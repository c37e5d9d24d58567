/**
 * One cache level as a passive unit: its geometry, its arrays of line state (tags, dirty, prefetched,
 * fill-ready cycle) in typed arrays, its MSHRs and port bookkeeping, its replacement policy, prefetcher and
 * miss classifier, and its statistics. It answers questions (`find`, `freeSlot`) and applies state changes
 * (`install`, `remove`); the decisions of what happens on a hit or a miss are made by the hierarchy
 * (`hierarchy.ts`), which sees the neighbouring levels.
 *
 * @module
 */
import type { Counter, StatsRegistry } from '../stats/registry.js';
import { MissClassifier, type ShadowPolicy } from './classifier.js';
import { type CacheConfig, setsOf, waysOf } from './config.js';
import { LineMap } from './line-index.js';
import { createPrefetcher, type Prefetcher } from './prefetch.js';
import { createReplacementPolicy, LruPolicy, type ReplacementPolicy } from './replacement.js';

/** Request kind: demand data read (= ACCESS_READ). */
export const K_READ = 0;
/** Request kind: data write, or a dirty line written back from above (= ACCESS_WRITE). */
export const K_WRITE = 1;
/** Request kind: instruction fetch (= ACCESS_IFETCH). */
export const K_IFETCH = 2;
/** Request kind: other data reference, handled like a read without training prefetchers (= ACCESS_MISC). */
export const K_MISC = 3;
/** Request kind: a line fill asked for by a prefetcher above. */
export const K_PREFETCH = 4;
/** Request kind: a clean line evicted from above, inserted into an exclusive level. */
export const K_EVICT = 5;

const KIND_NAMES = ['read', 'write', 'ifetch', 'misc', 'prefetch'] as const;

/** Above this associativity a hash index replaces the linear tag search. */
const INDEX_THRESHOLD = 32;

/** Read-only view of a level, for reports, tests and debugging. */
export interface CacheView {
  /** Name in statistics (`l1d`, `l2`, ...). */
  readonly name: string;
  /** The resolved configuration of the level. */
  readonly config: CacheConfig;
  /** Number of sets. */
  readonly sets: number;
  /** Ways per set. */
  readonly ways: number;
  /** Line size in bytes. */
  readonly lineBytes: number;
  /** Whether the line holding byte `addr` is present. */
  contains(addr: number): boolean;
  /** Whether the line holding byte `addr` is present and dirty. */
  isDirty(addr: number): boolean;
  /** Line numbers (address / lineBytes) of every valid line, in slot order. */
  residentLines(): number[];
}

/** One cache level's state and counters. */
export class Cache implements CacheView {
  readonly name: string;
  /** Index of this level in its hierarchy, 0 nearest the core (set by the hierarchy; an L1I is 0 too). */
  depth = 0;
  readonly sets: number;
  readonly ways: number;
  readonly lineBytes: number;
  readonly setMask: number;
  readonly hitLatency: number;
  readonly ports: number;
  readonly writeBack: boolean;
  readonly inclusive: boolean;
  readonly exclusive: boolean;
  readonly targetsPerMshr: number;

  // The line state a plain hit reads and changes; while the hit path is lent (hit-path.ts) it lives in the
  // borrower's memory (moveLineState).
  private lineTags: Float64Array;
  private lineDirty: Uint8Array;
  private lineReadyAt: Float64Array;
  /** 1 when the slot's line was brought by a prefetch and no demand access has used it yet. */
  readonly pf: Uint8Array;
  /** MSHR that fetched the slot's line (valid while `readyAt` is in the future). */
  readonly slotMshr: Int32Array;
  private readonly validPerSet: Int32Array;
  private readonly index: LineMap | null;

  readonly policy: ReplacementPolicy;
  /** The policy when it is LRU, so the hit path can update the stamp inline. */
  readonly lru: LruPolicy | null;
  readonly prefetcher: Prefetcher | null;
  readonly classifier: MissClassifier | null;
  /**
   * An LRU, write-back, non-exclusive level without a prefetcher: a demand hit on a settled line only counts,
   * stamps and (for a write) dirties, so the hierarchy may lend its hit path to a core that takes such hits
   * itself (hit-path.ts; unless told not to).
   */
  fastHits: boolean;

  /** MSHR i tracks line `mshrLine[i]` until cycle `mshrFree[i]`, holding `mshrTargets[i]` accesses. */
  readonly mshrLine: Float64Array;
  readonly mshrFree: Float64Array;
  readonly mshrTargets: Int32Array;
  /** Cycle of the last port reservation and ports used in it. */
  portCycle = -1;
  portUsed = 0;

  // statistics, by request kind (K_READ..K_PREFETCH)
  readonly accesses: readonly Counter[];
  readonly misses: readonly Counter[];
  readonly compulsory: Counter | null;
  readonly capacity: Counter | null;
  readonly conflict: Counter | null;
  readonly multiLine: Counter;
  readonly evictions: Counter;
  readonly writebacks: Counter;
  readonly writeThroughs: Counter;
  readonly bytesFromBelow: Counter;
  readonly bytesToBelow: Counter;
  readonly readBits: Counter;
  readonly writeBits: Counter;
  readonly delayedHits: Counter;
  readonly retriesPort: Counter;
  readonly retriesMshr: Counter;
  readonly retriesTargets: Counter;
  readonly portWaitCycles: Counter;
  readonly mshrWaitCycles: Counter;
  readonly missLatencyCycles: Counter;
  readonly demandFills: Counter;
  readonly victimInserts: Counter | null;
  readonly backInvalidations: Counter | null;
  readonly pfIssued: Counter | null;
  readonly pfUseful: Counter | null;
  readonly pfLate: Counter | null;
  readonly pfUseless: Counter | null;
  readonly pfDropped: Counter | null;

  /** Line number held by each slot (`set * ways + way`), -1 when invalid. */
  get tags(): Float64Array {
    return this.lineTags;
  }
  /** 1 when the slot's line is dirty. */
  get dirty(): Uint8Array {
    return this.lineDirty;
  }
  /** Cycle at which the slot's fill completes (0 in untimed runs). */
  get readyAt(): Float64Array {
    return this.lineReadyAt;
  }

  /**
   * @internal Moves the line state (tags, fill cycles, dirty bits) into `to`, arrays of the same lengths in
   * another memory, where a lent hit path works on it (hit-path.ts); without `to`, back into arrays of its own.
   */
  moveLineState(to?: { readonly tags: Float64Array; readonly readyAt: Float64Array; readonly dirty: Uint8Array }): void {
    const t = to ?? { tags: new Float64Array(this.lineTags.length), readyAt: new Float64Array(this.lineTags.length), dirty: new Uint8Array(this.lineTags.length) };
    t.tags.set(this.lineTags);
    t.readyAt.set(this.lineReadyAt);
    t.dirty.set(this.lineDirty);
    this.lineTags = t.tags;
    this.lineReadyAt = t.readyAt;
    this.lineDirty = t.dirty;
  }

  constructor(
    readonly config: CacheConfig,
    stats: StatsRegistry,
  ) {
    const c = config;
    this.name = c.name;
    this.ways = waysOf(c);
    this.sets = setsOf(c);
    this.lineBytes = c.lineBytes;
    this.setMask = this.sets - 1;
    this.hitLatency = c.hitLatencyCycles;
    this.ports = c.portsPerCycle;
    this.writeBack = c.writePolicy === 'write-back';
    this.inclusive = c.inclusion === 'inclusive';
    this.exclusive = c.inclusion === 'exclusive';
    this.targetsPerMshr = c.targetsPerMshr;
    const slots = this.sets * this.ways;
    this.lineTags = new Float64Array(slots).fill(-1);
    this.lineDirty = new Uint8Array(slots);
    this.pf = new Uint8Array(slots);
    this.lineReadyAt = new Float64Array(slots);
    this.slotMshr = new Int32Array(slots).fill(-1);
    this.validPerSet = new Int32Array(this.sets);
    this.index = this.ways > INDEX_THRESHOLD ? new LineMap(slots) : null;
    this.policy = createReplacementPolicy(c.replacement, this.sets, this.ways, c.seed);
    this.lru = this.policy instanceof LruPolicy ? this.policy : null;
    this.prefetcher = createPrefetcher(c.prefetcher, c.lineBytes);
    this.fastHits = this.lru !== null && this.prefetcher === null && this.writeBack && !this.exclusive;
    const shadow: ShadowPolicy = c.replacement === 'fifo' ? 'fifo' : c.replacement === 'random' ? 'random' : 'lru';
    this.classifier = c.classifyMisses ? new MissClassifier(slots, shadow, c.seed) : null;
    this.mshrLine = new Float64Array(c.mshrs).fill(-1);
    this.mshrFree = new Float64Array(c.mshrs);
    this.mshrTargets = new Int32Array(c.mshrs);

    const n = this.name;
    const kindText = ['demand data reads', 'data writes (stores, and writebacks from above)', 'instruction fetches', 'other data references (Dinero label 3)', 'prefetch fills asked for by the level above'];
    this.accesses = KIND_NAMES.map((k, i) => stats.counter(`${n}.accesses.${k}`, 'accesses', `Requests reaching ${n}: ${kindText[i]}; an access spanning lines counts once per line.`));
    this.misses = KIND_NAMES.map((k, i) => stats.counter(`${n}.misses.${k}`, 'accesses', `Misses of ${n} among ${kindText[i]}.`));
    const demand = (arr: readonly Counter[]) => () => arr[0]!.value + arr[1]!.value + arr[2]!.value + arr[3]!.value;
    const demandAccesses = demand(this.accesses);
    const demandMisses = demand(this.misses);
    stats.formula(`${n}.accesses`, 'accesses', `Demand accesses of ${n} (read + write + ifetch + misc; Dinero's demand fetches).`, demandAccesses);
    stats.formula(`${n}.misses`, 'accesses', `Demand misses of ${n} (read + write + ifetch + misc).`, demandMisses);
    stats.formula(`${n}.hits`, 'accesses', `Demand hits of ${n} (accesses - misses).`, () => demandAccesses() - demandMisses());
    stats.formula(`${n}.missRate`, 'ratio', `Demand misses / demand accesses of ${n}.`, () => demandMisses() / demandAccesses());
    if (this.classifier) {
      this.compulsory = stats.counter(`${n}.misses.compulsory`, 'accesses', `Demand misses of ${n} to a line never referenced before (3C).`);
      this.capacity = stats.counter(`${n}.misses.capacity`, 'accesses', `Demand misses of ${n} that a fully associative cache of the same size and policy would also miss (3C).`);
      this.conflict = stats.counter(`${n}.misses.conflict`, 'accesses', `Demand misses of ${n} that a fully associative cache of the same size and policy would hit (3C).`);
    } else {
      this.compulsory = this.capacity = this.conflict = null;
    }
    this.multiLine = stats.counter(`${n}.multiLineAccesses`, 'count', `Extra line pieces of requests spanning more than one line of ${n} (Dinero's multi-block refs).`);
    this.evictions = stats.counter(`${n}.evictions`, 'count', `Valid lines of ${n} replaced to make room.`);
    this.writebacks = stats.counter(`${n}.writebacks`, 'count', `Dirty lines of ${n} written to the next level (evictions and copy-backs).`);
    this.writeThroughs = stats.counter(`${n}.writeThroughs`, 'count', `Writes ${n} passed on to the next level (write-through, or no-write-allocate misses).`);
    this.bytesFromBelow = stats.counter(`${n}.bytesFromBelow`, 'bytes', `Bytes ${n} fetched from the next level (Dinero's bytes from memory).`);
    this.bytesToBelow = stats.counter(`${n}.bytesToBelow`, 'bytes', `Bytes ${n} wrote to the next level: writebacks, write-throughs, exclusive victims (Dinero's bytes to memory).`);
    this.readBits = stats.counter(`${n}.energy.readBits`, 'bits', `Bits read from ${n}'s data array, in 64-bit words: demand reads and lines read out (energy event).`);
    this.writeBits = stats.counter(`${n}.energy.writeBits`, 'bits', `Bits written into ${n}'s data array, in 64-bit words: demand writes and line fills (energy event).`);
    this.delayedHits = stats.counter(`${n}.delayedHits`, 'accesses', `Hits of ${n} to a line whose fill was still in flight: merged into its MSHR (timed runs).`);
    this.retriesPort = stats.counter(`${n}.retries.port`, 'count', `Accesses refused (RETRY) because ${n}'s ports were all used this cycle (timed runs).`);
    this.retriesMshr = stats.counter(`${n}.retries.mshr`, 'count', `Accesses refused (RETRY) because every MSHR of ${n} was busy (timed runs).`);
    this.retriesTargets = stats.counter(`${n}.retries.targets`, 'count', `Accesses refused (RETRY) because the MSHR of their line had no free target (timed runs).`);
    this.portWaitCycles = stats.counter(`${n}.portWaitCycles`, 'cycles', `Cycles requests from above waited for a port of ${n} (timed runs).`);
    this.mshrWaitCycles = stats.counter(`${n}.mshrWaitCycles`, 'cycles', `Cycles misses waited for a free MSHR of ${n} (timed runs, levels below the core's).`);
    this.demandFills = stats.counter(`${n}.demandFills`, 'count', `Misses of ${n} that fetched their line from the next level (requests from above; own prefetches excluded).`);
    this.missLatencyCycles = stats.counter(`${n}.missLatencyCycles`, 'cycles', `Sum over ${n}'s demandFills of (data ready - request arrival) (timed runs).`);
    stats.formula(`${n}.avgMissLatency`, 'cycles', `Mean latency of ${n}'s demand fills: missLatencyCycles / demandFills (timed runs).`, () => this.missLatencyCycles.value / this.demandFills.value);
    this.victimInserts = this.exclusive ? stats.counter(`${n}.victimInserts`, 'count', `Clean lines evicted from above and inserted into exclusive ${n} (dirty ones count as writes).`) : null;
    this.backInvalidations = this.inclusive ? stats.counter(`${n}.backInvalidations`, 'count', `Lines invalidated above because inclusive ${n} evicted them.`) : null;
    if (this.prefetcher) {
      this.pfIssued = stats.counter(`${n}.prefetch.issued`, 'count', `Prefetches ${n} sent to the next level (candidates not present, not in flight, MSHR free).`);
      this.pfUseful = stats.counter(`${n}.prefetch.useful`, 'count', `Prefetched lines of ${n} used by a demand access before eviction (late ones included).`);
      this.pfLate = stats.counter(`${n}.prefetch.late`, 'count', `Useful prefetches whose demand access arrived before the fill completed (timed runs).`);
      this.pfUseless = stats.counter(`${n}.prefetch.useless`, 'count', `Prefetched lines of ${n} evicted or invalidated without any demand use.`);
      this.pfDropped = stats.counter(`${n}.prefetch.dropped`, 'count', `Prefetch candidates of ${n} not issued because no MSHR was free (timed runs).`);
    } else {
      this.pfIssued = this.pfUseful = this.pfLate = this.pfUseless = this.pfDropped = null;
    }
  }

  /** Whether lines are found through a hash index (more than 32 ways) rather than by searching the set. */
  get hashIndexed(): boolean {
    return this.index !== null;
  }

  /** Slot holding `line`, or -1. */
  find(line: number): number {
    if (this.index !== null) return this.index.get(line);
    const ways = this.ways;
    const base = (line & this.setMask) * ways;
    const tags = this.tags;
    for (let s = base, e = base + ways; s < e; s++) if (tags[s] === line) return s;
    return -1;
  }

  /** First invalid slot of `set`, or -1 when the set is full. */
  freeSlot(set: number): number {
    if (this.validPerSet[set]! >= this.ways) return -1;
    const base = set * this.ways;
    for (let s = base; s < base + this.ways; s++) if (this.tags[s]! < 0) return s;
    return -1;
  }

  /** Puts `line` into the invalid slot `slot` and tells the replacement policy. */
  install(slot: number, line: number, dirty: boolean, readyAt: number, prefetched: boolean): void {
    this.tags[slot] = line;
    this.dirty[slot] = dirty ? 1 : 0;
    this.pf[slot] = prefetched ? 1 : 0;
    this.readyAt[slot] = readyAt;
    this.validPerSet[(line & this.setMask)]!++;
    if (this.index !== null) this.index.set(line, slot);
    this.policy.insert(slot);
  }

  /** Invalidates `slot` (no writeback: the caller handles dirty data). */
  remove(slot: number): void {
    const line = this.tags[slot]!;
    if (line < 0) return;
    if (this.index !== null) this.index.delete(line);
    this.validPerSet[(line & this.setMask)]!--;
    this.tags[slot] = -1;
    this.dirty[slot] = 0;
    this.pf[slot] = 0;
    this.readyAt[slot] = 0;
    this.slotMshr[slot] = -1;
  }

  /** MSHR free at cycle `t` (its previous miss filled by then), or -1. */
  freeMshr(t: number): number {
    const f = this.mshrFree;
    for (let i = 0; i < f.length; i++) if (f[i]! <= t) return i;
    return -1;
  }

  /** Number of MSHRs free at cycle `t`. */
  freeMshrCount(t: number): number {
    let n = 0;
    for (let i = 0; i < this.mshrFree.length; i++) if (this.mshrFree[i]! <= t) n++;
    return n;
  }

  /** The MSHR that frees first. */
  earliestMshr(): number {
    const f = this.mshrFree;
    let best = 0;
    for (let i = 1; i < f.length; i++) if (f[i]! < f[best]!) best = i;
    return best;
  }

  /** MSHR tracking the line of `slot` and still busy at `t`, or -1. */
  mshrOf(slot: number, t: number): number {
    const m = this.slotMshr[slot]!;
    return m >= 0 && this.mshrLine[m] === this.tags[slot] && this.mshrFree[m]! > t ? m : -1;
  }

  contains(addr: number): boolean {
    return this.find(Math.floor(addr / this.lineBytes)) >= 0;
  }

  isDirty(addr: number): boolean {
    const s = this.find(Math.floor(addr / this.lineBytes));
    return s >= 0 && this.dirty[s] === 1;
  }

  residentLines(): number[] {
    const out: number[] = [];
    for (let s = 0; s < this.tags.length; s++) if (this.tags[s]! >= 0) out.push(this.tags[s]!);
    return out;
  }

  /** Forgets all lines, MSHRs and ports (statistics are the registry's to reset). */
  clear(): void {
    this.tags.fill(-1);
    this.dirty.fill(0);
    this.pf.fill(0);
    this.readyAt.fill(0);
    this.validPerSet.fill(0);
    this.index?.clear();
    this.classifier?.clear();
    this.mshrLine.fill(-1);
    this.mshrFree.fill(0);
    this.mshrTargets.fill(0);
    this.portCycle = -1;
    this.portUsed = 0;
  }
}
