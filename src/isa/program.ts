/**
 * A program: decoded instructions, the data blocks to place in memory before it runs, its labels, and the
 * per-instruction static facts the timing model reads ({@link StaticInfo}), derived once from the
 * instruction table.
 *
 * @module
 */
import { CLASS_ID } from './classes.js';
import { ETYPE_WIDTH, isPatternType } from './etypes.js';
import { LAYOUTS, usesPattern } from './encoding.js';
import type { Instr } from './instr.js';
import { OPS } from './table.js';
import { MAX_READS, MEM_LOAD, MEM_NONE, MEM_STORE, OPERAND_ROLES, type OperandRole, REG_PP, REG_V, REG_X, type StaticInfo } from './trace.js';

/** Bytes to place at a data address before the program runs. */
export interface DataBlock {
  readonly addr: number;
  readonly bytes: Uint8Array;
}

/** An assembled (or generated) program. */
export interface Program {
  readonly instrs: readonly Instr[];
  readonly data: readonly DataBlock[];
  /** Code labels: name -> instruction index. */
  readonly labels: ReadonlyMap<string, number>;
  /** Data labels: name -> byte address. */
  readonly dataLabels: ReadonlyMap<string, number>;
  /** Source line (1-based) of each instruction, when assembled from text. */
  readonly lines?: readonly number[];
  /** Static facts per instruction, for the timing model. */
  readonly static: StaticInfo;
}

/** Builds a Program from instructions (validating nothing beyond the table; the assembler validates text). */
export function makeProgram(
  instrs: readonly Instr[],
  data: readonly DataBlock[] = [],
  labels: ReadonlyMap<string, number> = new Map(),
  dataLabels: ReadonlyMap<string, number> = new Map(),
  lines?: readonly number[],
): Program {
  const base = { instrs, data, labels, dataLabels, static: buildStaticInfo(instrs) };
  return lines === undefined ? base : { ...base, lines };
}

/** Derives the static per-instruction arrays from the instruction table. */
export function buildStaticInfo(instrs: readonly Instr[]): StaticInfo {
  const n = instrs.length;
  const info = {
    length: n,
    op: new Uint8Array(n),
    cls: new Uint8Array(n),
    reads: new Int8Array(n * MAX_READS).fill(-1),
    readRoles: new Uint8Array(n * MAX_READS),
    writeLane: new Int8Array(n).fill(-1),
    writes: new Int8Array(n).fill(-1),
    etype: new Int8Array(n).fill(-1),
    pattern: new Int8Array(n).fill(-1),
    widthBits: new Uint8Array(n),
    mem: new Uint8Array(n),
    words: new Uint8Array(n),
  };
  instrs.forEach((ins, pc) => {
    const row = OPS[ins.op]!;
    info.op[pc] = ins.op;
    info.cls[pc] = CLASS_ID[row.cls];
    info.etype[pc] = ins.et;
    info.widthBits[pc] = ins.et >= 0 && !isPatternType(ins.et) ? ETYPE_WIDTH[ins.et]! : 0;
    info.mem[pc] = row.mem === 'load' ? MEM_LOAD : row.mem === 'store' ? MEM_STORE : MEM_NONE;
    info.words[pc] = LAYOUTS[ins.op]!.words;
    const reads: number[] = [];
    const roles: OperandRole[] = [];
    for (const o of row.operands) {
      if (o.kind === 'vreg' || o.kind === 'xreg') {
        const r = ins[o.field];
        // x0 is constant: reading it waits for nothing, writing it changes nothing.
        const id = o.kind === 'vreg' ? REG_V + r : r === 0 ? -1 : REG_X + r;
        if (id < 0) continue;
        if (o.access !== 'w') {
          reads.push(id);
          roles.push(o.access === 'rw' ? (o.accumulator ? 'accumulator' : 'merge') : roleOf(o.name, row.mnemonic));
        }
        if (o.access !== 'r') info.writes[pc] = id;
      } else if (o.kind === 'mem') {
        if (ins.s1 !== 0) {
          reads.push(REG_X + ins.s1);
          roles.push('base');
        }
      } else if (o.kind === 'ppreg') {
        info.writes[pc] = REG_PP + ins.d;
      } else if ((o.kind === 'uimm' || o.kind === 'simm') && o.writesLane) {
        info.writeLane[pc] = ins[o.field];
      }
    }
    if (usesPattern(ins)) {
      info.pattern[pc] = ins.pp;
      reads.push(REG_PP + ins.pp);
      roles.push('pattern');
    }
    if (reads.length > MAX_READS) throw new Error(`${row.mnemonic} reads ${reads.length} registers, more than MAX_READS`);
    reads.forEach((r, k) => (info.reads[pc * MAX_READS + k] = r));
    roles.forEach((r, k) => (info.readRoles[pc * MAX_READS + k] = OPERAND_ROLES.indexOf(r)));
  });
  return info;
}

/** The timing role of a source operand named `name` in the instruction table (see OPERAND_ROLES). */
function roleOf(name: string, mnemonic: string): OperandRole {
  const role = OPERAND_ROLES.find((r) => r === name);
  if (role === undefined) throw new Error(`${mnemonic}: source operand '${name}' has no timing role (OPERAND_ROLES in src/isa/trace.ts)`);
  return role;
}
