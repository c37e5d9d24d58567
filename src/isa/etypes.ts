/**
 * Element types: how the bits of an element are read as a number. Sub-byte activations are unsigned, sub-byte
 * weights are two's complement, and a 1-bit weight (`b1`) means -1 (bit 0) or +1 (bit 1), so binary layers
 * reduce to XNOR/AND and popcount. Two codes name *pattern-typed* elements (`u`/`s` with a `.ppN` suffix in
 * assembly): their widths come from a precision-pattern register, element by element.
 *
 * | code | name | width | values |
 * |-----:|------|------:|--------|
 * | 0..5 | u1 u2 u4 u8 u16 u32 | 1..32 | 0 .. 2^w-1 |
 * | 6..10 | s2 s4 s8 s16 s32 | 2..32 | -2^(w-1) .. 2^(w-1)-1 |
 * | 11 | b1 | 1 | -1, +1 |
 * | 12 | f32 | 32 | IEEE binary32 |
 * | 13 | u (pattern) | from PPn | unsigned |
 * | 14 | s (pattern) | from PPn | signed (a 1-bit element of a signed pattern reads as -1/+1) |
 *
 * @module
 */

/** Element type names, indexed by their 4-bit code. */
export const ETYPES = ['u1', 'u2', 'u4', 'u8', 'u16', 'u32', 's2', 's4', 's8', 's16', 's32', 'b1', 'f32', 'u', 's'] as const;
/** An element type name. */
export type EtypeName = (typeof ETYPES)[number];

/** Code of the unsigned pattern-typed element type. */
export const ET_PAT_U = 13;
/** Code of the signed pattern-typed element type. */
export const ET_PAT_S = 14;
/** Code of the binary (+/-1) element type. */
export const ET_B1 = 11;
/** Code of IEEE binary32. */
export const ET_F32 = 12;

/** Width in bits of each element-type code (0 for pattern-typed codes). */
export const ETYPE_WIDTH: readonly number[] = [1, 2, 4, 8, 16, 32, 2, 4, 8, 16, 32, 1, 32, 0, 0];
/** Whether each element-type code reads as a signed number. */
export const ETYPE_SIGNED: readonly boolean[] = [false, false, false, false, false, false, true, true, true, true, true, true, true, false, true];

/** Code of an element type name, or -1. */
export function etypeCode(name: string): number {
  return (ETYPES as readonly string[]).indexOf(name);
}

/** Whether a code names a pattern-typed element type. */
export function isPatternType(code: number): boolean {
  return code === ET_PAT_U || code === ET_PAT_S;
}
