/**
 * The energy parameters of caches and DRAM, declared with the memory configuration (units, defaults and
 * sources on each field; docs/memory.md's reference is generated from them). `src/energy/memory.ts` turns
 * them into prices per counted event; the sources of the defaults are listed there.
 *
 * @module
 */
import { z } from 'zod';
import { parseConfig } from '../config/validate.js';

/** Horowitz ISSCC 2014, 45 nm: energy of one 64-bit SRAM access by array size. */
export const HOROWITZ_SRAM_45NM: readonly { readonly sizeBytes: number; readonly pjPer64Bit: number }[] = [
  { sizeBytes: 8 * 1024, pjPer64Bit: 10 },
  { sizeBytes: 32 * 1024, pjPer64Bit: 20 },
  { sizeBytes: 1024 * 1024, pjPer64Bit: 100 },
];

/** The energy parameters of caches and DRAM. */
export const MemoryEnergyConfigSchema = z
  .object({
    technologyNm: z.number().positive().default(45).meta({ unit: 'nm', description: 'Technology node the SRAM energies are scaled to (the table is for 45 nm).' }),
    vddV: z.number().positive().default(0.9).meta({ unit: 'V', description: 'Supply voltage the SRAM energies are scaled to (the table is for 0.9 V).' }),
    scaleOverride: z
      .number()
      .positive()
      .nullable()
      .default(null)
      .meta({ unit: 'ratio', description: 'If set, multiplies the 45 nm SRAM energies by this factor instead of (node/45) x (V/0.9)^2.' }),
    sramPoints: z
      .array(
        z
          .object({
            sizeBytes: z.number().positive().meta({ unit: 'bytes', description: 'Array size.' }),
            pjPer64Bit: z.number().nonnegative().meta({ unit: 'pJ', description: 'Energy of one 64-bit access at 45 nm, 0.9 V.' }),
          })
          .strict(),
      )
      .min(1)
      .default(HOROWITZ_SRAM_45NM.map((p) => ({ ...p })))
      .meta({ description: 'SRAM energy per 64-bit access by size at 45 nm, 0.9 V (Horowitz, ISSCC 2014).' }),
    sramWriteFactor: z.number().nonnegative().default(1).meta({ unit: 'ratio', description: 'Write energy / read energy of the SRAM arrays (Horowitz gives one figure for both).' }),
    leakageNwPerBit: z.number().nonnegative().default(1).meta({ unit: 'nW/bit', description: 'SRAM leakage power per data bit (order of magnitude for a 6T cell; not scaled).' }),
    clockGhz: z.number().positive().default(1).meta({ unit: 'GHz', description: 'Core clock, to turn leakage power into energy per cycle.' }),
    dramPjPerBit: z.number().nonnegative().default(1950 / 64).meta({ unit: 'pJ/bit', description: 'DRAM energy per bit read or written (Horowitz: 1.3-2.6 nJ per 64-bit access; default the middle).' }),
    dramActivatePj: z.number().nonnegative().default(0).meta({ unit: 'pJ', description: 'Extra energy per row activation (banked model only; 0 because the per-bit figure is an average that includes activations).' }),
  })
  .strict();

/** A resolved energy configuration. */
export type MemoryEnergyConfig = z.output<typeof MemoryEnergyConfigSchema>;

/** Validates an energy configuration, filling defaults; errors name the field under `root`. */
export function resolveMemoryEnergyConfig(input: unknown = {}, root = 'memoryEnergy'): MemoryEnergyConfig {
  return parseConfig(MemoryEnergyConfigSchema, input, root);
}
