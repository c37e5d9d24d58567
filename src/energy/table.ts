/**
 * Energy per action: a table of picojoules per retired instruction of each class and width key, per
 * register-file access, per load/store, per instruction (front-end and control overhead) and per cycle
 * (leakage). Energy is counts x this table, so the same run can be priced by another table without
 * simulating again (Timeloop/Accelergy style).
 *
 * The default table is built from Horowitz, "Computing's energy problem", ISSCC 2014 (45 nm, 0.9 V):
 *
 * | operation | 8-bit | 32-bit |
 * |---|---:|---:|
 * | integer add | 0.03 pJ | 0.1 pJ |
 * | integer multiply | 0.2 pJ | 3.1 pJ |
 * | fp32 add / multiply | | 0.9 / 3.7 pJ |
 * | SRAM read, 64 bits: 8 KB / 32 KB / 1 MB | | 10 / 20 / 100 pJ |
 *
 * Other widths follow a power law through the two integer points, `E(w) = E(8) (w/8)^k` with
 * `k = log(E(32)/E(8)) / log 4`: k = 0.87 for add (close to linear: a ripple/prefix adder grows with its
 * width) and k = 1.98 for multiply (close to quadratic: an array multiplier has w^2 partial-product bits).
 * Below 8 bits this is an extrapolation; docs/energy.md lists every per-class formula.
 *
 * @module
 */
import { z } from 'zod';
import { INSTR_CLASSES, type InstrClassName } from '../isa/classes.js';
import { parseConfig } from '../config/validate.js';
import { WIDTH_KEYS, type WidthKey } from '../isa/width-keys.js';

/** Horowitz ISSCC 2014, 45 nm: 8-bit integer add (pJ). */
export const ADD8_PJ = 0.03;
/** Horowitz ISSCC 2014, 45 nm: 32-bit integer add (pJ). */
export const ADD32_PJ = 0.1;
/** Horowitz ISSCC 2014, 45 nm: 8-bit integer multiply (pJ). */
export const MUL8_PJ = 0.2;
/** Horowitz ISSCC 2014, 45 nm: 32-bit integer multiply (pJ). */
export const MUL32_PJ = 3.1;
/** Horowitz ISSCC 2014, 45 nm: fp32 add (pJ). */
export const FADD32_PJ = 0.9;
/** Horowitz ISSCC 2014, 45 nm: fp32 multiply (pJ). */
export const FMUL32_PJ = 3.7;
/** Horowitz ISSCC 2014, 45 nm: 64-bit read of an 8 KB SRAM (pJ). */
export const SRAM8K_READ64_PJ = 10;

const ADD_EXP = Math.log(ADD32_PJ / ADD8_PJ) / Math.log(4);
const MUL_EXP = Math.log(MUL32_PJ / MUL8_PJ) / Math.log(4);

/** Energy of one w-bit integer add by the power-law rule (pJ). */
export function addPj(w: number): number {
  return ADD8_PJ * (w / 8) ** ADD_EXP;
}

/** Energy of one w x w-bit integer multiply by the power-law rule (pJ). */
export function mulPj(w: number): number {
  return MUL8_PJ * (w / 8) ** MUL_EXP;
}

/** Energy of one SRAM access of `bits` bits to an array of `bytes` bytes: 10 pJ per 64 bits at 8 KB, x sqrt(size/8 KB) (fits 8 KB/32 KB/1 MB = 10/20/100 pJ). */
export function sramPj(bytes: number, bits: number): number {
  return SRAM8K_READ64_PJ * Math.sqrt(bytes / 8192) * (bits / 64);
}

/** Schema of the parameters the default energy table is built from. */
export const EnergyParamsSchema = z
  .object({
    logicPerBitOfAdd: z.number().min(0).default(0.35).meta({ unit: 'ratio', description: 'Energy of one bit of bitwise logic (and/xor/xnor, permute wiring) as a fraction of one bit of an 8-bit add. Assumption: an XNOR gate has about a third of a full adder\'s switched capacitance.' }),
    patternMeanWidthBits: z.number().min(1).max(8).default(2).meta({ unit: 'bits', description: 'Mean element width of pattern-typed operations (their widths are only known per pattern); 2 = a mix of 1/2/4-bit elements.' }),
    instructionOverheadPj: z.number().min(0).default(0).meta({ unit: 'pJ', description: 'Fetch, decode and control energy per instruction. 0 by default: it depends on the core far more than on the SIMD datapath; set it from your own estimate.' }),
    leakagePjPerCycle: z.number().min(0).default(0).meta({ unit: 'pJ', description: 'Leakage energy per cycle. 0 by default: no public figure fits a generic core; set it from your technology library.' }),
    overrides: z
      .partialRecord(z.enum(INSTR_CLASSES), z.partialRecord(z.enum(WIDTH_KEYS), z.number().min(0)))
      .default({})
      .meta({ unit: 'pJ', description: 'Energy per instruction replacing the default for a class and width key.' }),
  })
  .strict();

/** Parameters of the default energy table (resolved). */
export type EnergyParams = z.output<typeof EnergyParamsSchema>;
/** What a user may write. */
export type EnergyParamsInput = z.input<typeof EnergyParamsSchema>;

/** A complete energy table: every price the energy model uses, in pJ. */
export interface EnergyTable {
  /** pJ per retired instruction, by class and width key. */
  readonly opPj: Readonly<Record<InstrClassName, Readonly<Record<WidthKey, number>>>>;
  readonly scalarRegReadPj: number;
  readonly scalarRegWritePj: number;
  readonly vectorRegReadPj: number;
  readonly vectorRegWritePj: number;
  /** Per memory access started by the load/store unit (address generation); cache energy is the memory system's. */
  readonly lsuAccessPj: number;
  readonly instructionOverheadPj: number;
  readonly leakagePjPerCycle: number;
}

const WIDTH_BITS: Record<WidthKey, number> = { w1: 1, w2: 2, w4: 4, w8: 8, w16: 16, w32: 32, f32: 32, pattern: 2, none: 32 };

/**
 * Energy of one instruction of class `cls` and width key `wk` on a `vlenBits` datapath (pJ), from the
 * per-lane formulas of docs/energy.md. `w` is the element width and `L = vlenBits / w` the lane count.
 */
export function defaultOpPj(cls: InstrClassName, wk: WidthKey, vlenBits: number, p: EnergyParams): number {
  const w = wk === 'pattern' ? p.patternMeanWidthBits : WIDTH_BITS[wk];
  const L = vlenBits / w;
  const L32 = vlenBits / 32;
  const logicBit = (p.logicPerBitOfAdd * ADD8_PJ) / 8;
  const fp = wk === 'f32';
  switch (cls) {
    case 'scalar-alu':
    case 'branch':
    case 'scalar-load':
    case 'scalar-store':
    case 'vec-load':
    case 'vec-store':
    case 'pattern':
      return addPj(32);
    case 'scalar-mul':
      return mulPj(32);
    case 'misc':
      return 0;
    case 'vec-logic':
    case 'vec-permute':
      return vlenBits * logicBit;
    case 'vec-shift':
    case 'vec-popcnt':
      return L * addPj(w);
    case 'vec-alu':
      return fp ? L32 * FADD32_PJ : L * addPj(w);
    case 'vec-mul':
      return fp ? L32 * FMUL32_PJ : L * mulPj(w);
    case 'vec-fp':
      return L32 * FADD32_PJ;
    case 'vec-fma':
      return L32 * (FMUL32_PJ + FADD32_PJ);
    case 'vec-mac':
      return L32 * (mulPj(w) + addPj(32));
    case 'vec-dot8':
      return (vlenBits / 8) * (mulPj(8) + addPj(16)) + L32 * addPj(32);
    case 'vec-xdot':
      return vlenBits * (logicBit + addPj(1)) + addPj(32);
    case 'vec-mdot':
      return L * (mulPj(w) + addPj(2 * w)) + addPj(32);
    case 'vec-reduce':
      return (L - 1) * addPj(Math.min(32, w + Math.log2(L)));
    case 'vec-requant':
      return L32 * 2 * addPj(32);
    default: {
      const never: never = cls;
      throw new Error(`no energy formula for class ${String(never)}`);
    }
  }
}

/** Builds the default energy table for a vector length, applying `params.overrides`. */
export function buildEnergyTable(vlenBits: number, input: EnergyParamsInput = {}): EnergyTable {
  const p = parseConfig(EnergyParamsSchema, input, 'energy');
  const opPj = Object.fromEntries(
    INSTR_CLASSES.map((cls) => [cls, Object.fromEntries(WIDTH_KEYS.map((wk) => [wk, p.overrides[cls]?.[wk] ?? defaultOpPj(cls, wk, vlenBits, p)]))]),
  ) as EnergyTable['opPj'];
  const vrfBytes = (32 * vlenBits) / 8;
  return Object.freeze({
    opPj,
    scalarRegReadPj: sramPj(32 * 4, 32),
    scalarRegWritePj: sramPj(32 * 4, 32),
    vectorRegReadPj: sramPj(vrfBytes, vlenBits),
    vectorRegWritePj: sramPj(vrfBytes, vlenBits),
    lsuAccessPj: addPj(32),
    instructionOverheadPj: p.instructionOverheadPj,
    leakagePjPerCycle: p.leakagePjPerCycle,
  });
}
