// The in-order core's per-instruction loop and CPI accounting in AssemblyScript, compiled to WebAssembly
// (inorder.wasm) by `npm run build:wasm`. It is src/pipeline/inorder.ts's `runBatch` and `CpiAccounting` line
// for line, on arrays that src/pipeline/inorder-wasm.ts lays out in this module's memory; that file says why
// and how the two are kept equal. Not TypeScript: tsc and typedoc skip `*.as.ts`.
//
// Every array is addressed by a pointer into linear memory (ld*/st* of common.as.ts), so an access is one load
// or store without the map, length and base-pointer checks V8 makes on a typed array.

// ---- what the JavaScript side provides to this core alone (the rest: common.as.ts) ----
@external("env", "sbFreedAt")
declare function sbFreedAt(idx: f64): f64;

import { access, INF, predict, K_BRANCH, K_LOAD, K_MEM, K_WV, K_WX, ldB, ldF, ldI, MAX_READS, expectRead, nextCycle, nextInt, nextPointer, readFrom, RETRY, observe, sbAdd, sbNoteRetry, sbUntil, stuck, stF, servedLevel } from './common.as';

// Record fields of the ring (src/pipeline/inorder.ts: _F.._SH, RS).
const _F: i32 = 0, _D: i32 = 1, _I: i32 = 2, _R: i32 = 3, _PO: i32 = 4, _A: i32 = 5, _SL: i32 = 6, _SH: i32 = 7, RS: i32 = 8;

// ---- the run's arrays are laid out by the JavaScript side with these ----
export { alloc, initMemory, initPredictor, MEM_CYCLE_COUNT, MEM_INT_COUNT, MEM_POINTER_COUNT, PRED_CYCLE_COUNT, PRED_INT_COUNT, PRED_POINTER_COUNT, reset } from './common.as';

// ---- fixed for a run (set by init) ----
let pcInfo: usize, pcNReads: usize, pcReads: usize, pcWrite: usize, desc: usize;
let pcLat: usize, pcUnits: usize, pcUnit: usize, pcPool: usize, pcOcc: usize;
let thr: usize, uStart: usize, uList: usize, uPool: usize, uPipe: usize;
let rg: usize, regVis: usize, unitFree: usize, poolBusy: usize, pcCount: usize;
let lsqRet: usize, xRet: usize, vRet: usize, mqSeq: usize, mqF: usize, mqRE: usize;
let cpi: usize, memCpi: usize;
let bPc: usize, bAddr: usize, bSize: usize, bStride: usize, bPieces: usize, bTaken: usize;
let fw: i32, dw: i32, iw: i32, rw: i32, fq: i32, rob: i32, sch: i32, lsq: i32, xFree: i32, vFree: i32, sbSize: i32;
let fe: f64, feDelay: f64, pen: f64, stuckCycles: f64;
let PM: i32, lsqM: i32, xM: i32, vM: i32;
let hasLevels: bool, useSb: bool, hasObserver: bool;
let cpiBase: i32, cpiBranch: i32, cpiDependency: i32, cpiFrontEnd: i32, cpiUnit0: i32, sbCpi: i32;

/** How many array addresses, integers and cycle values `init` reads (src/pipeline/wasm-module.ts checks them). */
export const POINTER_COUNT: i32 = 34, INT_COUNT: i32 = 24, CYCLE_COUNT: i32 = 4;

/** Pointers and settings of a run; `a` holds the pointers, `n` the integers, `x` the cycle-valued ones. */
export function init(a: usize, n: usize, x: usize): void {
  readFrom(a);
  pcInfo = nextPointer(); pcNReads = nextPointer(); pcReads = nextPointer(); pcWrite = nextPointer();
  desc = nextPointer(); pcLat = nextPointer(); pcUnits = nextPointer(); pcUnit = nextPointer();
  pcPool = nextPointer(); pcOcc = nextPointer(); thr = nextPointer(); uStart = nextPointer(); uList = nextPointer();
  uPool = nextPointer(); uPipe = nextPointer(); rg = nextPointer(); regVis = nextPointer(); unitFree = nextPointer();
  poolBusy = nextPointer(); pcCount = nextPointer(); lsqRet = nextPointer(); xRet = nextPointer();
  vRet = nextPointer(); mqSeq = nextPointer(); mqF = nextPointer(); mqRE = nextPointer(); cpi = nextPointer();
  memCpi = nextPointer(); bPc = nextPointer(); bAddr = nextPointer(); bSize = nextPointer(); bStride = nextPointer();
  bPieces = nextPointer(); bTaken = nextPointer();
  expectRead(POINTER_COUNT);
  readFrom(n);
  fw = nextInt(); dw = nextInt(); iw = nextInt(); rw = nextInt(); fq = nextInt(); rob = nextInt(); sch = nextInt();
  lsq = nextInt(); xFree = nextInt(); vFree = nextInt(); sbSize = nextInt(); PM = nextInt();
  lsqM = nextInt(); xM = nextInt(); vM = nextInt();
  hasLevels = nextInt() != 0; useSb = nextInt() != 0; hasObserver = nextInt() != 0;
  cpiBase = nextInt(); cpiBranch = nextInt(); cpiDependency = nextInt(); cpiFrontEnd = nextInt(); cpiUnit0 = nextInt(); sbCpi = nextInt();
  expectRead(INT_COUNT);
  readFrom(x);
  fe = nextCycle(); feDelay = nextCycle(); pen = nextCycle(); stuckCycles = nextCycle();
  expectRead(CYCLE_COUNT);
  memCount = 0; xCount = 0; vCount = 0; sbN = 0; sbPending = 0;
  loads = 0; stores = 0; loadBytes = 0; storeBytes = 0; memAccesses = 0; retries = 0; branches = 0; mispredicts = 0;
  stallRob = 0; stallSched = 0; stallLsq = 0; stallRegs = 0; stallFrontEnd = 0; stallStoreBuffer = 0;
  lastF = 0; lastD = -1; lastI = 0; lastR = 0; fetchFloor = 0; lastAccept = 0; lastMisp = false; lastResume = 0;
  j = 0; accounted = 0;
  mqTail = 0; mqHead = 0; cycT = -1; cycN = 0; lastRE = 0;
}

// ---- carried from one batch to the next (read by the JavaScript side at the end) ----
let memCount: i32 = 0, xCount: i32 = 0, vCount: i32 = 0, sbN: i32 = 0;
// At least the stores not yet written (sbFreedAt may write some without saying): while it is 0, the store
// buffer has nothing due and need not be asked across the boundary before each access.
let sbPending: i32 = 0;
export let loads: f64 = 0, stores: f64 = 0, loadBytes: f64 = 0, storeBytes: f64 = 0, memAccesses: f64 = 0, retries: f64 = 0;
export let branches: f64 = 0, mispredicts: f64 = 0;
export let stallRob: f64 = 0, stallSched: f64 = 0, stallLsq: f64 = 0, stallRegs: f64 = 0, stallFrontEnd: f64 = 0, stallStoreBuffer: f64 = 0;
export let lastF: f64 = 0, lastD: f64 = -1, lastI: f64 = 0, lastR: f64 = 0, fetchFloor: f64 = 0, lastAccept: f64 = 0, lastResume: f64 = 0;
export let lastMisp: bool = false;
export let j: i32 = 0, accounted: i32 = 0;

/** One batch of `n` records (in the b* arrays) through the core: src/pipeline/inorder.ts runBatch. */
export function runBatch(n: i32): void {
  for (let q = 0; q < n; q++, j++) {
    const pc = ldI(bPc, q);
    const info = ldB(pcInfo, pc);
    const kb = (j & PM) * RS;

    // ---- fetch ----
    let f = lastF > fetchFloor ? lastF : fetchFloor;
    const xf = ldF(rg, ((j - fw) & PM) * RS + _F) + 1; if (xf > f) f = xf;
    const xq = ldF(rg, ((j - fq) & PM) * RS + _D); if (xq > f) f = xq;
    const size = ldI(bSize, q);
    if (size != 0) {
      if ((info & K_LOAD) != 0) { loads++; loadBytes += <f64>size * <f64>ldI(bPieces, q); } else { stores++; storeBytes += <f64>size * <f64>ldI(bPieces, q); }
    }
    let misp = false;
    if ((info & K_BRANCH) != 0) {
      branches++;
      if (!predict(pc, ldB(bTaken, q))) { mispredicts++; misp = true; }
    }

    // ---- dispatch ----
    const fReady = f + feDelay;
    let dd = fReady;
    if (lastD > dd) dd = lastD;
    const xd = ldF(rg, ((j - dw) & PM) * RS + _D) + 1; if (xd > dd) dd = xd;
    const tRob = ldF(rg, ((j - rob) & PM) * RS + _R);
    const tSch = ldF(rg, ((j - sch) & PM) * RS + _I);
    const isMem = (info & K_MEM) != 0;
    const tLsq = isMem && memCount >= lsq ? ldF(lsqRet, (memCount - lsq) & lsqM) : 0;
    const tRegs = (info & K_WX) != 0 && xCount >= xFree ? ldF(xRet, (xCount - xFree) & xM) : (info & K_WV) != 0 && vCount >= vFree ? ldF(vRet, (vCount - vFree) & vM) : 0;
    const toSb = useSb && isMem && (info & K_LOAD) == 0 && size != 0;
    const tSb = toSb && sbN >= sbSize ? sbFreedAt(<f64>(sbN - sbSize)) : 0;
    if (tSb > dd) dd = tSb;
    if (tRob > dd) dd = tRob;
    if (tSch > dd) dd = tSch;
    if (tLsq > dd) dd = tLsq;
    if (tRegs > dd) dd = tRegs;
    let cur = lastD + 1;
    if (fReady > cur) { stallFrontEnd += fReady - cur; cur = fReady; }
    if (tRob > cur) { stallRob += tRob - cur; cur = tRob; }
    if (tSch > cur) { stallSched += tSch - cur; cur = tSch; }
    if (tLsq > cur) { stallLsq += tLsq - cur; cur = tLsq; }
    if (tSb > cur) { stallStoreBuffer += tSb - cur; stF(rg, kb + _SL, cur); stF(rg, kb + _SH, tSb); cur = tSb; } else if (useSb) { stF(rg, kb + _SL, 0); stF(rg, kb + _SH, 0); }
    if (tRegs > cur) stallRegs += tRegs - cur;

    // ---- issue ----
    let ti = dd + 1;
    if (lastI > ti) ti = lastI;
    const xi = ldF(rg, ((j - iw) & PM) * RS + _I) + 1; if (xi > ti) ti = xi;
    const rb = pc * MAX_READS, nr = ldI(pcNReads, pc);
    for (let r = 0; r < nr; r++) { const x = ldF(regVis, ldI(pcReads, rb + r)); if (x > ti) ti = x; }
    const un = ldI(pcUnits, pc);
    let unit = ldI(pcUnit, pc);
    const l = ldF(pcLat, pc);
    let occ = ldF(pcOcc, pc);
    if (un == 1) {
      const x = ldF(unitFree, unit); if (x > ti) ti = x;
      const p = ldI(pcPool, pc);
      stF(poolBusy, p, ldF(poolBusy, p) + occ);
    } else {
      const d = ldI(desc, pc), u0 = ldI(uStart, d);
      let minFree = INF, minUnit = unit, found = false;
      for (let u = 0; u < un; u++) {
        const id = ldI(uList, u0 + u), x = ldF(unitFree, id);
        if (x <= ti) { unit = id; found = true; break; }
        if (x < minFree) { minFree = x; minUnit = id; }
      }
      if (!found) { ti = minFree; unit = minUnit; }
      const t = <f64>ldI(thr, d);
      occ = ldB(uPipe, unit) == 1 ? t : (l > t ? l : t);
      const p = ldI(uPool, unit);
      stF(poolBusy, p, ldF(poolBusy, p) + occ);
    }
    stF(unitFree, unit, ti + occ);

    // ---- memory, completion ----
    let done: f64, vis: f64;
    const memOp = isMem && size != 0 && !toSb;
    let level = 0;
    if (memOp) {
      let tm = ti > lastAccept ? ti : lastAccept;
      if (useSb && sbPending > 0) sbPending = sbUntil(tm - 1);
      let ready = ti;
      const kind = (info & K_LOAD) != 0 ? 0 : 1; // ACCESS_READ, ACCESS_WRITE
      const pieces = ldI(bPieces, q), addr = <f64>ldI(bAddr, q), stride = <f64>ldI(bStride, q);
      for (let p = 0; p < pieces; ) {
        const r = access(addr + <f64>p * stride, size, kind, tm, pc);
        if (r == RETRY) {
          retries++;
          sbNoteRetry(tm);
          tm++;
          if (tm - lastR > stuckCycles) stuck(tm, <f64>j, pc);
          if (useSb && sbPending > 0) sbPending = sbUntil(tm - 1);
          continue;
        }
        memAccesses++;
        if (r > ready) ready = r;
        if (hasLevels) { const lv = servedLevel(); if (lv > level) level = lv; }
        p++;
      }
      lastAccept = tm;
      stF(rg, kb + _A, tm);
      done = ready + l;
      vis = done > tm + 1 ? done : tm + 1;
    } else {
      done = ti + l;
      vis = done;
    }
    if (misp) {
      lastResume = ti + l + pen;
      fetchFloor = lastResume;
      const m = mqTail++ & PM;
      stF(mqSeq, m, <f64>j);
      stF(mqF, m, f);
      stF(mqRE, m, lastResume + fe + 1);
    }

    // ---- retire ----
    let rr = vis;
    if (lastR > rr) rr = lastR;
    const xr = ldF(rg, ((j - rw) & PM) * RS + _R) + 1; if (xr > rr) rr = xr;
    if (rr - lastR > stuckCycles) stuck(lastR + stuckCycles + 1, <f64>j, pc);

    const w = ldI(pcWrite, pc);
    if (w >= 0) stF(regVis, w, vis);
    stF(pcCount, pc, ldF(pcCount, pc) + 1);
    if ((info & K_WX) != 0) { stF(xRet, xCount & xM, rr); xCount++; }
    else if ((info & K_WV) != 0) { stF(vRet, vCount & vM, rr); vCount++; }
    if (isMem) { stF(lsqRet, memCount & lsqM, rr); memCount++; }
    if (toSb) { sbAdd(<f64>ldI(bAddr, q), size, ldI(bStride, q), ldI(bPieces, q), pc, rr); sbN++; sbPending++; }
    stF(rg, kb + _F, f); stF(rg, kb + _D, dd); stF(rg, kb + _I, ti); stF(rg, kb + _R, rr);
    stF(rg, kb + _PO, <f64>(ldI(pcPool, pc) * 16 + (memOp ? 1 + level : 0)));
    if (hasObserver) observe(<f64>j, pc, f, dd, ti, done, rr);
    lastF = f; lastD = dd; lastI = ti; lastR = rr; lastMisp = misp;

    if (j - accounted >= fq) account(accounted++);
  }
}

// ---- the CPI stack (src/pipeline/inorder.ts CpiAccounting) ----
let mqTail: i32 = 0, mqHead: i32 = 0;
let cycT: f64 = -1;
let cycN: i32 = 0;
let lastRE: f64 = 0;

@inline function addCpi(k: i32, v: f64): void { stF(cpi, k, ldF(cpi, k) + v); }

function addEmpty(a: f64, b: f64, w: f64, bF: f64, sbLo: f64, sbHi: f64): void {
  if (b <= a) return;
  const re = lastRE;
  const x1 = (re < a ? a : re > b ? b : re) - a;
  const x2 = b - (bF < a ? a : bF > b ? b : bF);
  let lo = a > bF ? a : bF, hi = b < re ? b : re;
  const br = x1 + x2 - (hi > lo ? hi - lo : 0);
  lo = a > re ? a : re; if (sbLo > lo) lo = sbLo;
  hi = b < bF ? b : bF; if (sbHi < hi) hi = sbHi;
  const sbc = hi > lo ? hi - lo : 0;
  addCpi(cpiBranch, br * w);
  if (sbc > 0) addCpi(sbCpi, sbc * w);
  addCpi(cpiFrontEnd, (b - a - br - sbc) * w);
}

function addHead(i: i32, a: f64, b: f64, w: f64, bF: f64): void {
  const k = (i & PM) * RS;
  const di = ldF(rg, k + _D), ii = ldF(rg, k + _I);
  addEmpty(a, b < di ? b : di, w, bF, ldF(rg, k + _SL), ldF(rg, k + _SH));
  if (a <= di && di < b) addCpi(cpiFrontEnd, w);
  let lo = a > di + 1 ? a : di + 1;
  let hi = b < ii ? b : ii;
  if (hi > lo) addCpi(cpiUnit0 + (<i32>ldF(rg, k + _PO) >> 4), (hi - lo) * w);
  lo = a > ii ? a : ii;
  if (b > lo) addIssued(k, lo, b, w);
}

function addIssued(k: i32, a: f64, b: f64, w: f64): void {
  const m = <i32>ldF(rg, k + _PO) & 15;
  if (m == 0) { addCpi(cpiDependency, (b - a) * w); return; }
  const acc = ldF(rg, k + _A);
  const mid = acc < a ? a : acc > b ? b : acc;
  if (mid > a) addCpi(ldI(memCpi, 0), (mid - a) * w);
  if (b > mid) addCpi(ldI(memCpi, m - 1), (b - mid) * w);
}

/** Settles the cycles up to instruction `i`'s retirement (CpiAccounting.account). */
export function account(i: i32): void {
  const k = (i & PM) * RS;
  const ri = ldF(rg, k + _R);
  if (ri == cycT) { cycN++; return; }
  while (mqHead < mqTail && ldF(mqSeq, mqHead & PM) < <f64>i) { lastRE = ldF(mqRE, mqHead & PM); mqHead++; }
  const cT = cycT;
  if (cT >= 0 && cycN < rw) {
    const w = <f64>(rw - cycN);
    const di = ldF(rg, k + _D);
    if (cT < di) addEmpty(cT, cT + 1, w, laterBranchFetch(i), ldF(rg, k + _SL), ldF(rg, k + _SH));
    else if (cT == di) addCpi(cpiFrontEnd, w);
    else if (cT < ldF(rg, k + _I)) addCpi(cpiUnit0 + (<i32>ldF(rg, k + _PO) >> 4), w);
    else addIssued(k, cT, cT + 1, w);
  }
  if (ri > cT + 1) addHead(i, cT + 1, ri, <f64>rw, laterBranchFetch(i));
  cycT = ri;
  cycN = 1;
}

function laterBranchFetch(i: i32): f64 {
  const h = mqHead & PM;
  return mqHead < mqTail && ldF(mqF, h) < ldF(rg, (i & PM) * RS + _D) ? ldF(mqF, h) : INF;
}

/** Settles the cycles after the last retirement up to `cycles` and turns slots into cycles (CpiAccounting.finish). */
export function finishAccounting(cycles: f64, retired: f64, nCpi: i32): void {
  while (mqHead < mqTail) { lastRE = ldF(mqRE, mqHead & PM); mqHead++; }
  addCpi(cpiBase, retired);
  const w = <f64>rw;
  if (cycT >= 0) {
    if (cycN < rw) addEmpty(cycT, cycT + 1, <f64>(rw - cycN), INF, 0, 0);
    addEmpty(cycT + 1, cycles, w, INF, 0, 0);
  } else {
    addEmpty(0, cycles, w, INF, 0, 0);
  }
  for (let i = 0; i < nCpi; i++) stF(cpi, i, ldF(cpi, i) / w);
}
