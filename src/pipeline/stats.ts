/**
 * The statistics of the core, declared once with names, units and descriptions in the simulation's
 * {@link StatsRegistry}. The timing loop accumulates into local numbers and typed arrays (cheaper than
 * object fields in the hot loop) and {@link CoreStats.publish} adds them to the counters when a run ends.
 *
 * The CPI stack is counted at retire: each cycle has retireWidth slots; slots that retire an instruction
 * are `base`, the others go to the reason the oldest instruction (the ROB head) did not retire:
 *
 * | component | the ROB head ... |
 * |---|---|
 * | base | (slots that retired an instruction) |
 * | dependency | is executing a non-memory operation, or waits for an operand from one |
 * | memory | is a load/store waiting for memory (including RETRY), or waits for an operand from one; with a memory that names its levels, one `memory.<level>` per level, by where the data came from |
 * | unit.<pool> | has its operands but every unit that could take it is busy |
 * | frontEnd | does not exist (ROB empty) or was just dispatched: the front end has not delivered |
 * | branchMispredict | does not exist because fetch is stopped by a mispredicted branch |
 * | storeBuffer | does not exist because dispatch waits for a free store-buffer entry |
 *
 * The components add up to the cycle count. A full window (ROB, scheduler, LSQ, registers) is a symptom of a
 * blocked head, so it is counted apart, as dispatch stalls (`dispatch.stall.*`), not in the stack.
 *
 * @module
 */
import { INSTR_CLASSES, NUM_CLASSES } from '../isa/classes.js';
import type { Counter, StatsRegistry } from '../stats/registry.js';
import { NUM_WIDTH_KEYS, WIDTH_KEYS } from './config.js';
import { PC_WRITES_V, PC_WRITES_X, type ProgramFacts } from './descriptors.js';

/** CPI-stack component index: retired slots. */
export const CPI_BASE = 0;
/** CPI-stack component index: execution latency and data dependencies. */
export const CPI_DEPENDENCY = 1;
/**
 * CPI-stack component index: memory, or its first (nearest) level when the memory names its levels; the
 * other levels come after the unit pools (see {@link CoreStats.memoryCpiIndex}).
 */
export const CPI_MEMORY = 2;
/** CPI-stack component index: front end. */
export const CPI_FRONTEND = 3;
/** CPI-stack component index: branch mispredict recovery. */
export const CPI_BRANCH = 4;
/** CPI-stack component index of the first unit pool (pool p is CPI_UNIT0 + p). */
export const CPI_UNIT0 = 5;

const FIXED_CPI = [
  ['base', 'Cycles (fraction of retire slots) in which an instruction retired.'],
  ['dependency', 'Lost retire slots: the oldest instruction was executing a non-memory operation or waiting for an operand from one.'],
  ['memory', 'Lost retire slots: the oldest instruction was waiting for memory or for an operand loaded from memory (or for the memory port: a refused access).'],
  ['frontEnd', 'Lost retire slots: the window was empty or its oldest instruction had just arrived.'],
  ['branchMispredict', 'Lost retire slots: the window was empty while fetch waited for a mispredicted branch.'],
] as const;

/** Totals of one run, handed over by the timing loop. */
export interface RunTotals {
  readonly cycles: number;
  readonly instructions: number;
  readonly xReads: number;
  readonly vReads: number;
  readonly xWrites: number;
  readonly vWrites: number;
  readonly loads: number;
  readonly stores: number;
  readonly loadBytes: number;
  readonly storeBytes: number;
  readonly memAccesses: number;
  readonly retries: number;
  readonly memRetryCycles: number;
  readonly branches: number;
  readonly mispredicts: number;
  readonly stallRob: number;
  readonly stallSched: number;
  readonly stallLsq: number;
  readonly stallRegs: number;
  readonly stallFrontEnd: number;
  readonly stallStoreBuffer?: number;
}

/** Statistic-name segment of a class (`vec-mdot` -> `vec_mdot`). */
export function classStatName(cls: string): string {
  return cls.replace(/-/g, '_');
}

/** The counters of one core in a registry, plus the accumulators the timing loop writes. */
export class CoreStats {
  /** CPI-stack accumulators, indexed by component (see CPI_*). */
  readonly cpiAcc: Float64Array;
  /** Busy unit-cycles per pool. */
  readonly poolBusyAcc: Float64Array;
  /** Retired instructions per descriptor (class x width key). */
  readonly opsAcc: Float64Array;
  /** Names of the CPI-stack components, in index order. */
  readonly cpiNames: readonly string[];
  /** CPI-stack index of memory stalls served by each memory level (index = the port's level). */
  readonly memoryCpiIndex: Int32Array;
  /** CPI-stack index of cycles lost to a full store buffer (after the unit pools and memory levels). */
  readonly storeBufferCpi: number;
  readonly cycles: Counter;
  readonly instructions: Counter;
  private readonly cpi: Counter[];
  private readonly poolBusy: Counter[];
  private readonly opCounters = new Map<number, Counter>();
  private readonly totals: Record<Exclude<keyof RunTotals, 'cycles' | 'instructions'>, Counter>;

  constructor(
    readonly registry: StatsRegistry,
    readonly prefix: string,
    readonly poolNames: readonly string[],
    private readonly poolCounts: ArrayLike<number>,
    /** Names of the memory levels, nearest first (MemoryPort.levelNames); omitted: one `memory` entry. */
    memoryLevels?: readonly string[],
  ) {
    const p = prefix;
    const r = registry;
    const levels = memoryLevels ?? [];
    const extraLevels = Math.max(0, levels.length - 1);
    this.cpiAcc = new Float64Array(CPI_UNIT0 + poolNames.length + extraLevels + 1);
    this.storeBufferCpi = CPI_UNIT0 + poolNames.length + extraLevels;
    this.memoryCpiIndex = Int32Array.from({ length: Math.max(1, levels.length) }, (_, l) => (l === 0 ? CPI_MEMORY : CPI_UNIT0 + poolNames.length + l - 1));
    this.poolBusyAcc = new Float64Array(poolNames.length);
    this.opsAcc = new Float64Array(NUM_CLASSES * NUM_WIDTH_KEYS);
    const memName = (l: number) => (levels.length === 0 ? 'memory' : `memory.${levels[l]}`);
    const fixed = FIXED_CPI.map(([n, d]) => (n === 'memory' ? ([memName(0), levels.length === 0 ? d : `Lost retire slots: the oldest instruction was waiting for data served by ${levels[0]}, for an operand loaded from there, or for the memory port (a refused access).`] as const) : ([n, d] as const)));
    const extra = levels.slice(1).map((n) => [`memory.${n}`, `Lost retire slots: the oldest instruction was waiting for data served by ${n} or for an operand loaded from there.`] as const);
    const sbDesc = 'Lost retire slots: the window was empty because dispatch waited for a free store-buffer entry.';
    this.cpiNames = [...fixed.map(([n]) => n), ...poolNames.map((n) => `unit.${n}`), ...extra.map(([n]) => n), 'storeBuffer'];
    this.cycles = r.counter(`${p}.cycles`, 'cycles', 'Simulated core cycles.');
    this.instructions = r.counter(`${p}.instructions`, 'instructions', 'Instructions retired.');
    r.formula(`${p}.ipc`, 'instructions/cycle', 'Instructions retired per cycle.', () => this.instructions.value / this.cycles.value);
    r.formula(`${p}.cpi`, 'cycles/instruction', 'Cycles per retired instruction.', () => this.cycles.value / this.instructions.value);
    this.cpi = [
      ...fixed.map(([n, d]) => r.counter(`${p}.cpiStack.${n}`, 'cycles', d)),
      ...poolNames.map((n) => r.counter(`${p}.cpiStack.unit.${n}`, 'cycles', `Lost retire slots: the oldest instruction was ready but every unit of pool ${n} was busy.`)),
      ...extra.map(([n, d]) => r.counter(`${p}.cpiStack.${n}`, 'cycles', d)),
      r.counter(`${p}.cpiStack.storeBuffer`, 'cycles', sbDesc),
    ];
    this.poolBusy = poolNames.map((n) => r.counter(`${p}.units.${n}.busy`, 'cycles', `Unit-cycles the units of pool ${n} were occupied.`));
    poolNames.forEach((n, i) => {
      const busy = this.poolBusy[i]!;
      r.formula(`${p}.units.${n}.utilisation`, 'ratio', `Busy unit-cycles of pool ${n} / (units x cycles).`, () => busy.value / (this.poolCount(i) * this.cycles.value));
    });
    const c = (name: string, unit: 'count' | 'accesses' | 'bytes' | 'cycles', d: string) => r.counter(`${p}.${name}`, unit, d);
    this.totals = {
      xReads: c('regfile.scalar.reads', 'accesses', 'Scalar register reads by retired instructions.'),
      vReads: c('regfile.vector.reads', 'accesses', 'Vector register reads by retired instructions.'),
      xWrites: c('regfile.scalar.writes', 'accesses', 'Scalar register writes by retired instructions.'),
      vWrites: c('regfile.vector.writes', 'accesses', 'Vector register writes by retired instructions.'),
      loads: c('lsu.loads', 'count', 'Load instructions that accessed memory.'),
      stores: c('lsu.stores', 'count', 'Store instructions that accessed memory.'),
      loadBytes: c('lsu.loadBytes', 'bytes', 'Bytes read by loads.'),
      storeBytes: c('lsu.storeBytes', 'bytes', 'Bytes written by stores.'),
      memAccesses: c('lsu.accesses', 'accesses', 'Accesses started at the memory port (a strided access is one per piece).'),
      retries: c('lsu.retries', 'count', 'Accesses the memory port refused (RETRY) and that were tried again later.'),
      memRetryCycles: c('lsu.retryCycles', 'cycles', 'Cycles in which at least one access was refused.'),
      branches: c('branch.count', 'count', 'Branches fetched.'),
      mispredicts: c('branch.mispredicts', 'count', 'Branches whose direction was mispredicted.'),
      stallRob: c('dispatch.stall.robFull', 'cycles', 'Cycles in which nothing dispatched because the reorder buffer was full.'),
      stallSched: c('dispatch.stall.schedulerFull', 'cycles', 'Cycles in which nothing dispatched because the scheduler was full.'),
      stallLsq: c('dispatch.stall.lsqFull', 'cycles', 'Cycles in which nothing dispatched because the load/store queue was full.'),
      stallRegs: c('dispatch.stall.registersFull', 'cycles', 'Cycles in which nothing dispatched because no physical register was free.'),
      stallFrontEnd: c('dispatch.stall.frontEnd', 'cycles', 'Cycles in which nothing dispatched because no fetched instruction was ready.'),
      stallStoreBuffer: c('dispatch.stall.storeBufferFull', 'cycles', 'Cycles in which nothing dispatched because a store found the store buffer full.'),
    };
  }

  private poolCount(i: number): number {
    return this.poolCounts[i]!;
  }

  /**
   * Adds a run's retirements per PC (`pcCount`, indexed like `desc` and `facts`) to the per-class operation
   * counts and returns the register-file totals they imply. Both cores count retirements per PC in their loops
   * and derive these once at the end, instead of counting each per retired instruction.
   */
  addRetiredByPc(pcCount: Float64Array, desc: Uint16Array, facts: ProgramFacts): { xReads: number; vReads: number; xWrites: number; vWrites: number } {
    let xReads = 0, vReads = 0, xWrites = 0, vWrites = 0;
    for (let pc = 0; pc < pcCount.length; pc++) {
      const n = pcCount[pc]!;
      if (n === 0) continue;
      this.opsAcc[desc[pc]!] += n;
      xReads += n * facts.xReads[pc]!;
      vReads += n * facts.vReads[pc]!;
      if ((facts.info[pc]! & PC_WRITES_X) !== 0) xWrites += n;
      else if ((facts.info[pc]! & PC_WRITES_V) !== 0) vWrites += n;
    }
    return { xReads, vReads, xWrites, vWrites };
  }

  /** Adds a run's accumulators and totals to the registry's counters and clears the accumulators. */
  publish(t: RunTotals): void {
    this.cycles.value += t.cycles;
    this.instructions.value += t.instructions;
    for (const k of Object.keys(this.totals) as (keyof typeof this.totals)[]) this.totals[k].value += t[k] ?? 0;
    this.cpiAcc.forEach((v, i) => (this.cpi[i]!.value += v));
    this.poolBusyAcc.forEach((v, i) => (this.poolBusy[i]!.value += v));
    this.opsAcc.forEach((v, d) => {
      if (v === 0) return;
      let ctr = this.opCounters.get(d);
      if (ctr === undefined) {
        const cls = INSTR_CLASSES[Math.floor(d / NUM_WIDTH_KEYS)]!;
        const w = WIDTH_KEYS[d % NUM_WIDTH_KEYS]!;
        ctr = this.registry.counter(`${this.prefix}.ops.${classStatName(cls)}.${w}`, 'instructions', `Retired ${cls} instructions of width ${w}.`);
        this.opCounters.set(d, ctr);
      }
      ctr.value += v;
    });
    this.cpiAcc.fill(0);
    this.poolBusyAcc.fill(0);
    this.opsAcc.fill(0);
  }

  /** CPI-stack components in cycles, by name. */
  cpiStack(): Record<string, number> {
    // Listed with the memory levels together, nearest first (they are stored after the unit pools).
    const mem = Array.from(this.memoryCpiIndex);
    const order = [CPI_BASE, CPI_DEPENDENCY, ...mem, ...this.cpiNames.map((_, i) => i).filter((i) => i > CPI_MEMORY && !mem.includes(i))];
    return Object.fromEntries(order.map((i) => [this.cpiNames[i]!, this.cpi[i]!.value]));
  }

  /** Utilisation (0..1) of each unit pool. */
  utilisation(): Record<string, number> {
    return Object.fromEntries(this.poolNames.map((n, i) => [n, this.poolBusy[i]!.value / (this.poolCount(i) * this.cycles.value)]));
  }

  /** Retired instruction counts per (class, width key), non-zero ones only. */
  opCounts(): { cls: string; width: string; count: number }[] {
    return [...this.opCounters.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([d, ctr]) => ({ cls: INSTR_CLASSES[Math.floor(d / NUM_WIDTH_KEYS)]!, width: WIDTH_KEYS[d % NUM_WIDTH_KEYS]!, count: ctr.value }));
  }

  /** The value of one of the run totals. */
  total(k: Exclude<keyof RunTotals, 'cycles' | 'instructions'>): number {
    return this.totals[k].value;
  }
}
