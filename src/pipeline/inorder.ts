/**
 * The in-order core computed one instruction at a time instead of one cycle at a time: what {@link TimingCore}
 * runs for `model: 'inOrder'` with `engine: 'js'`, and what its default, src/pipeline/wasm/inorder.as.ts, ports
 * to WebAssembly. The cycle-by-cycle core in core.ts stays the reference, and a property test checks that all
 * three give identical statistics and per-instruction timelines.
 *
 * Why this is exact: in an in-order core every resource an instruction waits for is freed by older
 * instructions only, so each stage time is a max over times already known:
 *
 * | time | is the max of |
 * |---|---|
 * | fetch F(i) | F(i-1); F(i-fetchWidth)+1; D(i-fetchQueueSize) (queue room); the restart after the last mispredicted branch |
 * | dispatch D(i) | F(i)+max(1, frontEndStages); D(i-1); D(i-dispatchWidth)+1; R(i-robSize); I(i-schedulerSize); R of the lsqSize-th older memory instruction; R of the older writer holding the last free physical register |
 * | issue I(i) | D(i)+1; I(i-1); I(i-issueWidth)+1; each operand's ready cycle; the first cycle one of its units is free |
 * | memory | from max(I(i), the cycle the previous access was accepted), piece by piece, one cycle later after each RETRY |
 * | retire R(i) | ready cycle; R(i-1); R(i-retireWidth)+1 |
 *
 * The stage order inside a cycle of the reference (retire, issue, memory, dispatch, fetch) decides which of
 * these are `+1`. The statistics the reference counts per cycle (dispatch stalls, the CPI stack) are counted
 * here per interval: the cycles between two dispatches, and the cycles each instruction spends as the oldest
 * in the window. The CPI stack of an empty window depends on branches fetched later, so it is settled
 * `fetchQueueSize` instructions behind.
 *
 * @module
 */
import { MAX_READS, REG_PP, type StaticInfo, TraceBuffer } from '../isa/trace.js';
import { ACCESS_READ, ACCESS_WRITE, RETRY, type MemoryPort } from '../memory/port.js';
import type { CoreConfig } from './config.js';
import { PC_BRANCH, PC_LOAD, PC_MEM, PC_WRITES_V, PC_WRITES_X, programFacts, type DescriptorTable } from './descriptors.js';
import type { BranchPredictor } from './predictor.js';
import { CPI_BASE, CPI_BRANCH, CPI_DEPENDENCY, CPI_FRONTEND, CPI_UNIT0, type CoreStats } from './stats.js';
import type { RecordSource, RetireObserver } from './core.js';
import { ringSize } from './queues.js';
import { StoreDrain } from './store-buffer.js';

const INF = Number.POSITIVE_INFINITY;
/** Fields of an instruction's record in the in-order core's ring (RS numbers per instruction). */
const _F = 0, _D = 1, _I = 2, _R = 3, _PO = 4, _A = 5, _SL = 6, _SH = 7, RS = 8;

/** What {@link runInOrder} needs of its {@link TimingCore}. */
export interface InOrderContext {
  readonly core: CoreConfig;
  readonly table: DescriptorTable;
  readonly stats: CoreStats;
  readonly predictor: BranchPredictor;
  readonly memory: MemoryPort;
  readonly observer: RetireObserver | undefined;
  readonly batch: number;
  readonly stuckCycles: number;
}

/** Runs the whole stream through the in-order core and publishes the statistics to `ctx.stats`. */
export function runInOrder(ctx: InOrderContext, s: StaticInfo, next: RecordSource): void {
  const fixed = setUp(ctx, s);
  const v = startVars();
  const buf = new TraceBuffer(ctx.batch);
  for (;;) {
    const n = next(buf);
    if (n === 0) break;
    runBatch(fixed, v, buf, n);
  }
  finishInOrder(fixed, v);
}

/** What stays fixed during a run: configuration, per-PC facts and the arrays the core works in. */
type Setup = ReturnType<typeof setUp>;

function setUp(ctx: InOrderContext, s: StaticInfo) {
  const c = ctx.core;
  const t = ctx.table;
  const st = ctx.stats;
  const mem = ctx.memory;
  const pred = ctx.predictor;
  const obs = ctx.observer;
  const stuck = ctx.stuckCycles;

  // ---- per-program static facts ----
  const desc = t.indexProgram(s);
  const n0 = s.length;
  const facts = programFacts(s);
  const pcInfo = facts.info, pcNReads = facts.nReads, pcReads = facts.reads;
  const pcWrite = s.writes;
  const thr = t.throughput, uStart = t.unitsStart, uList = t.unitList, uPool = t.unitPool, uPipe = t.unitPipelined;
  const pcLat = new Float64Array(n0), pcUnits = new Int32Array(n0), pcUnit = new Int32Array(n0), pcPool = new Int32Array(n0), pcOcc = new Float64Array(n0);
  fillPerPc(t, desc, pcLat, pcUnits, pcUnit, pcPool, pcOcc);

  const fw = c.fetchWidth, dw = c.dispatchWidth, iw = c.issueWidth, rw = c.retireWidth;
  const fe = c.frontEndStages, fq = c.fetchQueueSize, rob = c.robSize, sch = c.schedulerSize, lsq = c.lsqSize;
  const pen = c.mispredictPenaltyCycles;
  const xFree = c.physScalarRegs - 32, vFree = c.physVectorRegs - 32;
  const feDelay = fe > 1 ? fe : 1; // fetched in cycle t, dispatchable from t + max(1, frontEndStages)

  // ---- per-instruction times, in rings indexed by sequence number ----
  const P = ringLength(c);
  const PM = P - 1;
  // One record of RS numbers per instruction, in one array (one map check and one base pointer for the JIT
  // instead of eight, and one cache line per instruction): fetch, dispatch, issue and retire cycles (_F, _D, _I,
  // _R); unit pool * 16 + memory op (_PO; memory op 0: not a memory access, else 1 + the level that served it);
  // the cycle its last piece was accepted (_A; until then it counts as level 0); the cycles its dispatch waited
  // for a store-buffer entry, [_SL, _SH).
  const rg = new Float64Array(P * RS);
  initRing(rg);
  const hasLevels = mem.levelNames !== undefined;
  const useSb = c.storeBufferSize > 0;
  const sb = new StoreDrain(mem, Math.max(1, c.storeBufferSize), stuck);
  const lsqP = ringSize(lsq), xP = ringSize(xFree), vP = ringSize(vFree);
  const lsqRet = new Float64Array(lsqP), xRet = new Float64Array(xP), vRet = new Float64Array(vP);
  // Mispredicted branches not yet behind the CPI accounting: sequence number, fetch cycle, redirect end.
  const mqSeq = new Float64Array(P), mqF = new Float64Array(P), mqRE = new Float64Array(P);

  const regVis = new Float64Array(REG_PP + 8); // cycle each register's latest value can be read
  const unitFree = new Float64Array(t.numUnits);

  const cpi = st.cpiAcc; // in retire slots here; divided by retireWidth at the end
  const poolBusy = st.poolBusyAcc;
  const pcCount = new Float64Array(n0); // retirements per PC: the per-instruction counters are derived from it at the end
  const acct = new CpiAccounting(cpi, rg, st.memoryCpiIndex, st.storeBufferCpi, PM, rw, mqSeq, mqF, mqRE);
  return {
    c, st, mem, pred, obs, stuck, desc, facts, pcInfo, pcNReads, pcReads, pcWrite, thr, uStart, uList, uPool,
    uPipe, pcLat, pcUnits, pcUnit, pcPool, pcOcc, fw, dw, iw, rw, fe, fq, rob, sch, lsq, pen, xFree, vFree,
    feDelay, PM, rg, hasLevels, useSb, sb, lsqP, xP, vP, lsqRet, xRet, vRet, mqSeq, mqF, mqRE, regVis, unitFree,
    poolBusy, pcCount, acct,
  };
}

/**
 * Per PC, read through the descriptor once per run instead of per instruction: latency, how many units may take
 * it, the first of them, that unit's pool, and the cycles an issue occupies it. Also used by inorder-wasm.ts.
 */
export function fillPerPc(t: DescriptorTable, desc: Uint16Array, pcLat: Float64Array, pcUnits: Int32Array, pcUnit: Int32Array, pcPool: Int32Array, pcOcc: Float64Array): void {
  for (let pc = 0; pc < desc.length; pc++) {
    const d = desc[pc]!, u = t.unitList[t.unitsStart[d]!]!, l = t.latency[d]!, th = t.throughput[d]!;
    pcLat[pc] = l;
    pcUnits[pc] = t.unitsCount[d]!;
    pcUnit[pc] = u;
    pcPool[pc] = t.unitPool[u]!;
    pcOcc[pc] = t.unitPipelined[u] === 1 ? th : l > th ? l : th;
  }
}

/** Instructions the ring of records holds (a power of two): twice the deepest look-back, and some. */
export function ringLength(c: CoreConfig): number {
  return ringSize(2 * Math.max(c.robSize, c.fetchQueueSize, c.schedulerSize, c.fetchWidth, c.dispatchWidth, c.issueWidth, c.retireWidth) + 4);
}

/** Numbers per record in the ring. */
export const RECORD_SIZE = RS;

/**
 * Fills the ring so that the instructions before the first impose nothing (no `j >= width` tests in the loop):
 * F = -1 (F + 1 = 0), D = I = R = 0 (every later time is at least 1).
 */
export function initRing(rg: Float64Array): void {
  rg.fill(0);
  for (let i = 0; i < rg.length; i += RS) rg[i + _F] = -1;
}

/** The variables the loop carries from one batch to the next. */
type Vars = ReturnType<typeof startVars>;

function startVars() {
  return {
    memCount: 0, xCount: 0, vCount: 0, // memory instructions, scalar and vector register writers so far
    loads: 0, stores: 0, loadBytes: 0, storeBytes: 0, memAccesses: 0, retries: 0, branches: 0, mispredicts: 0,
    stallRob: 0, stallSched: 0, stallLsq: 0, stallRegs: 0, stallFrontEnd: 0, stallStoreBuffer: 0,
    lastF: 0, lastD: -1, lastI: 0, lastR: 0, fetchFloor: 0, lastAccept: 0, lastMisp: false, lastResume: 0,
    j: 0, // sequence number of the next instruction
    accounted: 0, // next instruction whose CPI accounting is due
  };
}

/**
 * One batch of records through the core. The loop lives in a function entered once per batch, not in one loop
 * over the whole stream: V8 compiles a loop that is already running on the stack (OSR) without knowing what
 * its variables hold, and that code re-checks every typed array on every access; a function it enters anew
 * gets ordinary optimised code, about a quarter faster here (measured with --no-use-osr and by this split).
 * The state is copied to locals here and back at the end, so the loop works on registers, not on fields.
 */
function runBatch(fixed: Setup, v: Vars, buf: TraceBuffer, n: number): void {
  // Imported constants copied to locals: module bindings may be getters (tsx, bundlers) in the hot loop.
  const kMAX_READS = MAX_READS, kRETRY = RETRY;
  const kBRANCH = PC_BRANCH, kMEM = PC_MEM, kLOAD = PC_LOAD, kWX = PC_WRITES_X, kWV = PC_WRITES_V;
  const {
    c, mem, pred, obs, stuck, desc, pcInfo, pcNReads, pcReads, pcWrite, thr, uStart, uList, uPool, uPipe, pcLat,
    pcUnits, pcUnit, pcPool, pcOcc, fw, dw, iw, rw, fe, fq, rob, sch, lsq, pen, xFree, vFree, feDelay, PM, rg,
    hasLevels, useSb, sb, lsqP, xP, vP, lsqRet, xRet, vRet, mqSeq, mqF, mqRE, regVis, unitFree, poolBusy, pcCount,
    acct,
  } = fixed;
  let {
    memCount, xCount, vCount, loads, stores, loadBytes, storeBytes, memAccesses, retries, branches,
    mispredicts, stallRob, stallSched, stallLsq, stallRegs, stallFrontEnd, stallStoreBuffer, lastF, lastD,
    lastI, lastR, fetchFloor, lastAccept, lastMisp, lastResume, j, accounted,
  } = v;
  const bPc = buf.pc, bAddr = buf.addr, bSize = buf.size, bStride = buf.stride, bPieces = buf.pieces, bTaken = buf.taken;
  for (let q = 0; q < n; q++, j++) {
    const pc = bPc[q]!;
    const info = pcInfo[pc]!;
    const kb = (j & PM) * RS;

    // ---- fetch ----
    let f = lastF > fetchFloor ? lastF : fetchFloor;
    const xf = rg[((j - fw) & PM) * RS + _F] + 1; if (xf > f) f = xf;
    const xq = rg[((j - fq) & PM) * RS + _D]; if (xq > f) f = xq;
    const size = bSize[q]!;
    if (size !== 0) {
      if ((info & kLOAD) !== 0) { loads++; loadBytes += size * bPieces[q]!; } else { stores++; storeBytes += size * bPieces[q]!; }
    }
    let misp = false;
    if ((info & kBRANCH) !== 0) {
      branches++;
      if (!pred.predictAndTrain(pc, bTaken[q] === 1)) { mispredicts++; misp = true; }
    }

    // ---- dispatch ----
    const fReady = f + feDelay;
    let dd = fReady;
    if (lastD > dd) dd = lastD;
    const xd = rg[((j - dw) & PM) * RS + _D] + 1; if (xd > dd) dd = xd;
    const tRob = rg[((j - rob) & PM) * RS + _R];
    const tSch = rg[((j - sch) & PM) * RS + _I];
    const isMem = (info & kMEM) !== 0;
    const tLsq = isMem && memCount >= lsq ? lsqRet[(memCount - lsq) & (lsqP - 1)]! : 0;
    const tRegs = (info & kWX) !== 0 && xCount >= xFree ? xRet[(xCount - xFree) & (xP - 1)]! : (info & kWV) !== 0 && vCount >= vFree ? vRet[(vCount - vFree) & (vP - 1)]! : 0;
    // A store into the buffer needs the entry of the store storeBufferSize before it to be written.
    const toSb = useSb && isMem && (info & kLOAD) === 0 && size !== 0;
    const tSb = toSb && sb.n >= c.storeBufferSize ? sb.freedAt(sb.n - c.storeBufferSize) : 0;
    if (tSb > dd) dd = tSb;
    if (tRob > dd) dd = tRob;
    if (tSch > dd) dd = tSch;
    if (tLsq > dd) dd = tLsq;
    if (tRegs > dd) dd = tRegs;
    // Cycles between the previous dispatch and this one dispatched nothing; each goes to the first check that
    // failed in it, in the reference's order (front end, ROB, scheduler, LSQ, store buffer, registers).
    let cur = lastD + 1;
    if (fReady > cur) { stallFrontEnd += fReady - cur; cur = fReady; }
    if (tRob > cur) { stallRob += tRob - cur; cur = tRob; }
    if (tSch > cur) { stallSched += tSch - cur; cur = tSch; }
    if (tLsq > cur) { stallLsq += tLsq - cur; cur = tLsq; }
    if (tSb > cur) { stallStoreBuffer += tSb - cur; rg[kb + _SL] = cur; rg[kb + _SH] = tSb; cur = tSb; } else if (useSb) { rg[kb + _SL] = 0; rg[kb + _SH] = 0; }
    if (tRegs > cur) stallRegs += tRegs - cur;

    // ---- issue ----
    let ti = dd + 1;
    if (lastI > ti) ti = lastI;
    const xi = rg[((j - iw) & PM) * RS + _I] + 1; if (xi > ti) ti = xi;
    const rb = pc * kMAX_READS, nr = pcNReads[pc]!;
    for (let r = 0; r < nr; r++) { const x = regVis[pcReads[rb + r]!]!; if (x > ti) ti = x; }
    const un = pcUnits[pc]!;
    let unit = pcUnit[pc]!;
    const l = pcLat[pc]!;
    let occ = pcOcc[pc]!;
    if (un === 1) {
      const x = unitFree[unit]!; if (x > ti) ti = x;
      poolBusy[pcPool[pc]!] += occ;
    } else {
      const d = desc[pc]!, u0 = uStart[d]!;
      // The first unit free by ti; if none is, ti becomes the earliest free cycle and the unit the first free then.
      let minFree = INF, minUnit = unit, found = false;
      for (let u = 0; u < un; u++) {
        const id = uList[u0 + u]!, x = unitFree[id]!;
        if (x <= ti) { unit = id; found = true; break; }
        if (x < minFree) { minFree = x; minUnit = id; }
      }
      if (!found) { ti = minFree; unit = minUnit; }
      occ = uPipe[unit] === 1 ? thr[d]! : (l > thr[d]! ? l : thr[d]!);
      poolBusy[uPool[unit]!] += occ;
    }
    unitFree[unit] = ti + occ;

    // ---- memory, completion ----
    let done: number, vis: number;
    const memOp = isMem && size !== 0 && !toSb;
    let level = 0;
    if (memOp) {
      let tm = ti > lastAccept ? ti : lastAccept;
      if (useSb) sb.until(tm - 1); // retired stores write in the cycles before (and after the accesses issued in the same cycle)
      let ready = ti;
      const kind = (info & kLOAD) !== 0 ? ACCESS_READ : ACCESS_WRITE;
      const pieces = bPieces[q]!, addr = bAddr[q]!, stride = bStride[q]!;
      for (let p = 0; p < pieces; ) {
        const r = mem.access(addr + p * stride, size, kind, tm, pc);
        if (r === kRETRY) {
          retries++;
          sb.noteRetry(tm);
          tm++;
          if (tm - lastR > stuck) throw stuckError(stuck, tm, j, pc);
          if (useSb) sb.until(tm - 1);
          continue;
        }
        memAccesses++;
        if (r > ready) ready = r;
        if (hasLevels && mem.lastLevel! > level) level = mem.lastLevel!;
        p++;
      }
      lastAccept = tm;
      rg[kb + _A] = tm;
      done = ready + l;
      vis = done > tm + 1 ? done : tm + 1; // known at the end of cycle tm: usable from tm + 1
    } else {
      done = ti + l;
      vis = done;
    }
    if (misp) {
      lastResume = ti + l + pen;
      fetchFloor = lastResume;
      const m = acct.mqTail++ & PM;
      mqSeq[m] = j;
      mqF[m] = f;
      mqRE[m] = lastResume + fe + 1;
    }

    // ---- retire ----
    let rr = vis;
    if (lastR > rr) rr = lastR;
    const xr = rg[((j - rw) & PM) * RS + _R] + 1; if (xr > rr) rr = xr;
    if (rr - lastR > stuck) throw stuckError(stuck, lastR + stuck + 1, j, pc);

    const w = pcWrite[pc]!;
    if (w >= 0) regVis[w] = vis;
    pcCount[pc]++;
    if ((info & kWX) !== 0) { xRet[xCount & (xP - 1)] = rr; xCount++; }
    else if ((info & kWV) !== 0) { vRet[vCount & (vP - 1)] = rr; vCount++; }
    if (isMem) { lsqRet[memCount & (lsqP - 1)] = rr; memCount++; }
    if (toSb) sb.add(bAddr[q]!, size, bStride[q]!, bPieces[q]!, pc, rr);
    rg[kb + _F] = f; rg[kb + _D] = dd; rg[kb + _I] = ti; rg[kb + _R] = rr;
    rg[kb + _PO] = pcPool[pc]! * 16 + (memOp ? 1 + level : 0);
    if (obs !== undefined) obs.retired(j, pc, f, dd, ti, done, rr);
    lastF = f; lastD = dd; lastI = ti; lastR = rr; lastMisp = misp;

    // Window-empty cycles of instruction i depend on mispredicted branches up to i + fetchQueueSize - 1.
    if (j - accounted >= fq) acct.account(accounted++);
  }
  Object.assign(v, {
    memCount, xCount, vCount, loads, stores, loadBytes, storeBytes, memAccesses, retries, branches, mispredicts,
    stallRob, stallSched, stallLsq, stallRegs, stallFrontEnd, stallStoreBuffer, lastF, lastD, lastI, lastR,
    fetchFloor, lastAccept, lastMisp, lastResume, j, accounted,
  } satisfies Partial<Vars>);
}

/** What {@link finishInOrder} reads of a run's setup: the JavaScript loop's, or the WebAssembly one's (inorder-wasm.ts). */
export type FinishSetup = Pick<Setup, 'st' | 'desc' | 'facts' | 'fw' | 'fq' | 'PM' | 'rg' | 'useSb' | 'sb' | 'pcCount'> & {
  readonly acct: Pick<CpiAccounting, 'account' | 'finish'>;
};

/** What {@link finishInOrder} reads of the carried variables. */
export type FinishVars = Pick<
  Vars,
  | 'loads' | 'stores' | 'loadBytes' | 'storeBytes' | 'memAccesses' | 'retries' | 'branches' | 'mispredicts' | 'stallRob' | 'stallSched'
  | 'stallLsq' | 'stallRegs' | 'stallFrontEnd' | 'stallStoreBuffer' | 'lastF' | 'lastD' | 'lastR' | 'lastMisp' | 'lastResume' | 'j' | 'accounted'
>;

/** Settles the accounting after the last record and publishes the statistics. */
export function finishInOrder(fixed: FinishSetup, v: FinishVars): void {
  const { st, desc, facts, fw, fq, PM, rg, useSb, sb, pcCount, acct } = fixed;
  const {
    loads, stores, loadBytes, storeBytes, memAccesses, retries, branches, mispredicts,
    stallRob, stallSched, stallLsq, stallRegs, stallStoreBuffer, lastF, lastD, lastR, lastMisp, lastResume, j,
  } = v;
  let { stallFrontEnd } = v;
  for (let i = v.accounted; i < j; i++) acct.account(i);

  // The reference ends in the cycle fetch learns that the stream is over, if that is after the last retirement.
  let end = 0;
  if (j > 0) {
    const L = j - 1;
    const roomAt = L + 1 < fq ? 0 : rg[((L + 1 - fq) & PM) * RS + _D]; // first cycle the fetch queue has room again
    let fetchCnt = 1; // instructions fetched in the last fetch cycle (at most fetchWidth, all still in the ring)
    while (fetchCnt < fw && fetchCnt <= L && rg[((L - fetchCnt) & PM) * RS + _F] === lastF) fetchCnt++;
    if (!lastMisp && fetchCnt < fw && roomAt <= lastF) end = lastF;
    else {
      end = lastF + 1;
      if (lastMisp && lastResume > end) end = lastResume;
      if (roomAt > end) end = roomAt;
    }
  }
  const cycles = (lastR > end ? lastR : end) + 1;
  // Stores still in the buffer are written after the last retirement (their traffic counts, not their cycles).
  if (useSb) sb.until(INF);
  acct.finish(cycles, j);
  stallFrontEnd += cycles - 1 - lastD;

  const regs = st.addRetiredByPc(pcCount, desc, facts);
  st.publish({
    cycles, instructions: j, ...regs, loads, stores, loadBytes, storeBytes, memAccesses: memAccesses + sb.accesses, retries: retries + sb.retries,
    memRetryCycles: sb.retryCycles, branches, mispredicts, stallRob, stallSched, stallLsq, stallRegs, stallFrontEnd, stallStoreBuffer,
  });
}

/**
 * The CPI stack, settled per instruction: the cycles each instruction spends as the oldest in the window
 * (its own retirement cycle shared with what retires beside it), in retire slots. A class rather than closures
 * inside {@link runBatch}: closures would capture that loop's hot locals, which V8 then keeps in a heap context
 * and reloads after every call.
 */
class CpiAccounting {
  /** Mispredicted branches queued (their sequence numbers, fetch cycles and redirect ends are in mq*). */
  mqTail = 0;
  private mqHead = 0;
  /** The retire cycle being filled and how many retired in it. */
  private cycT = -1;
  private cycN = 0;
  /** Redirect end of the last mispredicted branch already behind the accounting. */
  private lastRE = 0;

  constructor(
    private readonly cpi: Float64Array,
    private readonly rg: Float64Array,
    private readonly memCpi: Int32Array,
    private readonly sbCpi: number,
    private readonly PM: number,
    private readonly rw: number,
    private readonly mqSeq: Float64Array,
    private readonly mqF: Float64Array,
    private readonly mqRE: Float64Array,
  ) {}

  /**
   * Adds `w` slots per cycle of [a, b) in which the window is empty; `bF` = fetch of a later mispredicted
   * branch; [sbLo, sbHi) = cycles in which dispatch waited for a store-buffer entry.
   */
  private addEmpty(a: number, b: number, w: number, bF: number, sbLo: number, sbHi: number): void {
    if (b <= a) return;
    const re = this.lastRE;
    // Fetch waits for a mispredicted branch while t < lastRE (the last one resolved) or t >= bF (one fetched, unresolved).
    const x1 = (re < a ? a : re > b ? b : re) - a;
    const x2 = b - (bF < a ? a : bF > b ? b : bF);
    let lo = a > bF ? a : bF, hi = b < re ? b : re;
    const br = x1 + x2 - (hi > lo ? hi - lo : 0);
    // The other cycles, [max(a, re), min(b, bF)), go to the store buffer where dispatch waited for it.
    lo = a > re ? a : re; if (sbLo > lo) lo = sbLo;
    hi = b < bF ? b : bF; if (sbHi < hi) hi = sbHi;
    const sbc = hi > lo ? hi - lo : 0;
    this.cpi[CPI_BRANCH] += br * w;
    if (sbc > 0) this.cpi[this.sbCpi] += sbc * w;
    this.cpi[CPI_FRONTEND] += (b - a - br - sbc) * w;
  }

  /** Adds `w` slots per cycle of [a, b) in which instruction `i` is (or is about to be) the oldest. */
  private addHead(i: number, a: number, b: number, w: number, bF: number): void {
    const k = (i & this.PM) * RS;
    const di = this.rg[k + _D]!, ii = this.rg[k + _I]!;
    this.addEmpty(a, b < di ? b : di, w, bF, this.rg[k + _SL]!, this.rg[k + _SH]!);
    if (a <= di && di < b) this.cpi[CPI_FRONTEND] += w; // dispatched this cycle
    let lo = a > di + 1 ? a : di + 1;
    let hi = b < ii ? b : ii;
    if (hi > lo) this.cpi[CPI_UNIT0 + (this.rg[k + _PO]! >> 4)] += (hi - lo) * w; // waits for a unit (its operands are retired)
    lo = a > ii ? a : ii;
    if (b > lo) this.addIssued(k, lo, b, w);
  }

  /** Adds `w` slots per cycle of [a, b), a non-empty range in which instruction slot `k` has issued and not retired. */
  private addIssued(k: number, a: number, b: number, w: number): void {
    const m = this.rg[k + _PO]! & 15;
    if (m === 0) { this.cpi[CPI_DEPENDENCY] += (b - a) * w; return; }
    // Until its last piece is accepted a memory instruction counts as waiting on the nearest level.
    const acc = this.rg[k + _A]!;
    const mid = acc < a ? a : acc > b ? b : acc;
    if (mid > a) this.cpi[this.memCpi[0]!] += (mid - a) * w;
    if (b > mid) this.cpi[this.memCpi[m - 1]!] += (b - mid) * w;
  }

  /** Settles the cycles up to instruction `i`'s retirement; every mispredicted branch up to i + fetchQueueSize - 1 must be queued. */
  account(i: number): void {
    const PM = this.PM;
    const k = (i & PM) * RS;
    const ri = this.rg[k + _R]!;
    // Base slots are not counted here: summed over all cycles they are the instruction count (see finish).
    if (ri === this.cycT) { this.cycN++; return; }
    while (this.mqHead < this.mqTail && this.mqSeq[this.mqHead & PM]! < i) { this.lastRE = this.mqRE[this.mqHead & PM]!; this.mqHead++; }
    const cT = this.cycT;
    // The usual case: one cycle to settle, the one in which the previous instructions retired. This is
    // addHead(i, cT, cT + 1, ...) without its range arithmetic: the CPI accounting took a quarter of this core's
    // time before.
    if (cT >= 0 && this.cycN < this.rw) {
      const w = this.rw - this.cycN;
      const di = this.rg[k + _D]!;
      if (cT < di) this.addEmpty(cT, cT + 1, w, this.laterBranchFetch(i), this.rg[k + _SL]!, this.rg[k + _SH]!);
      else if (cT === di) this.cpi[CPI_FRONTEND] += w;
      else if (cT < this.rg[k + _I]!) this.cpi[CPI_UNIT0 + (this.rg[k + _PO]! >> 4)] += w;
      else this.addIssued(k, cT, cT + 1, w);
    }
    if (ri > cT + 1) this.addHead(i, cT + 1, ri, this.rw, this.laterBranchFetch(i));
    this.cycT = ri;
    this.cycN = 1;
  }

  /** Fetch cycle of the first queued mispredicted branch at or after `i` if it was fetched before `i` dispatched, else infinity. */
  private laterBranchFetch(i: number): number {
    const h = this.mqHead & this.PM;
    return this.mqHead < this.mqTail && this.mqF[h]! < this.rg[(i & this.PM) * RS + _D]! ? this.mqF[h]! : INF;
  }

  /** Settles the cycles after the last retirement up to `cycles` and turns slots into cycles. */
  finish(cycles: number, retired: number): void {
    const PM = this.PM;
    while (this.mqHead < this.mqTail) { this.lastRE = this.mqRE[this.mqHead & PM]!; this.mqHead++; }
    this.cpi[CPI_BASE] += retired;
    if (this.cycT >= 0) {
      if (this.cycN < this.rw) this.addEmpty(this.cycT, this.cycT + 1, this.rw - this.cycN, INF, 0, 0);
      this.addEmpty(this.cycT + 1, cycles, this.rw, INF, 0, 0);
    } else {
      this.addEmpty(0, cycles, this.rw, INF, 0, 0);
    }
    for (let i = 0; i < this.cpi.length; i++) this.cpi[i] = this.cpi[i]! / this.rw;
  }
}

/** The error a run ends with when no instruction retired for `stuck` cycles (every engine throws this one). */
export function stuckError(stuck: number, cycle: number, retired: number, pc: number): Error {
  return new Error(`core timing model stuck: no instruction retired for ${stuck} cycles (cycle ${cycle}, ${retired} retired, oldest in flight at pc ${pc})`);
}
