/**
 * The decoded form of an instruction and the types of the instruction table's rows. An {@link Instr} is a
 * flat record of small integers (opcode id, register numbers, element type, pattern register, immediates);
 * what each field means for a given opcode is said by that opcode's {@link OperandSpec}s.
 *
 * @module
 */
import type { InstrClassName } from './classes.js';
import type { EtypeName } from './etypes.js';
import type { MachineState } from './state.js';

/** A decoded instruction. Unused fields are 0, except `et` and `pp`, which are -1 when absent. */
export interface Instr {
  /** Opcode id: index of the row in the instruction table. */
  op: number;
  d: number;
  s1: number;
  s2: number;
  /** Element type code (see `ETYPES`) or -1. */
  et: number;
  /** Pattern register index or -1. */
  pp: number;
  imm: number;
  imm2: number;
}

/** What an executed instruction did beyond registers: memory touched and branch outcome. */
export class Effects {
  addr = 0;
  /** Bytes per piece; 0 when the instruction touched no memory. */
  size = 0;
  stride = 0;
  pieces = 0;
  taken = 0;
  clear(): void {
    this.size = 0;
    this.taken = 0;
  }
}

/** An architectural fault raised by an instruction's semantics; the executor adds the PC and the text. */
export class ExecFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExecFault';
  }
}

/** Semantics of one opcode: reads and writes `st`, reports memory and branch effects in `fx`. */
export type ExecFn = (st: MachineState, ins: Instr, fx: Effects) => void;

/** Instruction fields an operand can live in. */
export type Field = 'd' | 's1' | 's2' | 'imm' | 'imm2';

/**
 * One operand in assembly order.
 * - `vreg`/`xreg`: a register in `field`, read, written or both (`access`).
 * - `ppreg`: a pattern register written by `setpp`.
 * - `simm`/`uimm`: a signed/unsigned immediate of `bits` bits.
 * - `mem`: `imm(xs)`: a 12-bit signed offset in `imm` and a scalar base register in `s1`.
 * - `target`: a branch target (label or absolute instruction index) in `imm`, encoded as a 15-bit signed
 *   offset from the branch.
 */
export type OperandSpec =
  | {
      readonly kind: 'vreg' | 'xreg';
      readonly name: string;
      readonly field: 'd' | 's1' | 's2';
      readonly access: 'r' | 'w' | 'rw';
      /** A read-write operand that accumulates (vd += ...): its read has the timing role `accumulator` (see OPERAND_ROLES). */
      readonly accumulator?: true;
    }
  | { readonly kind: 'ppreg'; readonly name: string; readonly field: 'd' }
  | {
      readonly kind: 'simm' | 'uimm';
      readonly name: string;
      readonly field: 'imm' | 'imm2';
      readonly bits: number;
      /** The immediate names the one int32 lane of vd the instruction writes (StaticInfo.writeLane). */
      readonly writesLane?: true;
    }
  | { readonly kind: 'mem'; readonly name: string }
  | { readonly kind: 'target'; readonly name: string };

/** A row of the instruction table: everything about one opcode. */
export interface OpDef {
  readonly mnemonic: string;
  readonly operands: readonly OperandSpec[];
  /** Element types the opcode accepts as a suffix (`vadd.s4`); empty when it takes none. */
  readonly etypes: readonly EtypeName[];
  /** True when the opcode always names a pattern register (`vmdot.pp2`). */
  readonly needsPattern: boolean;
  readonly cls: InstrClassName;
  readonly mem: 'none' | 'load' | 'store';
  /** One line: what it does. */
  readonly summary: string;
  /** Semantics in words, as they appear in docs/isa.md. */
  readonly semantics: string;
  /** Fast semantics. */
  readonly exec: ExecFn;
}
