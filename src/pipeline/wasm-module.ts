/**
 * Loading the cores' WebAssembly modules (src/pipeline/wasm/*.as.ts, compiled by `npm run build:wasm`) and
 * laying out one run's arrays in a module's memory. Each module exports `reset`, `alloc(bytes)`, `init(pointers,
 * integers, cycles)` and the globals `POINTER_COUNT`, `INT_COUNT` and `CYCLE_COUNT`; its `init` reads the
 * arrays' addresses and the settings in the order the caller lists them (src/pipeline/wasm/common.as.ts), and
 * the counts, checked on both sides, guard against the lists drifting apart. The memory port's and the branch
 * predictor's parts (`initMemory`, `MEM_*_COUNT`; `initPredictor`, `PRED_*_COUNT`) are laid out and checked the
 * same way. `startRun` gives both cores their per-run facts, the imports they share, the memory port's mode
 * and the predictor's.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { StaticInfo } from '../isa/trace.js';
import { programFacts, type ProgramFacts } from './descriptors.js';
import { type InOrderContext, stuckError } from './inorder.js';
import { HIT_BLOCK, type HitPathArrays, HitPathLoan } from '../memory/hit-path.js';
import { MemoryHierarchy } from '../memory/hierarchy.js';
import { FixedLatencyMemory } from '../memory/port.js';
import { BimodalPredictor, type BranchPredictor, LoopPredictor, StaticPredictor } from './predictor.js';
import { StoreDrain } from './store-buffer.js';

/** The hit path's arrays in the order common.as.ts `initMemory` reads them (HitPathLoan.arrays lists the same). */
const HIT_ARRAY_NAMES = HitPathLoan.arrayNames;

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
  /** Starts the other parts (see {@link ModulePart}), then passes the arrays' addresses (in plan order) and the settings to the module's `init`. */
  init(integers: readonly number[], cycles: readonly number[]): void;
}

/** [name, element size, length] of each array, in the order a module's init reads their addresses. */
export type Plan = readonly (readonly [string, ElementSize, number])[];

/**
 * A part of a run beside the core's own arrays, read by an init function of its own (common.as.ts
 * `initMemory`, `initPredictor`) and counted by globals of its own: its arrays, its settings, and what to do
 * once the arrays exist.
 */
export interface ModulePart {
  /** What it is, in error messages. */
  readonly what: string;
  /** The module's function that reads it. */
  readonly init: string;
  /** The module's globals that count the addresses, integers and cycle values it reads. */
  readonly counts: readonly [string, string, string];
  readonly plan: Plan;
  readonly integers: readonly number[];
  readonly cycles: readonly number[];
  /** Called with the laid-out arrays before the init function. */
  start(get: (name: string) => Float64Array | Int32Array | Uint8Array): void;
}

/**
 * Allocates the arrays of `plan` ([name, element size, length], in the order the module's `init` reads them)
 * and of the other `parts` in `w`'s memory and returns views of them. Every allocation comes before the views:
 * growing the memory detaches the views made before.
 */
export function layOut(w: CoreModule, module: string, plan: Plan, nIntegers: number, nCycles: number, parts: readonly ModulePart[]): Layout {
  const all: { readonly what: string; readonly init: string; readonly counts: readonly string[]; readonly plan: Plan; readonly nIntegers: number; readonly nCycles: number }[] = [
    { what: module, init: 'init', counts: ['POINTER_COUNT', 'INT_COUNT', 'CYCLE_COUNT'], plan, nIntegers, nCycles },
    ...parts.map((p) => ({ what: `${module} ${p.what}`, init: p.init, counts: p.counts, plan: p.plan, nIntegers: p.integers.length, nCycles: p.cycles.length })),
  ];
  for (const p of all) {
    const counts = [['array addresses', p.plan.length], ['integer settings', p.nIntegers], ['cycle settings', p.nCycles]] as const;
    counts.forEach(([what, n], k) => {
      const expected = (w[p.counts[k]!] as { value: number } | undefined)?.value;
      if (n !== expected) throw new Error(`${module}.wasm reads ${expected} ${what} for the ${p.what}, its caller passes ${n}: rebuild it (npm run build:wasm) or align the two lists`);
    });
  }
  w.reset();
  const at = all.map((p) => p.plan.map(([, size, n]) => w.alloc(Math.max(1, size * n))));
  const blocks = all.map((p) => [w.alloc(4 * p.plan.length), w.alloc(4 * p.nIntegers), w.alloc(8 * p.nCycles)] as const);
  const buffer = w.memory.buffer;
  const views = all.map((p, i) => {
    const v = new Map<string, Float64Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>>();
    p.plan.forEach(([name, size, n], k) => v.set(name, size === 8 ? new Float64Array(buffer, at[i]![k], n) : size === 4 ? new Int32Array(buffer, at[i]![k], n) : new Uint8Array(buffer, at[i]![k], n)));
    new Int32Array(buffer, blocks[i]![0], p.plan.length).set(at[i]!);
    return (name: string) => {
      const x = v.get(name);
      if (x === undefined) throw new Error(`no array '${name}' in the ${p.what} layout`);
      return x;
    };
  });
  const settle = (i: number, integers: readonly number[], cycles: readonly number[]) => {
    const p = all[i]!, [pa, na, xa] = blocks[i]!;
    if (integers.length !== p.nIntegers || cycles.length !== p.nCycles) throw new Error(`${p.what}: init takes ${p.nIntegers} integers and ${p.nCycles} cycle values`);
    new Int32Array(buffer, na, p.nIntegers).set(integers);
    new Float64Array(buffer, xa, p.nCycles).set(cycles);
    (w[p.init] as (a: number, n: number, x: number) => void)(pa, na, xa);
  };
  const get = views[0]!;
  return {
    f64: (name) => get(name) as Float64Array<ArrayBuffer>,
    i32: (name) => get(name) as Int32Array<ArrayBuffer>,
    u8: (name) => get(name) as Uint8Array<ArrayBuffer>,
    init(integers, cycles) {
      parts.forEach((p, k) => {
        p.start(views[k + 1]!);
        settle(k + 1, p.integers, p.cycles);
      });
      settle(0, integers, cycles);
    },
  };
}

/**
 * The predictor's part of a run (common.as.ts `initPredictor`). The module trains the predictor itself (those of
 * predictor.ts are the only ones a core builds), on a copy of its state that `end` writes back, so that the
 * next run of the same core starts where this one left off. (Asked across the boundary on every branch, it
 * cost 3-4% of a run.)
 */
function predictorPart(pred: BranchPredictor): { readonly part: ModulePart; end(): void } {
  const kind = pred.constructor === StaticPredictor ? PRED_STATIC : pred.constructor === BimodalPredictor ? PRED_BIMODAL : pred.constructor === LoopPredictor ? PRED_LOOP : 0;
  if (kind === 0) throw new Error(`the WebAssembly cores train the predictors of predictor.ts only, not a ${pred.constructor.name}: use engine 'js'`);
  const loop = kind === PRED_LOOP ? (pred as LoopPredictor) : null;
  const bim = kind === PRED_BIMODAL ? (pred as BimodalPredictor) : loop?.fallback ?? null;
  let views: { ctr: Uint8Array; trip: Int32Array; current: Int32Array; confident: Uint8Array } | null = null;
  return {
    part: {
      what: 'branch predictor',
      init: 'initPredictor',
      counts: ['PRED_POINTER_COUNT', 'PRED_INT_COUNT', 'PRED_CYCLE_COUNT'],
      plan: [['ctr', 1, bim?.ctr.length ?? 0], ['trip', 4, loop?.trip.length ?? 0], ['current', 4, loop?.current.length ?? 0], ['confident', 1, loop?.confident.length ?? 0]],
      integers: [kind, kind === PRED_STATIC && (pred as StaticPredictor).predictTaken ? 1 : 0, bim?.entries ?? 1, loop?.entries ?? 1],
      cycles: [],
      start(get) {
        const v = { ctr: get('ctr') as Uint8Array, trip: get('trip') as Int32Array, current: get('current') as Int32Array, confident: get('confident') as Uint8Array };
        if (bim !== null) v.ctr.set(bim.ctr);
        if (loop !== null) v.trip.set(loop.trip), v.current.set(loop.current), v.confident.set(loop.confident);
        views = v;
      },
    },
    end() {
      if (views === null) return;
      if (bim !== null) bim.ctr.set(views.ctr);
      if (loop !== null) loop.trip.set(views.trip), loop.current.set(views.current), loop.confident.set(views.confident);
      views = null;
    },
  };
}

/** common.as.ts PRED_*: which predictor the module trains. */
const PRED_STATIC = 1, PRED_BIMODAL = 2, PRED_LOOP = 3;

/** What both WebAssembly cores start a run with: see {@link startRun}. */
export interface RunStart {
  readonly desc: Uint16Array;
  readonly facts: ProgramFacts;
  readonly sb: StoreDrain;
  readonly useSb: boolean;
  readonly hasLevels: boolean;
  /** The memory port, observer, the store buffer's common calls and the stuck-run error. */
  readonly imports: Imports;
  /** The memory port's and the branch predictor's arrays and settings, for {@link layOut}. */
  readonly parts: readonly ModulePart[];
  /** Wraps JavaScript the module calls that may reach the memory hierarchy (see {@link startRun}). */
  guard<A extends number[], R>(f: (...args: A) => R): (...args: A) => R;
  /**
   * Gives a lent hit path back to the hierarchy and the trained state back to the predictor: before JavaScript
   * uses the memory again, and in any case (idempotent).
   */
  end(): void;
}

/** common.as.ts MEM_*: how the module answers an access. */
const MEM_JS = 0, MEM_FIXED = 1, MEM_HITS = 2;

/**
 * The per-run facts and imports both core modules take, the predictor's part (see predictorPart), and the
 * memory port's mode. The module answers a
 * {@link FixedLatencyMemory} itself (MEM_FIXED); from a {@link MemoryHierarchy} it borrows the first level's
 * hit path when the hierarchy lends it (MEM_HITS, see src/memory/hit-path.ts), taking plain hits itself and
 * asking the hierarchy for the rest; any other memory is asked every time (MEM_JS). While the hit path is lent,
 * all JavaScript the module calls that may reach the hierarchy (the access, the store buffer's writes, the
 * observer, the record source) first puts the borrowed scalars and counts back into it and takes the scalars
 * again after (`guard`). The served level of an access is written into the module's memory rather than asked for by a
 * second call across the boundary. Call it through {@link withRun}, which ends the loan whatever happens.
 */
export function startRun(ctx: InOrderContext, s: StaticInfo): RunStart {
  const c = ctx.core, mem = ctx.memory, pred = ctx.predictor, obs = ctx.observer;
  const sb = new StoreDrain(mem, Math.max(1, c.storeBufferSize), ctx.stuckCycles);
  // before the loan: whatever throws from here on is inside withRun
  const desc = ctx.table.indexProgram(s), facts = programFacts(s), predictor = predictorPart(pred);
  const fixed = mem.constructor === FixedLatencyMemory; // not a subclass: it may answer otherwise
  const loan = mem instanceof MemoryHierarchy ? mem.lendHitPath() : null;
  // Fixed parameters rather than a rest parameter: no array per call (the module's imports take at most seven
  // numbers, and a function given more arguments than it declares ignores them).
  const guard = <A extends number[], R>(f: (...args: A) => R): ((...args: A) => R) => {
    if (loan === null) return f;
    const g = f as unknown as (a: number, b: number, c: number, d: number, e: number, x: number, y: number) => R;
    return ((a: number, b: number, c: number, d: number, e: number, x: number, y: number) => {
      loan.toLevel();
      try {
        return g(a, b, c, d, e, x, y);
      } finally {
        loan.toBlock();
      }
    }) as unknown as (...args: A) => R;
  };
  let levelSlot: Int32Array = new Int32Array(1);
  const hasLevels = mem.levelNames !== undefined;
  const access = guard(
    hasLevels
      ? (addr: number, size: number, kind: number, cycle: number, pc: number) => {
          const r = mem.access(addr, size, kind, cycle, pc);
          levelSlot[0] = mem.lastLevel!;
          return r;
        }
      : (addr: number, size: number, kind: number, cycle: number, pc: number) => mem.access(addr, size, kind, cycle, pc),
  );
  const imports: Imports = {
    access,
    observe: guard((seq, pc, f, d, i, done, r) => obs!.retired(seq, pc, f, d, i, done, r)),
    // adding a store and counting a refused cycle do not reach the memory: not guarded
    sbAdd: (addr, bytes, stride, pieces, pc, retire) => sb.add(addr, bytes, stride, pieces, pc, retire),
    sbUntil: guard((limit) => {
      sb.until(limit);
      return sb.pending;
    }),
    sbNoteRetry: (cycle) => sb.noteRetry(cycle),
    stuck: (cycle, retired, pc) => {
      throw stuckError(ctx.stuckCycles, cycle, retired, pc);
    },
  };
  const g = loan?.geometry;
  const port: ModulePart = {
    what: 'memory port',
    init: 'initMemory',
    counts: ['MEM_POINTER_COUNT', 'MEM_INT_COUNT', 'MEM_CYCLE_COUNT'],
    plan: [...(loan?.arrays ?? HIT_ARRAY_NAMES.map((n) => [n, 1, 0] as const)), ['hitBlock', 8, HIT_BLOCK.length], ['levelSlot', 4, 1]],
    integers: [loan !== null ? MEM_HITS : fixed ? MEM_FIXED : MEM_JS, g?.ways ?? 0, g?.setMask ?? 0, g?.shadow === true ? 1 : 0, g?.shadowBits ?? 0],
    cycles: [fixed ? (mem as FixedLatencyMemory).latencyCycles : 0, g?.lineBytes ?? 0, g?.ports ?? 0, g?.hitLatency ?? 0],
    start(get) {
      levelSlot = get('levelSlot') as Int32Array;
      if (loan === null) return;
      const a = Object.fromEntries(HIT_ARRAY_NAMES.map((n) => [n, get(n)])) as unknown as HitPathArrays;
      loan.begin(a, get('hitBlock') as Float64Array);
    },
  };
  return {
    desc,
    facts,
    sb,
    useSb: c.storeBufferSize > 0,
    hasLevels,
    imports,
    parts: [port, predictor.part],
    guard,
    end: () => {
      predictor.end();
      loan?.end();
    },
  };
}

/** Starts a run ({@link startRun}), gives it to `body`, and ends it (the lent hit path goes back) whatever happens. */
export function withRun(ctx: InOrderContext, s: StaticInfo, body: (run: RunStart) => void): void {
  const run = startRun(ctx, s);
  try {
    body(run);
  } finally {
    run.end();
  }
}
