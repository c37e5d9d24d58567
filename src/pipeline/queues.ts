/**
 * The typed-array queues of the out-of-order scheduler: a min-heap of ring slots (operands not ready yet, keyed
 * by the cycle they will be), age-sorted ready queues per unit group, and the ring-size rule every ring here
 * and in the cores follows. Nothing in them allocates after construction.
 *
 * @module
 */

/** The power of two at least `n`: ring buffers index with `& (size - 1)`. */
export function ringSize(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** A binary min-heap of ring slots keyed by a number (a cycle or a sequence number), in typed arrays. */
export class SlotHeap {
  private readonly keys: Float64Array;
  private readonly slots: Int32Array;
  n = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.slots = new Int32Array(capacity);
  }

  topKey(): number {
    return this.keys[0]!;
  }

  push(key: number, slot: number): void {
    const keys = this.keys, slots = this.slots;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p]! <= key) break;
      keys[i] = keys[p]!;
      slots[i] = slots[p]!;
      i = p;
    }
    keys[i] = key;
    slots[i] = slot;
  }

  /** Removes the entry with the smallest key and returns its slot. */
  pop(): number {
    const keys = this.keys, slots = this.slots;
    const top = slots[0]!;
    const n = --this.n;
    const key = keys[n]!, slot = slots[n]!;
    let i = 0;
    for (;;) {
      let ch = 2 * i + 1;
      if (ch >= n) break;
      if (ch + 1 < n && keys[ch + 1]! < keys[ch]!) ch++;
      if (keys[ch]! >= key) break;
      keys[i] = keys[ch]!;
      slots[i] = slots[ch]!;
      i = ch;
    }
    keys[i] = key;
    slots[i] = slot;
    return top;
  }
}

/**
 * Ring slots sorted by a key, in a ring buffer: push inserts from the back, pop takes the front. Entries
 * become ready nearly in age order, so an insertion rarely moves anything (a heap would always pay log n).
 */
export class SortedQueue {
  private readonly keys: Float64Array;
  private readonly slots: Int32Array;
  private readonly mask: number;
  private head = 0;
  n = 0;

  constructor(capacity: number) {
    const size = ringSize(capacity);
    this.keys = new Float64Array(size);
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  topKey(): number {
    return this.keys[this.head]!;
  }

  push(key: number, slot: number): void {
    const keys = this.keys, slots = this.slots, m = this.mask, h = this.head;
    let i = this.n++;
    while (i > 0) {
      const prev = (h + i - 1) & m;
      if (keys[prev]! <= key) break;
      const at = (h + i) & m;
      keys[at] = keys[prev]!;
      slots[at] = slots[prev]!;
      i--;
    }
    const at = (h + i) & m;
    keys[at] = key;
    slots[at] = slot;
  }

  pop(): number {
    const slot = this.slots[this.head]!;
    this.head = (this.head + 1) & this.mask;
    this.n--;
    return slot;
  }
}

/** One ready queue per unit group (sorted by age), and the list of groups whose queue is not empty. */
export class ReadyQueues {
  readonly queues: SortedQueue[] = [];
  /** Groups with a non-empty queue, in no particular order (removal swaps in the last). */
  readonly active: Int32Array;
  private readonly pos: Int32Array;
  nActive = 0;

  constructor(groups: number, capacity: number) {
    for (let g = 0; g < groups; g++) this.queues.push(new SortedQueue(capacity));
    this.active = new Int32Array(groups);
    this.pos = new Int32Array(groups);
  }

  push(g: number, seq: number, slot: number): void {
    const h = this.queues[g]!;
    if (h.n === 0) {
      this.pos[g] = this.nActive;
      this.active[this.nActive++] = g;
    }
    h.push(seq, slot);
  }

  pop(g: number): number {
    const h = this.queues[g]!;
    const slot = h.pop();
    if (h.n === 0) {
      const p = this.pos[g]!;
      const last = this.active[--this.nActive]!;
      this.active[p] = last;
      this.pos[last] = p;
    }
    return slot;
  }
}
