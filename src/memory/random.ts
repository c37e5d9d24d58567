/**
 * The seeded pseudo-random generator of the memory system (random replacement, shadow directories). Nothing
 * random lives at module level: each user owns a generator built from an explicit seed, so the same seed gives
 * the same simulation. Algorithm: xoshiro128** (Blackman and Vigna), state seeded by splitmix32.
 *
 * @module
 */

/** A small, fast, seeded 32-bit generator; `nextInt(n)` never allocates. */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** `seed` is any 32-bit unsigned integer; equal seeds give equal sequences. */
  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32-bit unsigned value. */
  nextU32(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** A uniform integer in [0, n) for 1 <= n <= 2^32 (multiply-shift, bias below 2^-32 * n). */
  nextInt(n: number): number {
    return Math.floor((this.nextU32() / 4294967296) * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
