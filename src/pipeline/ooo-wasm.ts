/**
 * The out-of-order core's cycle loop compiled to WebAssembly: what {@link TimingCore} runs for
 * `model: 'outOfOrder'` by default. src/pipeline/wasm/ooo.as.ts is the out-of-order path of core.ts's
 * `runCycles` with its wake-up, ready queues and memory queue in AssemblyScript; this module lays out one run's
 * arrays in the module's memory (with the memory port's and the branch predictor's parts, see wasm-module.ts's
 * startRun), binds the memory, observer, store buffer and record stream as imports, runs it, and publishes the statistics as core.ts's `finishCycles` does. The JavaScript
 * loop stays (engine `js`) as the reference: test/pipeline/engines.test.ts checks that both give identical
 * statistics and timelines, and test/pipeline/reference.test.ts checks both against the frozen reference core.
 *
 * @module
 */
import { MAX_READS, REG_PP, type StaticInfo, TraceBuffer } from '../isa/trace.js';
import type { RecordSource } from './core.js';
import type { InOrderContext } from './inorder.js';
import { ringSize } from './queues.js';
import { CPI_BASE, CPI_BRANCH, CPI_DEPENDENCY, CPI_FRONTEND, CPI_UNIT0 } from './stats.js';
import { type CoreModule, instantiate, layOut, type RunStart, type ElementSize, withRun } from './wasm-module.js';

/** What src/pipeline/wasm/ooo.as.ts exports besides the common functions. */
interface OooModule extends CoreModule {
  run(): number;
}

/** What {@link runOutOfOrderWasm} needs of its {@link TimingCore}: the in-order core's needs and the idle-cycle switch. */
export interface OutOfOrderContext extends InOrderContext {
  readonly skipIdleCycles: boolean;
}

/** Runs the whole stream through the out-of-order core in WebAssembly and publishes the statistics to `ctx.stats`. */
export function runOutOfOrderWasm(ctx: OutOfOrderContext, s: StaticInfo, next: RecordSource): void {
  withRun(ctx, s, (run) => runLent(ctx, s, next, run));
}

/** {@link runOutOfOrderWasm} while the memory's hit path may be lent (see startRun). */
function runLent(ctx: OutOfOrderContext, s: StaticInfo, next: RecordSource, run: RunStart): void {
  const c = ctx.core, t = ctx.table, st = ctx.stats, obs = ctx.observer;
  const n0 = s.length;
  const { desc, facts, sb, useSb, hasLevels, imports } = run;
  let buf = new TraceBuffer(1); // replaced by one over the module's memory once the layout exists
  const w = instantiate('ooo', {
    ...imports,
    refill: run.guard(() => next(buf)),
  }) as OooModule;

  // ---- the run's arrays, in the module's memory (core.ts setUpCycles) ----
  const cap = c.robSize + c.fetchQueueSize + 1;
  const group = t.unitGroups, G = group.count;
  const rq = ringSize(c.schedulerSize);
  const plan: [string, ElementSize, number][] = [
    ['desc', 4, n0], ['sWrites', 4, n0], ['pcInfo', 1, n0], ['pcNReads', 1, n0], ['pcReads', 4, n0 * MAX_READS], ['pcCount', 8, n0], ['pcGroup', 4, n0],
    ['lat', 4, t.latency.length], ['thr', 4, t.throughput.length], ['uStart', 4, t.unitsStart.length], ['uList', 4, t.unitList.length],
    ['uPool', 4, t.unitPool.length], ['uPipe', 1, t.unitPipelined.length], ['gStart', 4, G], ['gCount', 4, G],
    ['rPc', 4, cap], ['rDesc', 4, cap], ['rAddr', 4, cap], ['rSize', 4, cap], ['rStride', 4, cap], ['rPieces', 4, cap], ['rPiece', 4, cap], ['rMemReady', 8, cap],
    ['rMispredict', 1, cap], ['rIssued', 1, cap], ['rDone', 8, cap], ['rSrc', 8, cap * MAX_READS], ['rSrcSlot', 4, cap * MAX_READS], ['rNSrc', 1, cap],
    ['rFetch', 8, cap], ['rReady', 8, cap], ['rDispatch', 8, cap], ['rIssue', 8, cap], ['producer', 8, REG_PP + 8], ['producerSlot', 4, REG_PP + 8], ['producerIsMem', 1, cap],
    ['rLevel', 1, cap], ['rLevelAcc', 1, cap], ['rSb', 1, cap], ['depHead', 4, cap], ['depNext', 4, cap], ['rSeq', 8, cap], ['rGroup', 4, cap],
    ['unitFree', 8, t.numUnits], ['groupFreeAt', 8, G], ['poolBusy', 8, st.poolBusyAcc.length], ['cpi', 8, st.cpiAcc.length], ['memCpi', 4, st.memoryCpiIndex.length],
    ['heapKeys', 8, c.schedulerSize], ['heapSlots', 4, c.schedulerSize], ['rqKeys', 8, G * rq], ['rqSlots', 4, G * rq], ['rqHead', 4, G], ['rqN', 4, G], ['active', 4, G], ['activePos', 4, G],
    ['memQ', 4, c.lsqSize],
    ['bPc', 4, ctx.batch], ['bAddr', 4, ctx.batch], ['bSize', 4, ctx.batch], ['bStride', 4, ctx.batch], ['bPieces', 4, ctx.batch], ['bTaken', 1, ctx.batch],
  ];
  const L = layOut(w, 'ooo', plan, 23, 3, run.parts);
  L.i32('desc').set(desc);
  L.i32('sWrites').set(s.writes);
  L.u8('pcInfo').set(facts.info);
  L.u8('pcNReads').set(facts.nReads);
  L.i32('pcReads').set(facts.reads);
  const pcGroup = L.i32('pcGroup');
  for (let pc = 0; pc < n0; pc++) pcGroup[pc] = group.ofDescriptor[desc[pc]!]!;
  L.i32('lat').set(t.latency);
  L.i32('thr').set(t.throughput);
  L.i32('uStart').set(t.unitsStart);
  L.i32('uList').set(t.unitList);
  L.i32('uPool').set(t.unitPool);
  L.u8('uPipe').set(t.unitPipelined);
  L.i32('gStart').set(group.unitsStart);
  L.i32('gCount').set(group.unitsCount);
  L.f64('producer').fill(-1);
  L.i32('depHead').fill(-1);
  L.i32('memCpi').set(st.memoryCpiIndex);
  // Records are written straight into the module's memory, where the loop reads them.
  buf = new TraceBuffer(ctx.batch, { pc: L.i32('bPc'), addr: L.i32('bAddr'), size: L.i32('bSize'), stride: L.i32('bStride'), pieces: L.i32('bPieces'), taken: L.u8('bTaken') });
  L.init(
    [
      cap, c.fetchWidth, c.dispatchWidth, c.issueWidth, c.retireWidth, c.fetchQueueSize, c.robSize, c.schedulerSize,
      c.lsqSize, c.physScalarRegs - 32, c.physVectorRegs - 32, c.storeBufferSize, rq,
      hasLevels ? 1 : 0, useSb ? 1 : 0, obs !== undefined ? 1 : 0, ctx.skipIdleCycles ? 1 : 0,
      CPI_BASE, CPI_BRANCH, CPI_DEPENDENCY, CPI_FRONTEND, CPI_UNIT0, st.storeBufferCpi,
    ],
    [c.frontEndStages, c.mispredictPenaltyCycles, ctx.stuckCycles],
  );

  while (w.run() === 0) {
    // run() returns after a bounded number of cycles so that V8 can move it to optimised code (WebAssembly
    // functions change tier between calls, not inside one); the state stays in the module.
  }

  run.end(); // the store buffer is written out through the memory below

  // ---- publish (core.ts finishCycles) ----
  const g = (name: string) => (w[name] as { value: number }).value;
  // Stores still in the buffer are written after the last retirement: their traffic counts, their cycles do not.
  sb.until(Number.POSITIVE_INFINITY);
  const cpi = L.f64('cpi'), poolBusy = L.f64('poolBusy');
  for (let i = 0; i < cpi.length; i++) st.cpiAcc[i] = st.cpiAcc[i]! + cpi[i]! / c.retireWidth;
  for (let i = 0; i < poolBusy.length; i++) st.poolBusyAcc[i] = st.poolBusyAcc[i]! + poolBusy[i]!;
  const regs = st.addRetiredByPc(L.f64('pcCount'), desc, facts);
  st.publish({
    cycles: g('now'), instructions: g('instructions'), ...regs,
    loads: g('loads'), stores: g('stores'), loadBytes: g('loadBytes'), storeBytes: g('storeBytes'),
    memAccesses: g('memAccesses') + sb.accesses, retries: g('memRetries') + sb.retries, memRetryCycles: sb.retryCycles,
    branches: g('branches'), mispredicts: g('mispredicts'), stallRob: g('stallRob'), stallSched: g('stallSched'), stallLsq: g('stallLsq'),
    stallRegs: g('stallRegs'), stallFrontEnd: g('stallFrontEnd'), stallStoreBuffer: g('stallStoreBuffer'),
  });
}
