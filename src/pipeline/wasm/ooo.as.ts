// The out-of-order core's cycle loop in AssemblyScript, compiled to WebAssembly (ooo.wasm) by
// `npm run build:wasm`. It is the out-of-order path of src/pipeline/core.ts's `runCycles` (retire, issue from
// the per-group ready queues, memory, dispatch, fetch, CPI stack, idle-cycle skipping) with its `Wakeup`,
// `MemoryQueue` and the queues of src/pipeline/queues.ts, line for line, on arrays that
// src/pipeline/ooo-wasm.ts lays out in this module's memory. Not TypeScript: tsc and typedoc skip `*.as.ts`.

// ---- what the JavaScript side provides to this core alone (the rest: common.as.ts) ----
@external("env", "refill")
declare function refill(): i32;

import { access, INF, predict, K_BRANCH, K_LOAD, K_MEM, K_WV, K_WX, ldB, ldF, ldI, MAX_READS, expectRead, nextCycle, nextInt, nextPointer, readFrom, RETRY, observe, sbAdd, sbNoteRetry, sbUntil, stuck, stB, stF, stI, servedLevel } from './common.as';

/** Cycles run per call of `run` (as core.ts: a function that returns now and then is compiled by V8's optimising tier). */
const CYCLES_PER_CALL: i32 = 4096;

// ---- the run's arrays are laid out by the JavaScript side with these ----
export { alloc, initMemory, initPredictor, MEM_CYCLE_COUNT, MEM_INT_COUNT, MEM_POINTER_COUNT, PRED_CYCLE_COUNT, PRED_INT_COUNT, PRED_POINTER_COUNT, reset } from './common.as';

/** How many array addresses, integers and cycle values `init` reads (src/pipeline/wasm-module.ts checks them). */
export const POINTER_COUNT: i32 = 63, INT_COUNT: i32 = 23, CYCLE_COUNT: i32 = 3;

// ---- fixed for a run ----
let desc: usize, sWrites: usize, pcInfo: usize, pcNReads: usize, pcReads: usize, pcCount: usize, pcGroup: usize;
let lat: usize, thr: usize, uStart: usize, uList: usize, uPool: usize, uPipe: usize, gStart: usize, gCount: usize;
let rPc: usize, rDesc: usize, rAddr: usize, rSize: usize, rStride: usize, rPieces: usize, rPiece: usize, rMemReady: usize;
let rMispredict: usize, rIssued: usize, rDone: usize, rSrc: usize, rSrcSlot: usize, rNSrc: usize;
let rFetch: usize, rReady: usize, rDispatch: usize, rIssue: usize, producer: usize, producerSlot: usize, producerIsMem: usize;
let rLevel: usize, rLevelAcc: usize, rSb: usize, depHead: usize, depNext: usize, rSeq: usize, rGroup: usize;
let unitFree: usize, groupFreeAt: usize, poolBusy: usize, cpi: usize, memCpi: usize;
let heapKeys: usize, heapSlots: usize, rqKeys: usize, rqSlots: usize, rqHead: usize, rqN: usize, active: usize, activePos: usize;
let memQ: usize;
let bPc: usize, bAddr: usize, bSize: usize, bStride: usize, bPieces: usize, bTaken: usize;
let cap: i32, fetchWidth: i32, dispatchWidth: i32, issueWidth: i32, retireWidth: i32, fqSize: i32, robSize: i32, schedSize: i32;
let lsqSize: i32, xFree: i32, vFree: i32, sbSize: i32, rqMask: i32, rqSize: i32;
let hasLevels: bool, useSb: bool, hasObserver: bool, skipIdle: bool;
let cpiBase: i32, cpiBranch: i32, cpiDependency: i32, cpiFrontEnd: i32, cpiUnit0: i32, cpiSb: i32;
let feStages: f64, penalty: f64, stuckCycles: f64;

/** Pointers and settings of a run; `a` holds the pointers, `n` the integers, `x` the cycle-valued ones. */
export function init(a: usize, n: usize, x: usize): void {
  readFrom(a);
  desc = nextPointer(); sWrites = nextPointer(); pcInfo = nextPointer(); pcNReads = nextPointer();
  pcReads = nextPointer(); pcCount = nextPointer(); pcGroup = nextPointer(); lat = nextPointer();
  thr = nextPointer(); uStart = nextPointer(); uList = nextPointer(); uPool = nextPointer(); uPipe = nextPointer();
  gStart = nextPointer(); gCount = nextPointer(); rPc = nextPointer(); rDesc = nextPointer(); rAddr = nextPointer();
  rSize = nextPointer(); rStride = nextPointer(); rPieces = nextPointer(); rPiece = nextPointer();
  rMemReady = nextPointer(); rMispredict = nextPointer(); rIssued = nextPointer(); rDone = nextPointer();
  rSrc = nextPointer(); rSrcSlot = nextPointer(); rNSrc = nextPointer(); rFetch = nextPointer();
  rReady = nextPointer(); rDispatch = nextPointer(); rIssue = nextPointer(); producer = nextPointer();
  producerSlot = nextPointer(); producerIsMem = nextPointer(); rLevel = nextPointer(); rLevelAcc = nextPointer();
  rSb = nextPointer(); depHead = nextPointer(); depNext = nextPointer(); rSeq = nextPointer();
  rGroup = nextPointer(); unitFree = nextPointer(); groupFreeAt = nextPointer(); poolBusy = nextPointer();
  cpi = nextPointer(); memCpi = nextPointer(); heapKeys = nextPointer(); heapSlots = nextPointer();
  rqKeys = nextPointer(); rqSlots = nextPointer(); rqHead = nextPointer(); rqN = nextPointer();
  active = nextPointer(); activePos = nextPointer(); memQ = nextPointer();
  bPc = nextPointer(); bAddr = nextPointer(); bSize = nextPointer(); bStride = nextPointer();
  bPieces = nextPointer(); bTaken = nextPointer();
  expectRead(POINTER_COUNT);
  readFrom(n);
  cap = nextInt(); fetchWidth = nextInt(); dispatchWidth = nextInt(); issueWidth = nextInt(); retireWidth = nextInt();
  fqSize = nextInt(); robSize = nextInt(); schedSize = nextInt(); lsqSize = nextInt(); xFree = nextInt();
  vFree = nextInt(); sbSize = nextInt(); rqSize = nextInt(); rqMask = rqSize - 1;
  hasLevels = nextInt() != 0; useSb = nextInt() != 0; hasObserver = nextInt() != 0; skipIdle = nextInt() != 0;
  cpiBase = nextInt(); cpiBranch = nextInt(); cpiDependency = nextInt(); cpiFrontEnd = nextInt(); cpiUnit0 = nextInt(); cpiSb = nextInt();
  expectRead(INT_COUNT);
  readFrom(x);
  feStages = nextCycle(); penalty = nextCycle(); stuckCycles = nextCycle();
  expectRead(CYCLE_COUNT);
  heapN = 0; nActive = 0; memQN = 0; memAccesses = 0; memRetries = 0;
  now = 0; headSeq = 0; dispSeq = 0; fetchSeq = 0; headSlot = 0; dispSlot = 0; fetchSlot = 0;
  schedN = 0; lsqN = 0; xInFlight = 0; vInFlight = 0; sbTaken = 0; sbAdded = 0; sbPending = 0; fetchResumeAt = 0; redirectEnd = 0;
  bufN = 0; bufPos = 0; streamDone = false; instructions = 0; lastRetire = 0;
  loads = 0; stores = 0; loadBytes = 0; storeBytes = 0; branches = 0; mispredicts = 0;
  stallRob = 0; stallSched = 0; stallLsq = 0; stallRegs = 0; stallFrontEnd = 0; stallStoreBuffer = 0;
}

// ---- carried state ----
let heapN: i32 = 0, nActive: i32 = 0, memQN: i32 = 0;
let headSeq: f64 = 0, dispSeq: f64 = 0, fetchSeq: f64 = 0;
let headSlot: i32 = 0, dispSlot: i32 = 0, fetchSlot: i32 = 0;
let schedN: i32 = 0, lsqN: i32 = 0, xInFlight: i32 = 0, vInFlight: i32 = 0;
let sbTaken: f64 = 0, fetchResumeAt: f64 = 0, redirectEnd: f64 = 0;
// Stores handed to the store buffer after retirement, and those of them not yet written (as the buffer's
// `n - written` and `pending`, kept here so that the loop need not ask across the boundary every cycle).
let sbAdded: f64 = 0, sbPending: f64 = 0;
let bufN: i32 = 0, bufPos: i32 = 0, streamDone: bool = false;
let lastRetire: f64 = 0;
export let now: f64 = 0, instructions: f64 = 0;
export let loads: f64 = 0, stores: f64 = 0, loadBytes: f64 = 0, storeBytes: f64 = 0, branches: f64 = 0, mispredicts: f64 = 0;
export let stallRob: f64 = 0, stallSched: f64 = 0, stallLsq: f64 = 0, stallRegs: f64 = 0, stallFrontEnd: f64 = 0, stallStoreBuffer: f64 = 0;
export let memAccesses: f64 = 0, memRetries: f64 = 0;

// ---- the wake heap (queues.ts SlotHeap) ----
@inline function heapTopKey(): f64 { return ldF(heapKeys, 0); }
function heapPush(key: f64, slot: i32): void {
  let i = heapN++;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (ldF(heapKeys, p) <= key) break;
    stF(heapKeys, i, ldF(heapKeys, p));
    stI(heapSlots, i, ldI(heapSlots, p));
    i = p;
  }
  stF(heapKeys, i, key);
  stI(heapSlots, i, slot);
}
function heapPop(): i32 {
  const topSlot = ldI(heapSlots, 0);
  const n = --heapN;
  const key = ldF(heapKeys, n), slot = ldI(heapSlots, n);
  let i = 0;
  for (;;) {
    let ch = 2 * i + 1;
    if (ch >= n) break;
    if (ch + 1 < n && ldF(heapKeys, ch + 1) < ldF(heapKeys, ch)) ch++;
    if (ldF(heapKeys, ch) >= key) break;
    stF(heapKeys, i, ldF(heapKeys, ch));
    stI(heapSlots, i, ldI(heapSlots, ch));
    i = ch;
  }
  stF(heapKeys, i, key);
  stI(heapSlots, i, slot);
  return topSlot;
}

// ---- the ready queues (queues.ts ReadyQueues of SortedQueue), group g's ring at g * rqSize ----
@inline function rqTopKey(g: i32): f64 { return ldF(rqKeys, g * rqSize + ldI(rqHead, g)); }
function readyPush(g: i32, key: f64, slot: i32): void {
  const n = ldI(rqN, g);
  if (n == 0) {
    stI(activePos, g, nActive);
    stI(active, nActive++, g);
  }
  const base = g * rqSize, h = ldI(rqHead, g);
  let i = n;
  stI(rqN, g, n + 1);
  while (i > 0) {
    const prev = base + ((h + i - 1) & rqMask);
    if (ldF(rqKeys, prev) <= key) break;
    const at = base + ((h + i) & rqMask);
    stF(rqKeys, at, ldF(rqKeys, prev));
    stI(rqSlots, at, ldI(rqSlots, prev));
    i--;
  }
  const at = base + ((h + i) & rqMask);
  stF(rqKeys, at, key);
  stI(rqSlots, at, slot);
}
function readyPop(g: i32): i32 {
  const h = ldI(rqHead, g);
  const slot = ldI(rqSlots, g * rqSize + h);
  stI(rqHead, g, (h + 1) & rqMask);
  const n = ldI(rqN, g) - 1;
  stI(rqN, g, n);
  if (n == 0) {
    const p = ldI(activePos, g);
    const last = ldI(active, --nActive);
    stI(active, p, last);
    stI(activePos, last, p);
  }
  return slot;
}

// ---- operand wake-up (core.ts Wakeup) ----
function evaluate(slot: i32, hs: f64, direct: f64): void {
  let w = ldF(rDispatch, slot) + 1;
  const base = slot * MAX_READS, nr = ldB(rNSrc, slot);
  for (let k = 0; k < nr; k++) {
    if (ldF(rSrc, base + k) < hs) continue;
    const ps = ldI(rSrcSlot, base + k);
    const dn = ldF(rDone, ps);
    if (dn == INF) { file(slot, ps, 0, direct); return; }
    if (dn > w) w = dn;
  }
  file(slot, -1, w, direct);
}
function file(slot: i32, waitOn: i32, w: f64, direct: f64): void {
  if (waitOn >= 0) {
    stI(depNext, slot, ldI(depHead, waitOn));
    stI(depHead, waitOn, slot);
  } else if (w <= direct) {
    readyPush(ldI(rGroup, slot), ldF(rSeq, slot), slot);
  } else {
    heapPush(w, slot);
  }
}
function wakeDependants(slot: i32, hs: f64, direct: f64): void {
  let c = ldI(depHead, slot);
  stI(depHead, slot, -1);
  while (c >= 0) {
    const nx = ldI(depNext, c);
    evaluate(c, hs, direct);
    c = nx;
  }
}

// ---- the memory stage (core.ts MemoryQueue.step); returns whether an access was refused ----
function memStep(t: f64, hs: f64): bool {
  let blocked = false;
  let m = 0;
  const n0 = memQN;
  for (let i = 0; i < n0; i++) {
    const slot = ldI(memQ, i);
    if (!blocked) {
      const pc = ldI(rPc, slot);
      const kind = (ldB(pcInfo, pc) & K_LOAD) != 0 ? 0 : 1;
      const n = ldI(rPieces, slot);
      let k = ldI(rPiece, slot);
      let ready = ldF(rMemReady, slot);
      while (k < n) {
        const r = access(<f64>ldI(rAddr, slot) + <f64>k * <f64>ldI(rStride, slot), ldI(rSize, slot), kind, t, pc);
        if (r == RETRY) { memRetries++; blocked = true; break; }
        memAccesses++;
        if (r > ready) ready = r;
        if (hasLevels) { const lv = servedLevel(); if (lv > ldB(rLevelAcc, slot)) stB(rLevelAcc, slot, lv); }
        k++;
      }
      stI(rPiece, slot, k);
      stF(rMemReady, slot, ready);
      if (k == n) {
        stB(rLevel, slot, ldB(rLevelAcc, slot));
        stF(rDone, slot, ready + <f64>ldI(lat, ldI(desc, pc)));
        if (ldI(depHead, slot) >= 0) wakeDependants(slot, hs, t + 1);
        continue;
      }
    }
    stI(memQ, m++, slot);
  }
  memQN = m;
  return blocked;
}

/** Runs up to CYCLES_PER_CALL cycles (core.ts runCycles, out of order); returns 1 when the run is over. */
export function run(): i32 {
  let done = false;
  for (let iter = 0; iter < CYCLES_PER_CALL; iter++) {
    // ---------------- 1. retire ----------------
    let retired = 0;
    while (retired < retireWidth && headSeq < dispSeq) {
      const slot = headSlot;
      if (ldB(rIssued, slot) == 0 || ldF(rDone, slot) > now) break;
      const pc = ldI(rPc, slot);
      stF(pcCount, pc, ldF(pcCount, pc) + 1);
      const ri = ldB(pcInfo, pc);
      if ((ri & K_WX) != 0) xInFlight--;
      else if ((ri & K_WV) != 0) vInFlight--;
      if ((ri & K_MEM) != 0) lsqN--;
      if (ldB(rSb, slot) == 1) {
        sbAdd(<f64>ldI(rAddr, slot), ldI(rSize, slot), ldI(rStride, slot), ldI(rPieces, slot), pc, now);
        sbAdded++;
        sbPending++;
      }
      if (hasObserver) observe(headSeq, pc, ldF(rFetch, slot), ldF(rDispatch, slot), ldF(rIssue, slot), ldF(rDone, slot), now);
      headSeq++;
      if (++headSlot == cap) headSlot = 0;
      retired++;
    }
    instructions += <f64>retired;
    if (retired > 0) lastRetire = now;

    // ---------------- 2. issue ----------------
    let issued = 0;
    while (heapN > 0 && heapTopKey() <= now) {
      const sl = heapPop();
      readyPush(ldI(rGroup, sl), ldF(rSeq, sl), sl);
    }
    while (issued < issueWidth) {
      let bestG = -1, bestSeq = INF, bestUnit = -1;
      const na = nActive;
      for (let a = 0; a < na; a++) {
        const g = ldI(active, a);
        if (ldF(groupFreeAt, g) > now) continue;
        const hs = rqTopKey(g);
        if (hs >= bestSeq) continue;
        let unit = -1, soonest = INF;
        const u0 = ldI(gStart, g), un = ldI(gCount, g);
        for (let k = 0; k < un; k++) {
          const u = ldI(uList, u0 + k);
          const f = ldF(unitFree, u);
          if (f <= now) { unit = u; break; }
          if (f < soonest) soonest = f;
        }
        if (unit < 0) { stF(groupFreeAt, g, soonest); continue; }
        bestG = g; bestSeq = hs; bestUnit = unit;
      }
      if (bestG < 0) break;
      const slot = readyPop(bestG);
      const d = ldI(rDesc, slot);
      const unit = bestUnit;
      const l = <f64>ldI(lat, d), t = <f64>ldI(thr, d);
      const occ = ldB(uPipe, unit) == 1 ? t : (l > t ? l : t);
      stF(unitFree, unit, now + occ);
      const p = ldI(uPool, unit);
      stF(poolBusy, p, ldF(poolBusy, p) + occ);
      stB(rIssued, slot, 1);
      stF(rIssue, slot, now);
      schedN--;
      issued++;
      if (ldB(producerIsMem, slot) == 1) {
        stF(rDone, slot, INF);
        stI(rPiece, slot, 0);
        stB(rLevel, slot, 0);
        stB(rLevelAcc, slot, 0);
        stF(rMemReady, slot, now);
        stI(memQ, memQN++, slot);
      } else {
        stF(rDone, slot, now + l);
        if (ldI(depHead, slot) >= 0) wakeDependants(slot, headSeq, -1);
        if (ldB(rMispredict, slot) == 1) {
          fetchResumeAt = now + l + penalty;
          redirectEnd = fetchResumeAt + feStages + 1;
        }
      }
    }

    // ---------------- 3. memory ----------------
    if (memQN > 0 && memStep(now, headSeq)) sbNoteRetry(now);
    if (useSb && sbPending > 0) sbPending = <f64>sbUntil(now);

    // ---------------- 4. dispatch ----------------
    let dispatched = 0;
    let stallKind = 0;
    while (dispatched < dispatchWidth) {
      if (dispSeq == fetchSeq || ldF(rReady, dispSlot) > now) { if (dispatched == 0) { stallFrontEnd++; stallKind = 1; } break; }
      if (dispSeq - headSeq >= <f64>robSize) { if (dispatched == 0) { stallRob++; stallKind = 2; } break; }
      if (schedN >= schedSize) { if (dispatched == 0) { stallSched++; stallKind = 3; } break; }
      const slot = dispSlot;
      const pc = ldI(rPc, slot);
      const info = ldB(pcInfo, pc);
      const isMem = (info & K_MEM) != 0;
      if (isMem && lsqN >= lsqSize) { if (dispatched == 0) { stallLsq++; stallKind = 4; } break; }
      const toSb = useSb && isMem && (info & K_LOAD) == 0 && ldI(rSize, slot) != 0;
      if (toSb && sbTaken - (sbAdded - sbPending) >= <f64>sbSize) { if (dispatched == 0) { stallStoreBuffer++; stallKind = 6; } break; }
      const w = ldI(sWrites, pc);
      const wx = (info & K_WX) != 0, wv = (info & K_WV) != 0;
      if ((wx && xInFlight >= xFree) || (wv && vInFlight >= vFree)) { if (dispatched == 0) { stallRegs++; stallKind = 5; } break; }
      const base = pc * MAX_READS, rbase = slot * MAX_READS, nr = ldB(pcNReads, pc);
      stB(rNSrc, slot, nr);
      let wake = now + 1;
      let waitOn = -1;
      for (let k = 0; k < nr; k++) {
        const r = ldI(pcReads, base + k);
        const ps = ldF(producer, r), psl = ldI(producerSlot, r);
        stF(rSrc, rbase + k, ps);
        stI(rSrcSlot, rbase + k, psl);
        if (ps >= headSeq && waitOn < 0) {
          const dn = ldF(rDone, psl);
          if (dn == INF) waitOn = psl;
          else if (dn > wake) wake = dn;
        }
      }
      if (w >= 0) { stF(producer, w, dispSeq); stI(producerSlot, w, slot); }
      if (wx) xInFlight++;
      if (wv) vInFlight++;
      if (isMem) lsqN++;
      stB(producerIsMem, slot, isMem && ldI(rSize, slot) != 0 && !toSb ? 1 : 0);
      stB(rSb, slot, toSb ? 1 : 0);
      if (toSb) sbTaken++;
      stB(rIssued, slot, 0);
      stF(rDone, slot, INF);
      stF(rDispatch, slot, now);
      stI(rDesc, slot, ldI(desc, pc));
      stF(rSeq, slot, dispSeq);
      stI(rGroup, slot, ldI(pcGroup, pc));
      stI(depHead, slot, -1);
      file(slot, waitOn, wake, now + 1);
      schedN++;
      dispSeq++;
      if (++dispSlot == cap) dispSlot = 0;
      dispatched++;
    }

    // ---------------- 5. fetch ----------------
    let fetched = 0;
    if (fetchResumeAt <= now) {
      while (fetched < fetchWidth && fetchSeq - dispSeq < <f64>fqSize) {
        if (bufPos >= bufN) {
          if (streamDone) break;
          bufN = refill();
          bufPos = 0;
          if (bufN == 0) { streamDone = true; break; }
        }
        const slot = fetchSlot;
        const pc = ldI(bPc, bufPos);
        stI(rPc, slot, pc);
        const size = ldI(bSize, bufPos);
        stI(rSize, slot, size);
        if (size != 0) {
          stI(rAddr, slot, ldI(bAddr, bufPos));
          stI(rStride, slot, ldI(bStride, bufPos));
          const pieces = ldI(bPieces, bufPos);
          stI(rPieces, slot, pieces);
          if ((ldB(pcInfo, pc) & K_LOAD) != 0) { loads++; loadBytes += <f64>size * <f64>pieces; } else { stores++; storeBytes += <f64>size * <f64>pieces; }
        }
        stF(rFetch, slot, now);
        stF(rReady, slot, now + feStages);
        stB(rMispredict, slot, 0);
        fetchSeq++;
        if (++fetchSlot == cap) fetchSlot = 0;
        fetched++;
        if ((ldB(pcInfo, pc) & K_BRANCH) != 0) {
          branches++;
          const ok = predict(pc, ldB(bTaken, bufPos));
          bufPos++;
          if (!ok) {
            mispredicts++;
            stB(rMispredict, slot, 1);
            fetchResumeAt = INF;
            redirectEnd = INF;
            break;
          }
        } else {
          bufPos++;
        }
      }
    }

    // ---------------- CPI stack (core.ts: counted in retire slots, divided at the end) ----------------
    if (retired == retireWidth) {
      stF(cpi, cpiBase, ldF(cpi, cpiBase) + <f64>retireWidth);
    } else {
      stF(cpi, cpiBase, ldF(cpi, cpiBase) + <f64>retired);
      let reason: i32;
      if (headSeq == dispSeq) {
        reason = now < redirectEnd ? cpiBranch : stallKind == 6 ? cpiSb : cpiFrontEnd;
      } else {
        const slot = headSlot;
        if (ldB(rIssued, slot) == 1) {
          reason = ldB(producerIsMem, slot) == 1 ? ldI(memCpi, ldB(rLevel, slot)) : cpiDependency;
        } else if (ldF(rDispatch, slot) >= now) {
          reason = cpiFrontEnd;
        } else {
          reason = cpiUnit0 + ldI(uPool, ldI(uList, ldI(uStart, ldI(rDesc, slot))));
          const base = slot * MAX_READS, nr = ldB(rNSrc, slot);
          for (let k = 0; k < nr; k++) {
            if (ldF(rSrc, base + k) < headSeq) continue;
            const ps = ldI(rSrcSlot, base + k);
            if (ldF(rDone, ps) > now) { reason = ldB(producerIsMem, ps) == 1 ? ldI(memCpi, ldB(rLevel, ps)) : cpiDependency; break; }
          }
        }
      }
      stF(cpi, reason, ldF(cpi, reason) + <f64>(retireWidth - retired));

      // Idle-cycle skipping (core.ts): no stage acted, so nothing changes until the next event.
      if (skipIdle && retired == 0 && issued == 0 && dispatched == 0 && fetched == 0 && memQN == 0 && (!useSb || sbPending == 0)) {
        let nextEv = INF;
        if (headSeq != dispSeq && ldB(rIssued, headSlot) == 1) nextEv = ldF(rDone, headSlot);
        if (heapN > 0 && heapTopKey() < nextEv) nextEv = heapTopKey();
        for (let a = 0; a < nActive; a++) {
          const g = ldI(active, a);
          const u0 = ldI(gStart, g), un = ldI(gCount, g);
          for (let k = 0; k < un; k++) { const f = ldF(unitFree, ldI(uList, u0 + k)); if (f < nextEv) nextEv = f; }
        }
        if (dispSeq != fetchSeq && ldF(rReady, dispSlot) > now && ldF(rReady, dispSlot) < nextEv) nextEv = ldF(rReady, dispSlot);
        if (fetchResumeAt > now && fetchResumeAt < nextEv) nextEv = fetchResumeAt;
        if (redirectEnd > now + 1 && redirectEnd < nextEv) nextEv = redirectEnd;
        if (nextEv != INF && nextEv > now + 1) {
          const skip = nextEv - now - 1;
          stF(cpi, reason, ldF(cpi, reason) + skip * <f64>retireWidth);
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
    if (streamDone && headSeq == fetchSeq) { done = true; break; }
    if (now - lastRetire > stuckCycles) stuck(now, instructions, headSeq < dispSeq ? ldI(rPc, headSlot) : -1);
  }
  return done ? 1 : 0;
}
