/**
 * The static instruction descriptors of a core: for every (instruction class, width key) pair, its latency,
 * how long it occupies a unit, and which units may take it. Built once per {@link CoreConfig}, frozen, and
 * shared by every simulation of that configuration; the timing loop only indexes its typed arrays.
 *
 * Descriptor index = class id x NUM_WIDTH_KEYS + width-key index. Units are numbered flat across pools in
 * declaration order, so pool `p` owns units `poolFirstUnit[p] .. poolFirstUnit[p] + count - 1`.
 *
 * @module
 */
import { CLASS_ID, INSTR_CLASSES, NUM_CLASSES } from '../isa/classes.js';
import { MAX_READS, MEM_LOAD, MEM_NONE, OPERAND_ROLES, REG_PP, REG_V, type StaticInfo } from '../isa/trace.js';
import { NUM_WIDTH_KEYS, WIDTH_KEYS, widthKeyIndex, type CoreConfig } from './config.js';

/** The descriptor table of one core configuration. */
export class DescriptorTable {
  /** Latency per descriptor (cycles). */
  readonly latency: Int32Array;
  /** Reciprocal throughput per descriptor: cycles a pipelined unit is busy per operation. */
  readonly throughput: Int32Array;
  /** Read advance per descriptor and operand role (index `d * OPERAND_ROLES.length + role`), cycles. */
  readonly readAdvance: Int32Array;
  /**
   * Late-forwarding latency from a producer class to a consumer class's accumulator (index
   * `producerClass * NUM_CLASSES + consumerClass`), cycles; 0 where no rule applies.
   */
  readonly forward: Int32Array;
  /** Whether any read advance or forwarding rule is set (the cores skip the per-operand rule otherwise). */
  readonly hasOperandRules: boolean;
  /** Whether each unit is pipelined (1) or busy for max(latency, throughput) per operation (0). */
  readonly unitPipelined: Uint8Array;
  /** Offset into {@link unitList} of each descriptor's candidate units. */
  readonly unitsStart: Int32Array;
  /** Number of candidate units of each descriptor. */
  readonly unitsCount: Int32Array;
  /** Candidate unit ids, grouped per descriptor, pools in declaration order. */
  readonly unitList: Int32Array;
  /** Pool of each unit. */
  readonly unitPool: Int32Array;
  /** First unit id of each pool. */
  readonly poolFirstUnit: Int32Array;
  /** Pool names, in declaration order. */
  readonly poolNames: readonly string[];
  /** Units per pool. */
  readonly poolCount: Int32Array;
  /** Total number of units. */
  readonly numUnits: number;
  /**
   * Unit groups: descriptors whose candidate units are the same list share a group (the out-of-order
   * scheduler keeps one ready queue per group). `unitsStart`/`unitsCount` index {@link unitList}.
   */
  readonly unitGroups: { readonly count: number; readonly ofDescriptor: Int32Array; readonly unitsStart: Int32Array; readonly unitsCount: Int32Array };

  constructor(readonly core: CoreConfig) {
    const n = NUM_CLASSES * NUM_WIDTH_KEYS;
    this.latency = new Int32Array(n);
    this.throughput = new Int32Array(n);
    this.readAdvance = new Int32Array(n * OPERAND_ROLES.length);
    this.forward = new Int32Array(NUM_CLASSES * NUM_CLASSES);
    for (const rule of core.forwarding) {
      for (const from of rule.from) {
        for (const to of rule.to) {
          const k = CLASS_ID[from] * NUM_CLASSES + CLASS_ID[to];
          if (this.forward[k] === 0 || rule.latencyCycles < this.forward[k]!) this.forward[k] = rule.latencyCycles;
        }
      }
    }
    this.unitsStart = new Int32Array(n);
    this.unitsCount = new Int32Array(n);
    this.poolNames = Object.freeze(core.units.map((u) => u.name));
    this.poolCount = Int32Array.from(core.units.map((u) => u.count));
    this.poolFirstUnit = new Int32Array(core.units.length);
    const unitPool: number[] = [];
    core.units.forEach((u, p) => {
      this.poolFirstUnit[p] = unitPool.length;
      for (let k = 0; k < u.count; k++) unitPool.push(p);
    });
    this.unitPool = Int32Array.from(unitPool);
    this.unitPipelined = Uint8Array.from(unitPool.map((p) => (core.units[p]!.pipelined ? 1 : 0)));
    this.numUnits = unitPool.length;
    const list: number[] = [];
    for (let c = 0; c < NUM_CLASSES; c++) {
      const cls = INSTR_CLASSES[c]!;
      const t = core.timing[cls];
      const pools = core.units.map((u, p) => ({ u, p })).filter(({ u }) => u.classes.includes(cls));
      for (let w = 0; w < NUM_WIDTH_KEYS; w++) {
        const d = c * NUM_WIDTH_KEYS + w;
        const o = t?.byWidth[WIDTH_KEYS[w]!];
        const lat = o?.latencyCycles ?? t?.latencyCycles ?? 1;
        const rt = o?.reciprocalThroughputCycles ?? t?.reciprocalThroughputCycles ?? 1;
        this.latency[d] = lat;
        this.throughput[d] = rt;
        OPERAND_ROLES.forEach((role, r) => {
          this.readAdvance[d * OPERAND_ROLES.length + r] = o?.readAdvanceCycles?.[role] ?? t?.readAdvanceCycles[role] ?? 0;
        });
        this.unitsStart[d] = list.length;
        for (const { u, p } of pools) for (let k = 0; k < u.count; k++) list.push(this.poolFirstUnit[p]! + k);
        this.unitsCount[d] = list.length - this.unitsStart[d]!;
      }
    }
    this.unitList = Int32Array.from(list);
    this.hasOperandRules = this.readAdvance.some((a) => a > 0) || this.forward.some((f) => f > 0);
    const groupOf = new Map<string, number>();
    const ofDescriptor = new Int32Array(n);
    const gStart: number[] = [], gCount: number[] = [];
    for (let d = 0; d < n; d++) {
      const key = Array.from(this.unitList.subarray(this.unitsStart[d]!, this.unitsStart[d]! + this.unitsCount[d]!)).join(',');
      let g = groupOf.get(key);
      if (g === undefined) {
        g = gStart.length;
        groupOf.set(key, g);
        gStart.push(this.unitsStart[d]!);
        gCount.push(this.unitsCount[d]!);
      }
      ofDescriptor[d] = g;
    }
    this.unitGroups = Object.freeze({ count: gStart.length, ofDescriptor, unitsStart: Int32Array.from(gStart), unitsCount: Int32Array.from(gCount) });
    Object.freeze(this);
  }

  /** The descriptor index of every PC of a program (built once per program and core). */
  indexProgram(s: StaticInfo): Uint16Array {
    const out = new Uint16Array(s.length);
    for (let pc = 0; pc < s.length; pc++) {
      out[pc] = s.cls[pc]! * NUM_WIDTH_KEYS + widthKeyIndex(s.etype[pc]!, s.widthBits[pc]!, s.pattern[pc]!);
    }
    return out;
  }
}

/** Per-PC facts both cores read in their loops, computed once per run (see {@link programFacts}). */
export interface ProgramFacts {
  /** Bit 0 branch, 1 memory instruction, 2 load, 3 writes a scalar register, 4 writes a vector register. */
  readonly info: Uint8Array;
  /** Scalar and vector register reads (for the register-file energy counters). */
  readonly xReads: Uint8Array;
  readonly vReads: Uint8Array;
  /** Register operands of each PC packed at the front of its MAX_READS slots, and their number. */
  readonly reads: Int32Array;
  readonly nReads: Uint8Array;
  /** The role of each packed register operand (index into OPERAND_ROLES), parallel to `reads`. */
  readonly roles: Uint8Array;
}

/** Bits of {@link ProgramFacts.info}. */
export const PC_BRANCH = 1, PC_MEM = 2, PC_LOAD = 4, PC_WRITES_X = 8, PC_WRITES_V = 16;

/** The {@link ProgramFacts} of a program. */
export function programFacts(s: StaticInfo): ProgramFacts {
  const n = s.length;
  const info = new Uint8Array(n), xReads = new Uint8Array(n), vReads = new Uint8Array(n), nReads = new Uint8Array(n);
  const reads = new Int32Array(n * MAX_READS);
  const roles = new Uint8Array(n * MAX_READS);
  for (let pc = 0; pc < n; pc++) {
    const w = s.writes[pc]!;
    info[pc] =
      (s.cls[pc] === CLASS_ID.branch ? PC_BRANCH : 0) |
      (s.mem[pc] !== MEM_NONE ? PC_MEM : 0) |
      (s.mem[pc] === MEM_LOAD ? PC_LOAD : 0) |
      (w >= 0 && w < REG_V ? PC_WRITES_X : 0) |
      (w >= REG_V && w < REG_PP ? PC_WRITES_V : 0);
    for (let k = 0; k < MAX_READS; k++) {
      const r = s.reads[pc * MAX_READS + k]!;
      if (r < 0) continue;
      roles[pc * MAX_READS + nReads[pc]!] = s.readRoles[pc * MAX_READS + k]!;
      reads[pc * MAX_READS + nReads[pc]++] = r;
      if (r < REG_V) xReads[pc]++;
      else if (r < REG_PP) vReads[pc]++;
    }
  }
  return { info, xReads, vReads, reads, nReads, roles };
}
