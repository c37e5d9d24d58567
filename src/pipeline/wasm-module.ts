/**
 * Loading the cores' WebAssembly modules (src/pipeline/wasm/*.as.ts, compiled by `npm run build:wasm`) and
 * laying out one run's arrays in a module's memory. Each module exports `reset`, `alloc(bytes)`, `init(pointers,
 * integers, cycles)` and the globals `POINTER_COUNT`, `INT_COUNT` and `CYCLE_COUNT`; its `init` reads the
 * arrays' addresses and the settings in the order the caller lists them (src/pipeline/wasm/common.as.ts), and
 * the counts, checked on both sides, guard against the lists drifting apart. `startRun` gives both cores
 * their per-run facts and the imports they share.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { StaticInfo } from '../isa/trace.js';
import { programFacts, type ProgramFacts } from './descriptors.js';
import { type InOrderContext, stuckError } from './inorder.js';
import { StoreDrain } from './store-buffer.js';

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
  for (const [what, name, n] of [['array addresses', 'POINTER_COUNT', plan.length], ['integer settings', 'INT_COUNT', nIntegers], ['cycle settings', 'CYCLE_COUNT', nCycles]] as const) {
    const expected = (w[name] as { value: number }).value;
    if (n !== expected) throw new Error(`${module}.wasm reads ${expected} ${what}, its caller passes ${n}: rebuild it (npm run build:wasm) or align the two lists`);
  }
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

/** What both WebAssembly cores start a run with: see {@link startRun}. */
export interface RunStart {
  readonly desc: Uint16Array;
  readonly facts: ProgramFacts;
  readonly sb: StoreDrain;
  readonly useSb: boolean;
  readonly hasLevels: boolean;
  /** The memory port, branch predictor, observer, the store buffer's common calls and the stuck-run error. */
  readonly imports: Imports;
  /** Where the access import writes the level that served each access, once the layout exists. */
  bindLevelSlot(slot: Int32Array): void;
}

/**
 * The per-run facts and imports both core modules take. The served level of an access is written into the
 * module's memory rather than asked for by a second call across the boundary.
 */
export function startRun(ctx: InOrderContext, s: StaticInfo): RunStart {
  const c = ctx.core, mem = ctx.memory, pred = ctx.predictor, obs = ctx.observer;
  const sb = new StoreDrain(mem, Math.max(1, c.storeBufferSize), ctx.stuckCycles);
  let levelSlot: Int32Array = new Int32Array(1);
  const imports: Imports = {
    access:
      mem.levelNames !== undefined
        ? (addr, size, kind, cycle, pc) => {
            const r = mem.access(addr, size, kind, cycle, pc);
            levelSlot[0] = mem.lastLevel!;
            return r;
          }
        : (addr, size, kind, cycle, pc) => mem.access(addr, size, kind, cycle, pc),
    predict: (pc, taken) => (pred.predictAndTrain(pc, taken === 1) ? 1 : 0),
    observe: (seq, pc, f, d, i, done, r) => obs!.retired(seq, pc, f, d, i, done, r),
    sbAdd: (addr, bytes, stride, pieces, pc, retire) => sb.add(addr, bytes, stride, pieces, pc, retire),
    sbUntil: (limit) => {
      sb.until(limit);
      return sb.pending;
    },
    sbNoteRetry: (cycle) => sb.noteRetry(cycle),
    stuck: (cycle, retired, pc) => {
      throw stuckError(ctx.stuckCycles, cycle, retired, pc);
    },
  };
  return {
    desc: ctx.table.indexProgram(s),
    facts: programFacts(s),
    sb,
    useSb: c.storeBufferSize > 0,
    hasLevels: mem.levelNames !== undefined,
    imports,
    bindLevelSlot: (slot) => (levelSlot = slot),
  };
}
