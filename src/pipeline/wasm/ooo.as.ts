// The out-of-order core, cycle by cycle. Each cycle visits the stages back to front, so what a later stage
// frees is seen by an earlier one in the same cycle (as in llvm-mca, gem5's Minor and uiCA):
//
// | order | stage | does |
// |---:|---|---|
// | 1 | retire | up to retireWidth completed instructions leave the ROB head, in order |
// | 2 | issue | oldest first among the per-unit-group ready queues: operands ready and a unit free -> issue |
// | 3 | memory | issued loads (and stores without a store buffer) start their accesses in order; RETRY leaves them waiting (a memory stall); then the store buffer writes retired stores |
// | 4 | dispatch | up to dispatchWidth instructions from the fetch queue into ROB, scheduler, LSQ, store buffer, physical registers |
// | 5 | fetch | up to fetchWidth records from the stream, predicting branches; stops after a mispredict |
//
// An instruction dispatched in cycle t issues at t+1 at the earliest; issued at t with latency L its result is
// ready at t+L, when dependants may issue and it may retire. A load issued at t asks the memory at t and is ready
// at (memory's answer) + L. A run's cycle count is the index of the last cycle plus one.
//
// The scheduler is not scanned: an entry waits (1) attached to the first producer whose completion cycle is not
// known yet (depHead/depNext lists, walked when it becomes known: at issue, or when memory answers), (2) in the
// wake heap, keyed by the cycle its operands are ready, (3) from that cycle, in the ready queue of its unit group
// (descriptors with the same candidate units), sorted by age. Issue takes the oldest head among groups with a
// free unit, so the order is an oldest-first scan's. In-flight instructions live in a ring of arrays (slot =
// sequence number modulo cap). Arrays are laid out by src/pipeline/wasm/loader.ts from the manifest.
import { addF, INF, ldB, ldF, ldI, stB, stF, stI } from './common.as';
import { ACCESS_READ, ACCESS_WRITE, CPI_BASE, CPI_BRANCH, CPI_DEPENDENCY, CPI_FRONTEND, CPI_UNIT0, MAX_LANES, MAX_READS, PC_BRANCH, PC_LOAD, PC_MEM, PC_WRITES_V, PC_WRITES_X, REG_PP, REG_V, RETRY, ROLE_ACCUMULATOR } from './generated/constants.as';
import {
  bAddr, bPc, bPieces, bSize, bStride, bTaken, branches, cpi, cpiSb, cycles, desc, dispatchWidth, fetchQueueSize, fetchWidth, frontEndStages, hasLevels, hasObserver, hasOperandRules, instructions, laneMode, pcLane, pcRoles,
  issueWidth, lat, lsqSize, memAccesses, memCpi, mispredicts, pcCount, pcInfo, pcNReads, pcReads, pcWrite, penalty, poolBusy, retireWidth, retries, robSize,
  schedulerSize, stallFrontEnd, stallLsq, stallRegs, stallRob, stallSched, stallStoreBuffer, storeBufferSize, stuckCycles, uList, uPool, uStart, unitFree, useSb, vFree, xFree,
} from './generated/core.as';
import {
  active, activePos, cap, depHead, depNext, gCount, groupFreeAt, gStart, heapKeys, heapSlots, memQ, pcGroup, producer, producerIsMem, producerSlot, rAddr, rDesc, rDispatch, rDone,
  rFetch, rGroup, rIssue, rIssued, rLevel, rLevelAcc, rMemReady, rMispredict, rNSrc, rPc, rPiece, rPieces, rqHead, rqKeys, rqN, rqSize, rqSlots, rReady, rSb, rSeq, rSize, rSrc,
  rSrcSlot, rStride, skipIdle, skippedCycles, laneProd, laneProdSlot, rLaneSrc, rLaneSrcSlot, rLaneRole, rNLane, rNonMemMax, rMemMax, rMemLvl, rMemFrom,
} from './generated/ooo.as';
import { access, servedLevel } from './memport.as';
import { predict } from './predictor.as';
import { accessSpan, countFetchedAccess, firstFreeUnit, observe, occupancy, operandReady, refill, slotsToCycles, spanAddr, spanBytes, stuck } from './rules.as';
import { sbAdd, sbNoteRetry, sbPending, sbStart, sbUntil, sbWritten } from './store-buffer.as';

export { alloc, reset } from './common.as';
export { constantValue, manifestHash } from './generated/constants.as';
export { init_core, outputs_core } from './generated/core.as';
export { init_ooo, outputs_ooo } from './generated/ooo.as';
export { init_memory } from './generated/memory.as';
export { init_predictor } from './generated/predictor.as';
export { init_storeBuffer, outputs_storeBuffer } from './generated/storeBuffer.as';

/** Cycles run per call of `run`: WebAssembly functions change tier between calls, not inside one. */
const CYCLES_PER_CALL: i32 = 4096;

// ---- carried state ----
let heapN: i32 = 0, nActive: i32 = 0, memQN: i32 = 0, rqMask: i32 = 0;
let now: f64 = 0, headSeq: f64 = 0, dispSeq: f64 = 0, fetchSeq: f64 = 0;
let headSlot: i32 = 0, dispSlot: i32 = 0, fetchSlot: i32 = 0;
let schedN: i32 = 0, lsqN: i32 = 0, xInFlight: i32 = 0, vInFlight: i32 = 0;
let sbTaken: i32 = 0, fetchResumeAt: f64 = 0; // sbTaken: stores dispatched into the buffer
// Whether the last instruction dispatched was a mispredicted branch: while it is, an empty window waits for its
// refill (charged to the branch); before the branch dispatches, the window waits for the front end.
let lastDispMisp: bool = false;
let bufN: i32 = 0, bufPos: i32 = 0, streamDone: bool = false;
let lastRetire: f64 = 0;

/** Starts a run, once the loader has laid it out. */
export function start(): void {
  rqMask = rqSize - 1;
  heapN = 0; nActive = 0; memQN = 0;
  now = 0; headSeq = 0; dispSeq = 0; fetchSeq = 0; headSlot = 0; dispSlot = 0; fetchSlot = 0;
  schedN = 0; lsqN = 0; xInFlight = 0; vInFlight = 0; sbTaken = 0; fetchResumeAt = 0; lastDispMisp = false;
  bufN = 0; bufPos = 0; streamDone = false; lastRetire = 0;
  sbStart();
}

/** Ends the run: the cycle count and the CPI stack in cycles. */
export function finish(): void {
  cycles = now;
  slotsToCycles();
  // Stores still in the buffer are written after the last retirement: their traffic counts, their cycles do not.
  sbUntil(INF);
}

// ---- the wake heap: slots keyed by the cycle their operands are ready ----
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

// ---- the ready queues: per unit group, a ring of slots sorted by age (group g's ring at g * rqSize) ----
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

// ---- operand wake-up: an entry whose producers' completion cycles are all known goes into the wake heap at the
// cycle its operands are ready (at least the cycle after its dispatch); one that waits for a producer not yet
// complete-known is attached to that producer until it is. `direct`: an operand-ready cycle up to this goes
// straight into its ready queue (-1 from the issue stage, which must not see it again this cycle) ----
function evaluate(slot: i32, hs: f64, direct: f64): void {
  let w = ldF(rDispatch, slot) + 1;
  const base = slot * MAX_READS, nr = ldB(rNSrc, slot);
  if (hasOperandRules == 0 && laneMode == 0) {
    // no per-operand rule: an operand is ready when its producer's result is (sourceReady would return dn)
    for (let k = 0; k < nr; k++) {
      if (ldF(rSrc, base + k) < hs) continue;
      const ps = ldI(rSrcSlot, base + k);
      const dn = ldF(rDone, ps);
      if (dn == INF) { file(slot, ps, 0, direct); return; }
      if (dn > w) w = dn;
      noteSource(slot, ps, dn);
    }
    file(slot, -1, w, direct);
    return;
  }
  const cd = ldI(rDesc, slot), pcb = ldI(rPc, slot) * MAX_READS;
  for (let k = 0; k < nr; k++) {
    if (ldF(rSrc, base + k) < hs) continue;
    const ps = ldI(rSrcSlot, base + k);
    const dn = ldF(rDone, ps);
    if (dn == INF) { file(slot, ps, 0, direct); return; }
    const t = sourceReady(dn, ps, cd, ldB(pcRoles, pcb + k));
    if (t > w) w = t;
    noteSource(slot, ps, t);
  }
  if (laneMode != 0) {
    const lb = slot * MAX_READS * MAX_LANES, nl = ldB(rNLane, slot);
    for (let j = 0; j < nl; j++) {
      if (ldF(rLaneSrc, lb + j) < hs) continue;
      const ps = ldI(rLaneSrcSlot, lb + j);
      const dn = ldF(rDone, ps);
      if (dn == INF) { file(slot, ps, 0, direct); return; }
      const t = sourceReady(dn, ps, cd, ldB(rLaneRole, lb + j));
      if (t > w) w = t;
      noteSource(slot, ps, t);
    }
  }
  file(slot, -1, w, direct);
}

/**
 * For the CPI stack: the operand from producer slot `ps`, readable from `t`, of the entry in `slot` (whose
 * rNonMemMax starts at its dispatch + 1). The latest operand a load produced, and the level that served it, in
 * rMemMax and rMemLvl; the latest of the others in rNonMemMax. Kept over every wake-up pass, so a producer seen
 * while in flight counts even if it retires before the entry issues.
 */
@inline function noteSource(slot: i32, ps: i32, t: f64): void {
  if (ldB(producerIsMem, ps) == 1) {
    if (t > ldF(rMemMax, slot)) { stF(rMemMax, slot, t); stB(rMemLvl, slot, 1 + ldB(rLevel, ps)); }
  } else if (t > ldF(rNonMemMax, slot)) stF(rNonMemMax, slot, t);
}

/** The cycle a source produced in slot `ps` (result ready at `dn`) can be read by an entry of descriptor `cd` in role `role`. */
@inline function sourceReady(dn: f64, ps: i32, cd: i32, role: i32): f64 {
  if (hasOperandRules == 0 || ldB(producerIsMem, ps) == 1) return dn;
  return operandReady(dn, ldF(rIssue, ps), ldI(rDesc, ps), cd, role);
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

// ---- the memory stage: issued loads (and stores without a store buffer), oldest first, each asking the memory
// for its pieces in turn; a refusal (RETRY) stops the queue for this cycle. Returns whether one was refused ----
function memStep(t: f64, hs: f64): bool {
  let blocked = false;
  let m = 0;
  const n0 = memQN;
  for (let i = 0; i < n0; i++) {
    const slot = ldI(memQ, i);
    if (!blocked) {
      const pc = ldI(rPc, slot);
      const kind = (ldB(pcInfo, pc) & PC_LOAD) != 0 ? ACCESS_READ : ACCESS_WRITE;
      const n = ldI(rPieces, slot);
      let k = ldI(rPiece, slot);
      let ready = ldF(rMemReady, slot);
      while (k < n) {
        const covered = accessSpan(<f64>ldI(rAddr, slot), ldI(rSize, slot), <f64>ldI(rStride, slot), n, k);
        const r = access(spanAddr, spanBytes, kind, t, pc);
        if (r == RETRY) { retries++; blocked = true; break; }
        memAccesses++;
        if (r > ready) ready = r;
        if (hasLevels != 0) { const lv = servedLevel(); if (lv > ldB(rLevelAcc, slot)) stB(rLevelAcc, slot, lv); }
        k += covered;
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

// The operands of the entry dispatched into `slot` (instruction at `pc`) with the per-operand rules and lane
// writes: records its producers like the plain loop in `run` and leaves in dsWake the cycle its operands are
// ready (from the cycle after dispatch) and in dsWaitOn the first producer whose completion is not known yet.
let dsWake: f64 = 0, dsWaitOn: i32 = -1;
function dispatchSources(slot: i32, pc: i32, base: i32, rbase: i32, nr: i32): void {
  let wake = now + 1;
  let waitOn = -1;
  const cd = ldI(desc, pc), lane = laneMode != 0 ? ldI(pcLane, pc) : -1;
  let nl = 0;
  const lsb = slot * MAX_READS * MAX_LANES;
  for (let k = 0; k < nr; k++) {
    const r = ldI(pcReads, base + k), role = ldB(pcRoles, base + k);
    let ps = ldF(producer, r), psl = ldI(producerSlot, r);
    if (laneMode != 0 && r >= REG_V && r < REG_PP) {
      // lane-granular: a lane writer's accumulator comes from the last writer of its lane (if any since the
      // last whole write); any other read of the register waits for every lane written since then too
      const lb = (r - REG_V) * MAX_LANES;
      if (lane >= 0 && role == ROLE_ACCUMULATOR) {
        const lp = ldF(laneProd, lb + lane);
        if (lp >= 0) { ps = lp; psl = ldI(laneProdSlot, lb + lane); }
      } else {
        for (let l = 0; l < MAX_LANES; l++) {
          const lp = ldF(laneProd, lb + l);
          if (lp < headSeq) continue; // none since the last whole write, or retired
          const lsl = ldI(laneProdSlot, lb + l);
          stF(rLaneSrc, lsb + nl, lp);
          stI(rLaneSrcSlot, lsb + nl, lsl);
          stB(rLaneRole, lsb + nl, role);
          nl++;
          if (waitOn < 0) {
            const dn = ldF(rDone, lsl);
            if (dn == INF) waitOn = lsl;
            else { const t = sourceReady(dn, lsl, cd, role); if (t > wake) wake = t; noteSource(slot, lsl, t); }
          }
        }
      }
    }
    stF(rSrc, rbase + k, ps);
    stI(rSrcSlot, rbase + k, psl);
    if (ps >= headSeq && waitOn < 0) {
      const dn = ldF(rDone, psl);
      if (dn == INF) waitOn = psl;
      else { const t = sourceReady(dn, psl, cd, role); if (t > wake) wake = t; noteSource(slot, psl, t); }
    }
  }
  if (laneMode != 0) stB(rNLane, slot, nl);
  dsWake = wake;
  dsWaitOn = waitOn;
}

/** Runs up to CYCLES_PER_CALL cycles; returns 1 when the run is over. */
export function run(): i32 {
  let done = false;
  for (let iter = 0; iter < CYCLES_PER_CALL; iter++) {
    // ---------------- 1. retire ----------------
    let retired = 0;
    const rw = retireWidth;
    while (retired < rw && headSeq < dispSeq) {
      const slot = headSlot;
      if (ldB(rIssued, slot) == 0 || ldF(rDone, slot) > now) break;
      const pc = ldI(rPc, slot);
      addF(pcCount, pc, 1);
      const ri = ldB(pcInfo, pc);
      if ((ri & PC_WRITES_X) != 0) xInFlight--;
      else if ((ri & PC_WRITES_V) != 0) vInFlight--;
      if ((ri & PC_MEM) != 0) lsqN--;
      if (ldB(rSb, slot) == 1) {
        sbAdd(<f64>ldI(rAddr, slot), ldI(rSize, slot), ldI(rStride, slot), ldI(rPieces, slot), pc, now);
      }
      if (hasObserver != 0) observe(headSeq, pc, ldF(rFetch, slot), ldF(rDispatch, slot), ldF(rIssue, slot), ldF(rDone, slot), now);
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
        const unit = firstFreeUnit(ldI(gStart, g), ldI(gCount, g), now);
        const free = ldF(unitFree, unit);
        if (free > now) { stF(groupFreeAt, g, free); continue; }
        bestG = g; bestSeq = hs; bestUnit = unit;
      }
      if (bestG < 0) break;
      const slot = readyPop(bestG);
      const d = ldI(rDesc, slot);
      const unit = bestUnit;
      const l = <f64>ldI(lat, d);
      const occ = occupancy(d, unit);
      stF(unitFree, unit, now + occ);
      addF(poolBusy, ldI(uPool, unit), occ);
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
        // Executing, it holds up retirement. Loaded operands held its issue back by D = mm - nm cycles beyond
        // everything else (see noteSource), so without them it would have completed D cycles earlier: the CPI
        // stack charges its last D cycles, from rMemFrom on, to memory.
        const mm = ldF(rMemMax, slot), nm = ldF(rNonMemMax, slot);
        stF(rMemFrom, slot, mm > nm ? now + l - (mm - nm) : INF);
        if (ldI(depHead, slot) >= 0) wakeDependants(slot, headSeq, -1);
        if (ldB(rMispredict, slot) == 1) {
          fetchResumeAt = now + l + penalty;
        }
      }
    }

    // ---------------- 3. memory ----------------
    if (memQN > 0 && memStep(now, headSeq)) sbNoteRetry(now);
    if (useSb != 0 && sbPending() > 0) sbUntil(now);

    // ---------------- 4. dispatch ----------------
    let dispatched = 0;
    let stallKind = 0;
    while (dispatched < dispatchWidth) {
      if (dispSeq == fetchSeq || ldF(rReady, dispSlot) > now) { if (dispatched == 0) { stallFrontEnd++; stallKind = 1; } break; }
      if (dispSeq - headSeq >= <f64>robSize) { if (dispatched == 0) { stallRob++; stallKind = 2; } break; }
      if (schedN >= schedulerSize) { if (dispatched == 0) { stallSched++; stallKind = 3; } break; }
      const slot = dispSlot;
      const pc = ldI(rPc, slot);
      const info = ldB(pcInfo, pc);
      const isMem = (info & PC_MEM) != 0;
      if (isMem && lsqN >= lsqSize) { if (dispatched == 0) { stallLsq++; stallKind = 4; } break; }
      const toSb = useSb != 0 && isMem && (info & PC_LOAD) == 0 && ldI(rSize, slot) != 0;
      if (toSb && sbTaken - sbWritten() >= storeBufferSize) { if (dispatched == 0) { stallStoreBuffer++; stallKind = 6; } break; }
      const w = ldI(pcWrite, pc);
      const wx = (info & PC_WRITES_X) != 0, wv = (info & PC_WRITES_V) != 0;
      if ((wx && xInFlight >= xFree) || (wv && vInFlight >= vFree)) { if (dispatched == 0) { stallRegs++; stallKind = 5; } break; }
      const base = pc * MAX_READS, rbase = slot * MAX_READS, nr = ldB(pcNReads, pc);
      stB(rNSrc, slot, nr);
      let wake = now + 1;
      let waitOn = -1;
      stF(rNonMemMax, slot, now + 1);
      stF(rMemMax, slot, 0);
      stB(rMemLvl, slot, 0);
      if (hasOperandRules == 0 && laneMode == 0) {
        // no per-operand rule: an operand is ready when its producer's result is (sourceReady would return dn)
        for (let k = 0; k < nr; k++) {
          const r = ldI(pcReads, base + k);
          const ps = ldF(producer, r), psl = ldI(producerSlot, r);
          stF(rSrc, rbase + k, ps);
          stI(rSrcSlot, rbase + k, psl);
          if (ps >= headSeq && waitOn < 0) {
            const dn = ldF(rDone, psl);
            if (dn == INF) waitOn = psl;
            else { if (dn > wake) wake = dn; noteSource(slot, psl, dn); }
          }
        }
      } else {
        dispatchSources(slot, pc, base, rbase, nr);
        wake = dsWake; waitOn = dsWaitOn;
      }
      if (w >= 0) {
        if (laneMode != 0 && w >= REG_V && w < REG_PP) {
          const lb = (w - REG_V) * MAX_LANES, lane = ldI(pcLane, pc);
          if (lane >= 0) {
            stF(laneProd, lb + lane, dispSeq);
            stI(laneProdSlot, lb + lane, slot);
          } else {
            for (let l = 0; l < MAX_LANES; l++) stF(laneProd, lb + l, -1);
            stF(producer, w, dispSeq); stI(producerSlot, w, slot);
          }
        } else {
          stF(producer, w, dispSeq); stI(producerSlot, w, slot);
        }
      }
      if (wx) xInFlight++;
      if (wv) vInFlight++;
      if (isMem) lsqN++;
      stB(producerIsMem, slot, isMem && ldI(rSize, slot) != 0 && !toSb ? 1 : 0);
      stB(rSb, slot, toSb ? 1 : 0);
      if (toSb) sbTaken++;
      stB(rIssued, slot, 0);
      stF(rDone, slot, INF);
      stF(rDispatch, slot, now);
      lastDispMisp = ldB(rMispredict, slot) == 1;
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
      while (fetched < fetchWidth && fetchSeq - dispSeq < <f64>fetchQueueSize) {
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
          countFetchedAccess(ldB(pcInfo, pc), size, pieces);
        }
        stF(rFetch, slot, now);
        stF(rReady, slot, now + frontEndStages);
        stB(rMispredict, slot, 0);
        fetchSeq++;
        if (++fetchSlot == cap) fetchSlot = 0;
        fetched++;
        if ((ldB(pcInfo, pc) & PC_BRANCH) != 0) {
          branches++;
          const ok = predict(pc, ldB(bTaken, bufPos));
          bufPos++;
          if (!ok) {
            mispredicts++;
            stB(rMispredict, slot, 1);
            fetchResumeAt = INF;
            break;
          }
        } else {
          bufPos++;
        }
      }
    }

    // ---------------- CPI stack: retired slots are base; lost slots go to the reason the ROB head (after this
    // cycle's issue) is not complete. Counted in retire slots, divided at the end ----------------
    if (retired == rw) {
      addF(cpi, CPI_BASE, <f64>rw);
    } else {
      addF(cpi, CPI_BASE, <f64>retired);
      let reason: i32;
      if (headSeq == dispSeq) {
        reason = lastDispMisp ? CPI_BRANCH : stallKind == 6 ? cpiSb : CPI_FRONTEND;
      } else {
        const slot = headSlot;
        if (ldB(rIssued, slot) == 1) {
          reason = ldB(producerIsMem, slot) == 1 ? ldI(memCpi, ldB(rLevel, slot)) : now >= ldF(rMemFrom, slot) ? ldI(memCpi, ldB(rMemLvl, slot) - 1) : CPI_DEPENDENCY;
        } else if (ldF(rDispatch, slot) >= now) {
          reason = CPI_FRONTEND;
        } else {
          reason = CPI_UNIT0 + ldI(uPool, ldI(uList, ldI(uStart, ldI(rDesc, slot)))); // the first pool that could take it
          const base = slot * MAX_READS, nr = ldB(rNSrc, slot);
          for (let k = 0; k < nr; k++) {
            if (ldF(rSrc, base + k) < headSeq) continue;
            const ps = ldI(rSrcSlot, base + k);
            if (ldF(rDone, ps) > now) { reason = ldB(producerIsMem, ps) == 1 ? ldI(memCpi, ldB(rLevel, ps)) : CPI_DEPENDENCY; break; }
          }
        }
      }
      addF(cpi, reason, <f64>(rw - retired));

      // Idle-cycle skipping: when no stage acted this cycle, nothing changes until the next event (a result
      // completing, a unit freeing, an instruction reaching dispatch, fetch resuming), so the cycles in between
      // repeat this one's accounting and are added in one step.
      if (skipIdle != 0 && retired == 0 && issued == 0 && dispatched == 0 && fetched == 0 && memQN == 0 && (useSb == 0 || sbPending() == 0)) {
        let nextEv = INF;
        if (headSeq != dispSeq && ldB(rIssued, headSlot) == 1) {
          nextEv = ldF(rDone, headSlot);
          const mf = ldF(rMemFrom, headSlot); // the head's reason changes from dependency to memory then
          if (ldB(producerIsMem, headSlot) == 0 && mf > now && mf < nextEv) nextEv = mf;
        }
        if (heapN > 0 && heapTopKey() < nextEv) nextEv = heapTopKey();
        for (let a = 0; a < nActive; a++) {
          const g = ldI(active, a);
          const u0 = ldI(gStart, g), un = ldI(gCount, g);
          for (let k = 0; k < un; k++) { const f = ldF(unitFree, ldI(uList, u0 + k)); if (f < nextEv) nextEv = f; }
        }
        if (dispSeq != fetchSeq && ldF(rReady, dispSlot) > now && ldF(rReady, dispSlot) < nextEv) nextEv = ldF(rReady, dispSlot);
        if (fetchResumeAt > now && fetchResumeAt < nextEv) nextEv = fetchResumeAt;
        if (nextEv != INF && nextEv > now + 1) {
          const skip = nextEv - now - 1;
          addF(cpi, reason, skip * <f64>rw);
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
          skippedCycles += skip;
        }
      }
    }

    now++;
    if (streamDone && headSeq == fetchSeq) { done = true; break; }
    if (now - lastRetire > stuckCycles) stuck(now, instructions, headSeq < dispSeq ? ldI(rPc, headSlot) : -1);
  }
  return done ? 1 : 0;
}
