/**
 * The dynamic instruction stream: what the functional executor hands the timing model. Facts that do not
 * change between executions of an instruction (opcode, class, registers read and written, element type,
 * pattern register) are in the program's {@link StaticInfo}, built once; a dynamic record carries only the PC
 * and what depends on values (memory address, branch outcome). Records are written into a reused
 * struct-of-arrays {@link TraceBuffer}, so a run of any length needs bounded memory and no allocation per
 * instruction.
 *
 * Register ids are unified so one array can name any register: scalar `x0..x31` are 0..31, vector `v0..v31`
 * are 32..63, pattern registers `pp0..pp7` are 64..71, and -1 means "none".
 *
 * @module
 */

/** First unified id of the scalar registers. */
export const REG_X = 0;
/** First unified id of the vector registers. */
export const REG_V = 32;
/** First unified id of the precision-pattern registers. */
export const REG_PP = 64;
/** Number of unified register ids. */
export const NUM_REG_IDS = 72;
/** Most registers one instruction reads (for example `vmdot` reads vd, va, vw and a pattern register). */
export const MAX_READS = 4;

/**
 * What each register an instruction reads is, for the timing model's per-operand rules (CoreConfig
 * `readAdvanceCycles`, `forwarding`): the accumulator of a multiply-accumulate or dot product (`vd += ...`), the
 * old value of a destination written in part (`merge`), the named sources, the base register of an address, a
 * precision-pattern register. The number stored in {@link StaticInfo.readRoles} is the index in this list.
 */
export const OPERAND_ROLES = ['accumulator', 'merge', 'vs1', 'vs2', 'vs', 'xs1', 'xs2', 'base', 'pattern'] as const;
/** One of {@link OPERAND_ROLES}. */
export type OperandRole = (typeof OPERAND_ROLES)[number];
/** Index of the accumulator role in {@link OPERAND_ROLES}. */
export const ROLE_ACCUMULATOR = 0;

/** Memory behaviour of an instruction. */
export const MEM_NONE = 0;
/** The instruction reads memory. */
export const MEM_LOAD = 1;
/** The instruction writes memory. */
export const MEM_STORE = 2;

/**
 * Per-instruction facts of a program, indexed by PC (instruction index), as parallel typed arrays.
 * `reads` holds {@link MAX_READS} unified register ids per instruction (padded with -1).
 */
export interface StaticInfo {
  readonly length: number;
  /** Opcode id (index into the instruction table). */
  readonly op: Uint8Array;
  /** Instruction class id (see `CLASS_ID`). */
  readonly cls: Uint8Array;
  /** Unified ids of registers read, MAX_READS per instruction, -1 padded. */
  readonly reads: Int8Array;
  /** The role of each register read (index into {@link OPERAND_ROLES}), parallel to `reads`. */
  readonly readRoles: Uint8Array;
  /** The int32 lane of vd a lane-writing instruction writes (`vmdot ... lane`), -1 when it writes the whole register. */
  readonly writeLane: Int8Array;
  /** Unified id of the register written, or -1. */
  readonly writes: Int8Array;
  /** Element type code (see `ETYPES`), or -1 when the instruction has none. */
  readonly etype: Int8Array;
  /** Pattern register index used, or -1. */
  readonly pattern: Int8Array;
  /** Element width in bits for uniform element types (1..32), 0 for a pattern-typed or untyped instruction. */
  readonly widthBits: Uint8Array;
  /** MEM_NONE, MEM_LOAD or MEM_STORE. */
  readonly mem: Uint8Array;
  /** Encoded size in 32-bit words (1 or 2). */
  readonly words: Uint8Array;
}

/** Arrays a {@link TraceBuffer} may be given to hold its records in (see its constructor). */
export interface TraceArrays {
  readonly pc: Int32Array;
  readonly addr: Int32Array;
  readonly size: Int32Array;
  readonly stride: Int32Array;
  readonly pieces: Int32Array;
  readonly taken: Uint8Array;
}

/**
 * A reused buffer of dynamic records, struct-of-arrays. Record `i` (0 <= i < count) is: instruction `pc[i]`;
 * if it accesses memory, `count[i]` pieces of `size[i]` bytes at `addr[i] + k * stride[i]` (a unit-stride
 * vector access is one piece of VLEN/8 bytes); `taken[i]` is 1 for a taken branch. Non-memory records have
 * `size[i] = 0`.
 */
export class TraceBuffer {
  readonly pc: Int32Array;
  readonly addr: Int32Array;
  readonly size: Int32Array;
  readonly stride: Int32Array;
  readonly pieces: Int32Array;
  readonly taken: Uint8Array;
  /** Number of valid records. */
  count = 0;

  /**
   * A buffer of `capacity` records, in arrays of its own or in `arrays` (each at least `capacity` long): the
   * WebAssembly cores pass views of their module's memory, so the records are written where the core reads them.
   */
  constructor(readonly capacity = 4096, arrays?: TraceArrays) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`TraceBuffer capacity must be a positive integer, got ${capacity}`);
    if (arrays !== undefined) {
      for (const [name, a] of Object.entries(arrays)) {
        if (a.length < capacity) throw new RangeError(`TraceBuffer: arrays.${name} holds ${a.length} records, capacity is ${capacity}`);
      }
    }
    this.pc = arrays?.pc ?? new Int32Array(capacity);
    this.addr = arrays?.addr ?? new Int32Array(capacity);
    this.size = arrays?.size ?? new Int32Array(capacity);
    this.stride = arrays?.stride ?? new Int32Array(capacity);
    this.pieces = arrays?.pieces ?? new Int32Array(capacity);
    this.taken = arrays?.taken ?? new Uint8Array(capacity);
  }
}

/** One dynamic record as a plain object, for users and tests (the simulator itself reads the buffer). */
export interface DynRecord {
  readonly pc: number;
  readonly op: string;
  readonly cls: string;
  readonly reads: readonly number[];
  readonly writes: number;
  readonly etype: number;
  readonly pattern: number;
  readonly mem: 'none' | 'load' | 'store';
  readonly addr: number;
  readonly size: number;
  readonly stride: number;
  readonly pieces: number;
  readonly taken: boolean;
}
