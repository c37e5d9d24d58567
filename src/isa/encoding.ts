/**
 * Binary encoding: fixed 32-bit words, a second word only for opcodes whose fields do not fit in one (wide
 * immediates). The layout of every opcode is derived from its operand list in the instruction table:
 *
 * ```
 *  word 0: bits 0..6 opcode | then each field in operand order, low bits first; a field that would cross
 *          bit 32 starts word 1 instead.
 *  fields: vector/scalar register 5 bits, pattern register 3 bits, mem operand = base register 5 + signed
 *          offset 12, branch target = signed 15-bit offset in instructions from the branch, immediates their
 *          declared width; then the element type (4 bits) if the opcode takes one, then the pattern
 *          register (3 bits) if it can name one.
 *  example: vmdot.pp2 v3, v1, v2, 5 -> opcode | vd=3 <<7 | vs1=1 <<12 | vs2=2 <<17 | lane=5 <<22 | pp=2 <<26
 * ```
 * `decode(encode(p)) = p` for every valid program (property-tested).
 *
 * @module
 */
import { ET_PAT_S, ET_PAT_U, etypeCode } from './etypes.js';
import type { Instr } from './instr.js';
import { OPS } from './table.js';

/** Where one instruction field sits in the encoded words. */
export interface FieldSlot {
  readonly field: 'd' | 's1' | 's2' | 'imm' | 'imm2' | 'et' | 'pp';
  readonly bits: number;
  /** Bit position in the 64-bit concatenation (word 1 starts at 32). */
  readonly pos: number;
  readonly signed: boolean;
  /** Branch targets are stored relative to the instruction's own index. */
  readonly relative: boolean;
}

/** The encoding layout of one opcode. */
export interface EncodingLayout {
  readonly slots: readonly FieldSlot[];
  readonly words: 1 | 2;
}

/** Bits of the opcode field. */
export const OPCODE_BITS = 7;

function buildLayout(opId: number): EncodingLayout {
  const row = OPS[opId]!;
  const slots: FieldSlot[] = [];
  let pos = OPCODE_BITS;
  const put = (field: FieldSlot['field'], bits: number, signed = false, relative = false): void => {
    if (pos < 32 && pos + bits > 32) pos = 32;
    slots.push({ field, bits, pos, signed, relative });
    pos += bits;
  };
  for (const o of row.operands) {
    switch (o.kind) {
      case 'vreg':
      case 'xreg':
        put(o.field, 5);
        break;
      case 'ppreg':
        put('d', 3);
        break;
      case 'simm':
        put(o.field, o.bits, true);
        break;
      case 'uimm':
        put(o.field, o.bits);
        break;
      case 'mem':
        put('s1', 5);
        put('imm', 12, true);
        break;
      case 'target':
        put('imm', 15, true, true);
        break;
      default: {
        const never: never = o;
        throw new Error(`unhandled operand ${JSON.stringify(never)}`);
      }
    }
  }
  if (row.etypes.length > 0) put('et', 4);
  if (row.needsPattern || row.etypes.some((e) => e === 'u' || e === 's')) put('pp', 3);
  if (pos > 64) throw new Error(`${row.mnemonic}: fields need ${pos} bits, more than two words`);
  return { slots, words: pos > 32 ? 2 : 1 };
}

/** Encoding layout of every opcode, by opcode id. */
export const LAYOUTS: readonly EncodingLayout[] = OPS.map((_, i) => buildLayout(i));

/** Whether instruction `ins` names a pattern register. */
export function usesPattern(ins: Instr): boolean {
  return OPS[ins.op]!.needsPattern || ins.et === ET_PAT_U || ins.et === ET_PAT_S;
}

/** Checks that a value fits a field; returns the raw bits. */
function fieldBits(v: number, slot: FieldSlot, mnemonic: string): number {
  const lo = slot.signed ? -(2 ** (slot.bits - 1)) : 0;
  const hi = slot.signed ? 2 ** (slot.bits - 1) - 1 : 2 ** slot.bits - 1;
  // A 32-bit immediate may be given as signed or unsigned.
  const ok = slot.bits === 32 ? v >= -(2 ** 31) && v <= 2 ** 32 - 1 : v >= lo && v <= hi;
  if (!Number.isInteger(v) || !ok) throw new RangeError(`${mnemonic}: ${slot.field} = ${v} does not fit ${slot.signed ? 'signed' : 'unsigned'} ${slot.bits} bits`);
  return slot.bits === 32 ? v >>> 0 : v & (2 ** slot.bits - 1);
}

/** Encodes instruction `ins` at instruction index `pc` into `out` at word `at`; returns the words written. */
export function encodeInto(ins: Instr, pc: number, out: Uint32Array, at: number): number {
  const L = LAYOUTS[ins.op];
  if (L === undefined) throw new RangeError(`unknown opcode id ${ins.op}`);
  const mnemonic = OPS[ins.op]!.mnemonic;
  let w0 = ins.op;
  let w1 = 0;
  for (const s of L.slots) {
    let v: number;
    if (s.field === 'pp') v = usesPattern(ins) ? ins.pp : 0;
    else if (s.relative) v = ins.imm - pc;
    else v = ins[s.field];
    const bits = fieldBits(v, s, mnemonic);
    if (s.pos < 32) w0 |= bits << s.pos;
    else if (s.bits === 32) w1 = bits;
    else w1 |= bits << (s.pos - 32);
  }
  out[at] = w0 >>> 0;
  if (L.words === 2) out[at + 1] = w1 >>> 0;
  return L.words;
}

/** Decodes the instruction at word `at` (instruction index `pc`); returns it and its size in words. */
export function decodeAt(words: Uint32Array, at: number, pc: number): { ins: Instr; words: number } {
  const w0 = words[at]!;
  const op = w0 & ((1 << OPCODE_BITS) - 1);
  const L = LAYOUTS[op];
  if (L === undefined) throw new RangeError(`word ${at}: unknown opcode ${op} (0x${w0.toString(16).padStart(8, '0')})`);
  if (L.words === 2 && at + 1 >= words.length) throw new RangeError(`word ${at}: ${OPS[op]!.mnemonic} needs a second word past the end`);
  const w1 = L.words === 2 ? words[at + 1]! : 0;
  const ins: Instr = { op, d: 0, s1: 0, s2: 0, et: -1, pp: -1, imm: 0, imm2: 0 };
  for (const s of L.slots) {
    let raw = s.pos < 32 ? (w0 >>> s.pos) & mask(s.bits) : s.bits === 32 ? w1 : (w1 >>> (s.pos - 32)) & mask(s.bits);
    if (s.signed && s.bits < 32 && raw >= 2 ** (s.bits - 1)) raw -= 2 ** s.bits;
    if (s.signed && s.bits === 32) raw |= 0;
    if (s.relative) raw += pc;
    ins[s.field] = raw;
  }
  const row = OPS[op]!;
  if (row.etypes.length > 0 && !row.etypes.some((e) => etypeCode(e) === ins.et)) {
    throw new RangeError(`word ${at}: ${row.mnemonic} does not take element type code ${ins.et}`);
  }
  if (!usesPattern(ins)) ins.pp = -1;
  return { ins, words: L.words };
}

function mask(bits: number): number {
  return bits >= 32 ? 0xffffffff : (1 << bits) - 1;
}

/** Encodes a whole program into words. */
export function encodeProgram(instrs: readonly Instr[]): Uint32Array {
  let n = 0;
  for (const i of instrs) n += LAYOUTS[i.op]?.words ?? 1;
  const out = new Uint32Array(n);
  let at = 0;
  instrs.forEach((ins, pc) => {
    at += encodeInto(ins, pc, out, at);
  });
  return out;
}

/** Decodes a whole program from words. */
export function decodeProgram(words: Uint32Array): Instr[] {
  const out: Instr[] = [];
  for (let at = 0; at < words.length; ) {
    const { ins, words: n } = decodeAt(words, at, out.length);
    out.push(ins);
    at += n;
  }
  return out;
}
