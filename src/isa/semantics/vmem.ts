/**
 * Semantics of the vector loads and stores. Memory is little-endian and byte-addressed: byte k of a
 * unit-stride access is bits 8k..8k+7 of the register. Unit-stride and tail accesses need no alignment (the
 * element container is a byte); strided accesses move 8/16/32-bit elements and must be aligned to their size.
 *
 * @module
 */
import { ETYPE_WIDTH } from '../etypes.js';
import { ExecFault, type ExecFn } from '../instr.js';
import type { MachineState } from '../state.js';
import { checkAccess, memFx } from './scalar.js';

function loadBytes(st: MachineState, reg: number, addr: number, n: number): void {
  const base = reg * st.vwords;
  const m = st.mem;
  if ((addr & 3) === 0 && (n & 3) === 0) {
    const m32 = st.mem32;
    const w = addr >> 2;
    for (let k = 0; k < n >> 2; k++) st.v[base + k] = m32[w + k]!;
  } else {
    for (let k = 0; k < n >> 2; k++) {
      const a = addr + 4 * k;
      st.v[base + k] = (m[a]! | (m[a + 1]! << 8) | (m[a + 2]! << 16) | (m[a + 3]! << 24)) >>> 0;
    }
    for (let k = n & ~3; k < n; k++) {
      const w = base + (k >> 2);
      const sh = (k & 3) * 8;
      st.v[w] = (st.v[w]! & ~(0xff << sh)) | (m[addr + k]! << sh);
    }
  }
}

function storeBytes(st: MachineState, reg: number, addr: number, n: number): void {
  const base = reg * st.vwords;
  if ((addr & 3) === 0 && (n & 3) === 0) {
    const m32 = st.mem32;
    const w = addr >> 2;
    for (let k = 0; k < n >> 2; k++) m32[w + k] = st.v[base + k]!;
    return;
  }
  const m = st.mem;
  for (let k = 0; k < n; k++) m[addr + k] = (st.v[base + (k >> 2)]! >>> ((k & 3) * 8)) & 0xff;
}

export const vld: ExecFn = (st, i, fx) => {
  const addr = st.x[i.s1]! + i.imm;
  const n = st.vlenBits >> 3;
  checkAccess(st, addr, n, 1, 'vld');
  loadBytes(st, i.d, addr, n);
  memFx(fx, addr, n);
};

export const vst: ExecFn = (st, i, fx) => {
  const addr = st.x[i.s1]! + i.imm;
  const n = st.vlenBits >> 3;
  checkAccess(st, addr, n, 1, 'vst');
  storeBytes(st, i.d, addr, n);
  memFx(fx, addr, n);
};

function tailLength(st: MachineState, r: number, what: string): number {
  const n = st.x[r]!;
  const max = st.vlenBits >> 3;
  if (n < 0 || n > max) throw new ExecFault(`${what}: length x${r} = ${n} bytes is outside 0..${max}`);
  return n;
}

export const vldt: ExecFn = (st, i, fx) => {
  const addr = st.x[i.s1]! + i.imm;
  const n = tailLength(st, i.s2, 'vldt');
  checkAccess(st, addr, n, 1, 'vldt');
  st.v.fill(0, i.d * st.vwords, (i.d + 1) * st.vwords);
  loadBytes(st, i.d, addr, n);
  memFx(fx, addr, n);
};

export const vstt: ExecFn = (st, i, fx) => {
  const addr = st.x[i.s1]! + i.imm;
  const n = tailLength(st, i.s2, 'vstt');
  checkAccess(st, addr, n, 1, 'vstt');
  storeBytes(st, i.d, addr, n);
  memFx(fx, addr, n);
};

function strided(st: MachineState, et: number, what: string, base: number, stride: number): [number, number] {
  const bytes = ETYPE_WIDTH[et]! >> 3;
  const count = st.vlenBits / (bytes * 8);
  for (let k = 0; k < count; k++) checkAccess(st, base + k * stride, bytes, bytes, `${what} element ${k}`);
  return [bytes, count];
}

export const vlds: ExecFn = (st, i, fx) => {
  const addr = st.x[i.s1]! + i.imm;
  const stride = st.x[i.s2]!;
  const [bytes, count] = strided(st, i.et, 'vlds', addr, stride);
  const dv = st.memView;
  const base = i.d * st.vwords;
  for (let k = 0; k < count; k++) {
    const a = addr + k * stride;
    if (bytes === 4) st.v[base + k] = dv.getUint32(a, true);
    else {
      const bit = k * bytes * 8;
      const w = base + (bit >> 5);
      const sh = bit & 31;
      const mask = bytes === 1 ? 0xff : 0xffff;
      const val = bytes === 1 ? dv.getUint8(a) : dv.getUint16(a, true);
      st.v[w] = (st.v[w]! & ~(mask << sh)) | (val << sh);
    }
  }
  fx.addr = addr;
  fx.size = bytes;
  fx.stride = stride;
  fx.pieces = count;
};

export const vsts: ExecFn = (st, i, fx) => {
  const addr = st.x[i.s1]! + i.imm;
  const stride = st.x[i.s2]!;
  const [bytes, count] = strided(st, i.et, 'vsts', addr, stride);
  const dv = st.memView;
  const base = i.d * st.vwords;
  for (let k = 0; k < count; k++) {
    const a = addr + k * stride;
    const bit = k * bytes * 8;
    const word = st.v[base + (bit >> 5)]!;
    if (bytes === 4) dv.setUint32(a, word, true);
    else if (bytes === 2) dv.setUint16(a, (word >>> (bit & 31)) & 0xffff, true);
    else dv.setUint8(a, (word >>> (bit & 31)) & 0xff);
  }
  fx.addr = addr;
  fx.size = bytes;
  fx.stride = stride;
  fx.pieces = count;
};

/**
 * Broadcast load (`vbroadcastss`, `ld1r`): one element of memory, one access, written to every element of vd.
 * The record says so (one piece of the element's size), so the timing model makes one cache access.
 */
export const vldbc: ExecFn = (st, i, fx) => {
  const addr = st.x[i.s1]! + i.imm;
  const bytes = ETYPE_WIDTH[i.et]! >> 3;
  checkAccess(st, addr, bytes, bytes, 'vldbc');
  let word: number;
  if (bytes === 4) word = st.memView.getUint32(addr, true);
  else if (bytes === 2) word = st.memView.getUint16(addr, true) * 0x10001;
  else word = st.mem[addr]! * 0x1010101;
  st.v.fill(word, i.d * st.vwords, (i.d + 1) * st.vwords);
  memFx(fx, addr, bytes);
};
