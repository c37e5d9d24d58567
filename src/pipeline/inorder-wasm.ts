/**
 * The in-order core's loop compiled to WebAssembly: what {@link TimingCore} runs for `model: 'inOrder'` by
 * default. src/pipeline/wasm/inorder.as.ts is src/pipeline/inorder.ts's `runBatch` and CPI accounting in
 * AssemblyScript; this module lays out one run's arrays in the WebAssembly module's memory (with the parts
 * wasm-module.ts's startRun gives: the memory port's and the branch predictor's), binds the memory, observer
 * and store buffer as imports, feeds it the records, and settles the run with
 * inorder.ts's own `finishInOrder`. The JavaScript loop stays (engine `js`), and with the cycle-by-cycle core
 * (engine `cycle`) it is the reference: test/pipeline/engines.test.ts checks that all three give identical
 * statistics and timelines on random programs, cores and memories.
 *
 * Why: the same loop runs about 1.5 times as fast in WebAssembly (an array access there is one load, without
 * the map, length and base-pointer checks V8 makes on a typed array); see docs/pipeline.md#speed.
 *
 * @module
 */
import { MAX_READS, REG_PP, type StaticInfo, TraceBuffer } from '../isa/trace.js';
import type { RecordSource } from './core.js';
import { type InOrderContext, fillPerPc, finishInOrder, initRing, RECORD_SIZE, ringLength } from './inorder.js';
import { ringSize } from './queues.js';
import { CPI_BASE, CPI_BRANCH, CPI_DEPENDENCY, CPI_FRONTEND, CPI_UNIT0 } from './stats.js';
import { type CoreModule, instantiate, layOut, type RunStart, type ElementSize, withRun } from './wasm-module.js';

/** What src/pipeline/wasm/inorder.as.ts exports besides the common functions. */
interface InOrderModule extends CoreModule {
  runBatch(n: number): void;
  account(i: number): void;
  finishAccounting(cycles: number, retired: number, nCpi: number): void;
}

/** Runs the whole stream through the in-order core in WebAssembly and publishes the statistics to `ctx.stats`. */
export function runInOrderWasm(ctx: InOrderContext, s: StaticInfo, next: RecordSource): void {
  withRun(ctx, s, (run) => runLent(ctx, s, next, run));
}

/** {@link runInOrderWasm} while the memory's hit path may be lent (see startRun). */
function runLent(ctx: InOrderContext, s: StaticInfo, next: RecordSource, run: RunStart): void {
  const c = ctx.core, t = ctx.table, st = ctx.stats, obs = ctx.observer;
  const n0 = s.length;
  const { desc, facts, sb, useSb, hasLevels, imports } = run;
  const w = instantiate('inorder', { ...imports, sbFreedAt: run.guard((idx) => sb.freedAt(idx)) }) as InOrderModule;

  // ---- the run's arrays, in the module's memory ----
  const fw = c.fetchWidth, dw = c.dispatchWidth, iw = c.issueWidth, rw = c.retireWidth;
  const fq = c.fetchQueueSize, rob = c.robSize, sch = c.schedulerSize, lsq = c.lsqSize;
  const xFree = c.physScalarRegs - 32, vFree = c.physVectorRegs - 32;
  const P = ringLength(c);
  const lsqP = ringSize(lsq), xP = ringSize(xFree), vP = ringSize(vFree);
  const batch = ctx.batch;
  const nCpi = st.cpiAcc.length;
  // Every allocation first, then the views: a view is invalidated when the memory grows.
  const plan: [string, ElementSize, number][] = [
    ['pcInfo', 1, n0], ['pcNReads', 4, n0], ['pcReads', 4, n0 * MAX_READS], ['pcWrite', 4, n0], ['desc', 4, n0],
    ['pcLat', 8, n0], ['pcUnits', 4, n0], ['pcUnit', 4, n0], ['pcPool', 4, n0], ['pcOcc', 8, n0],
    ['thr', 4, t.throughput.length], ['uStart', 4, t.unitsStart.length], ['uList', 4, t.unitList.length], ['uPool', 4, t.unitPool.length], ['uPipe', 1, t.unitPipelined.length],
    ['rg', 8, P * RECORD_SIZE], ['regVis', 8, REG_PP + 8], ['unitFree', 8, t.numUnits], ['poolBusy', 8, st.poolBusyAcc.length], ['pcCount', 8, n0],
    ['lsqRet', 8, lsqP], ['xRet', 8, xP], ['vRet', 8, vP], ['mqSeq', 8, P], ['mqF', 8, P], ['mqRE', 8, P],
    ['cpi', 8, nCpi], ['memCpi', 4, st.memoryCpiIndex.length],
    ['bPc', 4, batch], ['bAddr', 4, batch], ['bSize', 4, batch], ['bStride', 4, batch], ['bPieces', 4, batch], ['bTaken', 1, batch],
  ];
  const L = layOut(w, 'inorder', plan, 24, 4, run.parts);
  const f64 = L.f64, i32 = L.i32, u8 = L.u8;

  u8('pcInfo').set(facts.info);
  i32('pcNReads').set(facts.nReads);
  i32('pcReads').set(facts.reads);
  i32('pcWrite').set(s.writes);
  i32('desc').set(desc);
  fillPerPc(t, desc, f64('pcLat'), i32('pcUnits'), i32('pcUnit'), i32('pcPool'), f64('pcOcc'));
  i32('thr').set(t.throughput);
  i32('uStart').set(t.unitsStart);
  i32('uList').set(t.unitList);
  i32('uPool').set(t.unitPool);
  u8('uPipe').set(t.unitPipelined);
  const rg = f64('rg');
  initRing(rg);
  i32('memCpi').set(st.memoryCpiIndex);
  L.init(
    [
      fw, dw, iw, rw, fq, rob, sch, lsq, xFree, vFree, c.storeBufferSize, P - 1, lsqP - 1, xP - 1, vP - 1,
      hasLevels ? 1 : 0, useSb ? 1 : 0, obs !== undefined ? 1 : 0,
      CPI_BASE, CPI_BRANCH, CPI_DEPENDENCY, CPI_FRONTEND, CPI_UNIT0, st.storeBufferCpi,
    ],
    [c.frontEndStages, c.frontEndStages > 1 ? c.frontEndStages : 1, c.mispredictPenaltyCycles, ctx.stuckCycles],
  );

  // ---- the stream: records are written straight into the module's memory ----
  const buf = new TraceBuffer(batch, { pc: i32('bPc'), addr: i32('bAddr'), size: i32('bSize'), stride: i32('bStride'), pieces: i32('bPieces'), taken: u8('bTaken') });
  const fill = run.guard(() => next(buf));
  for (let n = fill(); n > 0; n = fill()) w.runBatch(n);
  run.end(); // the end of the run writes the store buffer out through the memory

  // ---- settle, with the JavaScript core's own end of run ----
  const g = (name: string) => (w[name] as { value: number }).value;
  const cpi = f64('cpi'), poolBusy = f64('poolBusy');
  finishInOrder(
    {
      st, desc, facts, fw, fq, PM: P - 1, rg, useSb, sb, pcCount: f64('pcCount'),
      acct: {
        account: (i: number) => w.account(i),
        finish: (cycles: number, retired: number) => {
          w.finishAccounting(cycles, retired, nCpi);
          for (let i = 0; i < nCpi; i++) st.cpiAcc[i] = st.cpiAcc[i]! + cpi[i]!;
          for (let i = 0; i < poolBusy.length; i++) st.poolBusyAcc[i] = st.poolBusyAcc[i]! + poolBusy[i]!;
        },
      },
    },
    {
      loads: g('loads'), stores: g('stores'), loadBytes: g('loadBytes'), storeBytes: g('storeBytes'), memAccesses: g('memAccesses'),
      retries: g('retries'), branches: g('branches'), mispredicts: g('mispredicts'), stallRob: g('stallRob'), stallSched: g('stallSched'),
      stallLsq: g('stallLsq'), stallRegs: g('stallRegs'), stallFrontEnd: g('stallFrontEnd'), stallStoreBuffer: g('stallStoreBuffer'),
      lastF: g('lastF'), lastD: g('lastD'), lastR: g('lastR'), lastMisp: g('lastMisp') !== 0, lastResume: g('lastResume'), j: g('j'), accounted: g('accounted'),
    },
  );
}
