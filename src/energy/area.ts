/**
 * An area model of the SIMD datapath features, so design sweeps can trade area against speed. Areas are
 * counted in full-adder equivalents (FA) and flip-flops, then converted to um^2 at 45 nm with the cell
 * areas of the NanGate 45 nm Open Cell Library (FA_X1, DFF_X1). It is a first-order model for comparing
 * SIMD variants with each other, not a layout estimate; docs/energy.md gives the formulas.
 *
 * | part | formula (FA unless noted) |
 * |---|---|
 * | generic vector ALU, per unit | VLEN (adders) + (VLEN/8) x 8^2 (int8 multipliers) |
 * | mixed-precision unit, per width w | (VLEN/w) x w^2 (multipliers) + (VLEN/w) x 2w (adder tree) |
 * | pattern steering | VLEN x ceil(log2(widths + 1)) / 2 (muxes, half an FA each) |
 * | pattern registers | patternRegs x 64 flip-flops |
 * | vector register file | 32 x VLEN bits x rfBitUm2 |
 *
 * @module
 */
import { z } from 'zod';
import { parseConfig } from '../config/validate.js';

/** Schema of the area model's inputs and cell areas. */
export const AreaInputSchema = z
  .object({
    vlenBits: z.number().int().min(64).default(256).meta({ unit: 'bits', description: 'Vector register length.' }),
    mixedWidths: z.array(z.number().int().min(1).max(8)).default([1, 2, 4]).meta({ unit: 'bits', description: 'Widths the mixed-precision unit supports (empty: no mixed unit).' }),
    patternRegs: z.number().int().min(0).max(8).default(4).meta({ unit: 'count', description: 'Precision-pattern registers.' }),
    mixedUnits: z.number().int().min(0).default(1).meta({ unit: 'count', description: 'Mixed-precision dot-product units.' }),
    vectorUnits: z.number().int().min(0).default(2).meta({ unit: 'count', description: 'Generic vector ALUs (add, logic, int8 multiply).' }),
    fullAdderUm2: z.number().positive().default(4.256).meta({ unit: 'um^2', description: 'Area of a full adder (NanGate 45 nm FA_X1).' }),
    flopUm2: z.number().positive().default(4.522).meta({ unit: 'um^2', description: 'Area of a flip-flop (NanGate 45 nm DFF_X1).' }),
    rfBitUm2: z.number().positive().default(1.0).meta({ unit: 'um^2', description: 'Area of one register-file bit. Assumption: a 3-read/1-write port cell is about 3x a 6T SRAM cell (~0.35 um^2 at 45 nm).' }),
  })
  .strict();

/** What a user may write. */
export type AreaInput = z.input<typeof AreaInputSchema>;

/** Area of the SIMD features (um^2 at 45 nm). */
export interface AreaBreakdown {
  readonly vectorAluUm2: number;
  readonly mixedUnitUm2: number;
  readonly patternUm2: number;
  readonly registerFileUm2: number;
  readonly totalUm2: number;
}

/** Area of a SIMD configuration by the formulas above. */
export function simdArea(input: AreaInput = {}): AreaBreakdown {
  const a = parseConfig(AreaInputSchema, input, 'area');
  const V = a.vlenBits;
  const fa = a.fullAdderUm2;
  const alu = a.vectorUnits * (V + (V / 8) * 64) * fa;
  let mixedFa = 0;
  for (const w of a.mixedWidths) mixedFa += (V / w) * w * w + (V / w) * 2 * w;
  const mixed = a.mixedUnits * mixedFa * fa;
  const hasPattern = a.mixedWidths.length > 0 && a.mixedUnits > 0;
  const pattern = hasPattern ? ((V * Math.ceil(Math.log2(a.mixedWidths.length + 1))) / 2) * fa + a.patternRegs * 64 * a.flopUm2 : 0;
  const rf = 32 * V * a.rfBitUm2;
  return { vectorAluUm2: alu, mixedUnitUm2: mixed, patternUm2: pattern, registerFileUm2: rf, totalUm2: alu + mixed + pattern + rf };
}
