/**
 * Loading the cores' WebAssembly modules (src/pipeline/wasm/*.as.ts, compiled by `npm run build:wasm`) and
 * laying out one run's arrays in a module's memory. Each module exports `reset`, `alloc(bytes)`, `init(pointers,
 * integers, cycles)` and a `POINTER_COUNT` global; its `init` reads the arrays' addresses in the order the
 * caller's plan lists them, and the count guards against the two lists drifting apart.
 *
 * @module
 */
import { readFileSync } from 'node:fs';

/**
 * The part of the WebAssembly JavaScript API used here. Node has it; this project's type libraries (ES2023,
 * @types/node 20) do not declare it, and a global declaration would leak into users' types.
 */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, (...args: number[]) => unknown>>) => { readonly exports: unknown };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** What every core module exports; its own functions and globals (read through `value`) come on top. */
export interface CoreModule {
  readonly memory: { readonly buffer: ArrayBuffer };
  reset(): void;
  alloc(bytes: number): number;
  init(pointers: number, integers: number, cycles: number): void;
  readonly [name: string]: unknown;
}

/** The functions a module imports (all in its `env`). */
export type Imports = Record<string, (...args: number[]) => unknown>;

const compiled = new Map<string, object>();

/** A new instance of `src/pipeline/wasm/<name>.wasm` (from dist/ when built); each run gets its own memory. */
export function instantiate(name: string, imports: Imports): CoreModule {
  let mod = compiled.get(name);
  if (mod === undefined) {
    const url = new URL(`./wasm/${name}.wasm`, import.meta.url);
    let bytes: Buffer;
    try {
      bytes = readFileSync(url);
    } catch (e) {
      throw new Error(`the core's WebAssembly module is missing (${url.pathname}): run 'npm run build:wasm' (${(e as Error).message})`);
    }
    mod = new WA.Module(bytes);
    compiled.set(name, mod);
  }
  return new WA.Instance(mod, { env: imports }).exports as CoreModule;
}

/** Element size in bytes of an array in a {@link Layout}: 1 (Uint8), 4 (Int32) or 8 (Float64). */
export type ElementSize = 1 | 4 | 8;

/** One run's arrays in a module's memory, by name. */
export interface Layout {
  f64(name: string): Float64Array<ArrayBuffer>;
  i32(name: string): Int32Array<ArrayBuffer>;
  u8(name: string): Uint8Array<ArrayBuffer>;
  /** Passes the arrays' addresses (in plan order) and the settings to the module's `init`. */
  init(integers: readonly number[], cycles: readonly number[]): void;
}

/**
 * Allocates the arrays of `plan` ([name, element size, length], in the order the module's `init` reads them)
 * in `w`'s memory and returns views of them. Every allocation comes before the views: growing the memory
 * detaches the views made before.
 */
export function layOut(w: CoreModule, module: string, plan: readonly (readonly [string, ElementSize, number])[], nIntegers: number, nCycles: number): Layout {
  const expected = (w['POINTER_COUNT'] as { value: number }).value;
  if (plan.length !== expected) throw new Error(`${module}.wasm reads ${expected} array pointers, its caller lays out ${plan.length}: rebuild it (npm run build:wasm) or align the two lists`);
  w.reset();
  const at = plan.map(([, size, n]) => w.alloc(Math.max(1, size * n)));
  const pa = w.alloc(4 * plan.length), na = w.alloc(4 * nIntegers), xa = w.alloc(8 * nCycles);
  const buffer = w.memory.buffer;
  const views = new Map<string, Float64Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>>();
  plan.forEach(([name, size, n], k) => views.set(name, size === 8 ? new Float64Array(buffer, at[k], n) : size === 4 ? new Int32Array(buffer, at[k], n) : new Uint8Array(buffer, at[k], n)));
  new Int32Array(buffer, pa, plan.length).set(at);
  const get = (name: string) => {
    const v = views.get(name);
    if (v === undefined) throw new Error(`no array '${name}' in the ${module} layout`);
    return v;
  };
  return {
    f64: (name) => get(name) as Float64Array<ArrayBuffer>,
    i32: (name) => get(name) as Int32Array<ArrayBuffer>,
    u8: (name) => get(name) as Uint8Array<ArrayBuffer>,
    init(integers, cycles) {
      if (integers.length !== nIntegers || cycles.length !== nCycles) throw new Error(`${module}: init takes ${nIntegers} integers and ${nCycles} cycle values`);
      new Int32Array(buffer, na, nIntegers).set(integers);
      new Float64Array(buffer, xa, nCycles).set(cycles);
      w.init(pa, na, xa);
    },
  };
}
