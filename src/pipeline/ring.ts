/**
 * Ring buffers indexed by a sequence number: their size is a power of two, so an index is a mask, not a division.
 *
 * @module
 */

/** The smallest power of two >= max(n, 1). */
export function ringSize(n: number): number {
  let s = 1;
  while (s < n) s *= 2;
  return s;
}
