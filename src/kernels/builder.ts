/**
 * A small code builder for generated kernels: emits decoded instructions ({@link Instr}) by mnemonic, counted
 * loops with backward branches, and *pointers* that turn byte offsets into the 12-bit memory offsets of the
 * ISA, moving their base register only when an offset does not fit.
 *
 * @module
 */
import type { Instr } from '../isa/instr.js';
import { etypeCode } from '../isa/etypes.js';
import { opcodeOf } from '../isa/table.js';

/** Largest backward branch distance the 15-bit signed branch offset allows. */
export const MAX_BRANCH_DISTANCE = 2 ** 14;

const IMM12_MIN = -2048;
const IMM12_MAX = 2047;

/** Whether `v` fits a 12-bit signed immediate. */
export function fitsImm12(v: number): boolean {
  return v >= IMM12_MIN && v <= IMM12_MAX;
}

/** Fields of an instruction, by name; unspecified fields default as in {@link Instr}. */
export interface InstrFields {
  d?: number;
  s1?: number;
  s2?: number;
  et?: string;
  pp?: number;
  imm?: number;
  imm2?: number;
}

/** Emits instructions into a list. The scalar register `tmp` is reserved for large constants. */
export class CodeBuilder {
  readonly instrs: Instr[] = [];
  /** Every counted loop emitted: body from `top` to the branch at `branch` (inclusive), run `count` times. */
  readonly loops: { top: number; branch: number; count: number }[] = [];

  constructor(
    /** Scalar register the builder may clobber to materialise large constants. */
    readonly tmp = 31,
  ) {}

  /** Appends one instruction; returns its index. */
  emit(mnemonic: string, f: InstrFields = {}): number {
    const et = f.et === undefined ? -1 : etypeCode(f.et);
    if (f.et !== undefined && et < 0) throw new Error(`unknown element type ${f.et}`);
    this.instrs.push({ op: opcodeOf(mnemonic), d: f.d ?? 0, s1: f.s1 ?? 0, s2: f.s2 ?? 0, et, pp: f.pp ?? -1, imm: f.imm ?? 0, imm2: f.imm2 ?? 0 });
    return this.instrs.length - 1;
  }

  /** Index of the next instruction. */
  get here(): number {
    return this.instrs.length;
  }

  /** xd = value (one `addi` when it fits 12 bits, else `li`). */
  setConst(xd: number, value: number): void {
    const v = value | 0;
    if (fitsImm12(v)) this.emit('addi', { d: xd, s1: 0, imm: v });
    else this.emit('li', { d: xd, imm: v });
  }

  /** xd += value (nothing for 0; `addi` when it fits, else `li tmp` + `add`). */
  addConst(xd: number, value: number): void {
    const v = value | 0;
    if (v === 0) return;
    if (fitsImm12(v)) this.emit('addi', { d: xd, s1: xd, imm: v });
    else {
      this.emit('li', { d: this.tmp, imm: v });
      this.emit('add', { d: xd, s1: xd, s2: this.tmp });
    }
  }

  /**
   * A counted loop: `body` runs `count` times (not at all for 0; without a branch for 1). `counter` is a
   * scalar register the body must not write. Throws when the body is too long for the branch offset.
   */
  loop(counter: number, count: number, body: () => void): void {
    if (count <= 0) return;
    if (count === 1) {
      body();
      return;
    }
    this.setConst(counter, count);
    const top = this.here;
    body();
    this.emit('addi', { d: counter, s1: counter, imm: -1 });
    const br = this.here;
    if (br - top >= MAX_BRANCH_DISTANCE) {
      throw new Error(`a loop body of ${br - top} instructions is longer than the ${MAX_BRANCH_DISTANCE} a branch can reach; use smaller tiles or another loop order`);
    }
    this.loops.push({ top, branch: this.emit('bne', { s1: counter, s2: 0, imm: top }), count });
  }
}

/**
 * A base register plus a logical origin: `at(off)` returns the immediate to address `origin + off`, moving
 * the register first when the difference does not fit 12 bits. `shift(delta)` moves the origin by `delta`
 * and puts the register exactly on it, which is what a loop iteration must do at its end so that every
 * iteration starts in the same state.
 */
export class Ptr {
  /** Register value minus the origin. */
  private cur = 0;

  constructor(
    private readonly b: CodeBuilder,
    /** The scalar base register. */
    readonly reg: number,
  ) {}

  /** Immediate for byte offset `off` from the origin. */
  at(off: number): number {
    const d = off - this.cur;
    if (fitsImm12(d)) return d;
    this.b.addConst(this.reg, d);
    this.cur = off;
    return 0;
  }

  /** Moves the origin by `delta` bytes and the register onto it. */
  shift(delta: number): void {
    this.b.addConst(this.reg, delta - this.cur);
    this.cur = 0;
  }

  /** Moves the origin by `delta` without emitting code (the register stays where it is). */
  reorigin(delta: number): void {
    this.cur -= delta;
  }

  /**
   * Records that a loop whose body ended with `shift(step)` ran `count` times: the register is `count * step`
   * past the origin the code before the loop used.
   */
  afterLoop(count: number, step: number): void {
    if (count > 0) this.cur = count * step;
  }

  /** Points the register at the absolute address `addr` and makes it the origin. */
  set(addr: number): void {
    this.b.setConst(this.reg, addr);
    this.cur = 0;
  }
}

/**
 * How many times each instruction of a straight-line-plus-counted-loops program runs, from its loop nest
 * alone (no execution): the product of the trip counts of the loops around it. Generated kernels have no
 * other control flow, so this equals the executed count exactly (tests check it against full runs).
 */
export function executionCounts(length: number, loops: readonly { top: number; branch: number; count: number }[]): Float64Array {
  const n = new Float64Array(length).fill(1);
  for (const l of loops) for (let i = l.top; i <= l.branch; i++) n[i]! *= l.count;
  // The loop-counter set-up before each loop runs as often as the code around the loop (already counted).
  return n;
}
