// The timing rules both cores apply, written once: what an operation costs a unit, which unit takes it, what a
// fetched memory instruction counts, and the calls into JavaScript both make (the observer, the store buffer, the
// stuck-run error). The in-order core (inorder.as.ts) computes each instruction's stage times directly and the
// out-of-order core (ooo.as.ts) steps cycle by cycle, but wherever they decide the same thing they call this.
import { INF, ldB, ldF, ldI, stF } from './common.as';
import { NUM_CLASSES, NUM_ROLES, NUM_WIDTH_KEYS, PC_LOAD, ROLE_ACCUMULATOR } from './generated/constants.as';
import { cpi, cpiCount, forward, lat, loadBytes, loads, lsuBlockBytes, readAdvance, retireWidth, storeBytes, stores, thr, uList, uPipe, unitFree } from './generated/core.as';

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

/**
 * The cycle an operand can be read by an instruction of descriptor `cd` that reads it in role `role` (see
 * OPERAND_ROLES), when its producer, of descriptor `pd`, was a non-memory instruction issued at `pIssue` whose
 * result is ready at `pDone` (= pIssue + its latency). The consumer's read advance for that role lets it read
 * the operand that many cycles before the result is ready (LLVM's ReadAdvance); a forwarding rule from the
 * producer's class to the consumer's accumulator makes the result ready that many cycles after the producer
 * issued (Arm's accumulate latency); never before the cycle after the producer issued. (Callers use it only
 * when the core has such rules: CoreConfig readAdvanceCycles, forwarding.)
 */
export function operandReady(pDone: f64, pIssue: f64, pd: i32, cd: i32, role: i32): f64 {
  let t = pDone - <f64>ldI(readAdvance, cd * NUM_ROLES + role);
  if (role == ROLE_ACCUMULATOR) {
    const f = ldI(forward, (pd / NUM_WIDTH_KEYS) * NUM_CLASSES + cd / NUM_WIDTH_KEYS);
    if (f > 0 && pIssue + <f64>f < t) t = pIssue + <f64>f;
  }
  const lo = pIssue + 1;
  return t < lo ? lo : t;
}

/** Where the access {@link accessSpan} found starts, and its size in bytes. */
export let spanAddr: f64 = 0, spanBytes: i32 = 0;

/**
 * The access a memory instruction makes starting at its element `k` (its `pieces` elements of `size` bytes are at
 * addr + i * stride): the load/store unit reads or writes one aligned block of lsuBlockBytes at a time, so the
 * consecutive elements from `k` that lie within the block element `k` lies in are one access (a broadcast, stride
 * 0, is one access; unit-stride elements, one per block; an element that straddles two blocks is an access of its
 * own, which the memory splits by line). Sets spanAddr and spanBytes to the bytes the access covers and returns
 * how many elements it covers (with lsuBlockBytes 0: always 1, one access per element).
 */
export function accessSpan(addr: f64, size: i32, stride: f64, pieces: i32, k: i32): i32 {
  const a = addr + <f64>k * stride, sz = <f64>size;
  spanAddr = a;
  spanBytes = size;
  if (lsuBlockBytes == 0 || k + 1 >= pieces) return 1;
  const B = <f64>lsuBlockBytes;
  const block = Math.floor(a / B);
  if (Math.floor((a + sz - 1) / B) != block) return 1;
  let lo = a, hi = a + sz, j = k + 1;
  for (; j < pieces; j++) {
    const b = addr + <f64>j * stride;
    if (Math.floor(b / B) != block || Math.floor((b + sz - 1) / B) != block) break;
    if (b < lo) lo = b;
    if (b + sz > hi) hi = b + sz;
  }
  spanAddr = lo;
  spanBytes = <i32>(hi - lo);
  return j - k;
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
