/**
 * Presets: plain configurations (an ISA part and a core part) of three cores, with their sources in
 * docs/pipeline.md. Each preset is a function returning a fresh object, so callers may change their copy.
 *
 * - {@link sysmol}: a SySMOL-style core with a mixed-precision 1/2/4-bit dot-product unit, 4 precision
 *   patterns and VLEN 256 on an A76-class pipeline (the mixed unit's timing is our assumption).
 * - {@link neonA76}: an Arm Cortex-A76-like core, 128-bit Neon (LLVM's Neoverse N1 scheduling model, the N1
 *   being derived from the A76).
 * - {@link avx2Skylake}: an Intel Skylake-like core, 256-bit AVX2, one pool per execution port (uops.info,
 *   Agner Fog's instruction tables and microarchitecture guide).
 *
 * @module
 */
import type { IsaConfigInput } from '../isa/config.js';
import type { InstrClassName } from '../isa/classes.js';
import type { CoreConfigInput } from '../pipeline/config.js';

/** A preset: the ISA (what the core computes) and the core (how fast). */
export interface Preset {
  readonly isa: IsaConfigInput;
  readonly core: CoreConfigInput;
}

type Units = NonNullable<CoreConfigInput['units']>;
const MEM: InstrClassName[] = ['scalar-load', 'scalar-store', 'vec-load', 'vec-store'];

/**
 * Cortex-A76-like pipelines: branch, 2 single-cycle integer, 1 multi-cycle integer, 2 Neon (V0, V1), 2
 * load/store. Which Neon classes each V pipe takes follows LLVM's Neoverse N1 scheduling model (the N1 is
 * derived from the A76): multiplies on V0 only; shifts, reductions and saturating narrows on V1 only.
 */
function a76Units(): Units {
  return [
    { name: 'B', count: 1, classes: ['branch'] },
    { name: 'S', count: 2, classes: ['scalar-alu', 'pattern', 'misc'] },
    { name: 'M', count: 1, classes: ['scalar-mul', 'scalar-alu'] },
    { name: 'V0', count: 1, classes: ['vec-logic', 'vec-popcnt', 'vec-alu', 'vec-mul', 'vec-mac', 'vec-dot8', 'vec-fp', 'vec-fma', 'vec-permute', 'vec-mdot'] },
    { name: 'V1', count: 1, classes: ['vec-logic', 'vec-popcnt', 'vec-alu', 'vec-shift', 'vec-dot8', 'vec-xdot', 'vec-fp', 'vec-fma', 'vec-permute', 'vec-reduce', 'vec-requant'] },
    { name: 'L', count: 2, classes: MEM },
  ];
}

/**
 * Neon timing of an A76-class core (LLVM AArch64SchedNeoverseN1.td, Q-form where it differs), latency in
 * cycles. Load latencies are on top of the memory system's answer: with an L1 hit of 3 cycles, loads take
 * 4 (scalar) and 5 (vector) cycles to use, as in the model.
 */
function a76Timing(): NonNullable<CoreConfigInput['timing']> {
  return {
    'scalar-alu': { latencyCycles: 1 },
    'scalar-mul': { latencyCycles: 2 },
    branch: { latencyCycles: 1 },
    'scalar-load': { latencyCycles: 1 },
    'vec-load': { latencyCycles: 2 },
    'vec-logic': { latencyCycles: 2 },
    'vec-shift': { latencyCycles: 2 },
    'vec-popcnt': { latencyCycles: 2 },
    'vec-alu': { latencyCycles: 2 },
    'vec-mul': { latencyCycles: 5, reciprocalThroughputCycles: 2, byWidth: { f32: { latencyCycles: 3, reciprocalThroughputCycles: 1 } } },
    'vec-mac': { latencyCycles: 4 },
    'vec-dot8': { latencyCycles: 2 },
    'vec-xdot': { latencyCycles: 10, reciprocalThroughputCycles: 2 },
    'vec-mdot': { latencyCycles: 4 },
    'vec-fp': { latencyCycles: 2 },
    'vec-fma': { latencyCycles: 4 },
    'vec-permute': { latencyCycles: 2 },
    'vec-reduce': { latencyCycles: 6, reciprocalThroughputCycles: 2 },
    'vec-requant': { latencyCycles: 4 },
  };
}

/** A76-class front end and window: 4-wide decode, 8 issue pipes, 128-entry window, 11-cycle mispredict (LLVM's N1 model). */
function a76Core(name: string): CoreConfigInput {
  return {
    name,
    clockGHz: 2.8,
    model: 'outOfOrder',
    fetchWidth: 4,
    frontEndStages: 4,
    fetchQueueSize: 32,
    dispatchWidth: 4,
    issueWidth: 8,
    retireWidth: 4,
    robSize: 128,
    schedulerSize: 64,
    lsqSize: 128,
    physScalarRegs: 128,
    physVectorRegs: 128,
    units: a76Units(),
    timing: a76Timing(),
    branchPredictor: { kind: 'loop', entries: 64, bimodalEntries: 4096 },
    mispredictPenaltyCycles: 7, // + frontEndStages 4 = 11
  };
}

/** An Arm Cortex-A76-like core with 128-bit Neon (no mixed-precision unit). */
export function neonA76(): Preset {
  return { isa: { vlenBits: 128, mixedUnit: false }, core: a76Core('neonA76') };
}

/**
 * A SySMOL-style core: the A76-like pipeline with VLEN 256, 4 precision-pattern registers and one pipelined
 * mixed-precision 1/2/4-bit dot-product unit (`vmdot`, latency 3). The unit's timing is our assumption.
 */
export function sysmol(): Preset {
  const core = a76Core('sysmol');
  return {
    isa: { vlenBits: 256, mixedWidths: [1, 2, 4], patternRegs: 4, mixedUnit: true },
    core: {
      ...core,
      units: [...a76Units().map((u) => ({ ...u, classes: u.classes.filter((c) => c !== 'vec-mdot') })), { name: 'MP', count: 1, classes: ['vec-mdot'] }],
      timing: { ...a76Timing(), 'vec-mdot': { latencyCycles: 3, reciprocalThroughputCycles: 1 } },
    },
  };
}

/**
 * An Intel Skylake-like core with 256-bit AVX2. Each execution port is a pool of one unit, so a port shared
 * by several classes serialises them as on the real core (as in uiCA). Classes AVX2 lacks (byte multiply,
 * int8 dot product, popcount, binary dot product) are priced as the instruction sequences compilers emit.
 */
export function avx2Skylake(): Preset {
  const VALU: InstrClassName[] = ['vec-logic', 'vec-alu', 'vec-popcnt', 'vec-xdot'];
  const VMUL: InstrClassName[] = ['vec-shift', 'vec-mul', 'vec-mac', 'vec-dot8', 'vec-mdot', 'vec-fp', 'vec-fma', 'vec-requant'];
  return {
    isa: { vlenBits: 256, mixedUnit: false },
    core: {
      name: 'avx2Skylake',
      clockGHz: 4.0,
      model: 'outOfOrder',
      fetchWidth: 6,
      frontEndStages: 5,
      fetchQueueSize: 64,
      dispatchWidth: 4,
      issueWidth: 8,
      retireWidth: 4,
      robSize: 224,
      schedulerSize: 97,
      lsqSize: 128,
      // Skylake's store buffer has 56 entries (Intel 64 and IA-32 Architectures Optimization Reference Manual,
      // Skylake client microarchitecture; 72 load-buffer entries + 56 store-buffer entries = the 128 above).
      storeBufferSize: 56,
      physScalarRegs: 180,
      physVectorRegs: 168,
      units: [
        { name: 'p0', count: 1, classes: ['scalar-alu', 'branch', 'pattern', 'misc', ...VALU, ...VMUL] },
        { name: 'p1', count: 1, classes: ['scalar-alu', 'scalar-mul', 'pattern', 'misc', ...VALU, ...VMUL] },
        { name: 'p5', count: 1, classes: ['scalar-alu', 'pattern', 'misc', ...VALU, 'vec-permute', 'vec-reduce'] },
        { name: 'p6', count: 1, classes: ['scalar-alu', 'branch', 'pattern', 'misc'] },
        { name: 'p23', count: 2, classes: ['scalar-load', 'vec-load'] },
        { name: 'p4', count: 1, classes: ['scalar-store', 'vec-store'] },
      ],
      timing: {
        'scalar-alu': { latencyCycles: 1 },
        'scalar-mul': { latencyCycles: 3 },
        branch: { latencyCycles: 1 },
        'scalar-load': { latencyCycles: 1 },
        'vec-load': { latencyCycles: 3 },
        'vec-logic': { latencyCycles: 1 },
        'vec-shift': { latencyCycles: 1 },
        'vec-popcnt': { latencyCycles: 4, reciprocalThroughputCycles: 2 },
        'vec-alu': { latencyCycles: 1, byWidth: { f32: { latencyCycles: 4 } } },
        'vec-mul': { latencyCycles: 5, byWidth: { w32: { latencyCycles: 10, reciprocalThroughputCycles: 2 }, w8: { latencyCycles: 7, reciprocalThroughputCycles: 4 }, f32: { latencyCycles: 4 } } },
        'vec-mac': { latencyCycles: 5 },
        'vec-dot8': { latencyCycles: 11, reciprocalThroughputCycles: 2 },
        'vec-xdot': { latencyCycles: 8, reciprocalThroughputCycles: 3 },
        'vec-mdot': { latencyCycles: 11, reciprocalThroughputCycles: 4 },
        'vec-fp': { latencyCycles: 4 },
        'vec-fma': { latencyCycles: 4 },
        'vec-permute': { latencyCycles: 3 },
        'vec-reduce': { latencyCycles: 6, reciprocalThroughputCycles: 2 },
        'vec-requant': { latencyCycles: 2 },
      },
      branchPredictor: { kind: 'loop', entries: 64, bimodalEntries: 4096 },
      mispredictPenaltyCycles: 11, // + frontEndStages 5 = 16
    },
  };
}

/** The presets by name (for the CLI and sweeps). */
export const PRESETS: Readonly<Record<'sysmol' | 'neonA76' | 'avx2Skylake', () => Preset>> = Object.freeze({ sysmol, neonA76, avx2Skylake });

/** The name of a preset. */
export type PresetName = keyof typeof PRESETS;

/** The preset of a name; throws with the list of names for an unknown one. */
export function presetByName(name: string): Preset {
  const f = (PRESETS as Record<string, (() => Preset) | undefined>)[name];
  if (f === undefined) throw new Error(`unknown preset '${name}'; presets are ${Object.keys(PRESETS).join(', ')}`);
  return f();
}
