// The memory port inside the cores' modules: `access` answers MemoryPort.access. The loader chooses the mode per
// run from what the memory port offers (src/pipeline/engine.ts): MEM_FIXED, a fixed latency, answered here;
// MEM_HITS, the first level lent its hit path (src/memory/hit-path.ts): the plain hits are taken here on the
// level's own state, everything else goes to the hierarchy; MEM_JS, every access goes to the JavaScript port.
//
// The plain-hit path is the one fast path of the hierarchy's first level. The hierarchy (src/memory/hierarchy.ts,
// `access` -> lineAccessAt -> hit) is the general rule and the reference it is tested against: property tests
// (test/pipeline/memory-port.test.ts) check that every statistic and the caches' contents come out the same
// with the hit path lent and with the hierarchy answering every access.
import { addF, ldB, ldF, ldI, stB, stF, stI } from './common.as';
import { ACCESS_READ, ACCESS_WRITE, B_CLOCK, B_HEAD, B_LAST, B_LEVEL, B_PORT_CYCLE, B_PORT_USED, B_READ_BITS, B_READS, B_TAIL, B_WRITE_BITS, EMPTY_LINE, MEM_FIXED, MEM_HITS } from './generated/constants.as';
import { dirty, fixedLatency, hitBlock, hitLatency, levelSlot, lineBytes, memMode, ports, readyAt, setMask, shadow, shadowBits, shadowKeys, shadowNext, shadowPrev, shadowSlots, stamps, tags, ways } from './generated/memory.as';

@external("env", "access")
declare function memAccess(addr: f64, size: i32, kind: i32, cycle: f64, pc: i32): f64;

/** Index of the level that served the last accepted access (MemoryHierarchy.lastLevel). */
@inline export function servedLevel(): i32 { return load<i32>(levelSlot); }

/** MemoryPort.access: the cycle the access is done, or RETRY. */
export function access(addr: f64, size: i32, kind: i32, cycle: f64, pc: i32): f64 {
  if (memMode == MEM_FIXED) return cycle + fixedLatency;
  if (memMode == MEM_HITS && (kind == ACCESS_READ || kind == ACCESS_WRITE)) {
    const r = plainHit(addr, size, kind, cycle);
    if (r >= 0) return r;
  }
  return memAccess(addr, size, kind, cycle, pc);
}

/**
 * A demand read or write within one line that hits a settled line while a port is free, with the 3C shadow
 * holding the line too (a level that lends is LRU, write-back, not exclusive, without a prefetcher: see
 * MemoryHierarchy.fastPath): its port use, counts, LRU stamp, dirty bit and shadow order, then the cycle the
 * data is ready. Anything else returns -1 having changed nothing, and the hierarchy decides.
 */
@inline function plainHit(addr: f64, size: i32, kind: i32, cycle: f64): f64 {
  const portCycle = ldF(hitBlock, B_PORT_CYCLE), portUsed = ldF(hitBlock, B_PORT_USED);
  const fresh = cycle > portCycle;
  if (!fresh && portUsed >= ports) return -1;
  const line = Math.floor(addr / lineBytes);
  if (addr - line * lineBytes + <f64>size > lineBytes) return -1;
  // Cache.find (ToInt32 of the line keeps its low 32 bits, as the i64 conversion does)
  const base = (<i32><i64>line & setMask) * ways;
  let slot = -1;
  for (let s = base, e = base + ways; s < e; s++) {
    if (ldF(tags, s) == line) { slot = s; break; }
  }
  if (slot < 0 || ldF(readyAt, slot) > cycle) return -1;
  // MissClassifier.reference(line, false, true, true) of an LRU shadow: a repeat of the last line changes
  // nothing; a shadow miss would replace a shadow line, which is left to the hierarchy
  const repeat = shadow == 0 || line == ldF(hitBlock, B_LAST);
  let sh = -1;
  if (!repeat) {
    sh = shadowFind(line);
    if (sh < 0) return -1;
  }
  if (fresh) { stF(hitBlock, B_PORT_CYCLE, cycle); stF(hitBlock, B_PORT_USED, 1); }
  else stF(hitBlock, B_PORT_USED, portUsed + 1);
  addF(hitBlock, B_READS + kind, 1);
  if (!repeat) {
    shadowToFront(sh);
    stF(hitBlock, B_LAST, line);
  }
  const clock = ldF(hitBlock, B_CLOCK) + 1;
  stF(hitBlock, B_CLOCK, clock);
  stF(stamps, slot, clock);
  const bits = <f64>(((size + 7) >> 3) * 64);
  if (kind == ACCESS_WRITE) {
    addF(hitBlock, B_WRITE_BITS, bits);
    stB(dirty, slot, 1);
  } else {
    addF(hitBlock, B_READ_BITS, bits);
  }
  stF(hitBlock, B_LEVEL, 0);
  store<i32>(levelSlot, 0);
  return cycle + hitLatency;
}

/** LineMap.get of the shadow (line-index.ts hashLine, then linear probing). */
function shadowFind(line: f64): i32 {
  const l = <u64>line;
  const lo = <u32>l, hi = <u32>(l >> 32);
  const mask = (1 << shadowBits) - 1;
  let i = <i32>(((lo ^ (hi * <u32>0x85ebca6b)) * <u32>0x9e3779b1) >> <u32>(32 - shadowBits));
  let k = ldF(shadowKeys, i);
  while (k != line) {
    if (k == EMPTY_LINE) return -1;
    i = (i + 1) & mask;
    k = ldF(shadowKeys, i);
  }
  return ldI(shadowSlots, i);
}

/** MissClassifier.moveToFront (unlink, then pushFront). */
function shadowToFront(s: i32): void {
  let head = <i32>ldF(hitBlock, B_HEAD), tail = <i32>ldF(hitBlock, B_TAIL);
  if (s == head) return;
  const p = ldI(shadowPrev, s), n = ldI(shadowNext, s);
  if (p >= 0) stI(shadowNext, p, n);
  else head = n;
  if (n >= 0) stI(shadowPrev, n, p);
  else tail = p;
  stI(shadowPrev, s, -1);
  stI(shadowNext, s, head);
  if (head >= 0) stI(shadowPrev, head, s);
  head = s; // the list held s and another line, so tail >= 0: pushFront's empty-list case cannot arise
  stF(hitBlock, B_HEAD, <f64>head);
  stF(hitBlock, B_TAIL, <f64>tail);
}
