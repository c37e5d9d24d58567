/**
 * Semantics of the scalar instructions (integer ALU, loads/stores of 32-bit words, compare-and-branch), the
 * pattern-register writes, and halt. Scalar registers are 32-bit two's complement; arithmetic wraps.
 *
 * @module
 */
import { ExecFault, type Effects, type ExecFn, type Instr } from '../instr.js';
import type { MachineState } from '../state.js';

/** Bounds and alignment check shared by every memory access; `what` names the access in the fault. */
export function checkAccess(st: MachineState, addr: number, bytes: number, align: number, what: string): void {
  if (addr < 0 || addr + bytes > st.mem.length) {
    throw new ExecFault(`${what} of ${bytes} bytes at address ${addr} is outside memory [0, ${st.mem.length})`);
  }
  if (align > 1 && addr % align !== 0) throw new ExecFault(`${what} at address ${addr} is not ${align}-byte aligned`);
}

const rrr =
  (f: (a: number, b: number) => number): ExecFn =>
  (st, i) => {
    st.x[i.d] = f(st.x[i.s1]!, st.x[i.s2]!);
  };
const rri =
  (f: (a: number, b: number) => number): ExecFn =>
  (st, i) => {
    st.x[i.d] = f(st.x[i.s1]!, i.imm);
  };

export const add = rrr((a, b) => a + b);
export const sub = rrr((a, b) => a - b);
export const mul = rrr((a, b) => Math.imul(a, b));
export const and = rrr((a, b) => a & b);
export const or = rrr((a, b) => a | b);
export const xor = rrr((a, b) => a ^ b);
export const sll = rrr((a, b) => a << (b & 31));
export const srl = rrr((a, b) => a >>> (b & 31));
export const sra = rrr((a, b) => a >> (b & 31));
export const slt = rrr((a, b) => (a < b ? 1 : 0));
export const sltu = rrr((a, b) => (a >>> 0 < b >>> 0 ? 1 : 0));
export const addi = rri((a, b) => a + b);
export const andi = rri((a, b) => a & b);
export const ori = rri((a, b) => a | b);
export const xori = rri((a, b) => a ^ b);
export const slti = rri((a, b) => (a < b ? 1 : 0));
export const slli = rri((a, b) => a << b);
export const srli = rri((a, b) => a >>> b);
export const srai = rri((a, b) => a >> b);

export const li: ExecFn = (st, i) => {
  st.x[i.d] = i.imm;
};

export const lw: ExecFn = (st, i, fx) => {
  const addr = st.x[i.s1]! + i.imm;
  checkAccess(st, addr, 4, 4, 'lw');
  st.x[i.d] = st.memView.getInt32(addr, true);
  memFx(fx, addr, 4);
};

export const sw: ExecFn = (st, i, fx) => {
  const addr = st.x[i.s1]! + i.imm;
  checkAccess(st, addr, 4, 4, 'sw');
  st.memView.setInt32(addr, st.x[i.s2]!, true);
  memFx(fx, addr, 4);
};

/** Records a single contiguous access in the effects. */
export function memFx(fx: Effects, addr: number, size: number): void {
  fx.addr = addr;
  fx.size = size;
  fx.stride = 0;
  fx.pieces = 1;
}

const branch =
  (cond: (a: number, b: number) => boolean): ExecFn =>
  (st, i, fx) => {
    if (cond(st.x[i.s1]!, st.x[i.s2]!)) {
      st.pc = i.imm;
      fx.taken = 1;
    }
  };

export const beq = branch((a, b) => a === b);
export const bne = branch((a, b) => a !== b);
export const blt = branch((a, b) => a < b);
export const bge = branch((a, b) => a >= b);
export const bltu = branch((a, b) => a >>> 0 < b >>> 0);
export const bgeu = branch((a, b) => a >>> 0 >= b >>> 0);

export const nop: ExecFn = () => {};

export const halt: ExecFn = (st) => {
  st.halted = true;
};

/** setpp ppK, xA, xB */
export const setpp: ExecFn = (st, i) => {
  setPatternOrFault(st, i, st.x[i.s1]! >>> 0, st.x[i.s2]! >>> 0);
};

/** setppi ppK, w: a uniform pattern of w-bit elements. */
export const setppi: ExecFn = (st, i) => {
  const w = i.imm;
  const bytes = st.vlenBits / 8;
  // A uniform run may be longer than one 64-byte descriptor run (never at VLEN <= 512), so split it in two.
  const code = w === 1 ? 1 : w === 2 ? 2 : w === 4 ? 3 : w === 8 ? 4 : 0;
  if (code === 0) throw new ExecFault(`setppi width must be 1, 2, 4 or 8, got ${w}`);
  const lo = bytes <= 64 ? code | (bytes << 3) : (code | (64 << 3)) | ((code | ((bytes - 64) << 3)) << 10);
  setPatternOrFault(st, i, lo, 0);
};

function setPatternOrFault(st: MachineState, i: Instr, lo: number, hi: number): void {
  if (i.d >= st.pp.length) throw new ExecFault(`pp${i.d} does not exist: the core has ${st.pp.length} pattern registers`);
  const err = st.setPattern(i.d, lo, hi);
  if (err !== null) throw new ExecFault(`invalid pattern for pp${i.d}: ${err}`);
}
