// The in-order core, computed one instruction at a time instead of one cycle at a time. In an in-order core
// every resource an instruction waits for is freed by older instructions only, so each stage time is a max over
// times already known (docs/pipeline.md states the stage rules; the reference model in
// test/pipeline/reference-model.ts steps them cycle by cycle and the property tests check the two agree):
//
// | time | is the max of |
// |---|---|
// | fetch F(i) | F(i-1); F(i-fetchWidth)+1; D(i-fetchQueueSize) (queue room); the restart after the last mispredicted branch |
// | dispatch D(i) | F(i)+max(1, frontEndStages); D(i-1); D(i-dispatchWidth)+1; R(i-robSize); I(i-schedulerSize); R of the lsqSize-th older memory instruction; R of the older writer holding the last free physical register; the store buffer's entry |
// | issue I(i) | D(i)+1; I(i-1); I(i-issueWidth)+1; each operand's ready cycle; the first cycle one of its units is free |
// | memory | from max(I(i), the cycle the previous access was accepted), piece by piece, one cycle later after each RETRY |
// | retire R(i) | ready cycle; R(i-1); R(i-retireWidth)+1 |
//
// The stage order inside a cycle (retire, issue, memory, dispatch, fetch) decides which of these are `+1`. The
// statistics a cycle-by-cycle core counts per cycle (dispatch stalls, the CPI stack) are counted here per
// interval: the cycles between two dispatches, and the cycles each instruction spends as the oldest in the
// window. The CPI stack of an empty window depends on branches fetched later, so it is settled fetchQueueSize
// instructions behind.
//
// Every array is addressed by a pointer into linear memory (common.as.ts), laid out by src/pipeline/wasm/loader.ts
// from the manifest (generated/*.as.ts declare them).
import { addF, INF, ldB, ldF, ldI, stB, stF, stI } from './common.as';
import { ACCESS_READ, ACCESS_WRITE, CPI_BASE, CPI_BRANCH, CPI_DEPENDENCY, CPI_FRONTEND, CPI_UNIT0, MAX_LANES, MAX_READS, PC_BRANCH, PC_LOAD, PC_MEM, PC_WRITES_V, PC_WRITES_X, REG_PP, REG_V, RETRY, ROLE_ACCUMULATOR } from './generated/constants.as';
import {
  bAddr, bPc, bPieces, bSize, bStride, bTaken, branches, cpi, cpiSb, cycles, desc, dispatchWidth, fetchQueueSize, fetchWidth, frontEndStages, hasLevels, hasObserver, hasOperandRules, instructions, laneMode, pcLane, pcRoles,
  issueWidth, lat, lsqSize, memAccesses, memCpi, mispredicts, pcCount, pcInfo, pcNReads, pcReads, pcWrite, penalty, poolBusy, programLength, retireWidth, retries, robSize,
  schedulerSize, stallFrontEnd, stallLsq, stallRegs, stallRob, stallSched, stallStoreBuffer, storeBufferSize, stuckCycles, uCount, uList, uPool, uStart, unitFree, useSb, vFree, xFree,
} from './generated/core.as';
import { laneDesc, laneIssue, laneMem, laneVis, lsqM, lsqRet, pcLat, pcOcc, pcPool, pcUnit, pcUnits, PM, regDesc, regIssue, regMem, regVis, rg, vM, vRet, xM, xRet } from './generated/inorder.as';
import { access, servedLevel } from './memport.as';
import { predict } from './predictor.as';
import { accessSpan, countFetchedAccess, firstFreeUnit, observe, occupancy, operandReady, refill, slotsToCycles, spanAddr, spanBytes, stuck } from './rules.as';
import { sbAdd, sbFreedAt, sbNoteRetry, sbPending, sbStart, sbUntil } from './store-buffer.as';

export { alloc, reset } from './common.as';
export { constantValue, manifestHash } from './generated/constants.as';
export { init_core, outputs_core } from './generated/core.as';
export { init_inorder } from './generated/inorder.as';
export { init_memory } from './generated/memory.as';
export { init_predictor } from './generated/predictor.as';
export { init_storeBuffer, outputs_storeBuffer } from './generated/storeBuffer.as';

// Fields of an instruction's record in the ring rg (RS numbers per instruction, indexed by sequence number & PM):
// fetch, dispatch, issue, retire cycles; unit pool * 16 + memory op (0: not a memory access, else 1 + the level
// that served it, and MISPREDICTED for a mispredicted branch); the cycle its last piece was accepted (until then it counts as level 0); the cycles its
// dispatch waited for a store-buffer entry, [_SL, _SH).
const _F: i32 = 0, _D: i32 = 1, _I: i32 = 2, _R: i32 = 3, _PO: i32 = 4, _A: i32 = 5, _SL: i32 = 6, _SH: i32 = 7, RS: i32 = 8;
/**
 * _PO holds: bits 0-3 the memory op (0: none, else 1 + the level that served it), bits 4-15 the unit pool, bits
 * 16-19 for a non-memory instruction 1 + the level that served the loaded operand that held its issue back
 * (0: none), bit 20 a mispredicted branch.
 */
const MISPREDICTED: i32 = 1 << 20;

// ---- carried from one batch to the next ----
let memCount: i32 = 0, xCount: i32 = 0, vCount: i32 = 0, sbN: i32 = 0; // sbN: stores into the buffer so far
let lastF: f64 = 0, lastD: f64 = -1, lastI: f64 = 0, lastR: f64 = 0, fetchFloor: f64 = 0, lastAccept: f64 = 0, lastResume: f64 = 0;
let lastMisp: bool = false;
let j: i32 = 0; // sequence number of the next instruction
let accounted: i32 = 0; // next instruction whose CPI accounting is due
let feDelay: f64 = 1; // fetched in cycle t, dispatchable from t + max(1, frontEndStages)

/** Starts a run, once the loader has laid it out: per-PC facts of the descriptors, the ring, the carried state. */
export function start(): void {
  for (let pc = 0; pc < programLength; pc++) {
    const d = ldI(desc, pc), u = ldI(uList, ldI(uStart, d));
    stF(pcLat, pc, <f64>ldI(lat, d));
    stI(pcUnits, pc, ldI(uCount, d));
    stI(pcUnit, pc, u);
    stI(pcPool, pc, ldI(uPool, u));
    stF(pcOcc, pc, occupancy(d, u));
  }
  // The instructions before the first impose nothing (no `j >= width` tests in the loop): F = -1 (F + 1 = 0),
  // D = I = R = 0 (every later time is at least 1).
  for (let k = 0; k <= PM; k++) {
    for (let f = 0; f < RS; f++) stF(rg, k * RS + f, 0);
    stF(rg, k * RS + _F, -1);
  }
  for (let r = 0; r < REG_PP + 8; r++) stF(regIssue, r, -1); // no producer yet
  for (let k = 0, n = laneMode != 0 ? (REG_PP - REG_V) * MAX_LANES : 0; k < n; k++) stF(laneIssue, k, -1);
  memCount = 0; xCount = 0; vCount = 0; sbN = 0;
  sbStart();
  lastF = 0; lastD = -1; lastI = 0; lastR = 0; fetchFloor = 0; lastAccept = 0; lastMisp = false; lastResume = 0;
  j = 0; accounted = 0;
  cycT = -1; cycN = 0;
  feDelay = frontEndStages > 1 ? frontEndStages : 1;
}

/** Runs the next batch of records through the core; returns 1 when the stream has ended. */
export function run(): i32 {
  const n = refill();
  if (n == 0) return 1;
  batch(n);
  return 0;
}

function batch(n: i32): void {
  const fw = fetchWidth, dw = dispatchWidth, iw = issueWidth, rw = retireWidth, fq = fetchQueueSize;
  for (let q = 0; q < n; q++, j++) {
    const pc = ldI(bPc, q);
    const info = ldB(pcInfo, pc);
    const kb = (j & PM) * RS;

    // ---- fetch ----
    let f = lastF > fetchFloor ? lastF : fetchFloor;
    const xf = ldF(rg, ((j - fw) & PM) * RS + _F) + 1; if (xf > f) f = xf;
    const xq = ldF(rg, ((j - fq) & PM) * RS + _D); if (xq > f) f = xq;
    const size = ldI(bSize, q);
    if (size != 0) countFetchedAccess(info, size, ldI(bPieces, q));
    let misp = false;
    if ((info & PC_BRANCH) != 0) {
      branches++;
      if (!predict(pc, ldB(bTaken, q))) { mispredicts++; misp = true; }
    }

    // ---- dispatch ----
    const fReady = f + feDelay;
    let dd = fReady;
    if (lastD > dd) dd = lastD;
    const xd = ldF(rg, ((j - dw) & PM) * RS + _D) + 1; if (xd > dd) dd = xd;
    const tRob = ldF(rg, ((j - robSize) & PM) * RS + _R);
    const tSch = ldF(rg, ((j - schedulerSize) & PM) * RS + _I);
    const isMem = (info & PC_MEM) != 0;
    const tLsq = isMem && memCount >= lsqSize ? ldF(lsqRet, (memCount - lsqSize) & lsqM) : 0;
    const tRegs = (info & PC_WRITES_X) != 0 && xCount >= xFree ? ldF(xRet, (xCount - xFree) & xM) : (info & PC_WRITES_V) != 0 && vCount >= vFree ? ldF(vRet, (vCount - vFree) & vM) : 0;
    // A store into the buffer needs the entry of the store storeBufferSize before it to be written.
    const toSb = useSb != 0 && isMem && (info & PC_LOAD) == 0 && size != 0;
    const tSb = toSb && sbN >= storeBufferSize ? sbFreedAt(sbN - storeBufferSize) : 0;
    if (tSb > dd) dd = tSb;
    if (tRob > dd) dd = tRob;
    if (tSch > dd) dd = tSch;
    if (tLsq > dd) dd = tLsq;
    if (tRegs > dd) dd = tRegs;
    // Cycles between the previous dispatch and this one dispatched nothing; each goes to the first check that
    // failed in it, in the cycle-by-cycle order (front end, ROB, scheduler, LSQ, store buffer, registers).
    let cur = lastD + 1;
    if (fReady > cur) { stallFrontEnd += fReady - cur; cur = fReady; }
    if (tRob > cur) { stallRob += tRob - cur; cur = tRob; }
    if (tSch > cur) { stallSched += tSch - cur; cur = tSch; }
    if (tLsq > cur) { stallLsq += tLsq - cur; cur = tLsq; }
    if (tSb > cur) { stallStoreBuffer += tSb - cur; stF(rg, kb + _SL, cur); stF(rg, kb + _SH, tSb); cur = tSb; } else if (useSb != 0) { stF(rg, kb + _SL, 0); stF(rg, kb + _SH, 0); }
    if (tRegs > cur) stallRegs += tRegs - cur;

    // ---- issue ----
    let ti = dd + 1;
    if (lastI > ti) ti = lastI;
    const xi = ldF(rg, ((j - iw) & PM) * RS + _I) + 1; if (xi > ti) ti = xi;
    const rb = pc * MAX_READS, nr = ldB(pcNReads, pc);
    // For the CPI stack: the latest operand a load produced (and the level that served it) against the cycle
    // the instruction could issue without it (see memDelayEnd below).
    let memReady: f64 = 0, memLvl = 0, nonMem = dd + 1;
    if (hasOperandRules == 0 && laneMode == 0) {
      for (let r = 0; r < nr; r++) {
        const reg = ldI(pcReads, rb + r);
        const x = ldF(regVis, reg);
        if (x > ti) ti = x;
        const ml = ldB(regMem, reg);
        if (ml != 0) { if (x > memReady) { memReady = x; memLvl = ml; } } else if (x > nonMem) nonMem = x;
      }
    } else {
      const cd = ldI(desc, pc), lane = laneMode != 0 ? ldI(pcLane, pc) : -1;
      for (let r = 0; r < nr; r++) {
        const reg = ldI(pcReads, rb + r), role = ldB(pcRoles, rb + r);
        let x: f64, pi: f64, pd: i32;
        if (laneMode != 0 && reg >= REG_V && reg < REG_PP) {
          // lane-granular: the accumulator of a lane writer is its own lane, from that lane's last writer; any
          // other read of the register waits for every lane's
          const lb = (reg - REG_V) * MAX_LANES;
          const l0 = lane >= 0 && role == ROLE_ACCUMULATOR ? lane : 0, l1 = lane >= 0 && role == ROLE_ACCUMULATOR ? lane + 1 : MAX_LANES;
          for (let l = l0; l < l1; l++) {
            x = ldF(laneVis, lb + l); pi = ldF(laneIssue, lb + l);
            const ml = ldB(laneMem, lb + l);
            if (hasOperandRules != 0 && ml == 0 && pi >= 0) x = operandReady(x, pi, ldI(laneDesc, lb + l), cd, role);
            if (x > ti) ti = x;
            if (ml != 0) { if (x > memReady) { memReady = x; memLvl = ml; } } else if (x > nonMem) nonMem = x;
          }
          continue;
        }
        x = ldF(regVis, reg); pi = ldF(regIssue, reg); pd = ldI(regDesc, reg);
        const ml = ldB(regMem, reg);
        if (hasOperandRules != 0 && ml == 0 && pi >= 0) x = operandReady(x, pi, pd, cd, role);
        if (x > ti) ti = x;
        if (ml != 0) { if (x > memReady) { memReady = x; memLvl = ml; } } else if (x > nonMem) nonMem = x;
      }
    }
    let unit = ldI(pcUnit, pc);
    const l = ldF(pcLat, pc);
    let occ = ldF(pcOcc, pc);
    if (ldI(pcUnits, pc) == 1) {
      const x = ldF(unitFree, unit); if (x > ti) ti = x;
    } else {
      const d = ldI(desc, pc);
      unit = firstFreeUnit(ldI(uStart, d), ldI(uCount, d), ti);
      const x = ldF(unitFree, unit); if (x > ti) ti = x;
      occ = occupancy(d, unit);
    }
    addF(poolBusy, ldI(uPool, unit), occ);
    stF(unitFree, unit, ti + occ);

    // ---- memory, completion ----
    let done: f64, vis: f64;
    const memOp = isMem && size != 0 && !toSb;
    let level = 0;
    if (memOp) {
      let tm = ti > lastAccept ? ti : lastAccept;
      if (useSb != 0 && sbPending() > 0) sbUntil(tm - 1); // retired stores write in the cycles before (and after the accesses issued in the same cycle)
      let ready = ti;
      const kind = (info & PC_LOAD) != 0 ? ACCESS_READ : ACCESS_WRITE;
      const pieces = ldI(bPieces, q), addr = <f64>ldI(bAddr, q), stride = <f64>ldI(bStride, q);
      for (let p = 0; p < pieces; ) {
        const k = accessSpan(addr, size, stride, pieces, p);
        const r = access(spanAddr, spanBytes, kind, tm, pc);
        if (r == RETRY) {
          retries++;
          sbNoteRetry(tm);
          tm++;
          if (tm - lastR > stuckCycles) stuck(tm, <f64>j, pc);
          if (useSb != 0 && sbPending() > 0) sbUntil(tm - 1);
          continue;
        }
        memAccesses++;
        if (r > ready) ready = r;
        if (hasLevels != 0) { const lv = servedLevel(); if (lv > level) level = lv; }
        p += k;
      }
      lastAccept = tm;
      stF(rg, kb + _A, tm);
      memLvl = 0; // a memory instruction's own wait is memory's already
      done = ready + l;
      vis = done > tm + 1 ? done : tm + 1; // known at the end of cycle tm: usable from tm + 1
    } else {
      done = ti + l;
      vis = done;
      // Executing, it holds up retirement. Loaded operands held its issue back by D = memReady - nonMem cycles
      // beyond everything else, so without them it would have completed D cycles earlier: the CPI stack charges
      // its last D cycles (from _A on) to memory (the level that served the latest of them), not to dependency.
      stF(rg, kb + _A, memReady > nonMem ? done - (memReady - nonMem) : done);
      if (memReady <= nonMem) memLvl = 0;
    }
    if (misp) {
      lastResume = ti + l + penalty;
      fetchFloor = lastResume;
    }

    // ---- retire ----
    let rr = vis;
    if (lastR > rr) rr = lastR;
    const xr = ldF(rg, ((j - rw) & PM) * RS + _R) + 1; if (xr > rr) rr = xr;
    if (rr - lastR > stuckCycles) stuck(lastR + stuckCycles + 1, <f64>j, pc);

    const w = ldI(pcWrite, pc);
    if (w >= 0) {
      if (laneMode != 0 && w >= REG_V && w < REG_PP) writeLanes(w, pc, vis, memOp ? -1 : ti, memOp ? 1 + level : 0);
      else {
        stF(regVis, w, vis);
        stB(regMem, w, memOp ? 1 + level : 0);
        // who produced it matters only to the per-operand rules (operandReady)
        if (hasOperandRules != 0) { stF(regIssue, w, memOp ? -1 : ti); stI(regDesc, w, ldI(desc, pc)); }
      }
    }
    addF(pcCount, pc, 1);
    if ((info & PC_WRITES_X) != 0) { stF(xRet, xCount & xM, rr); xCount++; }
    else if ((info & PC_WRITES_V) != 0) { stF(vRet, vCount & vM, rr); vCount++; }
    if (isMem) { stF(lsqRet, memCount & lsqM, rr); memCount++; }
    if (toSb) { sbAdd(<f64>ldI(bAddr, q), size, ldI(bStride, q), ldI(bPieces, q), pc, rr); sbN++; }
    stF(rg, kb + _F, f); stF(rg, kb + _D, dd); stF(rg, kb + _I, ti); stF(rg, kb + _R, rr);
    // the first pool that could take it (as the CPI stack names a unit stall), the served level, a mispredict
    stF(rg, kb + _PO, <f64>((misp ? MISPREDICTED : 0) + (memLvl << 16) + ldI(pcPool, pc) * 16 + (memOp ? 1 + level : 0)));
    if (hasObserver != 0) observe(<f64>j, pc, f, dd, ti, done, rr);
    lastF = f; lastD = dd; lastI = ti; lastR = rr; lastMisp = misp;

    // Window-empty cycles of instruction i depend on mispredicted branches up to i + fetchQueueSize - 1.
    if (j - accounted >= fq) account(accounted++);
  }
}

/**
 * In lane mode, vector register `w` written by the instruction at `pc`, readable from `vis`; `issue` is its
 * issue cycle, or -1 for a memory instruction (whose result is not read early: see operandReady). A vector
 * register keeps each int32 lane's last writer: a whole write sets every lane, a lane write its own.
 */
function writeLanes(w: i32, pc: i32, vis: f64, issue: f64, mem: i32): void {
  const d = ldI(desc, pc);
  const base = (w - REG_V) * MAX_LANES, lane = ldI(pcLane, pc);
  const l0 = lane >= 0 ? lane : 0, l1 = lane >= 0 ? lane + 1 : MAX_LANES;
  for (let l = l0; l < l1; l++) { stF(laneVis, base + l, vis); stF(laneIssue, base + l, issue); stI(laneDesc, base + l, d); stB(laneMem, base + l, mem); }
}

/**
 * Ends the run: settles the CPI stack, computes the cycle count and writes the counters. A cycle-by-cycle core
 * ends in the cycle fetch learns that the stream is over, if that is after the last retirement.
 */
export function finish(): void {
  for (let i = accounted; i < j; i++) account(i);
  let end: f64 = 0;
  if (j > 0) {
    const L = j - 1;
    const roomAt = L + 1 < fetchQueueSize ? 0 : ldF(rg, ((L + 1 - fetchQueueSize) & PM) * RS + _D); // first cycle the fetch queue has room again
    let fetchCnt = 1; // instructions fetched in the last fetch cycle (at most fetchWidth, all still in the ring)
    while (fetchCnt < fetchWidth && fetchCnt <= L && ldF(rg, ((L - fetchCnt) & PM) * RS + _F) == lastF) fetchCnt++;
    if (!lastMisp && fetchCnt < fetchWidth && roomAt <= lastF) end = lastF;
    else {
      end = lastF + 1;
      if (lastMisp && lastResume > end) end = lastResume;
      if (roomAt > end) end = roomAt;
    }
  }
  cycles = (lastR > end ? lastR : end) + 1;
  instructions = <f64>j;
  finishAccounting(cycles, <f64>j);
  stallFrontEnd += cycles - 1 - lastD;
  slotsToCycles();
  // Stores still in the buffer are written after the last retirement: their traffic counts, their cycles do not.
  sbUntil(INF);
}

// ---- the CPI stack, settled per instruction: the cycles each instruction spends as the oldest in the window
// (its own retirement cycle shared with what retires beside it), in retire slots ----
let cycT: f64 = -1; // the retire cycle being filled
let cycN: i32 = 0; // how many retired in it

/**
 * Adds `w` slots per cycle of [a, b) in which the window is empty, before the next instruction dispatches:
 * `afterMispredict` when the last one dispatched is a mispredicted branch (the window waits for its refill, the
 * branch's cycles); otherwise the front end's, or the store buffer's in [sbLo, sbHi), the cycles in which the
 * next instruction's dispatch waited for a store-buffer entry.
 */
function addEmpty(a: f64, b: f64, w: f64, afterMispredict: bool, sbLo: f64, sbHi: f64): void {
  if (b <= a) return;
  if (afterMispredict) { addF(cpi, CPI_BRANCH, (b - a) * w); return; }
  const lo = a > sbLo ? a : sbLo, hi = b < sbHi ? b : sbHi;
  const sbc = hi > lo ? hi - lo : 0;
  if (sbc > 0) addF(cpi, cpiSb, sbc * w);
  addF(cpi, CPI_FRONTEND, (b - a - sbc) * w);
}

/** Whether instruction `i - 1` is a mispredicted branch (false for the first instruction). */
function afterMispredict(i: i32): bool {
  return i > 0 && <i32>ldF(rg, ((i - 1) & PM) * RS + _PO) >= MISPREDICTED;
}

/** Adds `w` slots per cycle of [a, b) in which instruction `i` is (or is about to be) the oldest. */
function addHead(i: i32, a: f64, b: f64, w: f64): void {
  const k = (i & PM) * RS;
  const di = ldF(rg, k + _D), ii = ldF(rg, k + _I);
  addEmpty(a, b < di ? b : di, w, afterMispredict(i), ldF(rg, k + _SL), ldF(rg, k + _SH));
  if (a <= di && di < b) addF(cpi, CPI_FRONTEND, w); // dispatched this cycle
  let lo = a > di + 1 ? a : di + 1;
  let hi = b < ii ? b : ii;
  if (hi > lo) addF(cpi, CPI_UNIT0 + ((<i32>ldF(rg, k + _PO) >> 4) & 4095), (hi - lo) * w); // waits for a unit (its operands are retired)
  lo = a > ii ? a : ii;
  if (b > lo) addIssued(k, lo, b, w);
}

/** Adds `w` slots per cycle of [a, b), a non-empty range in which instruction slot `k` has issued and not retired. */
function addIssued(k: i32, a: f64, b: f64, w: f64): void {
  const m = <i32>ldF(rg, k + _PO) & 15;
  if (m == 0) {
    // executing; from _A on, because loaded operands held its issue back (charged to the level that served them)
    const lv = (<i32>ldF(rg, k + _PO) >> 16) & 15;
    const e = ldF(rg, k + _A);
    const mid = lv == 0 || e > b ? b : e < a ? a : e;
    if (mid > a) addF(cpi, CPI_DEPENDENCY, (mid - a) * w);
    if (b > mid) addF(cpi, ldI(memCpi, lv - 1), (b - mid) * w);
    return;
  }
  // Until its last piece is accepted a memory instruction counts as waiting on the nearest level.
  const acc = ldF(rg, k + _A);
  const mid = acc < a ? a : acc > b ? b : acc;
  if (mid > a) addF(cpi, ldI(memCpi, 0), (mid - a) * w);
  if (b > mid) addF(cpi, ldI(memCpi, m - 1), (b - mid) * w);
}

/** Settles the cycles up to instruction `i`'s retirement; every mispredicted branch up to i + fetchQueueSize - 1 must be queued. */
function account(i: i32): void {
  const rw = retireWidth;
  const k = (i & PM) * RS;
  const ri = ldF(rg, k + _R);
  // Base slots are not counted here: summed over all cycles they are the instruction count (see finishAccounting).
  if (ri == cycT) { cycN++; return; }
  const cT = cycT;
  // The usual case: one cycle to settle, the one in which the previous instructions retired. This is
  // addHead(i, cT, cT + 1, ...) without its range arithmetic.
  if (cT >= 0 && cycN < rw) {
    const w = <f64>(rw - cycN);
    const di = ldF(rg, k + _D);
    if (cT < di) addEmpty(cT, cT + 1, w, afterMispredict(i), ldF(rg, k + _SL), ldF(rg, k + _SH));
    else if (cT == di) addF(cpi, CPI_FRONTEND, w);
    else if (cT < ldF(rg, k + _I)) addF(cpi, CPI_UNIT0 + ((<i32>ldF(rg, k + _PO) >> 4) & 4095), w);
    else addIssued(k, cT, cT + 1, w);
  }
  if (ri > cT + 1) addHead(i, cT + 1, ri, <f64>rw);
  cycT = ri;
  cycN = 1;
}

/** Settles the cycles after the last retirement up to `cycles` and turns slots into cycles. */
function finishAccounting(cyc: f64, retired: f64): void {
  addF(cpi, CPI_BASE, retired);
  const w = <f64>retireWidth;
  if (cycT >= 0) {
    if (cycN < retireWidth) addEmpty(cycT, cycT + 1, <f64>(retireWidth - cycN), lastMisp, 0, 0);
    addEmpty(cycT + 1, cyc, w, lastMisp, 0, 0);
  } else {
    addEmpty(0, cyc, w, false, 0, 0);
  }
}
