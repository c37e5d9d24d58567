/**
 * Presets: plain configurations (an ISA part and a core part) of four cores. Every figure has its source in a
 * comment beside it, and docs/presets.md lists them with the real instruction each class stands for. Each preset
 * is a function returning a fresh object, so callers may change their copy.
 *
 * - {@link sysmol}: a SySMOL-style core with a mixed-precision 1/2/4-bit dot-product unit, 4 precision
 *   patterns and VLEN 256 on an A76-class pipeline (the mixed unit's timing, its accumulate latency included, is
 *   our assumption: no such unit is published).
 * - {@link neonA76}: an Arm Cortex-A76-like core, 128-bit Neon (LLVM's Neoverse N1 scheduling model, the N1
 *   being derived from the A76; accumulate latencies from Arm's software optimization guides).
 * - {@link avx2Skylake}: an Intel Skylake-like core, 256-bit AVX2, one pool per execution port (uops.info,
 *   Agner Fog's instruction tables and microarchitecture guide).
 * - {@link vnniSkylake}: the same core with AVX-512 VNNI's `vpdpbusd`/`vpdpwssd` (Ice Lake / Cascade Lake).
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
    // two load/store pipes; a vector store's data goes through a store pipe of its own, 1 per cycle (N1 guide:
    // STR Q 1 per cycle; LLVM's N1 model: 2 µops on L and 2 on V)
    { name: 'L', count: 2, classes: ['scalar-load', 'scalar-store', 'vec-load'] },
    { name: 'VST', count: 1, classes: ['vec-store'] },
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
    // SMLAL/UMLAL (vwmacc): latency 4, accumulate latency 1 (forwarding rule below)
    'vec-mac': { latencyCycles: 4 },
    // SDOT/UDOT: latency 2 (no separate accumulate latency is listed)
    'vec-dot8': { latencyCycles: 2 },
    // EOR + CNT + ADDV into a lane: 10; the accumulation into the lane is one ASIMD ADD (latency 2), so the
    // accumulator is read 8 cycles after issue
    'vec-xdot': { latencyCycles: 10, reciprocalThroughputCycles: 2, readAdvanceCycles: { accumulator: 8 } },
    'vec-mdot': { latencyCycles: 4 },
    'vec-fp': { latencyCycles: 2 },
    'vec-fma': { latencyCycles: 4 },
    'vec-permute': { latencyCycles: 2 },
    'vec-reduce': { latencyCycles: 6, reciprocalThroughputCycles: 2 },
    'vec-requant': { latencyCycles: 4 },
  };
}

/**
 * Late forwarding of accumulators on an A76-class core ("ASIMD multiply-accumulate pipelines support
 * late-forwarding of accumulate operands from similar µops", accumulate latency in parentheses): SMLAL 4(1) and
 * FMLA 4(2), Arm Cortex-A76 and Neoverse N1 Software Optimization Guides, ASIMD tables; Arm's own SLOTHY model of
 * the N1 (slothy/targets/aarch64/neoverse_n1_experimental.py: mlal -> mlal 1, mla -> mla 2) agrees, and LLVM's
 * Neoverse N3 model encodes the same forwarding (FMA ReadAdvance 2).
 */
function a76Forwarding(): NonNullable<CoreConfigInput['forwarding']> {
  return [
    { from: ['vec-mac'], to: ['vec-mac'], latencyCycles: 1 },
    { from: ['vec-fma'], to: ['vec-fma'], latencyCycles: 2 },
  ];
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
    forwarding: a76Forwarding(),
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
 * mixed-precision 1/2/4-bit dot-product unit (`vmdot`, latency 3, accumulate latency 1). The unit's timing is our
 * assumption (no such unit is published): a multiply stage, a two-stage adder tree, and the accumulation into the
 * lane late-forwarded from one `vmdot` to the next, as Arm's multiply-accumulate pipelines do.
 */
export function sysmol(): Preset {
  const core = a76Core('sysmol');
  return {
    isa: { vlenBits: 256, mixedWidths: [1, 2, 4], patternRegs: 4, mixedUnit: true },
    core: {
      ...core,
      units: [...a76Units().map((u) => ({ ...u, classes: u.classes.filter((c) => c !== 'vec-mdot') })), { name: 'MP', count: 1, classes: ['vec-mdot'] }],
      timing: { ...a76Timing(), 'vec-mdot': { latencyCycles: 3, reciprocalThroughputCycles: 1 } },
      forwarding: [...a76Forwarding(), { from: ['vec-mdot'], to: ['vec-mdot'], latencyCycles: 1 }],
    },
  };
}

/**
 * An Intel Skylake-like core with 256-bit AVX2. Each execution port is a pool of one unit, so a port shared
 * by several classes serialises them as on the real core (as in uiCA). Classes AVX2 lacks (byte multiply,
 * int8 dot product, popcount, binary dot product) are priced as the instruction sequences compilers emit; a
 * sequence that ends in an add into the accumulator reads its accumulator only for that add (read advance).
 */
export function avx2Skylake(): Preset {
  return { isa: { vlenBits: 256, mixedUnit: false }, core: skylakeCore('avx2Skylake') };
}

/**
 * The Skylake-like core with AVX-512 VNNI at 256 bits (Ice Lake / Cascade Lake): the int8 dot product is one
 * `vpdpbusd` and the int16 multiply-accumulate one `vpdpwssd`, latency 5 through every operand, on port 0 or 1,
 * 2 per cycle (uops.info ICL and CLX; Intel Intrinsics Guide `_mm256_dpbusd_epi32`: latency 5, throughput 0.5).
 * Everything else as {@link avx2Skylake}.
 */
export function vnniSkylake(): Preset {
  const core = skylakeCore('vnniSkylake');
  return {
    isa: { vlenBits: 256, mixedUnit: false },
    core: { ...core, timing: { ...core.timing, 'vec-dot8': { latencyCycles: 5 }, 'vec-mac': { latencyCycles: 5 } } },
  };
}

/** The Skylake-like core both Skylake presets share (see {@link avx2Skylake}). */
function skylakeCore(name: string): CoreConfigInput {
  const VALU: InstrClassName[] = ['vec-logic', 'vec-alu'];
  const VMUL: InstrClassName[] = ['vec-shift', 'vec-mul', 'vec-mac', 'vec-dot8', 'vec-mdot', 'vec-fp', 'vec-fma', 'vec-requant'];
  return {
    name,
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
      // popcount and the XNOR-popcount dot product are bound by their port-5-only shuffles (vpshufb, vpsadbw)
      { name: 'p5', count: 1, classes: ['scalar-alu', 'pattern', 'misc', ...VALU, 'vec-permute', 'vec-reduce', 'vec-popcnt', 'vec-xdot'] },
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
      // byte popcount: 2 vpshufb (port 5 only) + shift, and, 2 adds: 2 cycles of port 5 each
      'vec-popcnt': { latencyCycles: 4, reciprocalThroughputCycles: 2 },
      'vec-alu': { latencyCycles: 1, byWidth: { f32: { latencyCycles: 4 } } },
      'vec-mul': { latencyCycles: 5, byWidth: { w32: { latencyCycles: 10, reciprocalThroughputCycles: 2 }, w8: { latencyCycles: 7, reciprocalThroughputCycles: 4 }, f32: { latencyCycles: 4 } } },
      // vwmacc = vpmaddwd (5) + vpaddd (1): 6, the accumulator read only by the vpaddd
      'vec-mac': { latencyCycles: 6, readAdvanceCycles: { accumulator: 5 } },
      // vdotus = vpmaddubsw (5) + vpmaddwd (5) + vpaddd (1): 11, the accumulator read only by the vpaddd
      'vec-dot8': { latencyCycles: 11, reciprocalThroughputCycles: 2, readAdvanceCycles: { accumulator: 10 } },
      // vxdot = vpxor, 2 vpshufb + shifts and ands, vpaddb, vpsadbw (3), vpaddq into the accumulator (1): 8,
      // 3 port-5-only µops per instruction
      'vec-xdot': { latencyCycles: 8, reciprocalThroughputCycles: 3, readAdvanceCycles: { accumulator: 7 } },
      'vec-mdot': { latencyCycles: 11, reciprocalThroughputCycles: 4 },
      'vec-fp': { latencyCycles: 4 },
      'vec-fma': { latencyCycles: 4 },
      'vec-permute': { latencyCycles: 3 },
      // int32 sum to a scalar: 3 port-5 shuffles (vextracti128, vpshufd x2), 3 adds, a vmovd
      'vec-reduce': { latencyCycles: 6, reciprocalThroughputCycles: 3 },
      'vec-requant': { latencyCycles: 2 },
    },
    branchPredictor: { kind: 'loop', entries: 64, bimodalEntries: 4096 },
    mispredictPenaltyCycles: 11, // + frontEndStages 5 = 16
  };
}

/** The presets by name (for the CLI and sweeps). */
export const PRESETS: Readonly<Record<'sysmol' | 'neonA76' | 'avx2Skylake' | 'vnniSkylake', () => Preset>> = Object.freeze({ sysmol, neonA76, avx2Skylake, vnniSkylake });

/** The name of a preset. */
export type PresetName = keyof typeof PRESETS;

/** The preset of a name; throws with the list of names for an unknown one. */
export function presetByName(name: string): Preset {
  const f = (PRESETS as Record<string, (() => Preset) | undefined>)[name];
  if (f === undefined) throw new Error(`unknown preset '${name}'; presets are ${Object.keys(PRESETS).join(', ')}`);
  return f();
}
