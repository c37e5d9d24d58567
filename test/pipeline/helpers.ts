// Shared helpers: run assembly text through the functional executor and the timing core.
import { assemble } from '../../src/isa/assembler.js';
import { Executor } from '../../src/isa/executor.js';
import { FixedLatencyMemory, type MemoryPort } from '../../src/memory/port.js';
import { StatsRegistry } from '../../src/stats/registry.js';
import type { CoreConfigInput } from '../../src/pipeline/config.js';
import { simulateTiming } from '../../src/pipeline/core.js';
import type { RetireObserver } from '../../src/pipeline/engine.js';
import type { Report } from '../../src/pipeline/report.js';

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

/** `line` repeated n times, one per line. */
export function rep(line: string | ((i: number) => string), n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += (typeof line === 'string' ? line : line(i)) + '\n';
  return s;
}

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

