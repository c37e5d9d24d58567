/**
 * The one declaration of the interface between the TypeScript side and the cores' WebAssembly modules: for
 * every part of a run (the memory port, the branch predictor, each core), the arrays it works on (name and
 * element type), its integer and cycle-valued settings and the counters it hands back, in order; and the
 * constants both sides use. Nothing else lists them:
 *
 * - `npm run build:wasm` generates the AssemblyScript side from this file (scripts/gen-wasm-interface.ts writes
 *   src/pipeline/wasm/generated/): a global per array, setting and counter, an `init_<part>` that reads them in
 *   this order and checks each array's tag, an `outputs_<part>` that writes the counters out, and the constants
 *   with a `constantValue(i)` the loader compares against the values here;
 * - the TypeScript side (loader.ts) lays a run out from the same lists, asks for each array, setting and counter
 *   by name (the names are types derived from this file, so a missing or misspelt one does not compile), tags
 *   each array with its position, and checks the module's constants when it loads it.
 *
 * The constants are the TypeScript modules' own (imported here), so each value has one source.
 *
 * @module
 */
import { INSTR_CLASSES } from '../../isa/classes.js';
import { MAX_READS, OPERAND_ROLES, REG_PP, REG_V, ROLE_ACCUMULATOR } from '../../isa/trace.js';
import { NUM_WIDTH_KEYS } from '../config.js';
import { ACCESS_READ, ACCESS_WRITE, RETRY } from '../../memory/port.js';
import { HIT_BLOCK } from '../../memory/hit-path.js';
import { EMPTY_LINE } from '../../memory/line-index.js';
import { PC_BRANCH, PC_LOAD, PC_MEM, PC_WRITES_V, PC_WRITES_X } from '../descriptors.js';
import { CPI_BASE, CPI_BRANCH, CPI_DEPENDENCY, CPI_FRONTEND, CPI_UNIT0 } from '../stats.js';

/** Most int32 lanes a vector register has (VLEN 512): what a lane-writing instruction's lane number indexes. */
export const MAX_LANES = 16;

/** Element type of an array in a module's memory. */
export type ElementType = 'f64' | 'i32' | 'u8';

/** How the memory port answers an access inside the module (the `memMode` setting of the memory part). */
export const MEMORY_MODE = {
  /** Every access goes to the JavaScript memory port. */
  js: 0,
  /** A fixed latency, added inside the module. */
  fixed: 1,
  /** Plain first-level hits are taken inside the module on a lent hit path; the rest go to JavaScript. */
  hits: 2,
} as const;

/** Which branch predictor the module trains (the `predKind` setting of the predictor part). */
export const PREDICTOR_KIND = { static: 1, bimodal: 2, loop: 3 } as const;

/** Constants both sides use, with the AssemblyScript type each is declared with. */
export const CONSTANTS = {
  MAX_READS: ['i32', MAX_READS],
  REG_V: ['i32', REG_V],
  REG_PP: ['i32', REG_PP],
  NUM_ROLES: ['i32', OPERAND_ROLES.length],
  ROLE_ACCUMULATOR: ['i32', ROLE_ACCUMULATOR],
  NUM_CLASSES: ['i32', INSTR_CLASSES.length],
  NUM_WIDTH_KEYS: ['i32', NUM_WIDTH_KEYS],
  MAX_LANES: ['i32', MAX_LANES],
  RETRY: ['f64', RETRY],
  ACCESS_READ: ['i32', ACCESS_READ],
  ACCESS_WRITE: ['i32', ACCESS_WRITE],
  PC_BRANCH: ['i32', PC_BRANCH],
  PC_MEM: ['i32', PC_MEM],
  PC_LOAD: ['i32', PC_LOAD],
  PC_WRITES_X: ['i32', PC_WRITES_X],
  PC_WRITES_V: ['i32', PC_WRITES_V],
  CPI_BASE: ['i32', CPI_BASE],
  CPI_DEPENDENCY: ['i32', CPI_DEPENDENCY],
  CPI_FRONTEND: ['i32', CPI_FRONTEND],
  CPI_BRANCH: ['i32', CPI_BRANCH],
  CPI_UNIT0: ['i32', CPI_UNIT0],
  MEM_JS: ['i32', MEMORY_MODE.js],
  MEM_FIXED: ['i32', MEMORY_MODE.fixed],
  MEM_HITS: ['i32', MEMORY_MODE.hits],
  PRED_STATIC: ['i32', PREDICTOR_KIND.static],
  PRED_BIMODAL: ['i32', PREDICTOR_KIND.bimodal],
  PRED_LOOP: ['i32', PREDICTOR_KIND.loop],
  EMPTY_LINE: ['f64', EMPTY_LINE],
  B_CLOCK: ['i32', HIT_BLOCK.clock],
  B_PORT_CYCLE: ['i32', HIT_BLOCK.portCycle],
  B_PORT_USED: ['i32', HIT_BLOCK.portUsed],
  B_HEAD: ['i32', HIT_BLOCK.shadowHead],
  B_TAIL: ['i32', HIT_BLOCK.shadowTail],
  B_LAST: ['i32', HIT_BLOCK.shadowLast],
  B_READS: ['i32', HIT_BLOCK.reads],
  B_READ_BITS: ['i32', HIT_BLOCK.readBits],
  B_WRITE_BITS: ['i32', HIT_BLOCK.writeBits],
  B_LEVEL: ['i32', HIT_BLOCK.lastLevel],
  HIT_BLOCK_LENGTH: ['i32', HIT_BLOCK.length],
} as const satisfies Record<string, readonly ['i32' | 'f64', number]>;

/** One part of a run: its arrays (in order), settings and counters. */
export interface PartSpec {
  /** Array names and element types, in the order init reads their addresses. */
  readonly arrays: Readonly<Record<string, ElementType>>;
  /** Integer settings (i32), in order. */
  readonly ints: readonly string[];
  /** Cycle-valued settings (f64), in order. */
  readonly cycles: readonly string[];
  /** Counters the part hands back at the end of a run (f64), with the value each starts a run with. */
  readonly outputs: Readonly<Record<string, number>>;
}

/**
 * The memory port's part (memport.as.ts): the first level's lent hit-path state (HitPathLoan.arrays, in its
 * order) and the block of scalars that travels with it, and the served-level slot the module writes after every
 * access the JavaScript memory answers.
 */
const memory = {
  arrays: {
    tags: 'f64', readyAt: 'f64', dirty: 'u8', stamps: 'f64',
    shadowKeys: 'f64', shadowSlots: 'i32', shadowPrev: 'i32', shadowNext: 'i32',
    hitBlock: 'f64', levelSlot: 'i32',
  },
  ints: ['memMode', 'ways', 'setMask', 'shadow', 'shadowBits'],
  cycles: ['fixedLatency', 'lineBytes', 'ports', 'hitLatency'],
  outputs: {},
} as const satisfies PartSpec;

/** The branch predictor's part (predictor.as.ts): a copy of its state for the run (see predictor.ts). */
const predictor = {
  arrays: { bimCtr: 'u8', loopTrip: 'i32', loopCur: 'i32', loopConf: 'u8' },
  ints: ['predKind', 'staticTaken', 'bimEntries', 'loopEntries'],
  cycles: [],
  outputs: {},
} as const satisfies PartSpec;

/**
 * What both cores share (rules.as.ts and both loops read it): the program's per-PC facts, the descriptor table,
 * the accumulators, the record batch, the core's settings and the counters a run hands back.
 */
const core = {
  arrays: {
    pcInfo: 'u8', pcNReads: 'u8', pcReads: 'i32', pcRoles: 'u8', pcWrite: 'i32', pcLane: 'i32', desc: 'i32', pcCount: 'f64',
    lat: 'i32', thr: 'i32', readAdvance: 'i32', forward: 'i32', uStart: 'i32', uCount: 'i32', uList: 'i32', uPool: 'i32', uPipe: 'u8',
    cpi: 'f64', memCpi: 'i32', poolBusy: 'f64', unitFree: 'f64',
    bPc: 'i32', bAddr: 'i32', bSize: 'i32', bStride: 'i32', bPieces: 'i32', bTaken: 'u8',
  },
  ints: [
    'programLength', 'fetchWidth', 'dispatchWidth', 'issueWidth', 'retireWidth', 'fetchQueueSize', 'robSize', 'schedulerSize', 'lsqSize',
    'xFree', 'vFree', 'storeBufferSize', 'hasLevels', 'useSb', 'hasObserver', 'cpiSb', 'cpiCount', 'hasOperandRules', 'laneMode', 'lsuBlockBytes',
  ],
  cycles: ['frontEndStages', 'penalty', 'stuckCycles'],
  outputs: {
    cycles: 0, instructions: 0, loads: 0, stores: 0, loadBytes: 0, storeBytes: 0, memAccesses: 0, retries: 0, memRetryCycles: 0,
    branches: 0, mispredicts: 0, stallRob: 0, stallSched: 0, stallLsq: 0, stallRegs: 0, stallFrontEnd: 0, stallStoreBuffer: 0,
  },
} as const satisfies PartSpec;

/** The store buffer's drain (store-buffer.as.ts): a ring of retired stores not yet written. */
const storeBuffer = {
  arrays: { sbAddr: 'f64', sbBytes: 'i32', sbStride: 'i32', sbPieces: 'i32', sbPc: 'i32', sbRet: 'f64', sbFreed: 'f64' },
  ints: ['sbMask'],
  cycles: [],
  outputs: { sbAccesses: 0, sbRetries: 0 },
} as const satisfies PartSpec;

/**
 * The in-order core (inorder.as.ts): per-PC copies of its descriptor's facts (filled by the module), its ring of
 * per-instruction times and the CPI accounting's queues.
 */
const inorder = {
  arrays: {
    pcLat: 'f64', pcUnits: 'i32', pcUnit: 'i32', pcPool: 'i32', pcOcc: 'f64',
    rg: 'f64', regVis: 'f64', regIssue: 'f64', regDesc: 'i32', regMem: 'u8', laneVis: 'f64', laneIssue: 'f64', laneDesc: 'i32', laneMem: 'u8', lsqRet: 'f64', xRet: 'f64', vRet: 'f64', 
  },
  ints: ['PM', 'lsqM', 'xM', 'vM'],
  cycles: [],
  outputs: {},
} as const satisfies PartSpec;

/** The out-of-order core (ooo.as.ts): the ring of in-flight instructions, wake-up lists, queues. */
const ooo = {
  arrays: {
    pcGroup: 'i32', gStart: 'i32', gCount: 'i32',
    rPc: 'i32', rDesc: 'i32', rAddr: 'i32', rSize: 'i32', rStride: 'i32', rPieces: 'i32', rPiece: 'i32', rMemReady: 'f64',
    rMispredict: 'u8', rIssued: 'u8', rDone: 'f64', rSrc: 'f64', rSrcSlot: 'i32', rNSrc: 'u8',
    rFetch: 'f64', rReady: 'f64', rDispatch: 'f64', rIssue: 'f64', producer: 'f64', producerSlot: 'i32', producerIsMem: 'u8',
    rLevel: 'u8', rLevelAcc: 'u8', rSb: 'u8', depHead: 'i32', depNext: 'i32', rSeq: 'f64', rGroup: 'i32',
    laneProd: 'f64', laneProdSlot: 'i32', rLaneSrc: 'f64', rLaneSrcSlot: 'i32', rLaneRole: 'u8', rNLane: 'u8',
    rNonMemMax: 'f64', rMemMax: 'f64', rMemLvl: 'u8', rMemFrom: 'f64',
    groupFreeAt: 'f64',
    heapKeys: 'f64', heapSlots: 'i32', rqKeys: 'f64', rqSlots: 'i32', rqHead: 'i32', rqN: 'i32', active: 'i32', activePos: 'i32',
    memQ: 'i32',
  },
  ints: ['cap', 'rqSize', 'skipIdle'],
  cycles: [],
  outputs: { skippedCycles: 0 },
} as const satisfies PartSpec;

/** Every part, by name; the number after each is its tag prefix (a part's array k is tagged prefix * 256 + k). */
export const PARTS = { memory, predictor, core, storeBuffer, inorder, ooo } as const;
/** Part names. */
export type PartName = keyof typeof PARTS;
/** Tag prefix of each part. */
export const PART_IDS: Readonly<Record<PartName, number>> = { memory: 1, predictor: 2, core: 3, storeBuffer: 4, inorder: 5, ooo: 6 };

/** The parts each module is built from, in the order the loader lays them out. */
export const MODULES = {
  inorder: ['memory', 'predictor', 'core', 'storeBuffer', 'inorder'],
  ooo: ['memory', 'predictor', 'core', 'storeBuffer', 'ooo'],
} as const satisfies Record<string, readonly PartName[]>;
/** Module names (src/pipeline/wasm/<name>.as.ts, compiled to <name>.wasm). */
export type ModuleName = keyof typeof MODULES;

/** The array names of a part. */
export type ArrayName<P extends PartName> = keyof (typeof PARTS)[P]['arrays'] & string;
/** The integer-setting names of a part. */
export type IntName<P extends PartName> = (typeof PARTS)[P]['ints'][number];
/** The cycle-setting names of a part. */
export type CycleName<P extends PartName> = (typeof PARTS)[P]['cycles'][number];
/** The counter names of a part. */
export type OutputName<P extends PartName> = keyof (typeof PARTS)[P]['outputs'] & string;

/** Tag of array `k` of a part. */
export function arrayTag(part: PartName, k: number): number {
  return PART_IDS[part] * 256 + k;
}

/** A 32-bit hash (FNV-1a) of every part and constant: a module built from another manifest is refused at load. */
export function manifestHash(): number {
  const text = JSON.stringify({ PARTS, CONSTANTS, PART_IDS });
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}
