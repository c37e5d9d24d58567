/**
 * Replacement policies: which way of a full set a miss evicts. One small interface, four implementations
 * (LRU, tree pseudo-LRU, FIFO, seeded random), each keeping its state in typed arrays indexed by the global
 * slot number `set * ways + way`. The cache fills invalid ways itself (lowest way first) and asks the policy
 * only when the set is full.
 *
 * @module
 */
import { SeededRandom } from './random.js';

/** What a cache needs from a replacement policy. Slots are `set * ways + way`. */
export interface ReplacementPolicy {
  /** A demand or prefetch access hit `slot`. */
  touch(slot: number): void;
  /** A line was just installed in `slot`. */
  insert(slot: number): void;
  /** The slot to evict from the full set `set`. */
  victim(set: number): number;
}

/** Policy names as written in a configuration. */
export type ReplacementName = 'lru' | 'plru' | 'fifo' | 'random';

/**
 * Least recently used, with a per-slot timestamp: touch and insert write the slot's stamp, the victim is the
 * smallest stamp of the set. Exact LRU; O(1) per hit, O(ways) per eviction.
 */
export class LruPolicy implements ReplacementPolicy {
  private slotStamps: Float64Array;
  /** Stamp counter, incremented on every use. */
  clock = 0;

  constructor(
    sets: number,
    private readonly ways: number,
  ) {
    this.slotStamps = new Float64Array(sets * ways);
  }
  /** Last-use stamp of each slot. */
  get stamps(): Float64Array {
    return this.slotStamps;
  }
  /** @internal Moves the stamps into `to` (same length, another memory: a lent hit path, hit-path.ts), or back into an array of its own. */
  moveStamps(to?: Float64Array): void {
    const t = to ?? new Float64Array(this.slotStamps.length);
    t.set(this.slotStamps);
    this.slotStamps = t;
  }
  touch(slot: number): void {
    this.stamps[slot] = ++this.clock;
  }
  insert(slot: number): void {
    this.stamps[slot] = ++this.clock;
  }
  victim(set: number): number {
    const base = set * this.ways;
    const st = this.stamps;
    let best = base;
    let bestStamp = st[base]!;
    for (let s = base + 1; s < base + this.ways; s++) {
      if (st[s]! < bestStamp) {
        bestStamp = st[s]!;
        best = s;
      }
    }
    return best;
  }
}

/** First in, first out: the victim is the line installed longest ago; hits do not change the order. */
export class FifoPolicy implements ReplacementPolicy {
  private readonly stamps: Float64Array;
  private clock = 0;

  constructor(
    sets: number,
    private readonly ways: number,
  ) {
    this.stamps = new Float64Array(sets * ways);
  }
  touch(_slot: number): void {}
  insert(slot: number): void {
    this.stamps[slot] = ++this.clock;
  }
  victim(set: number): number {
    const base = set * this.ways;
    let best = base;
    for (let s = base + 1; s < base + this.ways; s++) if (this.stamps[s]! < this.stamps[best]!) best = s;
    return best;
  }
}

/** Uniformly random victim from a generator seeded by the configuration (same seed, same evictions). */
export class RandomPolicy implements ReplacementPolicy {
  private readonly rng: SeededRandom;

  constructor(
    private readonly ways: number,
    seed: number,
  ) {
    this.rng = new SeededRandom(seed);
  }
  touch(_slot: number): void {}
  insert(_slot: number): void {}
  victim(set: number): number {
    return set * this.ways + this.rng.nextInt(this.ways);
  }
}

/**
 * Tree pseudo-LRU for a power-of-two number of ways: `ways - 1` bits per set form a binary tree whose bit at a
 * node says which half to evict from next (0 = left, 1 = right). An access sets every bit on its path to
 * point away from it. Worked example, 4 ways (bits b0 root, b1 over ways 0-1, b2 over ways 2-3, all 0):
 *
 * | event           | b0 b1 b2 | note                          |
 * |-----------------|----------|-------------------------------|
 * | fill A (way 0)  | 1  1  0  | point away from way 0         |
 * | fill B (way 1)  | 1  0  0  |                               |
 * | fill C (way 2)  | 0  0  1  |                               |
 * | fill D (way 3)  | 0  0  0  |                               |
 * | hit A (way 0)   | 1  1  0  |                               |
 * | miss E: victim  |          | b0=1 -> right, b2=0 -> way 2 (C); true LRU would evict B |
 */
export class TreePlruPolicy implements ReplacementPolicy {
  private readonly bits: Uint8Array;
  private readonly levels: number;

  constructor(
    sets: number,
    private readonly ways: number,
  ) {
    if ((ways & (ways - 1)) !== 0) throw new Error(`tree-PLRU needs a power-of-two number of ways, got ${ways}`);
    this.bits = new Uint8Array(sets * Math.max(1, ways - 1));
    this.levels = Math.log2(ways);
  }
  touch(slot: number): void {
    this.point(slot);
  }
  insert(slot: number): void {
    this.point(slot);
  }
  victim(set: number): number {
    const nodes = this.ways - 1;
    const base = set * Math.max(1, nodes);
    let node = 0;
    for (let l = 0; l < this.levels; l++) node = 2 * node + 1 + this.bits[base + node]!;
    return set * this.ways + (node - nodes);
  }
  private point(slot: number): void {
    const ways = this.ways;
    if (ways === 1) return;
    const set = Math.floor(slot / ways);
    const way = slot - set * ways;
    const base = set * (ways - 1);
    // Walk from the leaf up: leaf index in the implicit heap is way + ways - 1.
    let node = way + ways - 1;
    while (node > 0) {
      const parent = (node - 1) >> 1;
      const isLeft = node === 2 * parent + 1;
      this.bits[base + parent] = isLeft ? 1 : 0;
      node = parent;
    }
  }
}

/** Builds the policy a configuration names. */
export function createReplacementPolicy(name: ReplacementName, sets: number, ways: number, seed: number): ReplacementPolicy {
  switch (name) {
    case 'lru':
      return new LruPolicy(sets, ways);
    case 'fifo':
      return new FifoPolicy(sets, ways);
    case 'random':
      return new RandomPolicy(ways, seed);
    case 'plru':
      return new TreePlruPolicy(sets, ways);
    default: {
      const never: never = name;
      throw new Error(`unknown replacement policy ${String(never)}`);
    }
  }
}
