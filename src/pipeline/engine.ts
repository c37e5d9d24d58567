/**
 * How one run of a core is carried out. Both cores' timing rules live in WebAssembly modules compiled from
 * AssemblyScript (src/pipeline/wasm/: inorder.as.ts computes the in-order core one instruction at a time,
 * ooo.as.ts steps the out-of-order core cycle by cycle, rules.as.ts holds what both decide alike); each rule is
 * written there once. This module gives a run what it needs from the TypeScript side, through the interface
 * declared in wasm/manifest.ts:
 *
 * - the program's per-PC facts and the core's descriptor table, laid out in the module's memory;
 * - the record stream (`refill`: the records are written straight into the module's memory);
 * - the memory port: answered inside the module where the port offers it ({@link MemoryPort.fastPath}: a fixed
 *   latency, or the first level's plain hits on state it lends for the run), else asked across the boundary;
 * - the branch predictor's state, trained by the module on a copy and given back at the end;
 * - the observer of retired instructions and the stuck-run errors.
 *
 * While a hit path is lent, every JavaScript call the module makes that may reach the memory hierarchy puts the
 * borrowed scalars and counts back into it first and takes the scalars again after (`guard`); the loan ends
 * whatever happens.
 *
 * @module
 */
import { MAX_READS, REG_PP, REG_V, type StaticInfo, TraceBuffer } from '../isa/trace.js';
import type { HitPathArrays, HitPathLoan } from '../memory/hit-path.js';
import { HIT_BLOCK } from '../memory/hit-path.js';
import type { MemoryPort } from '../memory/port.js';
import type { CoreConfig } from './config.js';
import { type DescriptorTable, programFacts } from './descriptors.js';
import type { BranchPredictor } from './predictor.js';
import { ringSize } from './ring.js';
import type { CoreStats } from './stats.js';
import { type Imports, instantiate, layOut, type LayoutFault, type PartInput, type RunLayout } from './wasm/loader.js';
import { MAX_LANES, MEMORY_MODE, PREDICTOR_KIND } from './wasm/manifest.js';

/** Receives the timeline of each retired instruction (for pipeline-trace export); optional. */
export interface RetireObserver {
  /** Called once per retired instruction, in program order, with the cycle of each stage. */
  retired(seq: number, pc: number, fetch: number, dispatch: number, issue: number, complete: number, retire: number): void;
}

/** Returns the next batch of records in `buf` and their count (0 at the end), like `Executor.runBatch`. */
export type RecordSource = (buf: TraceBuffer) => number;

/** What a run needs of its {@link TimingCore}. */
export interface EngineContext {
  readonly core: CoreConfig;
  readonly table: DescriptorTable;
  readonly stats: CoreStats;
  readonly predictor: BranchPredictor;
  readonly memory: MemoryPort;
  readonly observer: RetireObserver | undefined;
  /** Records per batch asked of the stream. */
  readonly batch: number;
  /** Cycles without a retirement after which the run is reported as stuck. */
  readonly stuckCycles: number;
  /** Out of order: jump over cycles in which no stage can act (the result is identical; tested). */
  readonly skipIdleCycles: boolean;
  /** @internal Test hook: pass two arrays' addresses swapped, to see the module refuse them. */
  readonly layoutFault?: LayoutFault;
}

/** The error a run ends with when no instruction retired for `stuck` cycles. */
export function stuckError(stuck: number, cycle: number, retired: number, pc: number): Error {
  return new Error(`core timing model stuck: no instruction retired for ${stuck} cycles (cycle ${cycle}, ${retired} retired, oldest in flight at pc ${pc})`);
}

/** How the simulator ran (not what the model computes): for tests and for speed work. */
export interface EngineRunInfo {
  /** Out of order: cycles the loop jumped over because no stage could act (see {@link EngineContext.skipIdleCycles}). */
  readonly skippedCycles: number;
}

/** Runs the whole stream through the core `ctx.core.model` names and adds the run's statistics to `ctx.stats`. */
export function runCore(ctx: EngineContext, s: StaticInfo, next: RecordSource): EngineRunInfo {
  const c = ctx.core, mem = ctx.memory;
  const desc = ctx.table.indexProgram(s), facts = programFacts(s);
  const pred = ctx.predictor.exportState();
  // Asked last: a lent hit path must be given back whatever happens from here on.
  const fast = mem.fastPath?.() ?? null;
  const loan = fast?.kind === 'hits' ? fast.loan : null;
  let L: RunLayout<'inorder'> | RunLayout<'ooo'> | null = null;
  try {
    L = run(ctx, s, next, desc, facts, pred, fast, loan);
  } finally {
    loan?.end();
    if (L !== null) {
      const l = L as RunLayout<'inorder'>;
      ctx.predictor.importState({ ...pred, counters: l.array('predictor', 'bimCtr'), trip: l.array('predictor', 'loopTrip'), current: l.array('predictor', 'loopCur'), confident: l.array('predictor', 'loopConf') });
    }
  }
  const st = ctx.stats, l = L as RunLayout<'inorder'>;
  const out = l.outputs('core'), sbOut = l.outputs('storeBuffer');
  const cpi = l.array('core', 'cpi'), poolBusy = l.array('core', 'poolBusy');
  for (let i = 0; i < cpi.length; i++) st.cpiAcc[i] = st.cpiAcc[i]! + cpi[i]!;
  for (let i = 0; i < poolBusy.length; i++) st.poolBusyAcc[i] = st.poolBusyAcc[i]! + poolBusy[i]!;
  st.publish({
    ...out,
    ...st.addRetiredByPc(l.array('core', 'pcCount'), desc, facts),
    memAccesses: out.memAccesses + sbOut.sbAccesses,
    retries: out.retries + sbOut.sbRetries,
  });
  return { skippedCycles: c.model === 'outOfOrder' ? (L as RunLayout<'ooo'>).outputs('ooo').skippedCycles : 0 };
}

/** Lays the run out in a new instance of the core's module and runs it; returns the layout (the counters and the predictor's state are read from it). */
function run(
  ctx: EngineContext, s: StaticInfo, next: RecordSource, desc: Uint16Array, facts: ReturnType<typeof programFacts>,
  pred: ReturnType<BranchPredictor['exportState']>, fast: ReturnType<NonNullable<MemoryPort['fastPath']>>, loan: HitPathLoan | null,
): RunLayout<'inorder'> | RunLayout<'ooo'> {
  const c = ctx.core, t = ctx.table, st = ctx.stats, mem = ctx.memory, obs = ctx.observer;
  // JavaScript the module calls that may reach the hierarchy, while its hit path is lent: the borrowed scalars
  // and counts go back into it before, and are taken again after. Fixed parameters rather than a rest parameter:
  // no array per call (the module's imports take at most seven numbers).
  const guard = <F extends (...args: never[]) => unknown>(f: F): F => {
    if (loan === null) return f;
    const g = f as unknown as (a: number, b: number, c: number, d: number, e: number, x: number, y: number) => unknown;
    return ((a: number, b: number, c: number, d: number, e: number, x: number, y: number) => {
      loan.toLevel();
      try {
        return g(a, b, c, d, e, x, y);
      } finally {
        loan.toBlock();
      }
    }) as unknown as F;
  };
  let levelSlot = new Int32Array(1);
  let buf = new TraceBuffer(1); // replaced by one over the module's memory once the layout exists
  const hasLevels = mem.levelNames !== undefined;
  const imports: Imports = {
    access: guard(
      hasLevels
        ? (addr: number, size: number, kind: number, cycle: number, pc: number) => {
            const r = mem.access(addr, size, kind, cycle, pc);
            levelSlot[0] = mem.lastLevel!;
            return r;
          }
        : (addr: number, size: number, kind: number, cycle: number, pc: number) => mem.access(addr, size, kind, cycle, pc),
    ),
    observe: guard((seq: number, pc: number, f: number, d: number, i: number, done: number, r: number) => obs!.retired(seq, pc, f, d, i, done, r)),
    refill: guard(() => next(buf)),
    stuck: (cycle: number, retired: number, pc: number) => {
      throw stuckError(ctx.stuckCycles, cycle, retired, pc);
    },
    storeStuck: (cycle: number, pc: number) => {
      throw new Error(`core timing model stuck: the store buffer could not write the store at pc ${pc} for ${ctx.stuckCycles} cycles (cycle ${cycle})`);
    },
  };

  const n0 = s.length, batch = ctx.batch;
  const laneMode = c.laneWrites === 'lane';
  const laneRegs = laneMode ? (REG_PP - REG_V) * MAX_LANES : 0; // (vector register, lane) pairs
  const core: PartInput<'core'> = {
    lengths: {
      pcInfo: n0, pcNReads: n0, pcReads: n0 * MAX_READS, pcRoles: n0 * MAX_READS, pcWrite: n0, pcLane: n0, desc: n0, pcCount: n0,
      lat: t.latency.length, thr: t.throughput.length, readAdvance: t.readAdvance.length, forward: t.forward.length, uStart: t.unitsStart.length, uCount: t.unitsCount.length, uList: t.unitList.length,
      uPool: t.unitPool.length, uPipe: t.unitPipelined.length, cpi: st.cpiAcc.length, memCpi: st.memoryCpiIndex.length,
      poolBusy: st.poolBusyAcc.length, unitFree: t.numUnits,
      bPc: batch, bAddr: batch, bSize: batch, bStride: batch, bPieces: batch, bTaken: batch,
    },
    ints: {
      programLength: n0, fetchWidth: c.fetchWidth, dispatchWidth: c.dispatchWidth, issueWidth: c.issueWidth, retireWidth: c.retireWidth,
      fetchQueueSize: c.fetchQueueSize, robSize: c.robSize, schedulerSize: c.schedulerSize, lsqSize: c.lsqSize,
      xFree: c.physScalarRegs - 32, vFree: c.physVectorRegs - 32, storeBufferSize: c.storeBufferSize,
      hasLevels: hasLevels ? 1 : 0, useSb: c.storeBufferSize > 0 ? 1 : 0, hasObserver: obs !== undefined ? 1 : 0,
      cpiSb: st.storeBufferCpi, cpiCount: st.cpiAcc.length, hasOperandRules: t.hasOperandRules ? 1 : 0, laneMode: laneMode ? 1 : 0,
      // a block never spans more of the memory's lines than its elements do
      lsuBlockBytes: mem.lineBytes !== undefined && mem.lineBytes < c.lsuBlockBytes ? mem.lineBytes : c.lsuBlockBytes,
    },
    cycles: { frontEndStages: c.frontEndStages, penalty: c.mispredictPenaltyCycles, stuckCycles: ctx.stuckCycles },
  };
  const g = loan?.geometry;
  const hitArrays = Object.fromEntries((loan?.arrays ?? []).map(([name, , n]) => [name, n])) as Partial<Record<keyof HitPathArrays, number>>;
  const memory: PartInput<'memory'> = {
    lengths: {
      tags: hitArrays.tags ?? 0, readyAt: hitArrays.readyAt ?? 0, dirty: hitArrays.dirty ?? 0, stamps: hitArrays.stamps ?? 0,
      shadowKeys: hitArrays.shadowKeys ?? 0, shadowSlots: hitArrays.shadowSlots ?? 0, shadowPrev: hitArrays.shadowPrev ?? 0, shadowNext: hitArrays.shadowNext ?? 0,
      hitBlock: HIT_BLOCK.length, levelSlot: 1,
    },
    ints: { memMode: loan !== null ? MEMORY_MODE.hits : fast?.kind === 'fixed' ? MEMORY_MODE.fixed : MEMORY_MODE.js, ways: g?.ways ?? 0, setMask: g?.setMask ?? 0, shadow: g?.shadow === true ? 1 : 0, shadowBits: g?.shadowBits ?? 0 },
    cycles: { fixedLatency: fast?.kind === 'fixed' ? fast.latencyCycles : 0, lineBytes: g?.lineBytes ?? 0, ports: g?.ports ?? 0, hitLatency: g?.hitLatency ?? 0 },
  };
  const sbRing = ringSize(Math.max(1, c.storeBufferSize));
  const storeBuffer: PartInput<'storeBuffer'> = {
    lengths: { sbAddr: sbRing, sbBytes: sbRing, sbStride: sbRing, sbPieces: sbRing, sbPc: sbRing, sbRet: sbRing, sbFreed: sbRing },
    ints: { sbMask: sbRing - 1 },
    cycles: {},
  };
  const predictor: PartInput<'predictor'> = {
    lengths: { bimCtr: pred.counters.length, loopTrip: pred.trip.length, loopCur: pred.current.length, loopConf: pred.confident.length },
    ints: { predKind: PREDICTOR_KIND[pred.kind], staticTaken: pred.predictTaken ? 1 : 0, bimEntries: Math.max(1, pred.counters.length), loopEntries: Math.max(1, pred.trip.length) },
    cycles: {},
  };

  let L: RunLayout<'inorder'> | RunLayout<'ooo'>;
  let w;
  if (c.model === 'inOrder') {
    w = instantiate('inorder', imports);
    const P = ringSize(2 * Math.max(c.robSize, c.fetchQueueSize, c.schedulerSize, c.fetchWidth, c.dispatchWidth, c.issueWidth, c.retireWidth) + 4);
    const lsqP = ringSize(c.lsqSize), xP = ringSize(c.physScalarRegs - 32), vP = ringSize(c.physVectorRegs - 32);
    L = layOut(w, 'inorder', {
      memory, predictor, core, storeBuffer,
      inorder: {
        lengths: {
          pcLat: n0, pcUnits: n0, pcUnit: n0, pcPool: n0, pcOcc: n0, rg: P * 8, regVis: REG_PP + 8, regIssue: REG_PP + 8, regDesc: REG_PP + 8, regMem: REG_PP + 8,
          laneVis: laneRegs, laneIssue: laneRegs, laneDesc: laneRegs, laneMem: laneRegs,
          lsqRet: lsqP, xRet: xP, vRet: vP,
        },
        ints: { PM: P - 1, lsqM: lsqP - 1, xM: xP - 1, vM: vP - 1 },
        cycles: {},
      },
    }, ctx.layoutFault);
  } else {
    w = instantiate('ooo', imports);
    const cap = c.robSize + c.fetchQueueSize + 1;
    const group = t.unitGroups, G = group.count;
    const rq = ringSize(c.schedulerSize);
    const lo = layOut(w, 'ooo', {
      memory, predictor, core, storeBuffer,
      ooo: {
        lengths: {
          pcGroup: n0, gStart: G, gCount: G,
          rPc: cap, rDesc: cap, rAddr: cap, rSize: cap, rStride: cap, rPieces: cap, rPiece: cap, rMemReady: cap,
          rMispredict: cap, rIssued: cap, rDone: cap, rSrc: cap * MAX_READS, rSrcSlot: cap * MAX_READS, rNSrc: cap,
          rFetch: cap, rReady: cap, rDispatch: cap, rIssue: cap, producer: REG_PP + 8, producerSlot: REG_PP + 8, producerIsMem: cap,
          rLevel: cap, rLevelAcc: cap, rSb: cap, depHead: cap, depNext: cap, rSeq: cap, rGroup: cap,
          // in lane mode an entry may read up to MAX_READS registers, each written lane by lane since its last whole write
          laneProd: laneRegs, laneProdSlot: laneRegs, rLaneSrc: laneMode ? cap * MAX_READS * MAX_LANES : 0, rLaneSrcSlot: laneMode ? cap * MAX_READS * MAX_LANES : 0,
          rLaneRole: laneMode ? cap * MAX_READS * MAX_LANES : 0, rNLane: laneMode ? cap : 0,
          rNonMemMax: cap, rMemMax: cap, rMemLvl: cap, rMemFrom: cap,
          groupFreeAt: G,
          heapKeys: c.schedulerSize, heapSlots: c.schedulerSize, rqKeys: G * rq, rqSlots: G * rq, rqHead: G, rqN: G, active: G, activePos: G,
          memQ: c.lsqSize,
        },
        ints: { cap, rqSize: rq, skipIdle: ctx.skipIdleCycles ? 1 : 0 },
        cycles: {},
      },
    }, ctx.layoutFault);
    const pcGroup = lo.array('ooo', 'pcGroup');
    for (let pc = 0; pc < n0; pc++) pcGroup[pc] = group.ofDescriptor[desc[pc]!]!;
    lo.array('ooo', 'gStart').set(group.unitsStart);
    lo.array('ooo', 'gCount').set(group.unitsCount);
    lo.array('ooo', 'producer').fill(-1);
    lo.array('ooo', 'depHead').fill(-1);
    lo.array('ooo', 'laneProd').fill(-1);
    L = lo;
  }
  const l = L as RunLayout<'inorder'>;
  l.array('core', 'pcInfo').set(facts.info);
  l.array('core', 'pcNReads').set(facts.nReads);
  l.array('core', 'pcReads').set(facts.reads);
  l.array('core', 'pcRoles').set(facts.roles);
  l.array('core', 'pcLane').set(s.writeLane);
  l.array('core', 'readAdvance').set(t.readAdvance);
  l.array('core', 'forward').set(t.forward);
  l.array('core', 'pcWrite').set(s.writes);
  l.array('core', 'desc').set(desc);
  l.array('core', 'lat').set(t.latency);
  l.array('core', 'thr').set(t.throughput);
  l.array('core', 'uStart').set(t.unitsStart);
  l.array('core', 'uCount').set(t.unitsCount);
  l.array('core', 'uList').set(t.unitList);
  l.array('core', 'uPool').set(t.unitPool);
  l.array('core', 'uPipe').set(t.unitPipelined);
  l.array('core', 'memCpi').set(st.memoryCpiIndex);
  l.array('predictor', 'bimCtr').set(pred.counters);
  l.array('predictor', 'loopTrip').set(pred.trip);
  l.array('predictor', 'loopCur').set(pred.current);
  l.array('predictor', 'loopConf').set(pred.confident);
  levelSlot = l.array('memory', 'levelSlot');
  if (loan !== null) {
    const hit = Object.fromEntries(HIT_ARRAYS.map((n) => [n, l.array('memory', n)])) as unknown as HitPathArrays;
    loan.begin(hit, l.array('memory', 'hitBlock'));
  }
  // Records are written straight into the module's memory, where the loop reads them.
  buf = new TraceBuffer(batch, { pc: l.array('core', 'bPc'), addr: l.array('core', 'bAddr'), size: l.array('core', 'bSize'), stride: l.array('core', 'bStride'), pieces: l.array('core', 'bPieces'), taken: l.array('core', 'bTaken') });
  l.start();
  while (w.run() === 0) {
    // run() returns after a bounded amount of work (a batch, or 4096 cycles) so that V8 can move it to optimised
    // code (WebAssembly functions change tier between calls, not inside one); the state stays in the module.
  }
  w.finish();
  return L;
}

/** The hit path's arrays, in the manifest's memory part. */
const HIT_ARRAYS = ['tags', 'readyAt', 'dirty', 'stamps', 'shadowKeys', 'shadowSlots', 'shadowPrev', 'shadowNext'] as const satisfies readonly (keyof HitPathArrays)[];
