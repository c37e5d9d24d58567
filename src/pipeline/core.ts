/**
 * The cycle-approximate core: consumes the functional executor's dynamic records and decides, cycle by cycle,
 * when each instruction is fetched, dispatched, issued, completed and retired.
 *
 * Each cycle visits the stages back to front, so what a later stage frees is seen by an earlier one in the
 * same cycle (as in llvm-mca, gem5's Minor and uiCA):
 *
 * | order | stage | does |
 * |---:|---|---|
 * | 1 | retire | up to retireWidth completed instructions leave the ROB head, in order |
 * | 2 | issue | oldest first: operands ready and a unit free -> issue (in-order: stop at the first that cannot; out of order from per-unit-group ready queues, not a scan) |
 * | 3 | memory | issued loads (and stores without a store buffer) start their accesses in order; RETRY leaves them waiting (a memory stall); then the store buffer writes retired stores |
 * | 4 | dispatch | up to dispatchWidth instructions from the fetch queue into ROB, scheduler, LSQ, store buffer, physical registers |
 * | 5 | fetch | up to fetchWidth records from the stream, predicting branches; stops after a mispredict |
 *
 * An instruction dispatched in cycle t issues at t+1 at the earliest; issued at t with latency L its result
 * is ready at t+L, when dependants may issue and it may retire. A load issued at t asks the memory at t and
 * is ready at (memory's answer) + L. A run's cycle count is the index of the last cycle plus one.
 *
 * In-flight instructions live in one ring of typed arrays (slot = sequence number modulo its capacity);
 * the per-cycle loop allocates nothing and touches no strings. By default both cores run compiled to
 * WebAssembly: the out-of-order core is this loop in src/pipeline/wasm/ooo.as.ts (src/pipeline/ooo-wasm.ts),
 * and the in-order core is computed one instruction at a time (src/pipeline/inorder-wasm.ts, or in JavaScript
 * src/pipeline/inorder.ts). This loop, in JavaScript, is the reference of both (`engine: 'js'` out of order,
 * `engine: 'cycle'` in order), with identical results.
 *
 * @module
 */
import { MAX_READS, REG_PP, TraceBuffer, type StaticInfo } from '../isa/trace.js';
import { ACCESS_READ, ACCESS_WRITE, RETRY, type MemoryPort } from '../memory/port.js';
import type { StatsRegistry } from '../stats/registry.js';
import { resolveCoreConfig, type CoreConfig, type CoreConfigInput } from './config.js';
import { DescriptorTable, PC_BRANCH, PC_LOAD, PC_MEM, PC_WRITES_V, PC_WRITES_X, programFacts } from './descriptors.js';
import { createPredictor, type BranchPredictor } from './predictor.js';
import { CoreStats, CPI_BASE, CPI_BRANCH, CPI_DEPENDENCY, CPI_FRONTEND, CPI_UNIT0 } from './stats.js';
import { Report } from './report.js';
import { runInOrder, stuckError } from './inorder.js';
import { runInOrderWasm } from './inorder-wasm.js';
import { runOutOfOrderWasm } from './ooo-wasm.js';
import { ReadyQueues, SlotHeap } from './queues.js';
import { StoreDrain } from './store-buffer.js';

const INF = Number.POSITIVE_INFINITY;

/** Receives the timeline of each retired instruction (for pipeline-trace export); optional. */
export interface RetireObserver {
  /** Called once per retired instruction, in program order, with the cycle of each stage. */
  retired(seq: number, pc: number, fetch: number, dispatch: number, issue: number, complete: number, retire: number): void;
}

/** Options of a {@link TimingCore}. */
export interface TimingOptions {
  /** Prefix of every statistic name (default `core`). */
  readonly prefix?: string;
  /** Records per batch asked of the stream (default 4096). */
  readonly batch?: number;
  /** Sees every retired instruction's timeline (slows the run; default none). */
  readonly observer?: RetireObserver;
  /**
   * Jump over cycles in which no stage can act (default true). The result is identical either way (tested);
   * false only exists to show that.
   */
  readonly skipIdleCycles?: boolean;
  /**
   * Which implementation computes the core; all give identical statistics and timelines (tested). `auto`
   * (default): compiled to WebAssembly, the in-order core one instruction at a time (src/pipeline/inorder-wasm.ts)
   * and the out-of-order core cycle by cycle (src/pipeline/ooo-wasm.ts); `js`: the same in JavaScript
   * (src/pipeline/inorder.ts, and the cycle loop of this file), the references the WebAssembly loops are
   * tested against; `cycle`: this file's cycle loop for both models, the in-order core's reference.
   */
  readonly engine?: 'auto' | 'js' | 'cycle';
}

/** Returns the next batch of records in `buf` and their count (0 at the end), like `Executor.runBatch`. */
export type RecordSource = (buf: TraceBuffer) => number;

/** Cycles without a retired instruction after which a run is reported as stuck instead of spinning. */
export const STUCK_CYCLES = 10_000_000;

/**
 * One simulated core attached to one memory port and one statistics registry. Build it, call
 * {@link TimingCore.run} with a program's static facts and its record stream, read the {@link Report}. Further
 * runs add to the same statistics, and the branch predictor keeps what it learnt.
 */

export class TimingCore {
  /** The resolved configuration. */
  readonly core: CoreConfig;
  /** The descriptor table (shared if one was passed in). */
  readonly table: DescriptorTable;
  /** The statistics this core writes. */
  readonly stats: CoreStats;
  private readonly predictor: BranchPredictor;

  constructor(
    core: CoreConfig | CoreConfigInput,
    private readonly memory: MemoryPort,
    registry: StatsRegistry,
    private readonly options: TimingOptions = {},
    table?: DescriptorTable,
  ) {
    // Always validated: a frozen object is not proof that it was resolved (resolveCoreConfig remembers its own results).
    this.core = resolveCoreConfig(core as CoreConfigInput);
    this.table = table ?? new DescriptorTable(this.core);
    this.stats = new CoreStats(registry, options.prefix ?? 'core', this.table.poolNames, this.table.poolCount, memory.levelNames);
    this.predictor = createPredictor(this.core.branchPredictor);
  }

  /** Runs the whole stream through the core and returns the report. */
  run(s: StaticInfo, next: RecordSource): Report {
    const engine = this.options.engine ?? 'auto';
    const o = this.options;
    const ctx = { core: this.core, table: this.table, stats: this.stats, predictor: this.predictor, memory: this.memory, observer: o.observer, batch: o.batch ?? 4096, skipIdleCycles: o.skipIdleCycles ?? true, stuckCycles: STUCK_CYCLES };
    if (this.core.model === 'inOrder' && engine !== 'cycle') {
      if (engine === 'js') runInOrder(ctx, s, next);
      else runInOrderWasm(ctx, s, next);
      return new Report(this.core, this.stats);
    }
    if (this.core.model === 'outOfOrder' && engine === 'auto') {
      runOutOfOrderWasm(ctx, s, next);
      return new Report(this.core, this.stats);
    }
    const fixed = setUpCycles(this.core, this.table, this.stats, this.memory, this.predictor, this.options, s, next);
    const v = startCycleVars();
    while (!runCycles(fixed, v)) {
      // runCycles returns after a bounded number of cycles, so that V8 compiles it as a function entered anew
      // (see runCycles); the state it carries is in v.
    }
    finishCycles(fixed, v);
    return new Report(this.core, this.stats);
  }
}

/** What stays fixed during a cycle-by-cycle run: configuration, per-PC facts and the arrays the core works in. */
type CycleSetup = ReturnType<typeof setUpCycles>;

function setUpCycles(c: CoreConfig, t: DescriptorTable, st: CoreStats, mem: MemoryPort, pred: BranchPredictor, options: TimingOptions, s: StaticInfo, next: RecordSource) {
  const obs = options.observer;
  const skipIdle = options.skipIdleCycles ?? true;
  const inOrder = c.model === 'inOrder';

  // Imported constants copied to locals: module bindings may be getters (tsx, bundlers) in the hot loop.
  const kMAX_READS = MAX_READS, kREG_PP = REG_PP, kCPI_BASE = CPI_BASE, kCPI_BRANCH = CPI_BRANCH, kCPI_DEPENDENCY = CPI_DEPENDENCY, kCPI_FRONTEND = CPI_FRONTEND, kCPI_UNIT0 = CPI_UNIT0;
  const kPC_BRANCH = PC_BRANCH, kPC_MEM = PC_MEM, kPC_LOAD = PC_LOAD, kPC_WRITES_X = PC_WRITES_X, kPC_WRITES_V = PC_WRITES_V;
  // ---- per-program static facts (once per run) ----
  const desc = t.indexProgram(s);
  const sWrites = s.writes;
  const facts = programFacts(s);
  const pcInfo = facts.info, pcNReads = facts.nReads, pcReads = facts.reads;
  const pcCount = new Float64Array(s.length); // retirements per PC; per-class and register-read counts come from it
  const lat = t.latency;
  const thr = t.throughput;
  const uStart = t.unitsStart;
  const uCount = t.unitsCount;
  const uList = t.unitList;
  const uPool = t.unitPool;
  const uPipe = t.unitPipelined;

  // ---- the ring of in-flight instructions ----
  const cap = c.robSize + c.fetchQueueSize + 1;
  const rPc = new Int32Array(cap);
  const rDesc = new Uint16Array(cap);
  const rAddr = new Int32Array(cap);
  const rSize = new Int32Array(cap);
  const rStride = new Int32Array(cap);
  const rPieces = new Int32Array(cap);
  const rPiece = new Int32Array(cap); // pieces started so far
  const rMemReady = new Float64Array(cap);
  const rMispredict = new Uint8Array(cap);
  const rIssued = new Uint8Array(cap);
  const rDone = new Float64Array(cap);
  const rSrc = new Float64Array(cap * kMAX_READS); // producer sequence numbers (-1: none), packed at the front
  const rSrcSlot = new Int32Array(cap * kMAX_READS); // producer ring slots
  const rNSrc = new Uint8Array(cap); // operands of each entry
  const rWake = new Float64Array(cap); // cycle all operands are ready, once every producer's is known (-1: not yet)
  const rFetch = new Float64Array(cap);
  const rReady = new Float64Array(cap); // earliest dispatch cycle
  const rDispatch = new Float64Array(cap);
  const rIssue = new Float64Array(cap);
  const producer = new Float64Array(kREG_PP + 8).fill(-1);
  const producerSlot = new Int32Array(kREG_PP + 8);
  const producerIsMem = new Uint8Array(cap);
  // Memory level that served each memory instruction (deepest of its pieces; 0 until all are accepted).
  const rLevel = new Uint8Array(cap);
  const rLevelAcc = new Uint8Array(cap);
  const memCpi = st.memoryCpiIndex;

  // In order, the scheduler's entries issue in the order they were dispatched, so they are the ring slots from
  // `issueSlot` on (schedN of them), and only the oldest can issue next.
  const unitFree = new Float64Array(t.numUnits);

  // Out of order, the scheduler is not scanned: an entry waits in one of three places. (1) Attached to the
  // first producer whose completion cycle is not known yet (depHead/depNext lists, walked when it becomes
  // known: at issue, or when memory answers). (2) In `wakeHeap`, keyed by the cycle its operands are ready.
  // (3) From that cycle, in the ready queue of its unit group (descriptors with the same candidate units),
  // sorted by age. Issue takes the oldest head among groups with a free unit, so the order is the
  // oldest-first scan's: an entry issues when its operands are ready and a unit is free, older ones first.
  const group = t.unitGroups;
  const G = group.count;
  const pcGroup = new Int32Array(s.length);
  for (let pc = 0; pc < s.length; pc++) pcGroup[pc] = group.ofDescriptor[desc[pc]!]!;
  const gStart = group.unitsStart, gCount = group.unitsCount;
  const ready = new ReadyQueues(G, c.schedulerSize);
  const readyQueues = ready.queues;
  const active = ready.active;
  const groupFreeAt = new Float64Array(G); // a memo: every unit of the group busy until then

  const wakeHeap = new SlotHeap(c.schedulerSize);
  const depHead = new Int32Array(cap).fill(-1);
  const depNext = new Int32Array(cap);
  const rSeq = new Float64Array(cap);
  const rGroup = new Int32Array(cap);
  const wakeup = new Wakeup(rSrc, rSrcSlot, rNSrc, rDone, rDispatch, rSeq, rGroup, depHead, depNext, wakeHeap, ready);
  const memQ = new MemoryQueue(c.lsqSize, mem, rPc, pcInfo, desc, lat, rAddr, rStride, rSize, rPieces, rPiece, rMemReady, rLevel, rLevelAcc, rDone, depHead, wakeup);

  // Stat accumulators (published to the registry at the end).
  const cpi = st.cpiAcc;
  const poolBusy = st.poolBusyAcc;

  // Store buffer (storeBufferSize > 0): a store takes an entry at dispatch, completes without touching
  // memory, and after it retires the drain writes it to memory in program order, in the memory stage after
  // the accesses issued in the same cycle; the entry is free once every piece is accepted.
  const sbSize = c.storeBufferSize;
  const useSb = sbSize > 0;
  const sb = new StoreDrain(mem, Math.max(1, sbSize), STUCK_CYCLES); // also counts the memory stage's refused cycles
  const rSb = new Uint8Array(cap); // holds a store-buffer entry
  const kCPI_SB = st.storeBufferCpi;

  const fetchWidth = c.fetchWidth, dispatchWidth = c.dispatchWidth, issueWidth = c.issueWidth, retireWidth = c.retireWidth;
  const feStages = c.frontEndStages, fqSize = c.fetchQueueSize, robSize = c.robSize, schedSize = c.schedulerSize;
  const lsqSize = c.lsqSize, penalty = c.mispredictPenaltyCycles;
  const xFree = c.physScalarRegs - 32, vFree = c.physVectorRegs - 32;

  const buf = new TraceBuffer(options.batch ?? 4096);
  const bPc = buf.pc, bAddr = buf.addr, bSize = buf.size, bStride = buf.stride, bPieces = buf.pieces, bTaken = buf.taken;
  return {
    st, facts, pred, obs, skipIdle, inOrder, kMAX_READS, kCPI_BASE, kCPI_BRANCH, kCPI_DEPENDENCY, kCPI_FRONTEND,
    kCPI_UNIT0, kPC_BRANCH, kPC_MEM, kPC_LOAD, kPC_WRITES_X, kPC_WRITES_V, desc, sWrites, pcInfo, pcNReads,
    pcReads, pcCount, lat, thr, uStart, uCount, uList, uPool, uPipe, cap, rPc, rDesc, rAddr, rSize, rStride,
    rPieces, rPiece, rMemReady, rMispredict, rIssued, rDone, rSrc, rSrcSlot, rNSrc, rWake, rFetch, rReady,
    rDispatch, rIssue, producer, producerSlot, producerIsMem, rLevel, rLevelAcc, memCpi, unitFree, pcGroup, gStart, gCount, ready, readyQueues, active, groupFreeAt, wakeHeap,
    depHead, rSeq, rGroup, wakeup, memQ, cpi, poolBusy, sbSize, useSb, sb, rSb, kCPI_SB, fetchWidth, dispatchWidth,
    issueWidth, retireWidth, feStages, fqSize, robSize, schedSize, lsqSize, penalty, xFree, vFree, buf, bPc, bAddr,
    bSize, bStride, bPieces, bTaken, next,
  };
}

/** The variables the cycle loop carries from one call of {@link runCycles} to the next. */
type CycleVars = ReturnType<typeof startCycleVars>;

function startCycleVars() {
  return {
    now: 0,
    headSeq: 0, // oldest in ROB
    dispSeq: 0, // next to dispatch (= ROB tail)
    fetchSeq: 0, // next to fetch
    headSlot: 0, dispSlot: 0, fetchSlot: 0, // their ring slots
    schedN: 0, // dispatched, not issued
    issueSlot: 0, // in order: ring slot of the oldest of them
    lsqN: 0, xInFlight: 0, vInFlight: 0,
    sbTaken: 0, // stores dispatched into the buffer (entries in use: sbTaken - sb.written)
    fetchResumeAt: 0, // fetch waits until this cycle (INF while a mispredicted branch is unresolved)
    redirectEnd: 0, // until this cycle an empty window is charged to the mispredict (resume + refill)
    bufN: 0, bufPos: 0, streamDone: false, // records in the trace buffer, the next to fetch, end of stream seen
    instructions: 0, lastRetire: 0,
    // statistics, published at the end
    loads: 0, stores: 0, loadBytes: 0, storeBytes: 0, branches: 0, mispredicts: 0,
    stallRob: 0, stallSched: 0, stallLsq: 0, stallRegs: 0, stallFrontEnd: 0, stallStoreBuffer: 0,
  };
}

/** Cycles run per call of {@link runCycles}. */
const CYCLES_PER_CALL = 4096;

/**
 * Runs up to CYCLES_PER_CALL cycles (fewer at the end of the stream; idle-cycle jumps count as one); returns
 * whether the run is over. The loop lives in a function entered once per batch of cycles, not in one loop
 * over the whole run: V8 compiles a loop that is already running on the stack (OSR) without knowing what its
 * variables hold, and that code re-checks every typed array on every access; a function it enters anew gets
 * ordinary optimised code. The carried state is copied to locals here and back at the end.
 */
function runCycles(fixed: CycleSetup, v: CycleVars): boolean {
  const {
    pred, obs, skipIdle, inOrder, kMAX_READS, kCPI_BASE, kCPI_BRANCH, kCPI_DEPENDENCY, kCPI_FRONTEND, kCPI_UNIT0,
    kPC_BRANCH, kPC_MEM, kPC_LOAD, kPC_WRITES_X, kPC_WRITES_V, desc, sWrites, pcInfo, pcNReads, pcReads, pcCount,
    lat, thr, uStart, uCount, uList, uPool, uPipe, cap, rPc, rDesc, rAddr, rSize, rStride, rPieces, rPiece,
    rMemReady, rMispredict, rIssued, rDone, rSrc, rSrcSlot, rNSrc, rWake, rFetch, rReady, rDispatch, rIssue,
    producer, producerSlot, producerIsMem, rLevel, rLevelAcc, memCpi, unitFree, pcGroup, gStart, gCount, ready, readyQueues, active, groupFreeAt, wakeHeap, depHead, rSeq, rGroup,
    wakeup, memQ, cpi, poolBusy, sbSize, useSb, sb, rSb, kCPI_SB, fetchWidth, dispatchWidth, issueWidth,
    retireWidth, feStages, fqSize, robSize, schedSize, lsqSize, penalty, xFree, vFree, buf, bPc, bAddr, bSize,
    bStride, bPieces, bTaken, next,
  } = fixed;
  let {
    issueSlot, schedN, loads, stores, loadBytes, storeBytes, branches, mispredicts, stallRob, stallSched, stallLsq,
    stallRegs, stallFrontEnd, stallStoreBuffer, sbTaken, bufN, bufPos, streamDone, now, headSeq, dispSeq, fetchSeq,
    headSlot, dispSlot, fetchSlot, lsqN, xInFlight, vInFlight, fetchResumeAt, redirectEnd, instructions,
    lastRetire,
  } = v;
  let done = false;
  for (let iter = 0; iter < CYCLES_PER_CALL; iter++) {
    // ---------------- 1. retire ----------------
    let retired = 0;
    while (retired < retireWidth && headSeq < dispSeq) {
      const slot = headSlot;
      if (rIssued[slot] === 0 || rDone[slot]! > now) break;
      const pc = rPc[slot]!;
      pcCount[pc]++;
      const ri = pcInfo[pc]!;
      if ((ri & kPC_WRITES_X) !== 0) xInFlight--;
      else if ((ri & kPC_WRITES_V) !== 0) vInFlight--;
      if ((ri & kPC_MEM) !== 0) lsqN--;
      if (rSb[slot] === 1) sb.add(rAddr[slot]!, rSize[slot]!, rStride[slot]!, rPieces[slot]!, pc, now);
      if (obs !== undefined) obs.retired(headSeq, pc, rFetch[slot]!, rDispatch[slot]!, rIssue[slot]!, rDone[slot]!, now);
      headSeq++;
      if (++headSlot === cap) headSlot = 0;
      retired++;
    }
    instructions += retired;
    if (retired > 0) lastRetire = now;

    // ---------------- 2. issue ----------------
    // Oldest first. Out of order: the oldest head among the ready queues of the unit groups with a free unit.
    // In order: only the oldest waiting instruction, once one of its units is free and its operands are ready
    // (rWake caches the cycle they are, once every producer's completion is known).
    let issued = 0;
    if (!inOrder) {
      while (wakeHeap.n > 0 && wakeHeap.topKey() <= now) {
        const sl = wakeHeap.pop();
        ready.push(rGroup[sl]!, rSeq[sl]!, sl);
      }
    }
    while (issued < issueWidth) {
      let slot: number, unit = -1;
      if (!inOrder) {
        let bestG = -1, bestSeq = INF;
        const nActive = ready.nActive;
        for (let a = 0; a < nActive; a++) {
          const g = active[a]!;
          if (groupFreeAt[g]! > now) continue;
          const h = readyQueues[g]!;
          const hs = h.topKey();
          if (hs >= bestSeq) continue;
          let u = -1, soonest = INF;
          const u0 = gStart[g]!, un = gCount[g]!;
          for (let k = 0; k < un; k++) {
            const id = uList[u0 + k]!;
            const f = unitFree[id]!;
            if (f <= now) { u = id; break; }
            if (f < soonest) soonest = f;
          }
          if (u < 0) { groupFreeAt[g] = soonest; continue; }
          bestG = g; bestSeq = hs; unit = u;
        }
        if (bestG < 0) break;
        slot = ready.pop(bestG);
      } else {
        if (schedN === 0) break;
        slot = issueSlot;
        const d = rDesc[slot]!;
        const u0 = uStart[d]!, un = uCount[d]!;
        for (let k = 0; k < un; k++) {
          const id = uList[u0 + k]!;
          if (unitFree[id]! <= now) { unit = id; break; }
        }
        if (unit < 0) break;
        let wake = rWake[slot]!;
        if (wake < 0) {
          wake = 0;
          const base = slot * kMAX_READS, nr = rNSrc[slot]!;
          for (let k = 0; k < nr; k++) {
            if (rSrc[base + k]! < headSeq) continue; // none, or retired
            const dn = rDone[rSrcSlot[base + k]!]!;
            if (dn === INF) { wake = -1; break; }
            if (dn > wake) wake = dn;
          }
          rWake[slot] = wake;
        }
        if (wake < 0 || wake > now) break;
        if (++issueSlot === cap) issueSlot = 0;
      }
      const d = rDesc[slot]!;
      const l = lat[d]!;
      const occ = uPipe[unit] === 1 ? thr[d]! : (l > thr[d]! ? l : thr[d]!);
      unitFree[unit] = now + occ;
      poolBusy[uPool[unit]!] += occ;
      rIssued[slot] = 1;
      rIssue[slot] = now;
      schedN--;
      issued++;
      if (producerIsMem[slot] === 1) {
        rDone[slot] = INF;
        rPiece[slot] = 0;
        rLevel[slot] = 0;
        rLevelAcc[slot] = 0;
        rMemReady[slot] = now;
        memQ.q[memQ.n++] = slot;
      } else {
        rDone[slot] = now + l;
        if (depHead[slot]! >= 0) wakeup.wakeDependants(slot, headSeq, -1); // not this cycle: into the wake heap
        if (rMispredict[slot] === 1) {
          fetchResumeAt = now + l + penalty;
          redirectEnd = fetchResumeAt + feStages + 1;
        }
      }
    }

    // ---------------- 3. memory ----------------
    if (memQ.n > 0 && memQ.step(now, headSeq)) sb.noteRetry(now);
    if (useSb && sb.pending > 0) sb.until(now);

    // ---------------- 4. dispatch ----------------
    let dispatched = 0;
    let stallKind = 0; // which dispatch-stall counter this cycle bumped (for idle-cycle skipping)
    while (dispatched < dispatchWidth) {
      if (dispSeq === fetchSeq || rReady[dispSlot]! > now) { if (dispatched === 0) { stallFrontEnd++; stallKind = 1; } break; }
      if (dispSeq - headSeq >= robSize) { if (dispatched === 0) { stallRob++; stallKind = 2; } break; }
      if (schedN >= schedSize) { if (dispatched === 0) { stallSched++; stallKind = 3; } break; }
      const slot = dispSlot;
      const pc = rPc[slot]!;
      const info = pcInfo[pc]!;
      const isMem = (info & kPC_MEM) !== 0;
      if (isMem && lsqN >= lsqSize) { if (dispatched === 0) { stallLsq++; stallKind = 4; } break; }
      const toSb = useSb && isMem && (info & kPC_LOAD) === 0 && rSize[slot] !== 0;
      if (toSb && sbTaken - sb.written >= sbSize) { if (dispatched === 0) { stallStoreBuffer++; stallKind = 6; } break; }
      const w = sWrites[pc]!;
      const wx = (info & kPC_WRITES_X) !== 0, wv = (info & kPC_WRITES_V) !== 0;
      if ((wx && xInFlight >= xFree) || (wv && vInFlight >= vFree)) { if (dispatched === 0) { stallRegs++; stallKind = 5; } break; }
      const base = pc * kMAX_READS, rbase = slot * kMAX_READS, nr = pcNReads[pc]!;
      rNSrc[slot] = nr;
      // Each operand's producer is recorded; on the way, the cycle all operands are ready (from the cycle after
      // dispatch), or the first producer whose completion is not known yet (the entry waits on it).
      let wake = now + 1, waitOn = -1;
      for (let k = 0; k < nr; k++) {
        const r = pcReads[base + k]!;
        const ps = producer[r]!, psl = producerSlot[r]!;
        rSrc[rbase + k] = ps;
        rSrcSlot[rbase + k] = psl;
        if (ps >= headSeq && waitOn < 0) { // not retired (nor none)
          const dn = rDone[psl]!;
          if (dn === INF) waitOn = psl;
          else if (dn > wake) wake = dn;
        }
      }
      if (w >= 0) { producer[w] = dispSeq; producerSlot[w] = slot; }
      if (wx) xInFlight++;
      if (wv) vInFlight++;
      if (isMem) lsqN++;
      // A store into the buffer completes like an ALU operation; its memory access comes after retirement.
      producerIsMem[slot] = isMem && rSize[slot] !== 0 && !toSb ? 1 : 0;
      rSb[slot] = toSb ? 1 : 0;
      if (toSb) sbTaken++;
      rIssued[slot] = 0;
      rDone[slot] = INF;
      rDispatch[slot] = now;
      rDesc[slot] = desc[pc]!;
      schedN++;
      if (inOrder) {
        rWake[slot] = -1;
      } else {
        rSeq[slot] = dispSeq;
        rGroup[slot] = pcGroup[pc]!;
        depHead[slot] = -1;
        wakeup.file(slot, waitOn, wake, now + 1);
      }
      dispSeq++;
      if (++dispSlot === cap) dispSlot = 0;
      dispatched++;
    }

    // ---------------- 5. fetch ----------------
    let fetched = 0;
    if (fetchResumeAt <= now) {
      while (fetched < fetchWidth && fetchSeq - dispSeq < fqSize) {
        if (bufPos >= bufN) {
          if (streamDone) break;
          bufN = next(buf);
          bufPos = 0;
          if (bufN === 0) { streamDone = true; break; }
        }
        const slot = fetchSlot;
        const pc = bPc[bufPos]!;
        rPc[slot] = pc;
        const size = bSize[bufPos]!;
        rSize[slot] = size;
        if (size !== 0) {
          rAddr[slot] = bAddr[bufPos]!;
          rStride[slot] = bStride[bufPos]!;
          const pieces = bPieces[bufPos]!;
          rPieces[slot] = pieces;
          if ((pcInfo[pc]! & kPC_LOAD) !== 0) { loads++; loadBytes += size * pieces; } else { stores++; storeBytes += size * pieces; }
        }
        rFetch[slot] = now;
        rReady[slot] = now + feStages;
        rMispredict[slot] = 0;
        fetchSeq++;
        if (++fetchSlot === cap) fetchSlot = 0;
        fetched++;
        if ((pcInfo[pc]! & kPC_BRANCH) !== 0) {
          branches++;
          const ok = pred.predictAndTrain(pc, bTaken[bufPos] === 1);
          bufPos++;
          if (!ok) {
            mispredicts++;
            rMispredict[slot] = 1;
            fetchResumeAt = INF;
            redirectEnd = INF;
            break;
          }
        } else {
          bufPos++;
        }
      }
    }

    // CPI stack, at the end of the cycle: retired slots are base; lost slots go to the reason the ROB head
    // (after this cycle's issue) is not complete.
    // Counted in retire slots (integers, so the sums are exact for any width) and divided at the end.
    if (retired === retireWidth) {
      cpi[kCPI_BASE] += retireWidth;
    } else {
      cpi[kCPI_BASE] += retired;
      let reason: number;
      if (headSeq === dispSeq) {
        reason = now < redirectEnd ? kCPI_BRANCH : stallKind === 6 ? kCPI_SB : kCPI_FRONTEND;
      } else {
        const slot = headSlot;
        if (rIssued[slot] === 1) {
          reason = producerIsMem[slot] === 1 ? memCpi[rLevel[slot]!]! : kCPI_DEPENDENCY;
        } else if (rDispatch[slot]! >= now) {
          reason = kCPI_FRONTEND;
        } else {
          reason = kCPI_UNIT0 + uPool[uList[uStart[rDesc[slot]!]!]!]!; // the first pool that could take it
          const base = slot * kMAX_READS, nr = rNSrc[slot]!;
          for (let k = 0; k < nr; k++) {
            if (rSrc[base + k]! < headSeq) continue;
            const ps = rSrcSlot[base + k]!;
            if (rDone[ps]! > now) { reason = producerIsMem[ps] === 1 ? memCpi[rLevel[ps]!]! : kCPI_DEPENDENCY; break; }
          }
        }
      }
      cpi[reason] += retireWidth - retired;

      // Idle-cycle skipping: when no stage acted this cycle, nothing changes until the next event (a
      // result completing, a unit freeing, an instruction reaching dispatch, fetch resuming), so the
      // cycles in between repeat this one's accounting and are added in one step.
      if (skipIdle && retired === 0 && issued === 0 && dispatched === 0 && fetched === 0 && memQ.n === 0 && (!useSb || sb.pending === 0)) {
        let nextEv = INF;
        if (headSeq !== dispSeq && rIssued[headSlot] === 1) nextEv = rDone[headSlot]!;
        // In order only the oldest waiting instruction can issue next; out of order any can. Stop as soon
        // as some event is at most one cycle away: then there is nothing to skip.
        if (!inOrder) {
          // Waiting entries: the earliest operand-ready cycle; ready ones: the earliest free unit of their group.
          // (Entries attached to an unknown producer wait for it, and its own event comes first.)
          if (wakeHeap.n > 0 && wakeHeap.topKey() < nextEv) nextEv = wakeHeap.topKey();
          for (let a = 0; a < ready.nActive; a++) {
            const g = active[a]!;
            const u0 = gStart[g]!, un = gCount[g]!;
            for (let k = 0; k < un; k++) { const f = unitFree[uList[u0 + k]!]!; if (f < nextEv) nextEv = f; }
          }
        }
        if (inOrder && schedN > 0 && nextEv > now + 1) {
          const sl = issueSlot;
          const d = rDesc[sl]!;
          let ev = 0;
          const base = sl * kMAX_READS, nr = rNSrc[sl]!;
          for (let k = 0; k < nr; k++) {
            if (rSrc[base + k]! < headSeq) continue;
            const dn = rDone[rSrcSlot[base + k]!]!;
            if (dn > ev) ev = dn; // INF: waits for an unissued producer, whose own event comes first
          }
          let uf = INF;
          const u0 = uStart[d]!, un = uCount[d]!;
          for (let k = 0; k < un; k++) { const f = unitFree[uList[u0 + k]!]!; if (f < uf) uf = f; }
          if (uf > ev) ev = uf;
          if (ev < nextEv) nextEv = ev;
        }
        if (dispSeq !== fetchSeq && rReady[dispSlot]! > now && rReady[dispSlot]! < nextEv) nextEv = rReady[dispSlot]!;
        if (fetchResumeAt > now && fetchResumeAt < nextEv) nextEv = fetchResumeAt;
        if (redirectEnd > now + 1 && redirectEnd < nextEv) nextEv = redirectEnd;
        if (nextEv !== INF && nextEv > now + 1) {
          const skip = nextEv - now - 1;
          cpi[reason] += skip * retireWidth;
          switch (stallKind) {
            case 1: stallFrontEnd += skip; break;
            case 2: stallRob += skip; break;
            case 3: stallSched += skip; break;
            case 4: stallLsq += skip; break;
            case 5: stallRegs += skip; break;
            case 6: stallStoreBuffer += skip; break;
            default: break;
          }
          now += skip;
        }
      }
    }

    now++;
    if (streamDone && headSeq === fetchSeq) { done = true; break; }
    // A model that stops retiring would otherwise spin forever; no configured latency comes near this.
    if (now - lastRetire > STUCK_CYCLES) {
      throw stuckError(STUCK_CYCLES, now, instructions, headSeq < dispSeq ? rPc[headSlot]! : -1);
    }
  }
  Object.assign(v, {
    issueSlot, schedN, loads, stores, loadBytes, storeBytes, branches, mispredicts, stallRob, stallSched, stallLsq,
    stallRegs, stallFrontEnd, stallStoreBuffer, sbTaken, bufN, bufPos, streamDone, now, headSeq, dispSeq, fetchSeq,
    headSlot, dispSlot, fetchSlot, lsqN, xInFlight, vInFlight, fetchResumeAt, redirectEnd, instructions,
    lastRetire,
  } satisfies Partial<CycleVars>);
  return done;
}

/** Writes what is left in the store buffer and publishes the statistics. */
function finishCycles(fixed: CycleSetup, v: CycleVars): void {
  const {
    st, desc, facts, pcCount, memQ, cpi, sb, retireWidth,
  } = fixed;
  const {
    loads, stores, loadBytes, storeBytes, branches, mispredicts, stallRob, stallSched, stallLsq,
    stallRegs, stallFrontEnd, stallStoreBuffer, now, instructions,
  } = v;
  // Stores still in the buffer are written after the last retirement: their traffic counts, their cycles do
  // not (a run ends at its last retirement).
  sb.until(INF);
  for (let i = 0; i < cpi.length; i++) cpi[i] = cpi[i]! / retireWidth;
  const regs = st.addRetiredByPc(pcCount, desc, facts);
  st.publish({
    cycles: now, instructions, ...regs, loads, stores, loadBytes, storeBytes,
    memAccesses: memQ.accesses + sb.accesses, retries: memQ.retries + sb.retries, memRetryCycles: sb.retryCycles, branches, mispredicts, stallRob, stallSched, stallLsq, stallRegs, stallFrontEnd, stallStoreBuffer,
  });
}

/**
 * The memory stage's queue: issued loads (and stores without a store buffer), oldest first, each asking the
 * memory for its pieces in turn; a refusal (RETRY) stops the queue for this cycle.
 */
class MemoryQueue {
  readonly q: Int32Array;
  n = 0;
  accesses = 0;
  retries = 0;
  private readonly hasLevels: boolean;

  constructor(
    capacity: number,
    private readonly mem: MemoryPort,
    private readonly rPc: Int32Array,
    private readonly pcInfo: Uint8Array,
    private readonly desc: Uint16Array,
    private readonly lat: Int32Array,
    private readonly rAddr: Int32Array,
    private readonly rStride: Int32Array,
    private readonly rSize: Int32Array,
    private readonly rPieces: Int32Array,
    private readonly rPiece: Int32Array,
    private readonly rMemReady: Float64Array,
    private readonly rLevel: Uint8Array,
    private readonly rLevelAcc: Uint8Array,
    private readonly rDone: Float64Array,
    private readonly depHead: Int32Array,
    private readonly wakeup: Wakeup,
  ) {
    this.q = new Int32Array(capacity);
    this.hasLevels = mem.levelNames !== undefined;
  }

  /** One cycle of the memory stage; returns whether an access was refused. */
  step(now: number, headSeq: number): boolean {
    const q = this.q, mem = this.mem;
    let blocked = false;
    let m = 0;
    const n0 = this.n;
    for (let i = 0; i < n0; i++) {
      const slot = q[i]!;
      if (!blocked) {
        const pc = this.rPc[slot]!;
        const kind = (this.pcInfo[pc]! & PC_LOAD) !== 0 ? ACCESS_READ : ACCESS_WRITE;
        const n = this.rPieces[slot]!;
        let k = this.rPiece[slot]!;
        let ready = this.rMemReady[slot]!;
        while (k < n) {
          const r = mem.access(this.rAddr[slot]! + k * this.rStride[slot]!, this.rSize[slot]!, kind, now, pc);
          if (r === RETRY) { this.retries++; blocked = true; break; }
          this.accesses++;
          if (r > ready) ready = r;
          if (this.hasLevels && mem.lastLevel! > this.rLevelAcc[slot]!) this.rLevelAcc[slot] = mem.lastLevel!;
          k++;
        }
        this.rPiece[slot] = k;
        this.rMemReady[slot] = ready;
        if (k === n) {
          this.rLevel[slot] = this.rLevelAcc[slot]!;
          this.rDone[slot] = ready + this.lat[this.desc[pc]!]!;
          if (this.depHead[slot]! >= 0) this.wakeup.wakeDependants(slot, headSeq, now + 1);
          continue;
        }
      }
      q[m++] = slot;
    }
    this.n = m;
    return blocked;
  }
}

/**
 * Operand wake-up of the out-of-order scheduler: an entry whose producers' completion cycles are all known
 * goes into the wake heap at the cycle its operands are ready (at least the cycle after its dispatch); one
 * that waits for a producer not yet complete-known is attached to that producer until it is.
 */
class Wakeup {
  constructor(
    private readonly rSrc: Float64Array,
    private readonly rSrcSlot: Int32Array,
    private readonly rNSrc: Uint8Array,
    private readonly rDone: Float64Array,
    private readonly rDispatch: Float64Array,
    private readonly rSeq: Float64Array,
    private readonly rGroup: Int32Array,
    private readonly depHead: Int32Array,
    private readonly depNext: Int32Array,
    private readonly heap: SlotHeap,
    private readonly ready: ReadyQueues,
  ) {}

  /**
   * Files `slot` by its operands. `direct`: an operand-ready cycle up to this goes straight into the ready
   * heap (the issue stage of this cycle is over, so the entry is first seen next cycle); -1 from the issue
   * stage itself, which must not see it again this cycle.
   */
  evaluate(slot: number, headSeq: number, direct: number): void {
    let w = this.rDispatch[slot]! + 1;
    const base = slot * MAX_READS, nr = this.rNSrc[slot]!;
    for (let k = 0; k < nr; k++) {
      if (this.rSrc[base + k]! < headSeq) continue; // none, or retired
      const ps = this.rSrcSlot[base + k]!;
      const dn = this.rDone[ps]!;
      if (dn === INF) {
        this.file(slot, ps, 0, direct);
        return;
      }
      if (dn > w) w = dn;
    }
    this.file(slot, -1, w, direct);
  }

  /** Files `slot`: attached to producer slot `waitOn` unless that is -1, else by its operand-ready cycle `w`. */
  file(slot: number, waitOn: number, w: number, direct: number): void {
    if (waitOn >= 0) {
      this.depNext[slot] = this.depHead[waitOn]!;
      this.depHead[waitOn] = slot;
    } else if (w <= direct) {
      this.ready.push(this.rGroup[slot]!, this.rSeq[slot]!, slot);
    } else {
      this.heap.push(w, slot);
    }
  }

  /** `slot`'s completion cycle has just become known: re-examine the entries waiting for it. */
  wakeDependants(slot: number, headSeq: number, direct: number): void {
    let c = this.depHead[slot]!;
    this.depHead[slot] = -1;
    while (c >= 0) {
      const next = this.depNext[c]!;
      this.evaluate(c, headSeq, direct);
      c = next;
    }
  }
}

/**
 * Simulates the timing of one record stream on one core: builds a {@link TimingCore}, runs it, returns the
 * report. `next` fills a buffer with records (for example `(b) => executor.runBatch(b)`).
 */
export function simulateTiming(
  s: StaticInfo,
  next: RecordSource,
  core: CoreConfig | CoreConfigInput,
  memory: MemoryPort,
  stats: StatsRegistry,
  options: TimingOptions = {},
): Report {
  return new TimingCore(core, memory, stats, options).run(s, next);
}
