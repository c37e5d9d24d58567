/**
 * Lending the first data level's hit path to a core that takes the plain hits itself: the WebAssembly cores
 * (src/pipeline/wasm/common.as.ts), for which a call into the hierarchy costs more than the hit it asks about.
 *
 * For the length of a run, the state such a hit reads and changes moves into arrays the borrower provides (its
 * module's memory): the level's tags, fill cycles, dirty bits and LRU stamps, and the 3C shadow's hash table
 * and list links (a level that lends has no prefetcher, so no line is marked prefetched). The scalars a hit
 * changes (LRU clock, port use, the shadow's list ends and last line, the hierarchy's last served level) and
 * the hits' counts travel in a small block of numbers beside them ({@link HIT_BLOCK}).
 *
 * The hierarchy keeps every decision. The borrower takes only what {@link MemoryHierarchy.access} takes on its
 * short path (a demand read or write within one line, hitting a settled line no prefetch brought, while a port
 * is free) and only when the shadow holds the line too (a shadow miss replaces a shadow line: left to the
 * hierarchy); it does exactly what that path does, and passes everything else to `access`. JavaScript that may
 * touch the hierarchy during the loan is bracketed by {@link HitPathLoan.toLevel} and
 * {@link HitPathLoan.toBlock}; {@link HitPathLoan.end} gives the state back.
 *
 * @module
 */
import type { Cache } from './cache.js';
import type { MissClassifier } from './classifier.js';
import type { LruPolicy } from './replacement.js';

/** Where each scalar and count sits in a loan's block of numbers (a Float64Array of `length` elements). */
export const HIT_BLOCK = {
  /** The LRU policy's stamp clock. */
  clock: 0,
  /** The level's port bookkeeping: cycle of the last reservation, and ports used in it. */
  portCycle: 1,
  portUsed: 2,
  /** The shadow's list ends and last line (-1 when none). */
  shadowHead: 3,
  shadowTail: 4,
  shadowLast: 5,
  /** Hits taken by the borrower: demand reads (= 6 + ACCESS_READ), writes (= 6 + ACCESS_WRITE), data-array bits. */
  reads: 6,
  writes: 7,
  readBits: 8,
  writeBits: 9,
  /** The hierarchy's `lastLevel` (a hit taken by the borrower was served by level 0). */
  lastLevel: 10,
  length: 11,
} as const;

/** The arrays a borrower provides, filled by {@link HitPathLoan.begin} and used by the level until the loan ends. */
export interface HitPathArrays {
  readonly tags: Float64Array;
  readonly readyAt: Float64Array;
  readonly dirty: Uint8Array;
  readonly stamps: Float64Array;
  readonly shadowKeys: Float64Array;
  readonly shadowSlots: Int32Array;
  readonly shadowPrev: Int32Array;
  readonly shadowNext: Int32Array;
}

/** Name, bytes per element and length of one array of {@link HitPathArrays}. */
export type HitArraySpec = readonly [name: keyof HitPathArrays, elementBytes: 1 | 4 | 8, length: number];

/** The level's shape as the borrower needs it. */
export interface HitPathGeometry {
  readonly ways: number;
  /** sets - 1: a line's set is `line & setMask`. */
  readonly setMask: number;
  readonly lineBytes: number;
  readonly ports: number;
  readonly hitLatency: number;
  /** Whether the level has a 3C shadow (LRU, as the level: a hit moves the line to the front of its list). */
  readonly shadow: boolean;
  /** The shadow's hash table has 2^shadowBits entries (0 without a shadow). */
  readonly shadowBits: number;
}

/** A loan of one level's hit path: see the module comment. Made by `MemoryHierarchy.fastPath`. */
export class HitPathLoan {
  private readonly lru: LruPolicy;
  private readonly cls: MissClassifier | null;
  private block: Float64Array | null = null;
  private ended = false;

  /** @internal Made by the hierarchy (`fastPath`). */
  constructor(
    private readonly c: Cache,
    private readonly owner: { lastLevel: number },
    private readonly onEnd: () => void,
  ) {
    // A level that lends is LRU (fastHits), and so is its shadow
    if (c.lru === null || (c.classifier !== null && c.classifier.policy !== 'lru')) throw new Error(`HitPathLoan: level ${c.name} is not LRU`);
    this.lru = c.lru;
    this.cls = c.classifier;
  }

  /** Names of the arrays, in the order {@link arrays} lists them. */
  static readonly arrayNames: readonly (keyof HitPathArrays)[] = ['tags', 'readyAt', 'dirty', 'stamps', 'shadowKeys', 'shadowSlots', 'shadowPrev', 'shadowNext'];

  /** The arrays to provide, in the order a borrower's layout lists them. */
  get arrays(): readonly HitArraySpec[] {
    const slots = this.c.tags.length, keys = this.cls?.index.keys.length ?? 0, lines = this.cls?.prev.length ?? 0;
    const shape: Record<keyof HitPathArrays, readonly [1 | 4 | 8, number]> = {
      tags: [8, slots], readyAt: [8, slots], dirty: [1, slots], stamps: [8, slots],
      shadowKeys: [8, keys], shadowSlots: [4, keys], shadowPrev: [4, lines], shadowNext: [4, lines],
    };
    return HitPathLoan.arrayNames.map((n) => [n, ...shape[n]] as const);
  }

  get geometry(): HitPathGeometry {
    const c = this.c, cls = this.cls;
    return {
      ways: c.ways, setMask: c.setMask, lineBytes: c.lineBytes, ports: c.ports, hitLatency: c.hitLatency,
      shadow: cls !== null, shadowBits: cls?.index.bits ?? 0,
    };
  }

  /** Moves the level's state into `to` (lengths as {@link arrays} says) and its scalars into `block`. */
  begin(to: HitPathArrays, block: Float64Array): void {
    if (this.block !== null || this.ended) throw new Error(`HitPathLoan.begin: the loan has ${this.ended ? 'ended' : 'begun already'}`);
    for (const [name, , n] of this.arrays) {
      if (to[name].length !== n) throw new RangeError(`HitPathLoan.begin: array '${name}' has ${to[name].length} elements, the level needs ${n}`);
    }
    if (block.length < HIT_BLOCK.length) throw new RangeError(`HitPathLoan.begin: the block has ${block.length} numbers, needs ${HIT_BLOCK.length}`);
    this.c.moveLineState(to);
    this.lru.moveStamps(to.stamps);
    this.cls?.moveShadow({ keys: to.shadowKeys, vals: to.shadowSlots, prev: to.shadowPrev, next: to.shadowNext });
    this.block = block;
    block.fill(0, 0, HIT_BLOCK.length);
    this.toBlock();
  }

  /** Before JavaScript touches the hierarchy: the block's scalars and the borrower's counts into the level. */
  toLevel(): void {
    const b = this.block!, c = this.c, cls = this.cls;
    this.lru.clock = b[HIT_BLOCK.clock]!;
    c.portCycle = b[HIT_BLOCK.portCycle]!;
    c.portUsed = b[HIT_BLOCK.portUsed]!;
    this.owner.lastLevel = b[HIT_BLOCK.lastLevel]!;
    if (cls !== null) {
      cls.head = b[HIT_BLOCK.shadowHead]!;
      cls.tail = b[HIT_BLOCK.shadowTail]!;
      cls.lastLine = b[HIT_BLOCK.shadowLast]!;
    }
    c.accesses[0]!.value += b[HIT_BLOCK.reads]!;
    c.accesses[1]!.value += b[HIT_BLOCK.writes]!;
    c.readBits.value += b[HIT_BLOCK.readBits]!;
    c.writeBits.value += b[HIT_BLOCK.writeBits]!;
    b.fill(0, HIT_BLOCK.reads, HIT_BLOCK.writeBits + 1);
  }

  /** After JavaScript touched the hierarchy: the level's scalars into the block. */
  toBlock(): void {
    const b = this.block!, c = this.c, cls = this.cls;
    b[HIT_BLOCK.clock] = this.lru.clock;
    b[HIT_BLOCK.portCycle] = c.portCycle;
    b[HIT_BLOCK.portUsed] = c.portUsed;
    b[HIT_BLOCK.lastLevel] = this.owner.lastLevel;
    b[HIT_BLOCK.shadowHead] = cls?.head ?? -1;
    b[HIT_BLOCK.shadowTail] = cls?.tail ?? -1;
    b[HIT_BLOCK.shadowLast] = cls?.lastLine ?? -1;
  }

  /** Takes the scalars and counts back, moves the arrays into memory of the level's own, and frees the level to lend again. Idempotent. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.block === null) {
      this.onEnd();
      return;
    }
    this.toLevel();
    this.c.moveLineState();
    this.lru.moveStamps();
    this.cls?.moveShadow();
    this.block = null;
    this.onEnd();
  }
}
