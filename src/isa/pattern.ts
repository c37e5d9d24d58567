/**
 * Precision patterns: how a VLEN-bit vector register is split into consecutive runs of equal-width elements.
 * A pattern is an ordered list of runs `(widthBits, count)`; element 0 starts at bit 0 of the register and
 * runs follow each other without gaps, so a pattern needs no per-element metadata.
 *
 * ## Descriptor (what `setpp ppK, xA, xB` loads)
 * Two 32-bit words: `xA` holds runs 0..2, `xB` runs 3..5 (pass `x0` when a pattern has at most three runs).
 * Each run takes 10 bits; bits 30..31 of each word are zero.
 *
 * ```
 *  bit: 31 30 | 29 ........ 23 | 22 .. 20 | 19 ........ 13 | 12 .. 10 | 9 ......... 3 | 2 .. 0
 *       0  0  | run2 bytes     | run2 w   | run1 bytes     | run1 w   | run0 bytes    | run0 w
 *  w (3 bits): 0 = no run (ends the list), 1 = 1-bit, 2 = 2-bit, 3 = 4-bit, 4 = 8-bit elements
 *  bytes (7 bits): length of the run in bytes, 1..64 (runs are byte-aligned)
 * ```
 *
 * Worked example, VLEN = 256 (32 bytes): 16 four-bit channels, then 32 two-bit, then 128 one-bit.
 * ```
 *  run0: w=3 (4-bit), 16 elements = 8 bytes  -> 0b0001000_011 = 0x043
 *  run1: w=2 (2-bit), 32 elements = 8 bytes  -> 0b0001000_010 = 0x042
 *  run2: w=1 (1-bit), 128 elements = 16 bytes -> 0b0010000_001 = 0x081
 *  xA = 0x081 << 20 | 0x042 << 10 | 0x043 = 0x08110843, xB = 0
 *  register bits:  [0, 64) 4-bit elements 0..15 | [64, 128) 2-bit elements 16..47 | [128, 256) 1-bit 48..175
 * ```
 * Runs are byte-aligned because the mixed unit's lane steering switches at byte boundaries (as sub-word SIMD
 * datapaths do) and because it lets a run's length fit 7 bits; a kernel pads a precision group to a multiple
 * of 8/w channels.
 *
 * @module
 */

/** One run of a precision pattern: `count` elements of `widthBits` bits each. */
export interface PatternRun {
  readonly widthBits: number;
  readonly count: number;
}

/** Most runs a descriptor can hold (two words of three). */
export const MAX_DESCRIPTOR_RUNS = 6;

/** Width code of the descriptor (0 = no run). */
function widthCode(w: number): number {
  switch (w) {
    case 1:
      return 1;
    case 2:
      return 2;
    case 4:
      return 3;
    case 8:
      return 4;
    default:
      return -1;
  }
}

/** Encodes runs into the two descriptor words; throws if a run cannot be encoded. */
export function encodePattern(runs: readonly PatternRun[]): [number, number] {
  if (runs.length === 0 || runs.length > MAX_DESCRIPTOR_RUNS) throw new Error(`a pattern has 1..${MAX_DESCRIPTOR_RUNS} runs, got ${runs.length}`);
  const words = [0, 0];
  runs.forEach((r, i) => {
    const c = widthCode(r.widthBits);
    if (c < 0) throw new Error(`run ${i}: widthBits must be 1, 2, 4 or 8, got ${r.widthBits}`);
    const bits = r.widthBits * r.count;
    if (!Number.isInteger(r.count) || r.count <= 0 || bits % 8 !== 0 || bits / 8 > 64) {
      throw new Error(`run ${i}: ${r.count} elements of ${r.widthBits} bits is not a whole number of bytes in 1..64`);
    }
    const field = c | ((bits / 8) << 3);
    words[Math.floor(i / 3)] |= field << (10 * (i % 3));
  });
  return [words[0]! >>> 0, words[1]! >>> 0];
}

/** Why a descriptor is not a valid pattern for a core, or null when it is. */
export function patternProblem(runs: readonly PatternRun[], vlenBits: number, widths: readonly number[], maxRuns: number): string | null {
  if (runs.length > maxRuns) return `pattern has ${runs.length} runs, the core allows at most ${maxRuns}`;
  let bits = 0;
  for (const r of runs) {
    if (!widths.includes(r.widthBits)) return `pattern uses ${r.widthBits}-bit elements, the mixed unit supports ${widths.join('/')}-bit`;
    bits += r.widthBits * r.count;
  }
  if (bits !== vlenBits) return `pattern covers ${bits} bits, VLEN is ${vlenBits}: it does not tile the register`;
  return null;
}

/** Decodes descriptor words into runs; throws with the reason when the words are malformed. */
export function decodePattern(lo: number, hi: number): PatternRun[] {
  const runs: PatternRun[] = [];
  let ended = false;
  const words = [lo >>> 0, hi >>> 0];
  for (let wi = 0; wi < 2; wi++) {
    if (words[wi]! >>> 30 !== 0) throw new Error(`descriptor word ${wi} has bits 30..31 set (0x${words[wi]!.toString(16)})`);
    for (let k = 0; k < 3; k++) {
      const f = (words[wi]! >>> (10 * k)) & 0x3ff;
      const c = f & 7;
      const bytes = f >>> 3;
      const idx = wi * 3 + k;
      if (c === 0) {
        if (bytes !== 0) throw new Error(`descriptor run ${idx}: width code 0 with a non-zero length`);
        ended = true;
        continue;
      }
      if (ended) throw new Error(`descriptor run ${idx} follows an empty run`);
      if (c > 4) throw new Error(`descriptor run ${idx}: width code ${c} is not 1..4`);
      if (bytes === 0) throw new Error(`descriptor run ${idx}: zero length`);
      const w = 1 << (c - 1);
      runs.push({ widthBits: w, count: (bytes * 8) / w });
    }
  }
  if (runs.length === 0) throw new Error('descriptor has no runs');
  return runs;
}

/**
 * A pattern compiled for the fast path: element geometry as typed arrays, and for the dot-product unit each
 * 32-bit word of the register split into (width, mask) segments.
 */
export interface CompiledPattern {
  readonly runs: readonly PatternRun[];
  /** Number of elements. */
  readonly count: number;
  /** Word index, bit shift within the word and width of each element. */
  readonly elemWord: Uint16Array;
  readonly elemShift: Uint8Array;
  readonly elemWidth: Uint8Array;
  /**
   * Segments as quadruples (first word, word count, widthBits, mask): every bit of the register is in exactly
   * one segment; consecutive whole words of one width form one segment (mask -1), a word shared by two runs
   * is a segment of its own with the run's bits in `mask`.
   */
  readonly segments: Int32Array;
}

/** Compiles runs (assumed valid for the register) into the fast path's tables. */
export function compilePattern(runs: readonly PatternRun[], vlenBits: number): CompiledPattern {
  let count = 0;
  for (const r of runs) count += r.count;
  const elemWord = new Uint16Array(count);
  const elemShift = new Uint8Array(count);
  const elemWidth = new Uint8Array(count);
  const segs: number[] = [];
  let bit = 0;
  let e = 0;
  for (const r of runs) {
    const start = bit;
    for (let k = 0; k < r.count; k++, e++, bit += r.widthBits) {
      elemWord[e] = bit >>> 5;
      elemShift[e] = bit & 31;
      elemWidth[e] = r.widthBits;
    }
    // A run is byte-aligned, so it covers whole bytes; split it at word boundaries into masks.
    for (let b = start; b < bit; ) {
      const w = b >>> 5;
      const end = Math.min(bit, (w + 1) * 32);
      const len = end - b;
      const mask = len === 32 ? -1 : (((1 << len) - 1) << (b & 31)) | 0;
      const n = segs.length;
      if (mask === -1 && n > 0 && segs[n - 1] === -1 && segs[n - 2] === r.widthBits && segs[n - 4]! + segs[n - 3]! === w) segs[n - 3]!++;
      else segs.push(w, 1, r.widthBits, mask);
      b = end;
    }
  }
  if (bit !== vlenBits) throw new Error(`pattern covers ${bit} bits, VLEN is ${vlenBits}`);
  return { runs, count, elemWord, elemShift, elemWidth, segments: Int32Array.from(segs) };
}

/** A pattern of one width across the whole register. */
export function uniformPattern(widthBits: number, vlenBits: number): PatternRun[] {
  return [{ widthBits, count: vlenBits / widthBits }];
}

/** Human-readable form, e.g. `4b x16 | 2b x32 | 1b x128`. */
export function formatPattern(runs: readonly PatternRun[]): string {
  return runs.map((r) => `${r.widthBits}b x${r.count}`).join(' | ');
}

/**
 * The values of the elements packed in `bytes` (one register's worth, little-endian) under `runs`, in plain
 * arithmetic: activations (`weights = false`) unsigned; weights two's complement, with a 1-bit weight meaning
 * -1 (bit 0) or +1 (bit 1). The inverse of {@link packPattern}.
 */
export function unpackPattern(bytes: Uint8Array, runs: readonly PatternRun[], weights: boolean): number[] {
  const out: number[] = [];
  let bit = 0;
  for (const r of runs) {
    for (let k = 0; k < r.count; k++, bit += r.widthBits) {
      let raw = 0;
      for (let j = 0; j < r.widthBits; j++) raw += ((bytes[(bit + j) >> 3]! >> ((bit + j) & 7)) & 1) * 2 ** j;
      if (!weights) out.push(raw);
      else if (r.widthBits === 1) out.push(raw === 1 ? 1 : -1);
      else out.push(raw >= 2 ** (r.widthBits - 1) ? raw - 2 ** r.widthBits : raw);
    }
  }
  return out;
}

/**
 * Packs element values into register bytes under `runs` (the inverse of {@link unpackPattern}); throws when
 * a value does not fit its element's width.
 */
export function packPattern(values: readonly number[], runs: readonly PatternRun[], weights: boolean): Uint8Array {
  let total = 0;
  for (const r of runs) total += r.widthBits * r.count;
  const out = new Uint8Array(total / 8);
  let bit = 0;
  let e = 0;
  for (const r of runs) {
    const w = r.widthBits;
    const lo = !weights ? 0 : w === 1 ? -1 : -(2 ** (w - 1));
    const hi = !weights ? 2 ** w - 1 : w === 1 ? 1 : 2 ** (w - 1) - 1;
    for (let k = 0; k < r.count; k++, e++, bit += w) {
      const v = values[e];
      if (v === undefined || !Number.isInteger(v) || v < lo || v > hi || (weights && w === 1 && v === 0)) {
        throw new RangeError(`element ${e}: ${v} does not fit a ${w}-bit ${weights ? 'weight' : 'activation'}`);
      }
      const raw = weights && w === 1 ? (v > 0 ? 1 : 0) : v < 0 ? v + 2 ** w : v;
      for (let j = 0; j < w; j++) out[(bit + j) >> 3]! |= ((raw >> j) & 1) << ((bit + j) & 7);
    }
  }
  if (e !== values.length) throw new RangeError(`${values.length} values for a pattern of ${e} elements`);
  return out;
}
