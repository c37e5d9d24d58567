// Shared helpers: run assembly text through the functional executor and the timing core.
import fc from 'fast-check';
import { INSTR_CLASSES, type InstrClassName } from '../../src/isa/classes.js';
import { assemble } from '../../src/isa/assembler.js';
import { Executor } from '../../src/isa/executor.js';
import { FixedLatencyMemory, type MemoryPort } from '../../src/memory/port.js';
import { StatsRegistry } from '../../src/stats/registry.js';
import { resolveCoreConfig, type CoreConfigInput } from '../../src/pipeline/config.js';
import { simulateTiming, type TimingOptions } from '../../src/pipeline/core.js';
import type { RetireObserver } from '../../src/pipeline/engine.js';
import type { Report } from '../../src/pipeline/report.js';
import type { ReferenceResult } from './reference-model.js';

/** One retired instruction's stage cycles. */
export interface Timeline {
  seq: number;
  pc: number;
  fetch: number;
  dispatch: number;
  issue: number;
  complete: number;
  retire: number;
}

/** A generous core: wide everything, so only what a test sets limits it. */
export const WIDE: CoreConfigInput = {
  fetchWidth: 8,
  dispatchWidth: 8,
  issueWidth: 8,
  retireWidth: 8,
  frontEndStages: 1,
  fetchQueueSize: 64,
  robSize: 256,
  schedulerSize: 128,
  lsqSize: 64,
  physScalarRegs: 512,
  physVectorRegs: 512,
  branchPredictor: { kind: 'static', policy: 'taken' },
};

/** Runs `src` on `core` with memory `mem` (a fixed latency by default); returns the report and timelines. */
export function run(src: string, core: CoreConfigInput, mem: MemoryPort | number = 4): { report: Report; timeline: Timeline[]; stats: StatsRegistry } {
  const prog = assemble(src);
  const exe = new Executor(prog, { memoryBytes: 1 << 16 });
  const timeline: Timeline[] = [];
  const observer: RetireObserver = {
    retired: (seq, pc, fetch, dispatch, issue, complete, retire) => timeline.push({ seq, pc, fetch, dispatch, issue, complete, retire }),
  };
  const stats = new StatsRegistry();
  const memory = typeof mem === 'number' ? new FixedLatencyMemory(mem) : mem;
  const report = simulateTiming(prog.static, (b) => exe.runBatch(b), core, memory, stats, { observer, batch: 7 });
  return { report, timeline, stats };
}

/** Cycles of `src` on `core`. */
export function cyclesOf(src: string, core: CoreConfigInput, mem: MemoryPort | number = 4): number {
  return run(src, core, mem).report.cycles;
}

/**
 * Every way of carrying out a run that must not change its result, by name: each must agree with the reference
 * model (reference-model.ts). Both cores run as WebAssembly; records come in batches (of 4096, or of 7), and
 * the out-of-order core may jump over idle cycles or step through them.
 */
export const ENGINES: Readonly<Record<string, TimingOptions>> = {
  default: {},
  'batches of 7 records': { batch: 7 },
  'no idle-cycle skipping': { skipIdleCycles: false },
};

/**
 * Runs `src` with `options` and a fixed-latency memory and returns what the core gives in the reference
 * model's terms: the timelines, the CPI stack in retire slots (the core publishes slots / retireWidth), the
 * dispatch stalls and the other counters the reference model computes.
 */
export function engineResult(options: TimingOptions, src: string, core: CoreConfigInput, memLatency: number): ReferenceResult {
  const prog = assemble(src);
  const exe = new Executor(prog, { memoryBytes: 1 << 16 });
  const reg = new StatsRegistry();
  const instrs: Timeline[] = [];
  const observer: RetireObserver = { retired: (seq, pc, fetch, dispatch, issue, complete, retire) => instrs.push({ seq, pc, fetch, dispatch, issue, complete, retire }) };
  simulateTiming(prog.static, (b) => exe.runBatch(b), core, new FixedLatencyMemory(memLatency), reg, { ...options, observer });
  const c = resolveCoreConfig(core);
  const get = (name: string) => reg.get(`core.${name}`);
  const cpiSlots: Record<string, number> = {};
  for (const s of reg.list('core.cpiStack')) {
    const name = s.name.slice('core.cpiStack.'.length);
    const slots = s.value * c.retireWidth;
    // The store buffer is outside the reference model's scope: its component is left out while it is 0 (and
    // so fails the comparison if it is not).
    if (name !== 'storeBuffer' || slots !== 0) cpiSlots[name] = Math.abs(slots - Math.round(slots)) < 1e-6 ? Math.round(slots) : slots;
  }
  return {
    cycles: get('cycles'),
    instrs,
    cpiSlots,
    stalls: { frontEnd: get('dispatch.stall.frontEnd'), robFull: get('dispatch.stall.robFull'), schedulerFull: get('dispatch.stall.schedulerFull'), lsqFull: get('dispatch.stall.lsqFull'), registersFull: get('dispatch.stall.registersFull') },
    branches: get('branch.count'),
    mispredicts: get('branch.mispredicts'),
    memAccesses: get('lsu.accesses'),
    poolBusy: Object.fromEntries(c.units.map((u) => [u.name, get(`units.${u.name}.busy`)])),
  };
}

/** `line` repeated n times, one per line. */
export function rep(line: string | ((i: number) => string), n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += (typeof line === 'string' ? line : line(i)) + '\n';
  return s;
}

// ---- random programs and cores for the property tests (reference.test.ts) ----

const reg = (k: number) => k % 6;
const three = (f: (a: number, b: number, c: number) => string) => fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, b, c]) => f(reg(a), reg(b), reg(c)));
const addr = (f: (a: number, b: number) => string) => fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => f(reg(a), b % 64));

/**
 * One line (or a few) of a random loop body, over x1..x6 and v0..v5 so that dependences are frequent: scalar
 * and vector operations of several classes and width keys (w4, w8, w32, f32, pattern, none), loads and
 * stores (strided ones are one access per block, tail ones of 0 bytes none), accumulations (fma, dot products, lane
 * writes to one register), and forward branches taken
 * or not by the data (`beq` on two registers) or every other iteration (`x7`'s parity). `SKIP` is replaced
 * by a label unique to the line.
 */
export const arbTimingLine: fc.Arbitrary<string> = fc.oneof(
  three((a, b, c) => `add x${1 + a}, x${1 + b}, x${1 + c}`),
  three((a, b, c) => `mul x${1 + a}, x${1 + b}, x${1 + c}`),
  three((a, b, c) => `vadd.s8 v${a}, v${b}, v${c}`),
  three((a, b, c) => `vadd.s4 v${a}, v${b}, v${c}`),
  three((a, b, c) => `vadd.f32 v${a}, v${b}, v${c}`),
  three((a, b, c) => `vmul.s8 v${a}, v${b}, v${c}`),
  three((a, b, c) => `vmul.u32 v${a}, v${b}, v${c}`),
  three((a, b, c) => `vfma.f32 v${a}, v${b}, v${c}`),
  three((a, b, c) => `vand v${a}, v${b}, v${c}`),
  three((a, b, c) => `vmdot.pp0 v${a}, v${b}, v${c}, ${(a + b) % 8}`),
  three((a, b, c) => `vdot.s8 v${a}, v${b}, v${c}`),
  // lane writes into one register, two lanes, one written twice, then a read of the whole register
  three((a, b, c) => `vmdot.pp0 v${a}, v${b}, v${c}, 0\nvmdot.pp0 v${a}, v${b}, v${c}, 1\nvmdot.pp0 v${a}, v${c}, v${b}, 0\nvadd.s32 v${b}, v${a}, v${c}`),
  three((a, b, c) => `vfma.f32 v${a}, v${b}, v${c}\nvfma.f32 v${a}, v${b}, v${c}\nvfma.f32 v${c}, v${a}, v${b}`),
  // a whole-register accumulation onto lanes just written
  three((a, b) => `vmdot.pp0 v${a}, v${b}, v${b}, 2\nvmdot.pp0 v${a}, v${b}, v${b}, 3\nvfma.f32 v${a}, v${b}, v${b}`),
  three((a, b) => `vredsum.u8 x${1 + a}, v${b}`),
  addr((a, b) => `vld v${a}, ${32 * b}(x0)`),
  addr((a, b) => `vst v${a}, ${32 * b}(x0)`),
  addr((a, b) => `vlds.u32 v${a}, ${4 * b}(x0), x8`),
  addr((a, b) => `vsts.u32 v${a}, ${4 * b}(x0), x8`),
  addr((a, b) => `lw x${1 + a}, ${4 * b}(x0)`),
  addr((a, b) => `sw x${1 + a}, ${4 * b}(x0)`),
  // a tail access of x7's parity bytes: none (no access at all) every other iteration
  addr((a, b) => `andi x10, x7, 1\nvldt v${a}, ${32 * b}(x0), x10`),
  addr((a, b) => `andi x10, x7, 1\nvstt v${a}, ${32 * b}(x0), x10`),
  fc.constant('setppi pp0, 2'),
  // bursts of independent operations of one class, so that they wait for its units
  three((a, b, c) => `vmul.s8 v${a}, v6, v7\nvmul.s8 v${b}, v6, v7\nvmul.s8 v${c}, v6, v7`),
  three((a, b, c) => `mul x${1 + a}, x8, x8\nmul x${1 + b}, x8, x8\nmul x${1 + c}, x8, x8`),
  three((a, b, c) => `beq x${1 + a}, x${1 + b}, SKIP\nadd x${1 + c}, x${1 + a}, x${1 + b}\nSKIP:`),
  three((a) => `andi x9, x7, 1\nbne x9, x0, SKIP\nvadd.s8 v${a}, v${a}, v${a}\nSKIP:`),
);

/** A loop of 1..6 iterations over up to `maxLines` random lines, with x1..x6 set to small values first. */
export function arbTimingProgram(maxLines = 16): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(arbTimingLine, { minLength: 0, maxLength: maxLines }), fc.integer({ min: 1, max: 6 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 6, maxLength: 6 }))
    .map(([lines, n, init]) => {
      const setup = init.map((v, k) => `li x${k + 1}, ${v}`).join('\n');
      const body = lines.map((l, i) => l.replace(/SKIP/g, `s${i}`)).join('\n');
      return `${setup}\nli x8, 36\nsetppi pp0, 4\nli x7, ${n}\nloop:\n${body}\naddi x7, x7, -1\nbne x7, x0, loop\nhalt`;
    });
}

const TIMED_CLASSES = ['scalar-alu', 'scalar-mul', 'branch', 'scalar-load', 'scalar-store', 'vec-load', 'vec-store', 'vec-logic', 'vec-alu', 'vec-mul', 'vec-mdot', 'vec-dot8', 'vec-fma', 'vec-reduce', 'pattern'] as const;
const arbClassTiming = fc.record(
  {
    latencyCycles: fc.integer({ min: 1, max: 5 }),
    reciprocalThroughputCycles: fc.oneof({ weight: 2, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 4 }) }),
    // read advance of some operand roles (LLVM's ReadAdvance)
    readAdvanceCycles: fc.record({ accumulator: fc.integer({ min: 0, max: 5 }), vs1: fc.integer({ min: 0, max: 2 }), base: fc.integer({ min: 0, max: 2 }) }, { requiredKeys: [] }),
  },
  { requiredKeys: ['latencyCycles', 'reciprocalThroughputCycles'] },
);

/**
 * A small core of either model: widths 1-4, small queues and windows (so that every structural stall
 * happens), 1-4 unit pools of 1-2 units, pipelined or not, each class executed by one or two random pools (so
 * unit groups share units), and random latencies and reciprocal throughputs per class and for some widths.
 */
export const arbSmallCore: fc.Arbitrary<CoreConfigInput> = fc
  .record({
    model: fc.constantFrom('inOrder' as const, 'outOfOrder' as const),
    fetchWidth: fc.integer({ min: 1, max: 4 }),
    dispatchWidth: fc.integer({ min: 1, max: 4 }),
    issueWidth: fc.integer({ min: 1, max: 4 }),
    retireWidth: fc.integer({ min: 1, max: 4 }),
    frontEndStages: fc.integer({ min: 0, max: 4 }),
    fetchQueueSize: fc.integer({ min: 1, max: 8 }),
    robSize: fc.integer({ min: 1, max: 24 }),
    sched: fc.integer({ min: 1, max: 16 }),
    lsq: fc.integer({ min: 1, max: 8 }),
    physScalarRegs: fc.integer({ min: 33, max: 40 }),
    physVectorRegs: fc.integer({ min: 33, max: 40 }),
    mispredictPenaltyCycles: fc.integer({ min: 0, max: 8 }),
    branchPredictor: fc.constantFrom(
      { kind: 'static' as const, policy: 'notTaken' as const },
      { kind: 'static' as const, policy: 'taken' as const },
      { kind: 'bimodal' as const, entries: 1 },
      { kind: 'bimodal' as const, entries: 8 },
      { kind: 'loop' as const, entries: 4, bimodalEntries: 4 },
    ),
    pools: fc.array(fc.record({ count: fc.integer({ min: 1, max: 2 }), pipelined: fc.boolean() }), { minLength: 1, maxLength: 4 }),
    // per class: a pool, and a second pool or none
    poolOf: fc.array(fc.tuple(fc.nat(), fc.option(fc.nat(), { freq: 3 })), { minLength: INSTR_CLASSES.length, maxLength: INSTR_CLASSES.length }),
    timing: fc.array(arbClassTiming, { minLength: TIMED_CLASSES.length, maxLength: TIMED_CLASSES.length }),
    w4: arbClassTiming,
    f32: arbClassTiming,
    forwarding: fc.subarray([
      { from: ['vec-mdot' as const], to: ['vec-mdot' as const], latencyCycles: 1 },
      { from: ['vec-fma' as const, 'vec-dot8' as const], to: ['vec-fma' as const, 'vec-dot8' as const], latencyCycles: 2 },
      { from: ['vec-mul' as const], to: ['vec-mdot' as const, 'vec-fma' as const], latencyCycles: 1 },
      { from: ['vec-mdot' as const], to: ['vec-fma' as const], latencyCycles: 1 },
    ]),
    laneWrites: fc.constantFrom('merge' as const, 'lane' as const),
    lsuBlockBytes: fc.constantFrom(0, 16, 64),
  })
  .map(({ pools, poolOf, timing: perClass, w4, f32, sched, lsq, ...plain }): CoreConfigInput => {
    const units = pools.map((p, i) => ({ name: `p${i}`, count: p.count, pipelined: p.pipelined, classes: [] as InstrClassName[] }));
    INSTR_CLASSES.forEach((cls, c) => {
      const [first, second] = poolOf[c]!;
      units[first % units.length]!.classes.push(cls);
      if (second !== null && second % units.length !== first % units.length) units[second % units.length]!.classes.push(cls);
    });
    const timing: NonNullable<CoreConfigInput['timing']> = Object.fromEntries(TIMED_CLASSES.map((cls, c) => [cls, perClass[c]!]));
    timing['vec-alu'] = { ...timing['vec-alu']!, byWidth: { w4, f32 } };
    return {
      ...plain,
      schedulerSize: Math.min(plain.robSize, sched),
      lsqSize: Math.min(plain.robSize, lsq),
      // pools that execute no class are dropped (the schema requires at least one class per pool)
      units: units.filter((u) => u.classes.length > 0),
      timing,
    };
  });

/**
 * The predictors as src/pipeline/predictor.ts's table states them, written here independently of the module:
 * static: always the policy; bimodal: 2-bit counters per PC mod entries, from 1, predict taken at >= 2; loop: per
 * PC mod entries a trip count (-1 before the first exit), a current count and a confidence (set when an exit
 * comes after the same count as the previous one), a bimodal fallback trained on every branch.
 */
export function referencePredictor(cfg: NonNullable<CoreConfigInput['branchPredictor']>): (pc: number, taken: boolean) => boolean {
  if (cfg.kind === 'static') return (_pc, taken) => taken === (cfg.policy === 'taken');
  const bimodal = (entries: number) => {
    const ctr = new Array<number>(entries).fill(1);
    return (pc: number, taken: boolean) => {
      const i = pc % entries, pred = ctr[i]! >= 2;
      ctr[i] = taken ? Math.min(3, ctr[i]! + 1) : Math.max(0, ctr[i]! - 1);
      return pred === taken;
    };
  };
  if (cfg.kind === 'bimodal') return bimodal(cfg.entries ?? 2048);
  const fb = bimodal(cfg.bimodalEntries ?? 2048), n = cfg.entries ?? 64;
  const trip = new Array<number>(n).fill(-1), cur = new Array<number>(n).fill(0), conf = new Array<boolean>(n).fill(false);
  return (pc, taken) => {
    const i = pc % n, fbRight = fb(pc, taken);
    const pred = conf[i] ? cur[i]! < trip[i]! : fbRight === taken;
    if (taken) cur[i]!++;
    else { conf[i] = trip[i] === cur[i]; trip[i] = cur[i]!; cur[i] = 0; }
    return pred === taken;
  };
}
