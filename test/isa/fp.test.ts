// fp32 fused multiply-add and arithmetic against the exact (BigInt) reference, on inputs chosen to need the
// single rounding: c close to -(a*b), so that a double-rounded result would differ.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveIsaConfig } from '../../src/isa/config.js';
import { Effects } from '../../src/isa/instr.js';
import { referenceStep } from '../../src/isa/reference.js';
import { fmaf32 } from '../../src/isa/semantics/vdot.js';
import { MachineState } from '../../src/isa/state.js';
import { OPS } from '../../src/isa/table.js';

const cfg = resolveIsaConfig({ vlenBits: 128, memoryBytes: 4096 });
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bitsOf = (x: number) => ((f32[0] = x), u32[0]!);

function viaBoth(op: string, a: number[], b: number[], c: number[]): [number[], number[]] {
  const st = new MachineState(cfg);
  const id = OPS.findIndex((o) => o.mnemonic === op);
  st.v.set(a, 4);
  st.v.set(b, 8);
  st.v.set(c, 12);
  const ref = st.clone();
  const ins = { op: id, d: 3, s1: 1, s2: 2, et: 12, pp: -1, imm: 0, imm2: 0 };
  OPS[id]!.exec(st, ins, new Effects());
  referenceStep(ref, ins);
  return [Array.from(st.v.subarray(12, 16)), Array.from(ref.v.subarray(12, 16))];
}

const arbF32 = fc.float({ noDefaultInfinity: false }).map((x) => Math.fround(x));

describe('fp32', () => {
  it('fma of values with near-cancellation is correctly rounded (equals the exact reference)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(arbF32, arbF32, fc.integer({ min: -3, max: 3 })), { minLength: 4, maxLength: 4 }), (quads) => {
        const a = quads.map(([x]) => bitsOf(x));
        const b = quads.map(([, y]) => bitsOf(y));
        // c = -(a*b) rounded to f32, nudged by a few ulps: the exact sum is then a tiny remainder.
        const c = quads.map(([x, y, k]) => (bitsOf(-Math.fround(x * y)) + k) >>> 0);
        const [fast, ref] = viaBoth('vfma', a, b, c);
        expect(fast).toEqual(ref);
      }),
      { numRuns: 2000 },
    );
  });

  it('fma on random bit patterns (NaN, infinities, subnormals included)', () => {
    const words = fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(words, words, words, (a, b, c) => {
        const [fast, ref] = viaBoth('vfma', a, b, c);
        expect(fast).toEqual(ref);
      }),
      { numRuns: 2000 },
    );
  });

  it('a hand-worked double-rounding case rounds once', () => {
    // a*b = 2^-24 (1 + 2^-23)(1 - 2^-23) = 2^-24 - 2^-70; + c = 1 + 2^-23 gives 1 + 3*2^-24 - 2^-70, just
    // below the midpoint of 1 + 2^-23 and 1 + 2^-22, so the correct binary32 result is 1 + 2^-23. Rounding
    // to binary64 first lands exactly on the midpoint, and ties-to-even then picks 1 + 2^-22.
    const a = 2 ** -24 * (1 + 2 ** -23);
    const b = 1 - 2 ** -23;
    const c = 1 + 2 ** -23;
    expect(Math.fround(a * b + c)).toBe(1 + 2 ** -22);
    expect(fmaf32(a, b, c)).toBe(1 + 2 ** -23);
  });

  it('add, sub, mul, min, max equal the reference on random bit patterns', () => {
    const words = fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 4, maxLength: 4 });
    for (const op of ['vadd', 'vsub', 'vmul', 'vmin', 'vmax']) {
      fc.assert(
        fc.property(words, words, (a, b) => {
          const [fast, ref] = viaBoth(op, a, b, [0, 0, 0, 0]);
          expect(fast, op).toEqual(ref);
        }),
        { numRuns: 1000 },
      );
    }
  });
});
