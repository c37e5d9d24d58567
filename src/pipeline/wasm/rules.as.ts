// The timing rules both cores apply, written once: what an operation costs a unit, which unit takes it, what a
// fetched memory instruction counts, and the calls into JavaScript both make (the observer, the store buffer, the
// stuck-run error). The in-order core (inorder.as.ts) computes each instruction's stage times directly and the
// out-of-order core (ooo.as.ts) steps cycle by cycle, but wherever they decide the same thing they call this.
import { INF, ldB, ldF, ldI, stF } from './common.as';
import { PC_LOAD } from './generated/constants.as';
import { cpi, cpiCount, lat, loadBytes, loads, retireWidth, storeBytes, stores, thr, uList, uPipe, unitFree } from './generated/core.as';

// ---- what JavaScript provides to both cores (src/pipeline/engine.ts startRun's imports) ----
@external("env", "observe")
export declare function observe(seq: f64, pc: i32, f: f64, d: f64, i: f64, done: f64, r: f64): void;
@external("env", "sbAdd")
export declare function sbAdd(addr: f64, bytes: i32, stride: i32, pieces: i32, pc: i32, retire: f64): void;
@external("env", "sbUntil")
export declare function sbUntil(limit: f64): i32; // returns the stores still unwritten
@external("env", "sbNoteRetry")
export declare function sbNoteRetry(cycle: f64): void;
@external("env", "stuck")
export declare function stuck(cycle: f64, retired: f64, pc: i32): void;
@external("env", "refill")
export declare function refill(): i32; // the next batch of records into b*; 0 at the end of the stream

/** Cycles an operation of descriptor `d` occupies unit `u`: its reciprocal throughput if the unit is pipelined, else max(latency, that). */
@inline export function occupancy(d: i32, u: i32): f64 {
  const l = ldI(lat, d), t = ldI(thr, d);
  return <f64>(ldB(uPipe, u) == 1 ? t : (l > t ? l : t));
}

/**
 * The unit an operation issues to at cycle `t` or later, among the candidate units uList[u0 .. u0 + un) (a
 * descriptor's, or a unit group's): the first of them (in declaration order) free at `t`; if none is, the first
 * of those that free earliest. The caller reads `unitFree[unit]` to know whether it waits.
 */
export function firstFreeUnit(u0: i32, un: i32, t: f64): i32 {
  let best = ldI(uList, u0), bestFree = INF;
  for (let k = 0; k < un; k++) {
    const u = ldI(uList, u0 + k), f = ldF(unitFree, u);
    if (f <= t) return u;
    if (f < bestFree) { bestFree = f; best = u; }
  }
  return best;
}

/** A memory instruction counted when fetched: loads or stores, and their bytes. */
@inline export function countFetchedAccess(info: i32, size: i32, pieces: i32): void {
  if ((info & PC_LOAD) != 0) { loads++; loadBytes += <f64>size * <f64>pieces; } else { stores++; storeBytes += <f64>size * <f64>pieces; }
}

/** The CPI stack is counted in retire slots (integers, so the sums are exact for any width): into cycles at the end of a run. */
export function slotsToCycles(): void {
  const w = <f64>retireWidth;
  for (let i = 0; i < cpiCount; i++) stF(cpi, i, ldF(cpi, i) / w);
}
