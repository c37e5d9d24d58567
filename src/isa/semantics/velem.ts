/**
 * Fast semantics of the element-wise vector instructions: bitwise logic on whole words, and per-element
 * arithmetic driven by precomputed element tables (word, shift, width of each element) so that uniform
 * widths and precision patterns share one loop. Every function here has a bit-level twin in
 * `reference.ts`; property tests hold them equal.
 *
 * @module
 */
import { ETYPE_SIGNED, ETYPE_WIDTH, ET_F32 } from '../etypes.js';
import { ExecFault, type ExecFn, type Instr } from '../instr.js';
import type { CompiledPattern } from '../pattern.js';
import type { MachineState } from '../state.js';

const LOG2: Readonly<Record<number, number>> = { 1: 0, 2: 1, 4: 2, 8: 3, 16: 4, 32: 5 };

/** The element table an instruction works on: its pattern register's (when it names one), or its uniform width's. */
export function layoutOf(st: MachineState, ins: Instr): CompiledPattern {
  if (ins.pp >= 0) {
    const p = st.pp[ins.pp];
    if (p === undefined) throw new ExecFault(`pp${ins.pp} does not exist: the core has ${st.pp.length} pattern registers`);
    if (p === null) throw new ExecFault(`pattern register pp${ins.pp} is used before it was written (setpp)`);
    return p;
  }
  return st.uniform[LOG2[ETYPE_WIDTH[ins.et]!]!]!;
}

/** Whether the instruction's elements read as signed. */
export function signedOf(ins: Instr): boolean {
  return ETYPE_SIGNED[ins.et]!;
}

/** Mask of the low w bits as an int32 (w = 32 gives -1). */
export function maskOf(w: number): number {
  return w === 32 ? -1 : (1 << w) - 1;
}

/** The value of raw field bits: zero- or sign-extended; a signed 1-bit field is -1/+1. */
export function decodeRaw(raw: number, w: number, signed: boolean): number {
  if (!signed) return w === 32 ? raw >>> 0 : raw;
  if (w === 1) return raw === 0 ? -1 : 1;
  const s = 32 - w;
  return (raw << s) >> s;
}

/** Reads element e of register `reg` under layout `L`. */
export function getElem(st: MachineState, reg: number, L: CompiledPattern, e: number, signed: boolean): number {
  const w = L.elemWidth[e]!;
  const raw = (st.v[reg * st.vwords + L.elemWord[e]!]! >>> L.elemShift[e]!) & maskOf(w);
  return decodeRaw(raw, w, signed);
}

/** Writes the low bits of `val` into element e of register `reg` under layout `L`. */
export function setElem(st: MachineState, reg: number, L: CompiledPattern, e: number, val: number): void {
  const w = L.elemWidth[e]!;
  const idx = reg * st.vwords + L.elemWord[e]!;
  if (w === 32) {
    st.v[idx] = val;
    return;
  }
  const sh = L.elemShift[e]!;
  const m = (1 << w) - 1;
  st.v[idx] = (st.v[idx]! & ~(m << sh)) | ((val & m) << sh);
}

/** Clamps to the range of a w-bit field of that signedness (signed 1-bit fields hold -1/+1). */
export function clampTo(v: number, w: number, signed: boolean): number {
  const lo = signed ? (w === 1 ? -1 : -(2 ** (w - 1))) : 0;
  const hi = signed ? (w === 1 ? 1 : 2 ** (w - 1) - 1) : 2 ** w - 1;
  return v < lo ? lo : v > hi ? hi : v;
}

/** Raw bits of v in a w-bit field (signed 1-bit: +1 -> 1, otherwise 0). */
function toRaw(v: number, w: number, signed: boolean): number {
  if (signed && w === 1) return v > 0 ? 1 : 0;
  return v;
}

// ---- bitwise: whole words -------------------------------------------------------------------------------

const wordwise =
  (f: (a: number, b: number) => number): ExecFn =>
  (st, i) => {
    const n = st.vwords;
    const d = i.d * n;
    const a = i.s1 * n;
    const b = i.s2 * n;
    const v = st.v;
    for (let k = 0; k < n; k++) v[d + k] = f(v[a + k]!, v[b + k]!);
  };

export const vand = wordwise((a, b) => a & b);
export const vor = wordwise((a, b) => a | b);
export const vxor = wordwise((a, b) => a ^ b);
export const vxnor = wordwise((a, b) => ~(a ^ b));
export const vandn = wordwise((a, b) => a & ~b);
export const vnot = wordwise((a) => ~a);

// ---- per-element arithmetic -----------------------------------------------------------------------------

/** The bits of the NaN every f32 instruction produces. */
export const CANONICAL_NAN = 0x7fc00000;

/** How an element-wise result is brought back into its field. */
const enum Fit {
  Wrap,
  Saturate,
}

function elementwise(op: (a: number, b: number, w: number, signed: boolean) => number, fit: Fit, fop?: (a: number, b: number) => number): ExecFn {
  return (st, i) => {
    if (i.et === ET_F32) {
      if (fop === undefined) throw new ExecFault('f32 elements are not allowed here');
      const n = st.vwords;
      const vf = st.vf;
      for (let k = 0; k < n; k++) {
        const r = fop(vf[i.s1 * n + k]!, vf[i.s2 * n + k]!);
        // One NaN for every NaN result, so results never depend on the host's NaN payload rules.
        if (r !== r) st.v[i.d * n + k] = CANONICAL_NAN;
        else vf[i.d * n + k] = r;
      }
      return;
    }
    const L = layoutOf(st, i);
    const signed = signedOf(i);
    const v = st.v;
    const nw = st.vwords;
    const da = i.d * nw;
    const aa = i.s1 * nw;
    const ba = i.s2 * nw;
    const { elemWord, elemShift, elemWidth, count } = L;
    for (let e = 0; e < count; e++) {
      const w = elemWidth[e]!;
      const sh = elemShift[e]!;
      const wd = elemWord[e]!;
      const m = maskOf(w);
      const a = decodeRaw((v[aa + wd]! >>> sh) & m, w, signed);
      const b = decodeRaw((v[ba + wd]! >>> sh) & m, w, signed);
      let r = op(a, b, w, signed);
      if (fit === Fit.Saturate) r = clampTo(r, w, signed);
      r = toRaw(r, w, signed);
      if (w === 32) v[da + wd] = r;
      else v[da + wd] = (v[da + wd]! & ~(m << sh)) | ((r & m) << sh);
    }
  };
}

/** Exact product for saturation decisions; wrapped low bits for wrapping multiplies. */
const mulWrap = (a: number, b: number, w: number): number => (w >= 16 ? Math.imul(a, b) : a * b);
const fmin = (a: number, b: number): number => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b));
const fmax = (a: number, b: number): number => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b));

export const vadd = elementwise((a, b) => a + b, Fit.Wrap, (a, b) => a + b);
export const vsub = elementwise((a, b) => a - b, Fit.Wrap, (a, b) => a - b);
export const vadds = elementwise((a, b) => a + b, Fit.Saturate);
export const vsubs = elementwise((a, b) => a - b, Fit.Saturate);
export const vmul = elementwise(mulWrap, Fit.Wrap, (a, b) => a * b);
export const vmuls = elementwise((a, b) => a * b, Fit.Saturate);
export const vmin = elementwise((a, b) => (a < b ? a : b), Fit.Wrap, fmin);
export const vmax = elementwise((a, b) => (a > b ? a : b), Fit.Wrap, fmax);

// ---- shifts, popcount, broadcast ------------------------------------------------------------------------

function unary(op: (a: number, w: number, imm: number) => number, signedIn: (i: Instr) => boolean): ExecFn {
  return (st, i) => {
    const L = layoutOf(st, i);
    const signed = signedIn(i);
    for (let e = 0; e < L.count; e++) {
      const w = L.elemWidth[e]!;
      setElem(st, i.d, L, e, op(getElem(st, i.s1, L, e, signed), w, i.imm));
    }
  };
}

/** Bits of an element as an unsigned number, whatever its type. */
const raw = (): boolean => false;

export const vsll = unary((a, w, s) => (s >= w ? 0 : a << s), raw);
export const vsrl = unary((a, w, s) => (s >= w ? 0 : a >>> s), raw);
// Arithmetic shift reads the field as two's complement whatever the suffix says (a 1-bit field is its own sign).
export const vsra = unary((a, w, s) => {
  if (w === 1) return a;
  const sx = a >= 2 ** (w - 1) ? a - 2 ** w : a;
  return Math.floor(sx / 2 ** Math.min(s, w));
}, raw);

export const vpopc = unary((a) => popcount32(a), raw);

/** Number of set bits of a 32-bit value. */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export const vbcast: ExecFn = (st, i) => {
  const L = layoutOf(st, i);
  const x = st.x[i.s1]!;
  for (let e = 0; e < L.count; e++) setElem(st, i.d, L, e, x);
};

// ---- element moves ---------------------------------------------------------------------------------------

function checkIndex(L: CompiledPattern, idx: number, what: string): void {
  if (idx >= L.count) throw new ExecFault(`${what}: element index ${idx} is outside 0..${L.count - 1}`);
}

export const vext: ExecFn = (st, i) => {
  const L = layoutOf(st, i);
  checkIndex(L, i.imm, 'vext');
  st.x[i.d] = getElem(st, i.s1, L, i.imm, signedOf(i));
};

export const vins: ExecFn = (st, i) => {
  const L = layoutOf(st, i);
  checkIndex(L, i.imm, 'vins');
  setElem(st, i.d, L, i.imm, st.x[i.s1]!);
};

/** Widens elements of half the register (`part` 0 = low half) to twice their width. */
export const vwiden: ExecFn = (st, i) => {
  const w = ETYPE_WIDTH[i.et]!;
  const signed = signedOf(i);
  const src = layoutOf(st, i);
  const dst = st.uniform[LOG2[2 * w]!]!;
  const n = dst.count;
  if (i.imm > 1) throw new ExecFault(`vwiden: part ${i.imm} must be 0 (low half) or 1 (high half)`);
  const tmp = st.scratch;
  for (let j = 0; j < n; j++) tmp[j] = getElem(st, i.s1, src, i.imm * n + j, signed);
  for (let j = 0; j < n; j++) setElem(st, i.d, dst, j, tmp[j]!);
};

/** Narrows every element of `vs` (twice the type's width) with saturation into half `part` of `vd`. */
export const vnarrow: ExecFn = (st, i) => {
  const w = ETYPE_WIDTH[i.et]!;
  const signed = signedOf(i);
  const dst = layoutOf(st, i);
  const src = st.uniform[LOG2[2 * w]!]!;
  const n = src.count;
  if (i.imm > 1) throw new ExecFault(`vnarrow: part ${i.imm} must be 0 (low half) or 1 (high half)`);
  const tmp = st.scratch;
  for (let j = 0; j < n; j++) tmp[j] = getElem(st, i.s1, src, j, signed);
  for (let j = 0; j < n; j++) setElem(st, i.d, dst, i.imm * n + j, toRaw(clampTo(tmp[j]!, w, signed), w, signed));
};

// ---- reductions ------------------------------------------------------------------------------------------

function reduce(init: (first: number) => number, step: (acc: number, x: number) => number): ExecFn {
  return (st, i) => {
    const L = layoutOf(st, i);
    const signed = signedOf(i);
    let acc = init(getElem(st, i.s1, L, 0, signed));
    for (let e = 1; e < L.count; e++) acc = step(acc, getElem(st, i.s1, L, e, signed));
    st.x[i.d] = acc;
  };
}

export const vredsum = reduce(
  (x) => x | 0,
  (acc, x) => (acc + x) | 0,
);
export const vredmax = reduce(
  (x) => x,
  (acc, x) => (x > acc ? x : acc),
);
export const vredmin = reduce(
  (x) => x,
  (acc, x) => (x < acc ? x : acc),
);

// ---- requantisation -------------------------------------------------------------------------------------

function requantLanes(st: MachineState, i: Instr, shiftOf: (lane: number) => number, part: number): void {
  const L = layoutOf(st, i);
  const signed = signedOf(i);
  const lanes = st.vwords;
  if (part * lanes >= L.count) throw new ExecFault(`vrequant: part ${part} starts at element ${part * lanes}, past the ${L.count} elements`);
  const src = i.s1 * lanes;
  const out = st.scratch;
  for (let k = 0; k < lanes; k++) {
    const s = shiftOf(k);
    const x = st.vi[src + k]!;
    // Round half up: add 2^(s-1) before the arithmetic shift; exact in float64.
    const y = Math.floor((x + (s > 0 ? 2 ** (s - 1) : 0)) / 2 ** s);
    out[k] = y;
  }
  for (let k = 0; k < lanes && part * lanes + k < L.count; k++) {
    const e = part * lanes + k;
    const w = L.elemWidth[e]!;
    setElem(st, i.d, L, e, toRaw(clampTo(out[k]!, w, signed), w, signed));
  }
}

export const vrequant: ExecFn = (st, i) => requantLanes(st, i, () => i.imm, i.imm2);

export const vrequantv: ExecFn = (st, i) => {
  const base = i.s2 * st.vwords;
  requantLanes(
    st,
    i,
    (k) => {
      const s = st.vi[base + k]!;
      if (s < 0 || s > 31) throw new ExecFault(`vrequantv: shift amount ${s} in lane ${k} of v${i.s2} is outside 0..31`);
      return s;
    },
    i.imm,
  );
};
