// What every part of the cores' WebAssembly modules shares: array access through pointers into linear memory,
// the bump allocation the loader lays a run out with (src/pipeline/wasm/loader.ts), and reading a run's
// settings in the order the manifest declares them (the generated init_<part> functions call these).
// AssemblyScript, not TypeScript: tsc and typedoc skip `*.as.ts`.

/** Element `i` of an array at `p`: f64, i32 or u8. One load or store, no bounds or type checks. */
@inline export function ldF(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline export function stF(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline export function ldI(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
@inline export function stI(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }
@inline export function ldB(p: usize, i: i32): i32 { return <i32>load<u8>(p + <usize>i); }
@inline export function stB(p: usize, i: i32, v: i32): void { store<u8>(p + <usize>i, <u8>v); }
@inline export function addF(p: usize, i: i32, v: f64): void { stF(p, i, ldF(p, i) + v); }

export const INF: f64 = Infinity;

// ---- bump allocation of a run's arrays (the loader asks for them once per run) ----
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

// ---- reading a run's settings (generated/*.as.ts init_<part>) ----
/** Called when an array's tag is not the one the manifest expects there: the loader throws, naming both. */
@external("env", "badLayout")
declare function badLayout(expected: i32, found: i32): void;
let cursor: usize = 0;
/** Starts reading settings at `a`. */
export function readFrom(a: usize): void { cursor = a; }
/** The next array address; the loader writes each array's tag in the 4 bytes 8 before it. */
export function nextArray(tag: i32): usize {
  const p = load<usize>(cursor);
  cursor += 4;
  const found = load<i32>(p - 8);
  if (found != tag) badLayout(tag, found);
  return p;
}
/** The next integer setting. */
export function nextInt(): i32 { const v = load<i32>(cursor); cursor += 4; return v; }
/** The next cycle-valued setting. */
export function nextCycle(): f64 { const v = load<f64>(cursor); cursor += 8; return v; }
