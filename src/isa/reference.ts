/**
 * The slow reference semantics: every instruction again, element by element, on registers seen as arrays of
 * bits, with BigInt integer arithmetic and exact rational fp32 arithmetic. It shares nothing with the fast
 * path but the instruction table's operand meaning and the machine state's storage: pattern descriptors are
 * decoded here again, bit by bit, from docs/isa.md ({@link referenceDescriptor}), element positions are
 * recomputed from the runs, popcounts are bit sums, and fp32 results are rounded by hand. Property tests run
 * both and require identical state; hand-worked descriptor vectors (test/isa/descriptor.test.ts) check both
 * decoders.
 *
 * @module
 */
import { ETYPE_SIGNED, ETYPE_WIDTH, ET_F32, ETYPES } from './etypes.js';
import { usesPattern } from './encoding.js';
import { ExecFault, type Instr } from './instr.js';
import type { MachineState } from './state.js';
import { OPS } from './table.js';

/** Memory and branch effects as the reference sees them. */
export interface RefEffects {
  /** Each byte address touched, in order. */
  readonly touched: number[];
  taken: boolean;
}

interface Elem {
  readonly off: number;
  readonly w: number;
}

const B = BigInt;

function bitsOf(st: MachineState, reg: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < st.vlenBits; b++) out.push((st.v[reg * st.vwords + Math.floor(b / 32)]! >>> b % 32) & 1);
  return out;
}

function store(st: MachineState, reg: number, bits: readonly number[]): void {
  for (let k = 0; k < st.vwords; k++) {
    let w = 0;
    for (let j = 0; j < 32; j++) w += bits[32 * k + j]! * 2 ** j;
    st.v[reg * st.vwords + k] = w;
  }
}

function rawAt(bits: readonly number[], e: Elem): bigint {
  let v = 0n;
  for (let j = e.w - 1; j >= 0; j--) v = v * 2n + B(bits[e.off + j]!);
  return v;
}

function putRaw(bits: number[], e: Elem, raw: bigint): void {
  let r = ((raw % (1n << B(e.w))) + (1n << B(e.w))) % (1n << B(e.w));
  for (let j = 0; j < e.w; j++) {
    bits[e.off + j] = Number(r & 1n);
    r >>= 1n;
  }
}

function value(raw: bigint, w: number, signed: boolean): bigint {
  if (!signed) return raw;
  if (w === 1) return raw === 1n ? 1n : -1n;
  return raw >= 1n << B(w - 1) ? raw - (1n << B(w)) : raw;
}

function range(w: number, signed: boolean): [bigint, bigint] {
  if (!signed) return [0n, (1n << B(w)) - 1n];
  if (w === 1) return [-1n, 1n];
  return [-(1n << B(w - 1)), (1n << B(w - 1)) - 1n];
}

function clamp(v: bigint, w: number, signed: boolean): bigint {
  const [lo, hi] = range(w, signed);
  return v < lo ? lo : v > hi ? hi : v;
}

/** Raw bits for a value: wrapped modulo 2^w; a signed 1-bit field stores +1 as 1 and anything else as 0. */
function toRaw(v: bigint, w: number, signed: boolean): bigint {
  if (signed && w === 1) return v > 0n ? 1n : 0n;
  return ((v % (1n << B(w))) + (1n << B(w))) % (1n << B(w));
}

/** Bit `k` (0: least significant) of a 32-bit word. */
function bit(word: number, k: number): number {
  return Math.floor((word >>> 0) / 2 ** k) % 2;
}

/** The unsigned number in bits `lo .. lo + n - 1` of a word. */
function field(word: number, lo: number, n: number): number {
  let v = 0;
  for (let j = n - 1; j >= 0; j--) v = 2 * v + bit(word, lo + j);
  return v;
}

/** Element width of each descriptor width code (docs/isa.md: 0 = no run, 1 = 1-bit, 2 = 2-bit, 3 = 4-bit, 4 = 8-bit). */
const WIDTH_OF_CODE: readonly number[] = [0, 1, 2, 4, 8];

/**
 * The runs of a pattern descriptor (`setpp`'s two words), decoded from docs/isa.md alone: run i (0..5) is the
 * 10-bit field at bit 10 (i mod 3) of word i div 3, a 3-bit width code then a 7-bit length in bytes. Throws
 * ExecFault, as `setpp` faults, when bit 30 or 31 of a word is set, a width code is 5..7, a run has length 0,
 * an empty field (code 0) has a non-zero length or is followed by a run, there is no run, or the runs do not
 * fit the core: more than `maxRuns`, a width the mixed unit lacks, or not exactly VLEN bits.
 */
export function referenceDescriptor(lo: number, hi: number, core: { readonly vlenBits: number; readonly mixedWidths: readonly number[]; readonly maxRuns: number }): { widthBits: number; count: number }[] {
  const words = [lo, hi];
  for (const [i, w] of words.entries()) if (bit(w, 30) === 1 || bit(w, 31) === 1) throw new ExecFault(`descriptor word ${i}: bits 30-31 must be zero`);
  const runs: { widthBits: number; count: number }[] = [];
  let empty = false;
  for (let i = 0; i < 6; i++) {
    const w = words[Math.floor(i / 3)]!;
    const code = field(w, 10 * (i % 3), 3);
    const bytes = field(w, 10 * (i % 3) + 3, 7);
    if (code === 0) {
      if (bytes !== 0) throw new ExecFault(`descriptor run ${i}: no width but ${bytes} bytes`);
      empty = true;
    } else if (empty) throw new ExecFault(`descriptor run ${i} follows an empty one`);
    else if (code >= WIDTH_OF_CODE.length) throw new ExecFault(`descriptor run ${i}: width code ${code}`);
    else if (bytes === 0) throw new ExecFault(`descriptor run ${i}: 0 bytes`);
    else runs.push({ widthBits: WIDTH_OF_CODE[code]!, count: (8 * bytes) / WIDTH_OF_CODE[code]! });
  }
  if (runs.length === 0) throw new ExecFault('descriptor without runs');
  if (runs.length > core.maxRuns) throw new ExecFault(`${runs.length} runs, the core allows ${core.maxRuns}`);
  let total = 0;
  for (const r of runs) {
    if (!core.mixedWidths.includes(r.widthBits)) throw new ExecFault(`${r.widthBits}-bit elements`);
    total += r.widthBits * r.count;
  }
  if (total !== core.vlenBits) throw new ExecFault(`${total} bits, VLEN is ${core.vlenBits}`);
  return runs;
}

function elems(st: MachineState, ins: Instr): Elem[] {
  if (usesPattern(ins)) {
    if (ins.pp >= st.pp.length) throw new ExecFault(`pp${ins.pp} does not exist`);
    if (st.pp[ins.pp] === null) throw new ExecFault(`pp${ins.pp} unwritten`);
    const runs = referenceDescriptor(st.ppWords[2 * ins.pp]!, st.ppWords[2 * ins.pp + 1]!, st.config);
    const out: Elem[] = [];
    let off = 0;
    for (const r of runs) for (let k = 0; k < r.count; k++, off += r.widthBits) out.push({ off, w: r.widthBits });
    return out;
  }
  return uniformElems(st, ETYPE_WIDTH[ins.et]!);
}

function uniformElems(st: MachineState, w: number): Elem[] {
  return Array.from({ length: st.vlenBits / w }, (_, i) => ({ off: i * w, w }));
}

const int32 = (v: bigint): number => Number(BigInt.asIntN(32, v));

// ---- fp32 by exact arithmetic ------------------------------------------------------------------------

type F = { kind: 'nan' } | { kind: 'inf'; neg: boolean } | { kind: 'fin'; neg: boolean; mant: bigint; exp: number };

function fdecode(bits: number): F {
  const neg = bits >>> 31 === 1;
  const e = (bits >>> 23) & 0xff;
  const f = bits & 0x7fffff;
  if (e === 255) return f === 0 ? { kind: 'inf', neg } : { kind: 'nan' };
  if (e === 0) return { kind: 'fin', neg, mant: B(f), exp: -149 };
  return { kind: 'fin', neg, mant: B(f + 0x800000), exp: e - 150 };
}

/** Rounds sign * mant * 2^exp to binary32 bits, nearest even. */
function fround(neg: boolean, mant: bigint, exp: number): number {
  const sign = neg ? 0x80000000 : 0;
  if (mant === 0n) return sign >>> 0;
  const L = mant.toString(2).length;
  const E = L - 1 + exp;
  const Q = Math.max(E - 23, -149);
  let m: bigint;
  if (exp >= Q) m = mant << B(exp - Q);
  else {
    const sh = B(Q - exp);
    const q = mant >> sh;
    const rem = mant - (q << sh);
    const half = 1n << (sh - 1n);
    m = rem > half || (rem === half && (q & 1n) === 1n) ? q + 1n : q;
  }
  let q = Q;
  if (m === 1n << 24n) {
    m = 1n << 23n;
    q += 1;
  }
  if (m < 1n << 23n) return (sign + Number(m)) >>> 0;
  const field = q + 150;
  if (field >= 255) return (sign + 0x7f800000) >>> 0;
  return (sign + field * 2 ** 23 + Number(m - (1n << 23n))) >>> 0;
}

const NAN = 0x7fc00000;

function fadd(a: F, b: F, negZeroBoth: boolean): number {
  if (a.kind === 'nan' || b.kind === 'nan') return NAN;
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (a.kind === 'inf' && b.kind === 'inf' && a.neg !== b.neg) return NAN;
    const neg = a.kind === 'inf' ? a.neg : (b as { neg: boolean }).neg;
    return neg ? 0xff800000 : 0x7f800000;
  }
  const e = Math.min(a.exp, b.exp);
  const sa = (a.neg ? -1n : 1n) * (a.mant << B(a.exp - e));
  const sb = (b.neg ? -1n : 1n) * (b.mant << B(b.exp - e));
  const s = sa + sb;
  if (s === 0n) return negZeroBoth && a.neg && b.neg ? 0x80000000 : 0;
  return fround(s < 0n, s < 0n ? -s : s, e);
}

function fmul(a: F, b: F): F {
  if (a.kind === 'nan' || b.kind === 'nan') return { kind: 'nan' };
  const neg = a.neg !== b.neg;
  if (a.kind === 'inf' || b.kind === 'inf') {
    const other = a.kind === 'inf' ? b : a;
    if (other.kind === 'fin' && other.mant === 0n) return { kind: 'nan' };
    return { kind: 'inf', neg };
  }
  return { kind: 'fin', neg, mant: a.mant * b.mant, exp: a.exp + b.exp };
}

function fencodeExact(x: F): number {
  if (x.kind === 'nan') return NAN;
  if (x.kind === 'inf') return x.neg ? 0xff800000 : 0x7f800000;
  return fround(x.neg, x.mant, x.exp);
}

function fcompare(a: F & { kind: 'fin' | 'inf' }, b: F & { kind: 'fin' | 'inf' }): number {
  const val = (x: F & { kind: 'fin' | 'inf' }): [number, bigint, number] =>
    x.kind === 'inf' ? [x.neg ? -2 : 2, 0n, 0] : [x.mant === 0n ? 0 : x.neg ? -1 : 1, x.mant, x.exp];
  const [ca, ma, ea] = val(a);
  const [cb, mb, eb] = val(b);
  if (ca !== cb) return ca - cb;
  if (Math.abs(ca) !== 1) return 0;
  const e = Math.min(ea, eb);
  const d = (ma << B(ea - e)) - (mb << B(eb - e));
  return d === 0n ? 0 : (d > 0n ? 1 : -1) * ca;
}

function fminmax(abits: number, bbits: number, max: boolean): number {
  const a = fdecode(abits);
  const b = fdecode(bbits);
  if (a.kind === 'nan' || b.kind === 'nan') return NAN;
  const c = fcompare(a, b);
  if (c === 0) {
    // Equal values: only signed zeros differ; -0 is the smaller.
    const aNeg = abits >>> 31 === 1;
    return max ? (aNeg ? bbits : abits) : aNeg ? abits : bbits;
  }
  return (c < 0) !== max ? abits : bbits;
}

// ---- the reference step --------------------------------------------------------------------------------

function mem(st: MachineState, fx: RefEffects, addr: number, n: number, align: number): void {
  if (addr < 0 || addr + n > st.mem.length) throw new ExecFault(`access at ${addr} outside memory`);
  if (align > 1 && addr % align !== 0) throw new ExecFault(`misaligned access at ${addr}`);
  for (let k = 0; k < n; k++) fx.touched.push(addr + k);
}

function loadWord(st: MachineState, addr: number): number {
  let v = 0;
  for (let k = 3; k >= 0; k--) v = v * 256 + st.mem[addr + k]!;
  return v;
}

/**
 * Executes one instruction by the reference semantics on `st` (PC included). Throws ExecFault where the fast
 * path faults.
 */
export function referenceStep(st: MachineState, ins: Instr): RefEffects {
  const fx: RefEffects = { touched: [], taken: false };
  const row = OPS[ins.op]!;
  const x = (r: number) => B(st.x[r]!);
  const setx = (r: number, v: bigint) => {
    if (r !== 0) st.x[r] = int32(v);
  };
  const lanes = st.vlenBits / 32;
  const signed = ins.et >= 0 ? ETYPE_SIGNED[ins.et]! : false;
  const pc = st.pc;
  st.pc = pc + 1;
  const bitsIn = (r: number) => bitsOf(st, r);
  const lane32 = (bits: readonly number[], k: number) => value(rawAt(bits, { off: 32 * k, w: 32 }), 32, true);
  const setLane = (bits: number[], k: number, v: bigint) => putRaw(bits, { off: 32 * k, w: 32 }, BigInt.asIntN(32, v));

  switch (row.mnemonic) {
    case 'halt':
      st.halted = true;
      break;
    case 'nop':
      break;
    case 'li':
      setx(ins.d, B(ins.imm));
      break;
    case 'add':
      setx(ins.d, x(ins.s1) + x(ins.s2));
      break;
    case 'sub':
      setx(ins.d, x(ins.s1) - x(ins.s2));
      break;
    case 'mul':
      setx(ins.d, x(ins.s1) * x(ins.s2));
      break;
    case 'and':
      setx(ins.d, x(ins.s1) & x(ins.s2));
      break;
    case 'or':
      setx(ins.d, x(ins.s1) | x(ins.s2));
      break;
    case 'xor':
      setx(ins.d, x(ins.s1) ^ x(ins.s2));
      break;
    case 'sll':
      setx(ins.d, x(ins.s1) << (x(ins.s2) & 31n));
      break;
    case 'srl':
      setx(ins.d, BigInt.asUintN(32, x(ins.s1)) >> (x(ins.s2) & 31n));
      break;
    case 'sra':
      setx(ins.d, x(ins.s1) >> (x(ins.s2) & 31n));
      break;
    case 'slt':
      setx(ins.d, x(ins.s1) < x(ins.s2) ? 1n : 0n);
      break;
    case 'sltu':
      setx(ins.d, BigInt.asUintN(32, x(ins.s1)) < BigInt.asUintN(32, x(ins.s2)) ? 1n : 0n);
      break;
    case 'addi':
      setx(ins.d, x(ins.s1) + B(ins.imm));
      break;
    case 'andi':
      setx(ins.d, x(ins.s1) & B(ins.imm));
      break;
    case 'ori':
      setx(ins.d, x(ins.s1) | B(ins.imm));
      break;
    case 'xori':
      setx(ins.d, x(ins.s1) ^ B(ins.imm));
      break;
    case 'slti':
      setx(ins.d, x(ins.s1) < B(ins.imm) ? 1n : 0n);
      break;
    case 'slli':
      setx(ins.d, x(ins.s1) << B(ins.imm));
      break;
    case 'srli':
      setx(ins.d, BigInt.asUintN(32, x(ins.s1)) >> B(ins.imm));
      break;
    case 'srai':
      setx(ins.d, x(ins.s1) >> B(ins.imm));
      break;
    case 'lw': {
      const a = st.x[ins.s1]! + ins.imm;
      mem(st, fx, a, 4, 4);
      setx(ins.d, B(loadWord(st, a)));
      break;
    }
    case 'sw': {
      const a = st.x[ins.s1]! + ins.imm;
      mem(st, fx, a, 4, 4);
      let v = BigInt.asUintN(32, x(ins.s2));
      for (let k = 0; k < 4; k++, v >>= 8n) st.mem[a + k] = Number(v & 0xffn);
      break;
    }
    case 'beq':
    case 'bne':
    case 'blt':
    case 'bge':
    case 'bltu':
    case 'bgeu': {
      const u = row.mnemonic.endsWith('u');
      const a = u ? BigInt.asUintN(32, x(ins.s1)) : x(ins.s1);
      const b = u ? BigInt.asUintN(32, x(ins.s2)) : x(ins.s2);
      const m = row.mnemonic;
      const t = m === 'beq' ? a === b : m === 'bne' ? a !== b : m.startsWith('blt') ? a < b : a >= b;
      if (t) {
        st.pc = ins.imm;
        fx.taken = true;
      }
      break;
    }
    case 'setpp':
    case 'setppi': {
      if (ins.d >= st.pp.length) throw new ExecFault(`pp${ins.d} does not exist`);
      let lo: number;
      let hi: number;
      if (row.mnemonic === 'setpp') {
        lo = st.x[ins.s1]! >>> 0;
        hi = st.x[ins.s2]! >>> 0;
      } else {
        const code = { 1: 1, 2: 2, 4: 3, 8: 4 }[ins.imm];
        if (code === undefined) throw new ExecFault('bad width');
        const bytes = st.vlenBits / 8;
        const run = (n: number) => code + n * 8;
        lo = bytes <= 64 ? run(bytes) : run(64) + run(bytes - 64) * 1024;
        hi = 0;
      }
      referenceDescriptor(lo, hi, st.config);
      // The state stores the pattern (compiled for the fast path); it must accept what the reference accepts.
      const err = st.setPattern(ins.d, lo, hi);
      if (err !== null) throw new Error(`reference: setpp accepted descriptor 0x${lo.toString(16)}, 0x${hi.toString(16)}, which the machine state refuses (${err})`);
      break;
    }
    case 'vld':
    case 'vldt': {
      const a = st.x[ins.s1]! + ins.imm;
      const n = row.mnemonic === 'vld' ? st.vlenBits / 8 : st.x[ins.s2]!;
      if (n < 0 || n > st.vlenBits / 8) throw new ExecFault('bad tail length');
      mem(st, fx, a, n, 1);
      const bits = new Array<number>(st.vlenBits).fill(0);
      for (let k = 0; k < n; k++) for (let j = 0; j < 8; j++) bits[8 * k + j] = (st.mem[a + k]! >> j) & 1;
      store(st, ins.d, bits);
      break;
    }
    case 'vst':
    case 'vstt': {
      const a = st.x[ins.s1]! + ins.imm;
      const n = row.mnemonic === 'vst' ? st.vlenBits / 8 : st.x[ins.s2]!;
      if (n < 0 || n > st.vlenBits / 8) throw new ExecFault('bad tail length');
      mem(st, fx, a, n, 1);
      const bits = bitsIn(ins.d);
      for (let k = 0; k < n; k++) {
        let byte = 0;
        for (let j = 7; j >= 0; j--) byte = byte * 2 + bits[8 * k + j]!;
        st.mem[a + k] = byte;
      }
      break;
    }
    case 'vlds':
    case 'vsts': {
      const w = ETYPE_WIDTH[ins.et]!;
      const nb = w / 8;
      const base = st.x[ins.s1]! + ins.imm;
      const stride = st.x[ins.s2]!;
      const E = uniformElems(st, w);
      for (let k = 0; k < E.length; k++) mem(st, { touched: [], taken: false }, base + k * stride, nb, nb);
      const bits = bitsIn(ins.d);
      for (let k = 0; k < E.length; k++) {
        const a = base + k * stride;
        for (let j = 0; j < nb; j++) fx.touched.push(a + j);
        if (row.mnemonic === 'vlds') {
          let raw = 0n;
          for (let j = nb - 1; j >= 0; j--) raw = raw * 256n + B(st.mem[a + j]!);
          putRaw(bits, E[k]!, raw);
        } else {
          let raw = rawAt(bits, E[k]!);
          for (let j = 0; j < nb; j++, raw >>= 8n) st.mem[a + j] = Number(raw & 0xffn);
        }
      }
      if (row.mnemonic === 'vlds') store(st, ins.d, bits);
      break;
    }
    case 'vldbc': {
      const nb = ETYPE_WIDTH[ins.et]! / 8;
      const a = st.x[ins.s1]! + ins.imm;
      mem(st, fx, a, nb, nb);
      let raw = 0n;
      for (let j = nb - 1; j >= 0; j--) raw = raw * 256n + B(st.mem[a + j]!);
      const bits = new Array<number>(st.vlenBits).fill(0);
      for (const e of uniformElems(st, nb * 8)) putRaw(bits, e, raw);
      store(st, ins.d, bits);
      break;
    }
    case 'vand':
    case 'vor':
    case 'vxor':
    case 'vxnor':
    case 'vandn':
    case 'vnot': {
      const a = bitsIn(ins.s1);
      const b = bitsIn(ins.s2);
      const f = {
        vand: (p: number, q: number) => p & q,
        vor: (p: number, q: number) => p | q,
        vxor: (p: number, q: number) => p ^ q,
        vxnor: (p: number, q: number) => 1 - (p ^ q),
        vandn: (p: number, q: number) => p & (1 - q),
        vnot: (p: number) => 1 - p,
      }[row.mnemonic]!;
      store(st, ins.d, a.map((p, i) => f(p, b[i]!)));
      break;
    }
    case 'vbcast': {
      const E = elems(st, ins);
      const bits = bitsIn(ins.d);
      for (const e of E) putRaw(bits, e, x(ins.s1));
      store(st, ins.d, bits);
      break;
    }
    case 'vsll':
    case 'vsrl':
    case 'vsra':
    case 'vpopc': {
      const E = elems(st, ins);
      const a = bitsIn(ins.s1);
      const bits = bitsIn(ins.d);
      const s = ins.imm;
      for (const e of E) {
        const r = rawAt(a, e);
        let out: bigint;
        if (row.mnemonic === 'vsll') out = s >= e.w ? 0n : r << B(s);
        else if (row.mnemonic === 'vsrl') out = s >= e.w ? 0n : r >> B(s);
        else if (row.mnemonic === 'vsra') {
          const sx = e.w === 1 ? -r : value(r, e.w, true);
          out = e.w === 1 ? r : sx >> B(Math.min(s, e.w));
        } else {
          out = 0n;
          for (let j = 0; j < e.w; j++) out += B(a[e.off + j]!);
        }
        putRaw(bits, e, out);
      }
      store(st, ins.d, bits);
      break;
    }
    case 'vadd':
    case 'vsub':
    case 'vadds':
    case 'vsubs':
    case 'vmul':
    case 'vmuls':
    case 'vmin':
    case 'vmax': {
      const a = bitsIn(ins.s1);
      const b = bitsIn(ins.s2);
      const bits = bitsIn(ins.d);
      const m = row.mnemonic;
      if (ins.et === ET_F32) {
        for (let k = 0; k < lanes; k++) {
          const e = { off: 32 * k, w: 32 };
          const pa = Number(rawAt(a, e));
          const pb = Number(rawAt(b, e));
          let r: number;
          if (m === 'vadd') r = fadd(fdecode(pa), fdecode(pb), true);
          else if (m === 'vsub') r = fadd(fdecode(pa), fdecode((pb ^ 0x80000000) >>> 0), true);
          else if (m === 'vmul') r = fencodeExact(fmul(fdecode(pa), fdecode(pb)));
          else r = fminmax(pa, pb, m === 'vmax');
          putRaw(bits, e, B(r));
        }
        store(st, ins.d, bits);
        break;
      }
      for (const e of elems(st, ins)) {
        const va = value(rawAt(a, e), e.w, signed);
        const vb = value(rawAt(b, e), e.w, signed);
        const r =
          m === 'vadd' || m === 'vadds' ? va + vb : m === 'vsub' || m === 'vsubs' ? va - vb : m === 'vmul' || m === 'vmuls' ? va * vb : m === 'vmin' ? (va < vb ? va : vb) : va > vb ? va : vb;
        const sat = m === 'vadds' || m === 'vsubs' || m === 'vmuls';
        putRaw(bits, e, toRaw(sat ? clamp(r, e.w, signed) : r, e.w, signed));
      }
      store(st, ins.d, bits);
      break;
    }
    case 'vext':
    case 'vins': {
      const E = elems(st, ins);
      if (ins.imm >= E.length) throw new ExecFault('index out of range');
      const e = E[ins.imm]!;
      if (row.mnemonic === 'vext') setx(ins.d, value(rawAt(bitsIn(ins.s1), e), e.w, signed));
      else {
        const bits = bitsIn(ins.d);
        putRaw(bits, e, x(ins.s1));
        store(st, ins.d, bits);
      }
      break;
    }
    case 'vwiden':
    case 'vnarrow': {
      if (ins.imm > 1) throw new ExecFault('bad part');
      const w = ETYPE_WIDTH[ins.et]!;
      const a = bitsIn(ins.s1);
      const bits = bitsIn(ins.d);
      const narrow = uniformElems(st, w);
      const wide = uniformElems(st, 2 * w);
      const n = wide.length;
      for (let j = 0; j < n; j++) {
        if (row.mnemonic === 'vwiden') {
          const v = value(rawAt(a, narrow[ins.imm * n + j]!), w, signed);
          putRaw(bits, wide[j]!, v);
        } else {
          const v = value(rawAt(a, wide[j]!), 2 * w, signed);
          putRaw(bits, narrow[ins.imm * n + j]!, toRaw(clamp(v, w, signed), w, signed));
        }
      }
      store(st, ins.d, bits);
      break;
    }
    case 'vredsum':
    case 'vredmax':
    case 'vredmin': {
      const a = bitsIn(ins.s1);
      const vals = elems(st, ins).map((e) => value(rawAt(a, e), e.w, signed));
      const r =
        row.mnemonic === 'vredsum' ? vals.reduce((p, q) => p + q, 0n) : vals.reduce((p, q) => ((row.mnemonic === 'vredmax' ? q > p : q < p) ? q : p));
      setx(ins.d, r);
      break;
    }
    case 'vrequant':
    case 'vrequantv': {
      const E = elems(st, ins);
      const part = row.mnemonic === 'vrequant' ? ins.imm2 : ins.imm;
      if (part * lanes >= E.length) throw new ExecFault('part out of range');
      const a = bitsIn(ins.s1);
      const sh = bitsIn(ins.s2);
      const bits = bitsIn(ins.d);
      const ys: bigint[] = [];
      for (let k = 0; k < lanes; k++) {
        const s = row.mnemonic === 'vrequant' ? B(ins.imm) : lane32(sh, k);
        if (s < 0n || s > 31n) throw new ExecFault('shift out of range');
        const xv = lane32(a, k);
        ys.push((xv + (s > 0n ? 1n << (s - 1n) : 0n)) >> s);
      }
      for (let k = 0; k < lanes && part * lanes + k < E.length; k++) {
        const e = E[part * lanes + k]!;
        putRaw(bits, e, toRaw(clamp(ys[k]!, e.w, signed), e.w, signed));
      }
      store(st, ins.d, bits);
      break;
    }
    case 'vwmacc': {
      const w = ETYPE_WIDTH[ins.et]!;
      const E = uniformElems(st, w);
      if ((ins.imm + 1) * lanes > E.length) throw new ExecFault('part out of range');
      const a = bitsIn(ins.s1);
      const b = bitsIn(ins.s2);
      const bits = bitsIn(ins.d);
      for (let k = 0; k < lanes; k++) {
        const e = E[ins.imm * lanes + k]!;
        setLane(bits, k, lane32(bits, k) + value(rawAt(a, e), w, signed) * value(rawAt(b, e), w, signed));
      }
      store(st, ins.d, bits);
      break;
    }
    case 'vdot':
    case 'vdotus': {
      const sa = row.mnemonic === 'vdot' ? signed : false;
      const sb = row.mnemonic === 'vdot' ? signed : true;
      const a = bitsIn(ins.s1);
      const b = bitsIn(ins.s2);
      const bits = bitsIn(ins.d);
      const E = uniformElems(st, 8);
      for (let k = 0; k < lanes; k++) {
        let s = 0n;
        for (let j = 0; j < 4; j++) s += value(rawAt(a, E[4 * k + j]!), 8, sa) * value(rawAt(b, E[4 * k + j]!), 8, sb);
        setLane(bits, k, lane32(bits, k) + s);
      }
      store(st, ins.d, bits);
      break;
    }
    case 'vxdot':
    case 'vmdot':
    case 'vmdots': {
      if (row.mnemonic !== 'vxdot' && !st.config.mixedUnit) throw new ExecFault('no mixed unit');
      if (ins.imm >= lanes) throw new ExecFault('lane out of range');
      const a = bitsIn(ins.s1);
      const b = bitsIn(ins.s2);
      let s = 0n;
      if (row.mnemonic === 'vxdot') {
        for (let i = 0; i < st.vlenBits; i++) s += a[i] === b[i] ? 1n : -1n;
      } else {
        for (const e of elems(st, ins)) s += value(rawAt(a, e), e.w, false) * value(rawAt(b, e), e.w, true);
      }
      const bits = bitsIn(ins.d);
      let r = lane32(bits, ins.imm) + s;
      if (row.mnemonic === 'vmdots') r = clamp(r, 32, true);
      setLane(bits, ins.imm, r);
      store(st, ins.d, bits);
      break;
    }
    case 'vfma': {
      const a = bitsIn(ins.s1);
      const b = bitsIn(ins.s2);
      const bits = bitsIn(ins.d);
      for (let k = 0; k < lanes; k++) {
        const e = { off: 32 * k, w: 32 };
        const cb = Number(rawAt(bits, e));
        const p = fmul(fdecode(Number(rawAt(a, e))), fdecode(Number(rawAt(b, e))));
        const c = fdecode(cb);
        let r: number;
        if (p.kind === 'fin' && c.kind === 'fin') {
          // Exact a*b + c, rounded once; an exact zero is -0 only when both addends are negative zeros.
          const ee = Math.min(p.exp, c.exp);
          const s = (p.neg ? -1n : 1n) * (p.mant << B(p.exp - ee)) + (c.neg ? -1n : 1n) * (c.mant << B(c.exp - ee));
          if (s === 0n) r = p.mant === 0n && c.mant === 0n && p.neg && c.neg ? 0x80000000 : 0;
          else r = fround(s < 0n, s < 0n ? -s : s, ee);
        } else if (p.kind === 'nan' || c.kind === 'nan') r = NAN;
        else if (p.kind === 'inf' && c.kind === 'inf' && p.neg !== c.neg) r = NAN;
        else r = (p.kind === 'inf' ? p.neg : (c as { neg: boolean }).neg) ? 0xff800000 : 0x7f800000;
        putRaw(bits, e, B(r));
      }
      store(st, ins.d, bits);
      break;
    }
    default:
      throw new Error(`reference: no semantics for ${row.mnemonic} (${ETYPES[ins.et] ?? ''})`);
  }
  st.x[0] = 0;
  return fx;
}
