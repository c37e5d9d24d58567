// What both cores' AssemblyScript loops share: array access through pointers into linear memory, the bump
// allocation the JavaScript side lays a run out with (src/pipeline/wasm-module.ts), and the constants the
// loops mirror from TypeScript. Not TypeScript: tsc and typedoc skip `*.as.ts`.

/** Element `i` of an array at `p`: f64, i32 or u8. One load or store, no bounds or type checks. */
@inline export function ldF(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline export function stF(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline export function ldI(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
@inline export function stI(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }
@inline export function ldB(p: usize, i: i32): i32 { return <i32>load<u8>(p + <usize>i); }
@inline export function stB(p: usize, i: i32, v: i32): void { store<u8>(p + <usize>i, <u8>v); }

// ---- what the JavaScript side provides to both cores (src/pipeline/wasm-module.ts startRun's imports; the
// memory port's `access` is below) ----
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

/** MAX_READS of src/isa/trace.ts. */
export const MAX_READS: i32 = 4;
/** RETRY of src/memory/port.ts. */
export const RETRY: f64 = -1;
/** The PC_* bits of src/pipeline/descriptors.ts. */
export const K_BRANCH: i32 = 1, K_MEM: i32 = 2, K_LOAD: i32 = 4, K_WX: i32 = 8, K_WV: i32 = 16;
export const INF: f64 = Infinity;

// ---- bump allocation of a run's arrays (the JavaScript side asks for them once per run) ----
let top: usize = 0;
export function reset(): void { top = (__heap_base + 15) & ~<usize>15; }
export function alloc(bytes: i32): usize {
  if (top == 0) reset();
  const p = top;
  top = (p + <usize>bytes + 15) & ~<usize>15;
  const need = <i32>((top + 0xffff) >> 16) - memory.size();
  if (need > 0 && memory.grow(need) < 0) unreachable();
  return p;
}

// ---- reading a run's settings: array addresses, integers and cycle values, in the order the JavaScript
// side lists them; the module exports how many of each it reads (POINTER_COUNT, INT_COUNT, CYCLE_COUNT), the
// JavaScript side checks its lists against them, and init traps if it read a different number ----
let cursor: usize = 0, read: i32 = 0;
/** Starts reading settings at `a`. */
export function readFrom(a: usize): void { cursor = a; read = 0; }
/** The next address. */
export function nextPointer(): usize { const v = load<usize>(cursor); cursor += 4; read++; return v; }
/** The next integer setting. */
export function nextInt(): i32 { const v = load<i32>(cursor); cursor += 4; read++; return v; }
/** The next cycle-valued setting. */
export function nextCycle(): f64 { const v = load<f64>(cursor); cursor += 8; read++; return v; }
/** Traps unless exactly `count` values were read since readFrom. */
export function expectRead(count: i32): void { if (read != count) unreachable(); }

// ---- the memory port (src/pipeline/wasm-module.ts chooses the mode per run) ----
// MEM_JS: every access goes to the JavaScript memory. MEM_FIXED: a FixedLatencyMemory, answered here.
// MEM_HITS: the hierarchy lent its first level's hit path (src/memory/hit-path.ts): the plain hits its
// `access` takes on its short path are taken here, on its own arrays, in the same way; anything else goes to it.
// Property tests (test/pipeline/engines.test.ts) check that every statistic and the caches' contents come out
// the same as with the JavaScript hierarchy answering every access.
@external("env", "access")
declare function memAccess(addr: f64, size: i32, kind: i32, cycle: f64, pc: i32): f64;

const MEM_FIXED: i32 = 1, MEM_HITS: i32 = 2;
// HIT_BLOCK of src/memory/hit-path.ts
const B_CLOCK: i32 = 0, B_PORT_CYCLE: i32 = 1, B_PORT_USED: i32 = 2, B_HEAD: i32 = 3, B_TAIL: i32 = 4, B_LAST: i32 = 5;
const B_READS: i32 = 6, B_READ_BITS: i32 = 8, B_WRITE_BITS: i32 = 9, B_LEVEL: i32 = 10;
const EMPTY: f64 = -1; // line-index.ts

let memMode: i32 = 0, fixedLatency: f64 = 0;
let tags: usize, readyAt: usize, dirtyBit: usize, stamps: usize;
let shKeys: usize, shSlots: usize, shPrev: usize, shNext: usize, blk: usize, levelSlot: usize;
let ways: i32, setMask: i32, shadow: bool, shBits: i32, shMask: i32;
let lineBytes: f64, ports: f64, hitLatency: f64;

/** How many array addresses, integers and cycle values `initMemory` reads. */
export const MEM_POINTER_COUNT: i32 = 10, MEM_INT_COUNT: i32 = 5, MEM_CYCLE_COUNT: i32 = 4;

/** The memory port's mode, arrays and settings for a run (src/pipeline/wasm-module.ts, startRun's `port`). */
export function initMemory(a: usize, n: usize, x: usize): void {
  readFrom(a);
  tags = nextPointer(); readyAt = nextPointer(); dirtyBit = nextPointer(); stamps = nextPointer();
  shKeys = nextPointer(); shSlots = nextPointer(); shPrev = nextPointer(); shNext = nextPointer();
  blk = nextPointer(); levelSlot = nextPointer();
  expectRead(MEM_POINTER_COUNT);
  readFrom(n);
  memMode = nextInt(); ways = nextInt(); setMask = nextInt(); shadow = nextInt() != 0; shBits = nextInt();
  expectRead(MEM_INT_COUNT);
  readFrom(x);
  fixedLatency = nextCycle(); lineBytes = nextCycle(); ports = nextCycle(); hitLatency = nextCycle();
  expectRead(MEM_CYCLE_COUNT);
  shMask = (1 << shBits) - 1;
}

/** Index of the level that served the last accepted access (MemoryHierarchy.lastLevel). */
@inline export function servedLevel(): i32 { return load<i32>(levelSlot); }

/** MemoryPort.access: the cycle the access is done, or RETRY. */
export function access(addr: f64, size: i32, kind: i32, cycle: f64, pc: i32): f64 {
  if (memMode == MEM_FIXED) return cycle + fixedLatency;
  if (memMode == MEM_HITS && (kind == 0 || kind == 1) && size >= 1 && addr >= 0) { // a demand read or write
    // MemoryHierarchy.access up to its short path, deciding before changing anything
    const portCycle = ldF(blk, B_PORT_CYCLE), portUsed = ldF(blk, B_PORT_USED);
    const fresh = cycle > portCycle;
    if (fresh || portUsed < ports) {
      const line = Math.floor(addr / lineBytes);
      if (addr - line * lineBytes + <f64>size <= lineBytes) {
        // Cache.find (ToInt32 of the line keeps its low 32 bits, as the i64 conversion does)
        const base = (<i32><i64>line & setMask) * ways;
        let slot = -1;
        for (let s = base, e = base + ways; s < e; s++) {
          if (ldF(tags, s) == line) { slot = s; break; }
        }
        if (slot >= 0 && ldF(readyAt, slot) <= cycle) { // (a level that lends has no prefetcher: no line is marked prefetched)
          // MissClassifier.reference(line, false, true, true) of an LRU shadow: a repeat of the last line changes
          // nothing; a shadow miss would replace a shadow line, which is left to the hierarchy
          const repeat = !shadow || line == ldF(blk, B_LAST);
          let sh = -1;
          if (!repeat) {
            sh = shadowFind(line);
            if (sh < 0) return memAccess(addr, size, kind, cycle, pc);
          }
          if (fresh) { stF(blk, B_PORT_CYCLE, cycle); stF(blk, B_PORT_USED, 1); }
          else stF(blk, B_PORT_USED, portUsed + 1);
          stF(blk, B_READS + kind, ldF(blk, B_READS + kind) + 1);
          if (!repeat) {
            shadowToFront(sh);
            stF(blk, B_LAST, line);
          }
          const clock = ldF(blk, B_CLOCK) + 1;
          stF(blk, B_CLOCK, clock);
          stF(stamps, slot, clock);
          const bits = <f64>(((size + 7) >> 3) * 64);
          if (kind == 1) {
            stF(blk, B_WRITE_BITS, ldF(blk, B_WRITE_BITS) + bits);
            stB(dirtyBit, slot, 1);
          } else {
            stF(blk, B_READ_BITS, ldF(blk, B_READ_BITS) + bits);
          }
          stF(blk, B_LEVEL, 0);
          store<i32>(levelSlot, 0);
          return cycle + hitLatency;
        }
      }
    }
  }
  return memAccess(addr, size, kind, cycle, pc);
}

/** LineMap.get of the shadow (line-index.ts hashLine, then linear probing). */
function shadowFind(line: f64): i32 {
  const l = <u64>line;
  const lo = <u32>l, hi = <u32>(l >> 32);
  let i = <i32>(((lo ^ (hi * <u32>0x85ebca6b)) * <u32>0x9e3779b1) >> <u32>(32 - shBits));
  let k = ldF(shKeys, i);
  while (k != line) {
    if (k == EMPTY) return -1;
    i = (i + 1) & shMask;
    k = ldF(shKeys, i);
  }
  return ldI(shSlots, i);
}

/** MissClassifier.moveToFront (unlink, then pushFront). */
function shadowToFront(s: i32): void {
  let head = <i32>ldF(blk, B_HEAD), tail = <i32>ldF(blk, B_TAIL);
  if (s == head) return;
  const p = ldI(shPrev, s), n = ldI(shNext, s);
  if (p >= 0) stI(shNext, p, n);
  else head = n;
  if (n >= 0) stI(shPrev, n, p);
  else tail = p;
  stI(shPrev, s, -1);
  stI(shNext, s, head);
  if (head >= 0) stI(shPrev, head, s);
  head = s; // the list held s and another line, so tail >= 0: pushFront's empty-list case cannot arise
  stF(blk, B_HEAD, <f64>head);
  stF(blk, B_TAIL, <f64>tail);
}

// ---- the branch predictor (src/pipeline/predictor.ts), trained here on a copy of its state for the run ----
const PRED_STATIC: i32 = 1, PRED_BIMODAL: i32 = 2, PRED_LOOP: i32 = 3;
let predKind: i32 = 0, staticTaken: i32 = 0, bimEntries: i32 = 1, loopEntries: i32 = 1;
let bimCtr: usize, loopTrip: usize, loopCur: usize, loopConf: usize;

/** How many array addresses, integers and cycle values `initPredictor` reads. */
export const PRED_POINTER_COUNT: i32 = 4, PRED_INT_COUNT: i32 = 4, PRED_CYCLE_COUNT: i32 = 0;

/** The predictor's kind, settings and state for a run (src/pipeline/wasm-module.ts, startRun's `predictor`). */
export function initPredictor(a: usize, n: usize, x: usize): void {
  readFrom(a);
  bimCtr = nextPointer(); loopTrip = nextPointer(); loopCur = nextPointer(); loopConf = nextPointer();
  expectRead(PRED_POINTER_COUNT);
  readFrom(n);
  predKind = nextInt(); staticTaken = nextInt(); bimEntries = nextInt(); loopEntries = nextInt();
  expectRead(PRED_INT_COUNT);
  readFrom(x);
  expectRead(PRED_CYCLE_COUNT);
}

/** BranchPredictor.predictAndTrain: whether the prediction for the branch at `pc` was right. */
export function predict(pc: i32, taken: i32): bool {
  if (predKind == PRED_STATIC) return taken == staticTaken;
  if (predKind == PRED_BIMODAL) return bimodal(pc, taken);
  if (predKind == PRED_LOOP) {
    // LoopPredictor.predictAndTrain
    const i = pc % loopEntries;
    const fb = bimodal(pc, taken);
    const cur = ldI(loopCur, i);
    const pred = ldB(loopConf, i) == 1 ? (cur < ldI(loopTrip, i) ? 1 : 0) : (fb ? taken : 1 - taken);
    if (taken != 0) {
      stI(loopCur, i, cur + 1);
    } else {
      stB(loopConf, i, ldI(loopTrip, i) == cur ? 1 : 0);
      stI(loopTrip, i, cur);
      stI(loopCur, i, 0);
    }
    return pred == taken;
  }
  unreachable(); // wasm-module.ts refuses any other predictor
  return false;
}

/** BimodalPredictor.predictAndTrain on the counters at bimCtr. */
function bimodal(pc: i32, taken: i32): bool {
  const i = pc % bimEntries;
  const c = ldB(bimCtr, i);
  const pred = c >= 2 ? 1 : 0;
  stB(bimCtr, i, taken != 0 ? (c < 3 ? c + 1 : 3) : (c > 0 ? c - 1 : 0));
  return pred == taken;
}
