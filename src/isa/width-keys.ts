/**
 * Width keys: the element-width classification of an instruction that timing and energy tables are
 * specialised by. It is a fact of the instruction (its element type, width and pattern register), so it lives
 * with the ISA; the core's timing configuration and the energy model both key their tables by it.
 *
 * @module
 */
import { ET_F32, isPatternType } from './etypes.js';

/**
 * Width keys a timing or energy entry may be specialised for. An instruction's key is its element width
 * (`b1` counts as `w1`), `f32` for binary32, `pattern` when its element widths come from a pattern register,
 * and `none` when it has no element type (scalar instructions, logic on whole registers, loads).
 */
export const WIDTH_KEYS = ['w1', 'w2', 'w4', 'w8', 'w16', 'w32', 'f32', 'pattern', 'none'] as const;
/** One of {@link WIDTH_KEYS}. */
export type WidthKey = (typeof WIDTH_KEYS)[number];
/** Number of width keys. */
export const NUM_WIDTH_KEYS = WIDTH_KEYS.length;

const WIDTH_INDEX: Readonly<Record<number, number>> = { 1: 0, 2: 1, 4: 2, 8: 3, 16: 4, 32: 5 };

/**
 * The width-key index (into {@link WIDTH_KEYS}) of an instruction from its static facts: element type code,
 * uniform element width in bits (0 if none) and pattern register (-1 if none).
 */
export function widthKeyIndex(etype: number, widthBits: number, pattern: number): number {
  if (pattern >= 0 || isPatternType(etype)) return 7;
  if (etype === ET_F32) return 6;
  if (widthBits > 0) return WIDTH_INDEX[widthBits] ?? 8;
  return 8;
}
