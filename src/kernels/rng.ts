/**
 * A small seeded pseudo-random generator (mulberry32) for synthetic weights, inputs and precision maps.
 * Randomness always comes from an explicit seed, so every generated layer and every reported number can be
 * reproduced.
 *
 * @module
 */

/** A seeded source of random numbers; each call advances its own state only. */
export class Rng {
  private s: number;

  /** Starts the sequence of `seed` (any 32-bit integer). */
  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** Next 32-bit unsigned integer. */
  u32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }
}
