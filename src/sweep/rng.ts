/**
 * The only source of randomness in sweeps: a small seeded generator (SplitMix32). Every strategy receives one
 * built from the sweep's seed, so a sweep is reproduced exactly from its seed; nothing random lives at module
 * level.
 *
 * @module
 */

/** A seeded pseudo-random generator; equal seeds give equal sequences on every platform. */
export class Rng {
  private state: number;

  /** `seed` is any integer (taken modulo 2^32); `stream` separates independent uses of one seed. */
  constructor(seed: number, stream = 0) {
    this.state = (Math.trunc(seed) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}
