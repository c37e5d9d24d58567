/**
 * Allocation-free hash tables keyed by line number (a non-negative integer below 2^53), stored in typed arrays
 * with open addressing and linear probing. {@link LineMap} maps a line to a slot number and deletes without
 * tombstones (backward-shift deletion), so a table of fixed population never degrades; {@link LineSet}
 * only grows (it remembers every line ever seen, for compulsory-miss detection) and doubles when half full.
 *
 * @module
 */

/** The key of a free entry (the WebAssembly cores' copy of the 3C shadow's table reads it too). */
export const EMPTY_LINE = -1;
const EMPTY = EMPTY_LINE;

/** Hash of an integer-valued double below 2^53 into `bits` bits. */
function hashLine(line: number, bits: number): number {
  const lo = line >>> 0;
  const hi = (line / 4294967296) >>> 0;
  return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> (32 - bits);
}

function bitsFor(capacity: number): number {
  let bits = 4;
  while (1 << bits < capacity * 2) bits++;
  return bits;
}

/** Line number -> slot (a non-negative int32), for at most `capacity` entries at once. */
export class LineMap {
  /** @internal Table size is 2^bits (hit-path.ts hashes with it). */
  readonly bits: number;
  private readonly mask: number;
  private entryKeys: Float64Array;
  private entryVals: Int32Array;

  constructor(capacity: number) {
    this.bits = bitsFor(capacity);
    this.mask = (1 << this.bits) - 1;
    this.entryKeys = new Float64Array(1 << this.bits).fill(EMPTY);
    this.entryVals = new Int32Array(1 << this.bits);
  }

  /** Line of each entry, EMPTY_LINE (-1) when free. */
  get keys(): Float64Array {
    return this.entryKeys;
  }
  /** Slot of each entry. */
  get vals(): Int32Array {
    return this.entryVals;
  }
  /** @internal Moves the table into `to` (same sizes, another memory: a lent hit path, hit-path.ts), or back into arrays of its own. */
  moveTable(to?: { readonly keys: Float64Array; readonly vals: Int32Array }): void {
    const t = to ?? { keys: new Float64Array(this.entryKeys.length), vals: new Int32Array(this.entryVals.length) };
    t.keys.set(this.entryKeys);
    t.vals.set(this.entryVals);
    this.entryKeys = t.keys;
    this.entryVals = t.vals;
  }

  /** The slot stored for `line`, or -1. */
  get(line: number): number {
    const keys = this.entryKeys;
    let i = hashLine(line, this.bits);
    for (;;) {
      const k = keys[i]!;
      if (k === line) return this.entryVals[i]!;
      if (k === EMPTY) return -1;
      i = (i + 1) & this.mask;
    }
  }

  /** Stores `line -> slot` (the line must not be present; the caller keeps the population within capacity). */
  set(line: number, slot: number): void {
    const keys = this.entryKeys;
    let i = hashLine(line, this.bits);
    while (keys[i] !== EMPTY) i = (i + 1) & this.mask;
    keys[i] = line;
    this.entryVals[i] = slot;
  }

  /** Removes `line` if present. */
  delete(line: number): void {
    const keys = this.entryKeys;
    const mask = this.mask;
    let i = hashLine(line, this.bits);
    for (;;) {
      const k = keys[i]!;
      if (k === EMPTY) return;
      if (k === line) break;
      i = (i + 1) & mask;
    }
    // Backward-shift deletion: move later members of the probe run into the hole when their home allows it.
    let hole = i;
    let j = (i + 1) & mask;
    for (;;) {
      const k = keys[j]!;
      if (k === EMPTY) break;
      const home = hashLine(k, this.bits);
      // j may move to hole iff home is not cyclically in (hole, j].
      const movable = hole <= j ? home <= hole || home > j : home <= hole && home > j;
      if (movable) {
        keys[hole] = k;
        this.entryVals[hole] = this.entryVals[j]!;
        hole = j;
      }
      j = (j + 1) & mask;
    }
    keys[hole] = EMPTY;
  }

  /** Empties the table. */
  clear(): void {
    this.entryKeys.fill(EMPTY);
  }
}

/** A growing set of line numbers. */
export class LineSet {
  private bits = 10;
  private keys = new Float64Array(1 << 10).fill(EMPTY);
  private count = 0;

  /** Number of lines in the set. */
  get size(): number {
    return this.count;
  }

  /** Adds `line`; returns true when it was not there before. */
  add(line: number): boolean {
    const mask = (1 << this.bits) - 1;
    let i = hashLine(line, this.bits);
    for (;;) {
      const k = this.keys[i]!;
      if (k === line) return false;
      if (k === EMPTY) break;
      i = (i + 1) & mask;
    }
    this.keys[i] = line;
    if (++this.count * 2 > 1 << this.bits) this.grow();
    return true;
  }

  /** Whether `line` is in the set. */
  has(line: number): boolean {
    const mask = (1 << this.bits) - 1;
    let i = hashLine(line, this.bits);
    for (;;) {
      const k = this.keys[i]!;
      if (k === line) return true;
      if (k === EMPTY) return false;
      i = (i + 1) & mask;
    }
  }

  /** Empties the set. */
  clear(): void {
    this.keys.fill(EMPTY);
    this.count = 0;
  }

  private grow(): void {
    const old = this.keys;
    this.bits++;
    this.keys = new Float64Array(1 << this.bits).fill(EMPTY);
    const mask = (1 << this.bits) - 1;
    for (let j = 0; j < old.length; j++) {
      const k = old[j]!;
      if (k === EMPTY) continue;
      let i = hashLine(k, this.bits);
      while (this.keys[i] !== EMPTY) i = (i + 1) & mask;
      this.keys[i] = k;
    }
  }
}
