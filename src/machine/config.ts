/**
 * A machine: everything a simulation needs to know about the hardware, in one object declared once: the
 * architectural parameters (`isa`), the core's timing (`core`), the memory hierarchy (`memory`) and the energy
 * tables that price their events (`energy`, `memoryEnergy`). Each
 * part keeps its own schema in its own module; this one only composes them, so a JSON file describing a
 * machine is validated field by field with paths like `machine.core.robSize`.
 *
 * @module
 */
import { z } from 'zod';
import { parseConfig } from '../config/validate.js';
import { EnergyParamsSchema } from '../energy/table.js';
import { MemoryEnergyConfigSchema } from '../energy/memory.js';
import { IsaConfigSchema } from '../isa/config.js';
import { MemoryConfigSchema } from '../memory/config.js';
import { CoreConfigSchema } from '../pipeline/config.js';

/** Schema of {@link MachineConfig}. */
export const MachineConfigSchema = z
  .object({
    name: z.string().default('machine').meta({ description: 'Name shown in reports.' }),
    isa: IsaConfigSchema.prefault({}).meta({ description: 'Architectural parameters (VLEN, mixed widths, pattern registers).' }),
    core: CoreConfigSchema.prefault({}).meta({ description: 'Core timing: widths, window, units, latencies, branch prediction.' }),
    memory: MemoryConfigSchema.prefault({}).meta({ description: 'Cache levels and DRAM.' }),
    energy: EnergyParamsSchema.prefault({}).meta({ description: 'Energy of the core\'s actions (datapath per class and width, register file, leakage).' }),
    memoryEnergy: MemoryEnergyConfigSchema.prefault({}).meta({ description: 'Energy of cache and DRAM events, and technology scaling.' }),
  })
  .strict();

/** A complete machine description (every field present, frozen). */
export type MachineConfig = z.output<typeof MachineConfigSchema>;
/** What a user may write: every field optional. */
export type MachineConfigInput = z.input<typeof MachineConfigSchema>;

/** Validates and completes a machine description; throws a ConfigError naming every bad field. */
export function resolveMachineConfig(input: MachineConfigInput = {}, root = 'machine'): MachineConfig {
  return parseConfig(MachineConfigSchema, input, root);
}
