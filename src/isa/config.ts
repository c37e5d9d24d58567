/**
 * The architectural parameters of the simulated SIMD core, the ones that change what a program computes
 * (timing parameters live in the pipeline's CoreConfig). Declared once as a schema with units, defaults and
 * ranges; {@link resolveIsaConfig} validates user input against it.
 *
 * @module
 */
import { z } from 'zod';
import { parseConfig } from '../config/validate.js';

/** Widths (bits) the mixed-precision unit may support. */
export const MIXED_WIDTH_CHOICES = [1, 2, 4, 8] as const;

/** Schema of {@link IsaConfig}. */
export const IsaConfigSchema = z
  .object({
    vlenBits: z
      .literal([128, 256, 512], { error: 'must be 128, 256 or 512' })
      .default(256)
      .meta({ unit: 'bits', description: 'Vector register length VLEN.' }),
    mixedWidths: z
      .array(z.literal([1, 2, 4, 8], { error: 'must be 1, 2, 4 or 8' }))
      .min(1)
      .default([1, 2, 4])
      .meta({ unit: 'bits', description: 'Element widths the mixed-precision unit supports; precision patterns may only use these.' })
      .refine((a) => new Set(a).size === a.length, { message: 'widths must be distinct' }),
    patternRegs: z
      .number()
      .int()
      .min(1)
      .max(8)
      .default(4)
      .meta({ unit: 'count', description: 'Number of precision-pattern registers (PP0..PPn-1).' }),
    maxRuns: z
      .number()
      .int()
      .min(1)
      .max(6)
      .default(3)
      .meta({ unit: 'count', description: 'Most runs (groups of equal-width elements) one precision pattern may have.' }),
    mixedUnit: z
      .boolean()
      .default(true)
      .meta({ description: 'Whether the core has the mixed-precision dot-product unit (vmdot); without it, kernels decode mixed data in software.' }),
    memoryBytes: z
      .number()
      .int()
      .min(4096)
      .max(2 ** 31)
      .default(16 * 1024 * 1024)
      .meta({ unit: 'bytes', description: 'Size of the flat byte-addressable data memory.' }),
    maxInstructions: z
      .number()
      .int()
      .min(1)
      .default(1e9)
      .meta({ unit: 'instructions', description: 'Instruction limit of one run; reaching it is an error, so a runaway loop never hangs a sweep.' }),
  })
  .strict();

/** Architectural parameters of the core (resolved: every field present). */
export type IsaConfig = z.output<typeof IsaConfigSchema>;
/** What a user may write: every field optional. */
export type IsaConfigInput = z.input<typeof IsaConfigSchema>;

/** Validates and completes an ISA configuration; throws a ConfigError naming every bad field. */
export function resolveIsaConfig(input: IsaConfigInput = {}, root = 'isa'): IsaConfig {
  return parseConfig(IsaConfigSchema, input, root);
}
