// fast-check generators shared by the ISA tests: core configurations, precision patterns, machine states and
// valid instructions of any opcode.
import fc from 'fast-check';
import { resolveIsaConfig, type IsaConfig } from '../../src/isa/config.js';
import { etypeCode, isPatternType } from '../../src/isa/etypes.js';
import type { Instr } from '../../src/isa/instr.js';
import { encodePattern, type PatternRun } from '../../src/isa/pattern.js';
import { MachineState } from '../../src/isa/state.js';
import { OPS } from '../../src/isa/table.js';

export const arbConfig: fc.Arbitrary<IsaConfig> = fc
  .record({
    vlenBits: fc.constantFrom(128 as const, 256 as const, 512 as const),
    mixedWidths: fc.constantFrom([1, 2, 4] as (1 | 2 | 4 | 8)[], [1, 2, 4, 8] as (1 | 2 | 4 | 8)[]),
    maxRuns: fc.integer({ min: 1, max: 6 }),
  })
  .map((c) => resolveIsaConfig({ ...c, memoryBytes: 4096 }));

/** Runs of a valid pattern for a config: byte-aligned runs summing to VLEN. */
export function arbRuns(cfg: IsaConfig): fc.Arbitrary<PatternRun[]> {
  const bytes = cfg.vlenBits / 8;
  return fc
    .integer({ min: 1, max: Math.min(cfg.maxRuns, 6) })
    .chain((n) =>
      fc.tuple(
        fc.uniqueArray(fc.integer({ min: 1, max: bytes - 1 }), { minLength: n - 1, maxLength: n - 1 }),
        fc.array(fc.constantFrom(...cfg.mixedWidths), { minLength: n, maxLength: n }),
      ),
    )
    .map(([cuts, widths]) => {
      const pts = [0, ...[...cuts].sort((a, b) => a - b), bytes];
      const runs: PatternRun[] = [];
      for (let i = 0; i + 1 < pts.length; i++) {
        const len = pts[i + 1]! - pts[i]!;
        if (len > 64) return null;
        runs.push({ widthBits: widths[i]!, count: (len * 8) / widths[i]! });
      }
      return runs;
    })
    .filter((r): r is PatternRun[] => r !== null && r.length <= cfg.maxRuns);
}

/** A machine state with random registers, some pattern registers written, and random memory. */
export function arbState(cfg: IsaConfig): fc.Arbitrary<MachineState> {
  const words = cfg.vlenBits;
  return fc
    .record({
      v: fc.uint32Array({ minLength: words, maxLength: words }),
      // Mostly aligned in-memory addresses and small strides/lengths, so memory instructions usually execute.
      x: fc.array(
        fc.oneof(
          { weight: 3, arbitrary: fc.integer({ min: 0, max: 1000 }).map((a) => a * 4) },
          { weight: 2, arbitrary: fc.integer({ min: -2, max: 10 }).map((a) => a * 4) },
          { weight: 1, arbitrary: fc.integer({ min: -80, max: 4200 }) },
          { weight: 1, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) },
        ),
        { minLength: 32, maxLength: 32 },
      ),
      descriptors: fc.array(arbRuns(cfg), { minLength: 8, maxLength: 8 }),
      // One descriptor word in four gets a bit flipped (-1: none), so setpp also meets malformed descriptors.
      flips: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 31 }) }), { minLength: 8, maxLength: 8 }),
      shifts: fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 64, maxLength: 64 }),
      pats: fc.array(fc.option(arbRuns(cfg), { freq: 6 }), { minLength: cfg.patternRegs, maxLength: cfg.patternRegs }),
      mem: fc.uint8Array({ minLength: 256, maxLength: 256 }),
      specials: fc.array(fc.constantFrom(0, 0xffffffff, 0x80000000, 0x7fffffff, 0x7f800000, 0xff800000, 0x7fc00001, 0x80000000, 0x00000001, 0x3f800000), { maxLength: 16 }),
    })
    .map(({ v, x, pats, mem, specials, descriptors, flips, shifts }) => {
      const st = new MachineState(cfg);
      // Registers 0..7 hold 32 words each times the config's words: take what fits.
      st.v.set(v.subarray(0, Math.min(v.length, st.v.length)));
      specials.forEach((s, k) => (st.v[(k * 7) % st.v.length] = s));
      x.forEach((val, k) => (st.x[k] = val));
      st.x[0] = 0;
      // x1..x4: small strides and tail lengths; x24..x31: pattern descriptors (low words, a few corrupted); v28..v31: int32 lanes of valid shift amounts.
      for (let k = 1; k <= 4; k++) st.x[k] = shifts[k]! - (shifts[k]! % 4) - 8;
      descriptors.forEach((runs, k) => (st.x[24 + k] = (encodePattern(runs)[0] ^ (flips[k]! >= 0 ? 2 ** flips[k]! : 0)) | 0));
      for (let k = 0; k < 4 * st.vwords; k++) st.vi[28 * st.vwords + k] = shifts[k % 64]!;
      pats.forEach((runs, k) => {
        if (runs === null) return;
        const [lo, hi] = encodePattern(runs);
        const err = st.setPattern(k, lo, hi);
        if (err !== null) throw new Error(err);
      });
      for (let k = 0; k < st.mem.length; k += 256) st.mem.set(mem, k);
      return st;
    });
}

/** A valid instruction of opcode `op` (immediates may be out of the run-time range, to test faults). */
export function arbInstr(op: number, cfg: IsaConfig): fc.Arbitrary<Instr> {
  const row = OPS[op]!;
  const reg = fc.integer({ min: 0, max: 31 });
  const fields: { d: fc.Arbitrary<number>; s1: fc.Arbitrary<number>; s2: fc.Arbitrary<number>; imm: fc.Arbitrary<number>; imm2: fc.Arbitrary<number> } = { d: fc.constant(0), s1: fc.constant(0), s2: fc.constant(0), imm: fc.constant(0), imm2: fc.constant(0) };
  for (const o of row.operands) {
    switch (o.kind) {
      case 'vreg':
      case 'xreg':
        fields[o.field] = reg;
        break;
      case 'ppreg':
        fields.d = fc.integer({ min: 0, max: cfg.patternRegs - 1 });
        break;
      case 'simm':
        fields[o.field] = o.bits === 32 ? fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) : fc.integer({ min: -(2 ** (o.bits - 1)), max: 2 ** (o.bits - 1) - 1 });
        break;
      case 'uimm': {
        // Mostly in the range that is valid at run time, sometimes past it.
        const small = o.name === 'lane' ? cfg.vlenBits / 32 : o.name === 'part' ? 4 : o.name === 'width' ? 9 : o.name === 'index' ? 64 : 2 ** o.bits;
        fields[o.field] = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: Math.min(small, 2 ** o.bits) - 1 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** o.bits - 1 }) });
        if (o.name === 'width') fields[o.field] = fc.constantFrom(1, 2, 4, 8, 3, 15);
        break;
      }
      case 'mem':
        fields.s1 = reg;
        fields.imm = fc.oneof(fc.integer({ min: -16, max: 16 }).map((a) => a * 4), fc.integer({ min: -64, max: 64 }));
        break;
      case 'target':
        fields.imm = fc.integer({ min: 0, max: 100 });
        break;
    }
  }
  // Operands that must come from the registers arbState prepares for them, to reach the non-faulting cases.
  if (row.mnemonic === 'setpp') {
    fields.s1 = fc.integer({ min: 24, max: 31 });
    fields.s2 = fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: reg });
  }
  if (['vlds', 'vsts', 'vldt', 'vstt'].includes(row.mnemonic)) {
    fields.s2 = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: reg });
  }
  if (row.mnemonic === 'vrequantv') fields.s2 = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 28, max: 31 }) }, { weight: 1, arbitrary: reg });
  const et = row.etypes.length > 0 ? fc.constantFrom(...row.etypes.map(etypeCode)) : fc.constant(-1);
  return fc.record({ ...fields, et, ppIdx: fc.integer({ min: 0, max: cfg.patternRegs - 1 }) }).map((r) => {
    const uses = row.needsPattern || (r.et >= 0 && isPatternType(r.et));
    return { op, d: r.d, s1: r.s1, s2: r.s2, et: r.et, pp: uses ? r.ppIdx : -1, imm: r.imm, imm2: r.imm2 };
  });
}
