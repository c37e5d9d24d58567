/**
 * Instruction classes: the one fact about an instruction the timing and energy models key on. Each opcode of
 * the instruction table belongs to exactly one class; a core configuration maps classes to functional units,
 * latencies and energy actions. Classes are small integers so the timing loop indexes arrays with them.
 *
 * @module
 */

/** Every instruction class, in a fixed order (the index is the numeric class id). */
export const INSTR_CLASSES = [
  'scalar-alu', // integer add/logic/shift/compare/li
  'scalar-mul', // integer multiply
  'branch', // compare-and-branch
  'scalar-load',
  'scalar-store',
  'vec-load',
  'vec-store',
  'vec-logic', // and/or/xor/xnor/andn/not
  'vec-shift', // per-element shifts
  'vec-popcnt', // per-element popcount
  'vec-alu', // add/sub/min/max, wrapping or saturating
  'vec-mul', // per-element multiply
  'vec-mac', // widening multiply-accumulate into int32 lanes
  'vec-dot8', // int8 dot product into int32 lanes (sdot/vpdpbusd)
  'vec-xdot', // binary XNOR-popcount dot product
  'vec-mdot', // mixed-precision dot product under a precision pattern
  'vec-fp', // fp32 add/sub/mul/min/max
  'vec-fma', // fp32 fused multiply-add
  'vec-permute', // broadcast, widen/narrow, element insert/extract
  'vec-reduce', // horizontal reductions
  'vec-requant', // int32 -> narrow width with shift, rounding and clamp
  'pattern', // precision-pattern register writes
  'misc', // nop, halt
] as const;

/** The name of an instruction class. */
export type InstrClassName = (typeof INSTR_CLASSES)[number];

/** Numeric id of each class (its index in {@link INSTR_CLASSES}). */
export const CLASS_ID: Readonly<Record<InstrClassName, number>> = Object.freeze(
  Object.fromEntries(INSTR_CLASSES.map((c, i) => [c, i])) as Record<InstrClassName, number>,
);

/** Number of instruction classes. */
export const NUM_CLASSES = INSTR_CLASSES.length;
