/**
 * The instruction set of the simulated SIMD core and its functional model: element types, precision patterns,
 * the instruction table, binary encoding, assembler and disassembler, and the executor that computes values
 * bit-exactly and streams dynamic records to the timing model.
 *
 * @module
 */
export { INSTR_CLASSES, CLASS_ID, NUM_CLASSES, type InstrClassName } from './classes.js';
export { IsaConfigSchema, resolveIsaConfig, MIXED_WIDTH_CHOICES, type IsaConfig, type IsaConfigInput } from './config.js';
export {
  ETYPES,
  ETYPE_WIDTH,
  ETYPE_SIGNED,
  ET_PAT_U,
  ET_PAT_S,
  ET_B1,
  ET_F32,
  etypeCode,
  isPatternType,
  type EtypeName,
} from './etypes.js';
export {
  encodePattern,
  decodePattern,
  compilePattern,
  patternProblem,
  uniformPattern,
  formatPattern,
  packPattern,
  unpackPattern,
  MAX_DESCRIPTOR_RUNS,
  type PatternRun,
  type CompiledPattern,
} from './pattern.js';
export { Effects, ExecFault, type Instr, type OpDef, type OperandSpec, type ExecFn, type Field } from './instr.js';
export { OPS, OPCODE, opcodeOf } from './table.js';
export { WIDTH_KEYS, NUM_WIDTH_KEYS, widthKeyIndex, type WidthKey } from './width-keys.js';
export { LAYOUTS, OPCODE_BITS, encodeInto, decodeAt, encodeProgram, decodeProgram, usesPattern, type EncodingLayout, type FieldSlot } from './encoding.js';
export { assemble, parseIntLiteral, AssemblyError, type AsmProblem, type AssembleOptions } from './assembler.js';
export { disassemble, formatInstr, mnemonicOf } from './disassembler.js';
export { makeProgram, buildStaticInfo, type Program, type DataBlock } from './program.js';
export { MachineState, NUM_VREGS, NUM_XREGS } from './state.js';
export { Executor, SimError, type RunSummary } from './executor.js';
export { referenceStep, type RefEffects } from './reference.js';
export {
  TraceBuffer,
  type TraceArrays,
  REG_X,
  REG_V,
  REG_PP,
  NUM_REG_IDS,
  MAX_READS,
  MEM_NONE,
  MEM_LOAD,
  MEM_STORE,
  OPERAND_ROLES,
  ROLE_ACCUMULATOR,
  type OperandRole,
  type StaticInfo,
  type DynRecord,
} from './trace.js';
