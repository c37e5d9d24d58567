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
