/**
 * Loading the cores' WebAssembly modules (src/pipeline/wasm/*.as.ts, compiled by `npm run build:wasm`) and laying
 * out one run in a module's memory from the manifest (manifest.ts), which is the only list of what the two sides
 * exchange:
 *
 * - on load, the module's constants and the hash of the manifest it was built from are compared with this
 *   side's: a module built from another manifest, or a constant that differs, is refused with its name;
 * - each array is allocated with its tag (its part and position in the manifest) in the 8 bytes before it, and
 *   the module's generated `init_<part>` checks every tag as it reads the addresses: an array passed in the wrong
 *   place is refused, naming both arrays;
 * - arrays, settings and counters are asked for by name, and the names are types derived from the manifest.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import {
  arrayTag, type ArrayName, CONSTANTS, type CycleName, type ElementType, type IntName, manifestHash, MODULES, type ModuleName, type OutputName, PART_IDS, type PartName, PARTS,
} from './manifest.js';

/**
 * The part of the WebAssembly JavaScript API used here. Node has it; this project's type libraries (ES2023,
 * @types/node 20) do not declare it, and a global declaration would leak into users' types.
 */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, (...args: number[]) => unknown>>) => { readonly exports: unknown };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** What every core module exports (see inorder.as.ts, ooo.as.ts). */
export interface CoreModule {
  readonly memory: { readonly buffer: ArrayBuffer };
  reset(): void;
  alloc(bytes: number): number;
  constantValue(i: number): number;
  manifestHash(): number;
  /** Starts a run once every part is initialised. */
  start(): void;
  /** Runs a bounded amount of work; 1 when the run is over. */
  run(): number;
  /** Ends the run (cycle count, CPI stack in cycles). */
  finish(): void;
  readonly [name: string]: unknown;
}

/** The functions a module imports (all in its `env`). */
export type Imports = Record<string, (...args: number[]) => unknown>;

const compiled = new Map<string, object>();

/** The compiled module `name`, checked against the manifest once per process. */
function compiledModule(name: ModuleName): object {
  let mod = compiled.get(name);
  if (mod !== undefined) return mod;
  const url = new URL(`./${name}.wasm`, import.meta.url);
  let bytes: Buffer;
  try {
    bytes = readFileSync(url);
  } catch (e) {
    throw new Error(`the core's WebAssembly module is missing (${url.pathname}): run 'npm run build:wasm' (${(e as Error).message})`);
  }
  mod = new WA.Module(bytes);
  const probe = new WA.Instance(mod, { env: new Proxy({}, { get: () => () => 0 }) as Imports }).exports as CoreModule;
  checkConstants(name, probe);
  compiled.set(name, mod);
  return mod;
}

/** Throws unless module `name` was built from this manifest and exports the same constants. */
export function checkConstants(name: string, w: Pick<CoreModule, 'manifestHash' | 'constantValue'>, expected = CONSTANTS, hash = manifestHash()): void {
  if (w.manifestHash() !== hash) throw new Error(`${name}.wasm was built from another interface manifest (src/pipeline/wasm/manifest.ts): rebuild it with 'npm run build:wasm'`);
  Object.entries(expected).forEach(([k, [, v]], i) => {
    const got = w.constantValue(i);
    if (got !== v) throw new Error(`${name}.wasm has constant ${k} = ${got}, TypeScript has ${v}: rebuild it with 'npm run build:wasm'`);
  });
}

/** Name of the array with tag `tag` (for errors). */
function tagName(tag: number): string {
  const part = (Object.keys(PART_IDS) as PartName[]).find((p) => PART_IDS[p] === tag >> 8);
  const name = part === undefined ? undefined : Object.keys(PARTS[part].arrays)[tag & 255];
  return name === undefined ? `an untagged array (tag ${tag})` : `'${name}' of the ${part} part`;
}

/** A new instance of module `name`; each run gets its own (and so its own memory). */
export function instantiate(name: ModuleName, imports: Imports): CoreModule {
  const env: Imports = {
    ...imports,
    badLayout: (expected: number, found: number) => {
      throw new Error(`${name}.wasm: array ${tagName(expected)} was expected where ${tagName(found)} was given`);
    },
  };
  return new WA.Instance(compiledModule(name), { env }).exports as CoreModule;
}

/** The typed array of an element type. */
export type ViewOf<T> = T extends 'f64' ? Float64Array<ArrayBuffer> : T extends 'i32' ? Int32Array<ArrayBuffer> : Uint8Array<ArrayBuffer>;
/** What a run gives one part: each array's length and each setting's value, by name. */
export interface PartInput<P extends PartName> {
  readonly lengths: Readonly<Record<ArrayName<P>, number>>;
  readonly ints: Readonly<Record<IntName<P>, number>>;
  readonly cycles: Readonly<Record<CycleName<P>, number>>;
}
/** The parts of module `M`. */
export type PartsOf<M extends ModuleName> = (typeof MODULES)[M][number];

/** One run laid out in a module's memory. */
export interface RunLayout<M extends ModuleName> {
  /** A view of array `name` of `part`. */
  array<P extends PartsOf<M>, A extends ArrayName<P>>(part: P, name: A): ViewOf<(typeof PARTS)[P]['arrays'][A]>;
  /** Passes every part's addresses and settings to the module (its init_<part>), then starts the run. */
  start(): void;
  /** The counters of `part` once the run has finished. */
  outputs<P extends PartsOf<M>>(part: P): Record<OutputName<P>, number>;
}

/** Test hook: swap the addresses of two arrays of one part as they are passed to the module. */
export interface LayoutFault {
  readonly part: PartName;
  readonly swap: readonly [string, string];
}

/**
 * Allocates every part's arrays in `w`'s memory (each with its tag before it) and returns views of them. Every
 * allocation comes before the views: growing the memory detaches the views made before.
 */
export function layOut<M extends ModuleName>(w: CoreModule, module: M, input: { readonly [P in PartsOf<M>]: PartInput<P> }, fault?: LayoutFault): RunLayout<M> {
  const parts = MODULES[module] as readonly PartsOf<M>[];
  w.reset();
  const at = new Map<PartName, number[]>();
  for (const p of parts) {
    const spec = PARTS[p].arrays as Record<string, ElementType>;
    const lengths = input[p].lengths as Record<string, number>;
    at.set(p, Object.keys(spec).map((name, k) => {
      const n = lengths[name]!;
      if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`${module}: array '${name}' of the ${p} part needs a length >= 0, got ${n}`);
      const base = w.alloc(8 + Math.max(1, BYTES[spec[name]!] * n));
      const tagged = new Int32Array(w.memory.buffer, base, 2);
      tagged[0] = arrayTag(p, k);
      tagged[1] = n;
      return base + 8;
    }));
  }
  const blocks = new Map(parts.map((p) => [p, [w.alloc(4 * Object.keys(PARTS[p].arrays).length), w.alloc(4 * PARTS[p].ints.length), w.alloc(8 * PARTS[p].cycles.length), w.alloc(8 * Object.keys(PARTS[p].outputs).length)] as const]));
  const buffer = w.memory.buffer;
  const views = new Map<string, Float64Array | Int32Array | Uint8Array>();
  for (const p of parts) {
    const spec = PARTS[p].arrays as Record<string, ElementType>;
    Object.keys(spec).forEach((name, k) => {
      const n = (input[p].lengths as Record<string, number>)[name]!, addr = at.get(p)![k]!, t = spec[name]!;
      views.set(`${p}.${name}`, t === 'f64' ? new Float64Array(buffer, addr, n) : t === 'i32' ? new Int32Array(buffer, addr, n) : new Uint8Array(buffer, addr, n));
    });
  }
  return {
    array: (part, name) => views.get(`${part}.${name}`) as never,
    start() {
      for (const p of parts) {
        const [a, n, x] = blocks.get(p)!;
        const spec = PARTS[p];
        const addrs = [...at.get(p)!];
        if (fault?.part === p) {
          const [i, j] = fault.swap.map((s) => Object.keys(spec.arrays).indexOf(s));
          [addrs[i!], addrs[j!]] = [addrs[j!]!, addrs[i!]!];
        }
        new Int32Array(buffer, a, addrs.length).set(addrs);
        new Int32Array(buffer, n, spec.ints.length).set(spec.ints.map((k) => (input[p].ints as Record<string, number>)[k]!));
        new Float64Array(buffer, x, spec.cycles.length).set(spec.cycles.map((k) => (input[p].cycles as Record<string, number>)[k]!));
        (w[`init_${p}`] as (a: number, n: number, x: number) => void)(a, n, x);
      }
      w.start();
    },
    outputs(part) {
      const names = Object.keys(PARTS[part].outputs);
      const o = blocks.get(part)![3];
      if (names.length > 0) (w[`outputs_${part}`] as (o: number) => void)(o);
      const vals = new Float64Array(buffer, o, names.length);
      return Object.fromEntries(names.map((k, i) => [k, vals[i]!])) as never;
    },
  };
}

const BYTES: Readonly<Record<ElementType, number>> = { f64: 8, i32: 4, u8: 1 };
