/**
 * Fast semantics of the multiply-accumulate family: widening MAC, int8 dot products (Arm sdot/udot, x86
 * vpdpbusd), the binary XNOR-popcount dot product, the mixed-precision dot product under a precision pattern,
 * and fp32 fused multiply-add. The dot products work on whole 32-bit words: 1- and 2-bit elements by bit
 * planes and popcount, 4- and 8-bit elements by field extraction.
 *
 * @module
 */
import { ETYPE_SIGNED, ETYPE_WIDTH } from '../etypes.js';
import { ExecFault, type ExecFn, type Instr } from '../instr.js';
import type { MachineState } from '../state.js';
import { CANONICAL_NAN, decodeRaw, layoutOf, maskOf, popcount32 } from './velem.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function checkLane(st: MachineState, lane: number, what: string): void {
  if (lane >= st.vwords) throw new ExecFault(`${what}: lane ${lane} is outside the ${st.vwords} int32 lanes of a ${st.vlenBits}-bit register`);
}

function accumulate(st: MachineState, idx: number, sum: number, saturate: boolean): void {
  const r = st.vi[idx]! + sum;
  st.vi[idx] = saturate ? (r < INT32_MIN ? INT32_MIN : r > INT32_MAX ? INT32_MAX : r) : r | 0;
}

/**
 * Sum over all elements of (unsigned activation) x (weight) under the instruction's pattern, where a 1-bit
 * weight is -1/+1 and wider weights are two's complement.
 */
export function mixedDotSum(st: MachineState, ins: Instr, aReg: number, wReg: number): number {
  const P = layoutOf(st, ins);
  const v = st.v;
  const aa = aReg * st.vwords;
  const wa = wReg * st.vwords;
  const seg = P.segments;
  let sum = 0;
  for (let t = 0; t < seg.length; t += 4) {
    const first = seg[t]!;
    const end = first + seg[t + 1]!;
    const width = seg[t + 2]!;
    const m = seg[t + 3]!;
    switch (width) {
      case 1:
        // a * (2b - 1) summed = 2 popcount(a & b) - popcount(a)
        for (let wi = first; wi < end; wi++) {
          const a = v[aa + wi]! & m;
          sum += 2 * popcount32(a & v[wa + wi]!) - popcount32(a);
        }
        break;
      case 2:
        // (a0 + 2 a1)(w0 - 2 w1) with a0, a1, w0, w1 the bit planes of the elements
        for (let wi = first; wi < end; wi++) {
          const a = v[aa + wi]! & m;
          const b = v[wa + wi]!;
          const a0 = a & 0x55555555;
          const a1 = (a >>> 1) & 0x55555555;
          const w0 = b & 0x55555555;
          const w1 = (b >>> 1) & 0x55555555;
          sum += popcount32(a0 & w0) - 2 * popcount32(a0 & w1) + 2 * popcount32(a1 & w0) - 4 * popcount32(a1 & w1);
        }
        break;
      case 4:
        // Unrolled over the 8 nibbles: positions outside the segment have a = 0 (masked), adding nothing.
        for (let wi = first; wi < end; wi++) {
          const a = v[aa + wi]! & m;
          const b = v[wa + wi]!;
          sum +=
            (a & 15) * ((b << 28) >> 28) +
            ((a >>> 4) & 15) * ((b << 24) >> 28) +
            ((a >>> 8) & 15) * ((b << 20) >> 28) +
            ((a >>> 12) & 15) * ((b << 16) >> 28) +
            ((a >>> 16) & 15) * ((b << 12) >> 28) +
            ((a >>> 20) & 15) * ((b << 8) >> 28) +
            ((a >>> 24) & 15) * ((b << 4) >> 28) +
            (a >>> 28) * (b >> 28);
        }
        break;
      default:
        for (let wi = first; wi < end; wi++) {
          const a = v[aa + wi]! & m;
          const b = v[wa + wi]!;
          sum += (a & 255) * ((b << 24) >> 24) + ((a >>> 8) & 255) * ((b << 16) >> 24) + ((a >>> 16) & 255) * ((b << 8) >> 24) + (a >>> 24) * (b >> 24);
        }
    }
  }
  return sum;
}

function mdot(saturate: boolean): ExecFn {
  return (st, i) => {
    if (!st.config.mixedUnit) throw new ExecFault('vmdot needs the mixed-precision unit, which this core does not have (isa.mixedUnit = false)');
    checkLane(st, i.imm, 'vmdot');
    accumulate(st, i.d * st.vwords + i.imm, mixedDotSum(st, i, i.s1, i.s2), saturate);
  };
}

export const vmdot = mdot(false);
export const vmdots = mdot(true);

/** lane += sum over all bits of (a XNOR b ? +1 : -1) = 2 popcount(xnor) - VLEN. */
export const vxdot: ExecFn = (st, i) => {
  checkLane(st, i.imm, 'vxdot');
  const n = st.vwords;
  let pop = 0;
  for (let k = 0; k < n; k++) pop += popcount32(~(st.v[i.s1 * n + k]! ^ st.v[i.s2 * n + k]!));
  accumulate(st, i.d * n + i.imm, 2 * pop - st.vlenBits, false);
};

function dot8(aSigned: boolean, bSigned: boolean): ExecFn {
  return (st, i) => {
    const n = st.vwords;
    for (let k = 0; k < n; k++) {
      const a = st.v[i.s1 * n + k]!;
      const b = st.v[i.s2 * n + k]!;
      let s = 0;
      for (let sh = 0; sh < 32; sh += 8) {
        const x = aSigned ? ((a >>> sh) << 24) >> 24 : (a >>> sh) & 0xff;
        const y = bSigned ? ((b >>> sh) << 24) >> 24 : (b >>> sh) & 0xff;
        s += x * y;
      }
      accumulate(st, i.d * n + k, s, false);
    }
  };
}

/** vdot.s8 (sdot) or vdot.u8 (udot): signedness from the element type. */
export const vdot: ExecFn = (st, i, fx) => (ETYPE_SIGNED[i.et] ? vdotSS : vdotUU)(st, i, fx);
const vdotSS = dot8(true, true);
const vdotUU = dot8(false, false);
/** vdotus: unsigned bytes of va times signed bytes of vb (vpdpbusd). */
export const vdotus = dot8(false, true);

/** lane k += a[part*L + k] * b[part*L + k] for the L = VLEN/32 int32 lanes. */
export const vwmacc: ExecFn = (st, i) => {
  const L = layoutOf(st, i);
  const lanes = st.vwords;
  const w = ETYPE_WIDTH[i.et]!;
  const signed = ETYPE_SIGNED[i.et]!;
  if ((i.imm + 1) * lanes > L.count) throw new ExecFault(`vwmacc: part ${i.imm} is outside 0..${L.count / lanes - 1} for ${w}-bit elements`);
  const m = maskOf(w);
  // All products first: vd may alias vs1 or vs2, and a lane holds elements other lanes still need.
  const prod = st.scratch;
  for (let k = 0; k < lanes; k++) {
    const e = i.imm * lanes + k;
    const wd = L.elemWord[e]!;
    const sh = L.elemShift[e]!;
    const a = decodeRaw((st.v[i.s1 * lanes + wd]! >>> sh) & m, w, signed);
    const b = decodeRaw((st.v[i.s2 * lanes + wd]! >>> sh) & m, w, signed);
    prod[k] = a * b;
  }
  for (let k = 0; k < lanes; k++) accumulate(st, i.d * lanes + k, prod[k]!, false);
};

// Scratch for reading a double's bits; holds no state between calls.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/**
 * fma(a, b, c) rounded once to binary32. a*b of two binary32 values is exact in binary64; the sum is rounded
 * to binary64 with round-to-odd (TwoSum gives the exact error), which makes the final rounding to binary32
 * correct (Boldo and Melquiond, "Emulation of FMA and correctly rounded sums", IEEE TC 2008).
 */
export function fmaf32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  if (!Number.isFinite(s)) return Math.fround(s);
  const bv = s - p;
  const err = p - (s - bv) + (c - bv);
  if (err === 0) return Math.fround(s);
  f64[0] = s;
  if ((u32[0]! & 1) === 0) {
    // s is even: the exact value lies strictly between s and its neighbour toward err, which is odd.
    const away = s > 0 === err > 0;
    if (away) {
      u32[0] = (u32[0]! + 1) >>> 0;
      if (u32[0] === 0) u32[1] = (u32[1]! + 1) >>> 0;
    } else {
      if (u32[0] === 0) u32[1] = (u32[1]! - 1) >>> 0;
      u32[0] = (u32[0]! - 1) >>> 0;
    }
  }
  return Math.fround(f64[0]!);
}

/** vd = fma(va, vb, vd) per f32 lane. */
export const vfma: ExecFn = (st, i) => {
  const n = st.vwords;
  for (let k = 0; k < n; k++) {
    const d = i.d * n + k;
    const r = fmaf32(st.vf[i.s1 * n + k]!, st.vf[i.s2 * n + k]!, st.vf[d]!);
    if (r !== r) st.v[d] = CANONICAL_NAN;
    else st.vf[d] = r;
  }
};
