// The store buffer's drain (CoreConfig storeBufferSize > 0): retired stores are written to memory in program
// order, each access once the memory accepts it, one cycle later after each refusal; a store's entry is free from
// the cycle its last access was accepted. Both cores use it. The out-of-order core asks every cycle for the
// attempts due at that cycle (sbUntil(now)); the in-order core asks lazily, only when time must move past them:
// before an access at a later cycle (so the memory sees every access in cycle order, the buffer's after the
// accesses issued in the same cycle), when a store needs an older store's entry (sbFreedAt), and at the end.
//
// It also counts the cycles with a refused access for the whole memory stage (sbNoteRetry), since its refusals
// and the loads' can fall in the same cycle.
import { INF, ldF, ldI, stF, stI } from './common.as';
import { ACCESS_WRITE, RETRY } from './generated/constants.as';
import { memRetryCycles, stuckCycles } from './generated/core.as';
import { sbAccesses, sbAddr, sbBytes, sbFreed, sbMask, sbPc, sbPieces, sbRet, sbRetries, sbStride } from './generated/storeBuffer.as';
import { access } from './memport.as';
import { accessSpan, spanAddr, spanBytes } from './rules.as';

@external("env", "storeStuck")
declare function storeStuck(cycle: f64, pc: i32): void;

let n: i32 = 0; // stores added so far
let written: i32 = 0; // stores fully written so far (the next to write is number `written`)
let piece: i32 = 0; // its next piece
let cursor: f64 = 0; // earliest cycle of the next attempt
let lastRetry: f64 = -1;

/** Empties the buffer for a new run. */
export function sbStart(): void {
  n = 0; written = 0; piece = 0; cursor = 0; lastRetry = -1;
}

/** A store that retires at cycle `retire` (stores are added in program order; at most storeBufferSize unwritten). */
export function sbAdd(addr: f64, bytes: i32, stride: i32, pieces: i32, pc: i32, retire: f64): void {
  const e = n++ & sbMask;
  stF(sbAddr, e, addr); stI(sbBytes, e, bytes); stI(sbStride, e, stride); stI(sbPieces, e, pieces); stI(sbPc, e, pc); stF(sbRet, e, retire);
}

/** Counts `cycle` as one with a refused access (once, however many were refused in it). */
export function sbNoteRetry(cycle: f64): void {
  if (cycle != lastRetry) { memRetryCycles++; lastRetry = cycle; }
}

/** Stores added and not yet fully written. */
@inline export function sbPending(): i32 { return n - written; }

/** Stores fully written so far (their entries are free). */
@inline export function sbWritten(): i32 { return written; }

/** The cycle store number `idx` was fully written (its entry free from then on), writing up to it if needed. */
export function sbFreedAt(idx: i32): f64 {
  if (written <= idx) drain(INF, idx);
  return ldF(sbFreed, idx & sbMask);
}

/** Makes every write attempt due at cycles up to `limit`; returns the stores still unwritten. */
export function sbUntil(limit: f64): i32 {
  if (written < n) drain(limit, 0x7fffffff);
  return n - written;
}

function drain(limit: f64, lastIdx: i32): void {
  while (written < n && written <= lastIdx) {
    const e = written & sbMask;
    const ret = ldF(sbRet, e);
    let c = cursor > ret ? cursor : ret;
    if (c > limit) return;
    const pieces = ldI(sbPieces, e), addr = ldF(sbAddr, e), bytes = ldI(sbBytes, e), stride = <f64>ldI(sbStride, e), pc = ldI(sbPc, e);
    while (piece < pieces) {
      const k = accessSpan(addr, bytes, stride, pieces, piece);
      const r = access(spanAddr, spanBytes, ACCESS_WRITE, c, pc);
      if (r == RETRY) {
        sbRetries++;
        sbNoteRetry(c);
        c++;
        if (c - ret > stuckCycles) storeStuck(c, pc);
        if (c > limit) { cursor = c; return; }
        continue;
      }
      sbAccesses++;
      piece += k;
    }
    piece = 0;
    stF(sbFreed, e, c);
    cursor = c;
    written++;
  }
}
