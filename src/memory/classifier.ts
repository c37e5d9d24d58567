/**
 * Miss classification into compulsory, capacity and conflict misses (the 3C model of Hill), computed the way
 * Dinero IV computes it (`d4ref` with `D4F_CCC`): beside each cache runs a fully associative shadow directory
 * of the same number of lines and the same replacement policy, and a set of every line ever referenced.
 * For each demand reference that misses in the real cache:
 *
 * - it hits in the shadow  -> **conflict** (a fully associative cache of the same size would have hit);
 * - it misses in the shadow and the line was never referenced before -> **compulsory**;
 * - otherwise -> **capacity**.
 *
 * The shadow is looked up before it is updated, and it is updated by every demand reference, hits included;
 * a write to a no-write-allocate cache updates it only if it hits there (Dinero's rule). Tree-PLRU caches use an LRU
 * shadow (Dinero has no PLRU); random caches use a random shadow with its own seeded generator.
 *
 * The shadow is a doubly linked list in typed arrays plus a {@link LineMap}, so each reference is O(1)
 * whatever the size; the seen-set grows with the footprint (distinct lines), not with the trace length.
 *
 * @module
 */
import { LineMap, LineSet } from './line-index.js';
import { SeededRandom } from './random.js';

/** Result of {@link MissClassifier.reference} for a miss. */
export const MISS_COMPULSORY = 0;
/** Missed in the real cache and in the fully associative shadow, line seen before. */
export const MISS_CAPACITY = 1;
/** Missed in the real cache, hit in the fully associative shadow. */
export const MISS_CONFLICT = 2;
/** The reference hit in the real cache (nothing to classify). */
export const NOT_A_MISS = -1;

/** Which replacement the shadow applies. */
export type ShadowPolicy = 'lru' | 'fifo' | 'random';

/** Fully associative shadow + infinite cache of one level. */
export class MissClassifier {
  // index, the list links, head, tail and lastLine are what a hit changes; a lent hit path (hit-path.ts) works on
  // them in another memory (moveShadow).
  /** @internal Line -> shadow slot. */
  readonly index: LineMap;
  private readonly lines: Float64Array;
  private listPrev: Int32Array;
  private listNext: Int32Array;
  /** @internal Most recently used (LRU) or newest slot, -1 when empty. */
  head = -1;
  /** @internal Least recently used or oldest slot. */
  tail = -1;
  private used = 0;
  private readonly seen = new LineSet();
  private readonly rng: SeededRandom | null;
  /** @internal Line of the previous reference when it is in the shadow (-1 otherwise): a repeat needs no lookup. */
  lastLine = -1;

  /** `capacityLines` = lines of the real cache; `seed` is used only by the random shadow. */
  constructor(
    /** Lines of the shadow directory (= lines of the real cache). */
    readonly capacityLines: number,
    /** Replacement of the shadow directory. */
    readonly policy: ShadowPolicy,
    seed: number,
  ) {
    this.index = new LineMap(capacityLines);
    this.lines = new Float64Array(capacityLines);
    this.listPrev = new Int32Array(capacityLines);
    this.listNext = new Int32Array(capacityLines);
    this.rng = policy === 'random' ? new SeededRandom(seed ^ 0x5bd1e995) : null;
  }

  /** @internal Shadow list links (slot numbers, -1 at the ends): toward the front. */
  get prev(): Int32Array {
    return this.listPrev;
  }
  /** @internal Toward the back. */
  get next(): Int32Array {
    return this.listNext;
  }
  /** @internal Moves the table and list links into `to` (same sizes, another memory: a lent hit path, hit-path.ts), or back into arrays of its own. */
  moveShadow(to?: { readonly keys: Float64Array; readonly vals: Int32Array; readonly prev: Int32Array; readonly next: Int32Array }): void {
    this.index.moveTable(to);
    const prev = to?.prev ?? new Int32Array(this.listPrev.length), next = to?.next ?? new Int32Array(this.listNext.length);
    prev.set(this.listPrev);
    next.set(this.listNext);
    this.listPrev = prev;
    this.listNext = next;
  }

  /**
   * Records one demand reference to `line`. `realMiss`: whether the real cache missed; `allocate`: whether the
   * reference may insert a line into the shadow (false only for writes to a no-write-allocate cache). Returns one of
   * MISS_COMPULSORY / MISS_CAPACITY / MISS_CONFLICT for a real miss, NOT_A_MISS otherwise.
   */
  reference(line: number, realMiss: boolean, allocate: boolean, seenBefore = false): number {
    // A repeat of the previous line: it is in the shadow (most recent for LRU), already seen, and a hit
    // changes nothing more, so the full lookup would give the same answer.
    if (line === this.lastLine) return realMiss ? MISS_CONFLICT : NOT_A_MISS;
    const slot = this.index.get(line);
    const shadowHit = slot >= 0;
    if (shadowHit) {
      if (this.policy === 'lru') this.moveToFront(slot);
    } else if (allocate) {
      this.insert(line);
    }
    this.lastLine = shadowHit || allocate ? line : -1;
    const firstTime = seenBefore ? false : this.seen.add(line);
    if (!realMiss) return NOT_A_MISS;
    if (shadowHit) return MISS_CONFLICT;
    return firstTime ? MISS_COMPULSORY : MISS_CAPACITY;
  }

  /** Forgets everything (shadow contents and the seen-set). */
  clear(): void {
    this.index.clear();
    this.head = this.tail = -1;
    this.used = 0;
    this.lastLine = -1;
    this.seen.clear();
  }

  private insert(line: number): void {
    let slot: number;
    if (this.used < this.capacityLines) {
      slot = this.used++;
    } else {
      slot = this.policy === 'random' ? this.rng!.nextInt(this.capacityLines) : this.tail;
      this.index.delete(this.lines[slot]!);
      this.unlink(slot);
    }
    this.lines[slot] = line;
    this.index.set(line, slot);
    this.pushFront(slot);
  }

  private moveToFront(slot: number): void {
    if (slot === this.head) return;
    this.unlink(slot);
    this.pushFront(slot);
  }

  private unlink(slot: number): void {
    const p = this.listPrev[slot]!;
    const n = this.listNext[slot]!;
    if (p >= 0) this.listNext[p] = n;
    else this.head = n;
    if (n >= 0) this.listPrev[n] = p;
    else this.tail = p;
  }

  private pushFront(slot: number): void {
    this.listPrev[slot] = -1;
    this.listNext[slot] = this.head;
    if (this.head >= 0) this.listPrev[this.head] = slot;
    this.head = slot;
    if (this.tail < 0) this.tail = slot;
  }
}
