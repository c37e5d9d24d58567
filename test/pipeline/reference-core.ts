// REFERENCE ONLY: the timing core as it was before the scheduler optimisations (main @ d4acad3), kept
// verbatim apart from import paths and names, so test/pipeline/reference.test.ts can check that the
// optimised src/pipeline/core.ts gives identical statistics and timelines. Do not optimise this file.
/**
 * The cycle-approximate core: consumes the functional executor's dynamic records and decides, cycle by cycle,
 * when each instruction is fetched, dispatched, issued, completed and retired.
 *
 * Each cycle visits the stages back to front, so what a later stage frees is seen by an earlier one in the
 * same cycle (as in llvm-mca, gem5's Minor and uiCA):
 *
 * | order | stage | does |
 * |---:|---|---|
 * | 1 | retire | up to retireWidth completed instructions leave the ROB head, in order |
 * | 2 | issue | oldest-first scan of the scheduler: operands ready and a unit free -> issue (in-order: stop at the first that cannot) |
 * | 3 | memory | issued loads/stores start their accesses in order; RETRY leaves them waiting (a memory stall) |
 * | 4 | dispatch | up to dispatchWidth instructions from the fetch queue into ROB, scheduler, LSQ, physical registers |
 * | 5 | fetch | up to fetchWidth records from the stream, predicting branches; stops after a mispredict |
 *
 * An instruction dispatched in cycle t issues at t+1 at the earliest; issued at t with latency L its result
 * is ready at t+L, when dependants may issue and it may retire. A load issued at t asks the memory at t and
 * is ready at (memory's answer) + L. A run's cycle count is the index of the last cycle plus one.
 *
 * In-flight instructions live in one ring of typed arrays (slot = sequence number modulo its capacity);
 * the per-cycle loop allocates nothing and touches no strings.
 *
 * @module
 */
import { CLASS_ID } from '../../src/isa/classes.js';
import { MAX_READS, MEM_LOAD, MEM_NONE, REG_PP, REG_V, TraceBuffer, type StaticInfo } from '../../src/isa/trace.js';
import { ACCESS_READ, ACCESS_WRITE, RETRY, type MemoryPort } from '../../src/memory/port.js';
import type { StatsRegistry } from '../../src/stats/registry.js';
import { resolveCoreConfig, type CoreConfig, type CoreConfigInput } from '../../src/pipeline/config.js';
import { DescriptorTable } from '../../src/pipeline/descriptors.js';
import { referencePredictor } from './helpers.js';
import { CoreStats, CPI_BASE, CPI_BRANCH, CPI_DEPENDENCY, CPI_FRONTEND, CPI_MEMORY, CPI_UNIT0 } from '../../src/pipeline/stats.js';
import { Report } from '../../src/pipeline/report.js';

const INF = Number.POSITIVE_INFINITY;

/** Receives the timeline of each retired instruction (for pipeline-trace export); optional. */
export interface RetireObserver {
  /** Called once per retired instruction, in program order, with the cycle of each stage. */
  retired(seq: number, pc: number, fetch: number, dispatch: number, issue: number, complete: number, retire: number): void;
}

/** Options of a {@link TimingCore}. */
export interface TimingOptions {
  /** Prefix of every statistic name (default `core`). */
  readonly prefix?: string;
  /** Records per batch asked of the stream (default 4096). */
  readonly batch?: number;
  /** Sees every retired instruction's timeline (slows the run; default none). */
  readonly observer?: RetireObserver;
  /**
   * Jump over cycles in which no stage can act (default true). The result is identical either way (tested);
   * false only exists to show that.
   */
  readonly skipIdleCycles?: boolean;
}

/** Returns the next batch of records in `buf` and their count (0 at the end), like `Executor.runBatch`. */
export type RecordSource = (buf: TraceBuffer) => number;

/**
 * One simulated core attached to one memory port and one statistics registry. Build it, call
 * {@link TimingCore.run} once with a program's static facts and its record stream, read the {@link Report}.
 */
export class ReferenceTimingCore {
  /** The resolved configuration. */
  readonly core: CoreConfig;
  /** The descriptor table (shared if one was passed in). */
  readonly table: DescriptorTable;
  /** The statistics this core writes. */
  readonly stats: CoreStats;
  private readonly predictor: { predictAndTrain(pc: number, taken: boolean): boolean };

  constructor(
    core: CoreConfig | CoreConfigInput,
    private readonly memory: MemoryPort,
    registry: StatsRegistry,
    private readonly options: TimingOptions = {},
    table?: DescriptorTable,
  ) {
    // Always validated (cheap, once per core): a frozen object is not proof that it was resolved.
    this.core = resolveCoreConfig(core as CoreConfigInput);
    this.table = table ?? new DescriptorTable(this.core);
    this.stats = new CoreStats(registry, options.prefix ?? 'core', this.table.poolNames, this.table.poolCount);
    this.predictor = { predictAndTrain: referencePredictor(this.core.branchPredictor) };
  }

  /** Runs the whole stream through the core and returns the report. */
  run(s: StaticInfo, next: RecordSource): Report {
    const c = this.core;
    const t = this.table;
    const st = this.stats;
    const mem = this.memory;
    const pred = this.predictor;
    const obs = this.options.observer;
    const skipIdle = this.options.skipIdleCycles ?? true;
    const inOrder = c.model === 'inOrder';

    // Imported constants copied to locals: module bindings may be getters (tsx, bundlers) in the hot loop.
    const kMAX_READS = MAX_READS, kMEM_LOAD = MEM_LOAD, kMEM_NONE = MEM_NONE, kREG_PP = REG_PP, kREG_V = REG_V, kACCESS_READ = ACCESS_READ, kACCESS_WRITE = ACCESS_WRITE, kRETRY = RETRY, kCPI_BASE = CPI_BASE, kCPI_BRANCH = CPI_BRANCH, kCPI_DEPENDENCY = CPI_DEPENDENCY, kCPI_FRONTEND = CPI_FRONTEND, kCPI_MEMORY = CPI_MEMORY, kCPI_UNIT0 = CPI_UNIT0;
    // ---- per-program static facts (once per run) ----
    const desc = t.indexProgram(s);
    const sReads = s.reads;
    const sWrites = s.writes;
    const sMem = s.mem;
    const isBranch = new Uint8Array(s.length);
    const branchCls = CLASS_ID.branch;
    const pcXReads = new Uint8Array(s.length);
    const pcVReads = new Uint8Array(s.length);
    for (let pc = 0; pc < s.length; pc++) {
      isBranch[pc] = s.cls[pc] === branchCls ? 1 : 0;
      for (let k = 0; k < kMAX_READS; k++) {
        const r = sReads[pc * kMAX_READS + k]!;
        if (r >= 0 && r < kREG_V) pcXReads[pc]++;
        else if (r >= kREG_V && r < kREG_PP) pcVReads[pc]++;
      }
    }
    const lat = t.latency;
    const thr = t.throughput;
    const uStart = t.unitsStart;
    const uCount = t.unitsCount;
    const uList = t.unitList;
    const uPool = t.unitPool;
    const uPipe = t.unitPipelined;

    // ---- the ring of in-flight instructions ----
    const cap = c.robSize + c.fetchQueueSize + 1;
    const rPc = new Int32Array(cap);
    const rDesc = new Uint16Array(cap);
    const rAddr = new Int32Array(cap);
    const rSize = new Int32Array(cap);
    const rStride = new Int32Array(cap);
    const rPieces = new Int32Array(cap);
    const rPiece = new Int32Array(cap); // pieces started so far
    const rMemReady = new Float64Array(cap);
    const rMispredict = new Uint8Array(cap);
    const rIssued = new Uint8Array(cap);
    const rBlockedPool = new Int32Array(cap);
    const rDone = new Float64Array(cap);
    const rSrc = new Float64Array(cap * kMAX_READS); // producer sequence numbers (-1: none)
    const rSrcSlot = new Int32Array(cap * kMAX_READS); // producer ring slots
    const rWake = new Float64Array(cap); // cycle all operands are ready, once every producer's is known (-1: not yet)
    const rFetch = new Float64Array(cap);
    const rReady = new Float64Array(cap); // earliest dispatch cycle
    const rDispatch = new Float64Array(cap);
    const rIssue = new Float64Array(cap);
    const producer = new Float64Array(kREG_PP + 8).fill(-1);
    const producerSlot = new Int32Array(kREG_PP + 8);
    const producerIsMem = new Uint8Array(cap);

    const sched = new Int32Array(c.schedulerSize); // ring slots, oldest first
    const schedDesc = new Uint16Array(c.schedulerSize); // their descriptors (saves a dependent load in the scan)
    let schedN = 0;
    const memQ = new Int32Array(c.lsqSize); // ring slots, oldest first
    let memQN = 0;
    const unitFree = new Float64Array(t.numUnits);
    // Per descriptor: the earliest cycle one of its units frees, learnt when all were found busy (a memo that
    // lets the scan skip instructions waiting for the same busy units).
    const descFreeAt = new Float64Array(lat.length);

    // Stat accumulators (published to the registry at the end).
    const cpi = st.cpiAcc;
    const poolBusy = st.poolBusyAcc;
    const ops = st.opsAcc;
    let xReads = 0, vReads = 0, xWrites = 0, vWrites = 0;
    let loads = 0, stores = 0, loadBytes = 0, storeBytes = 0, memAccesses = 0, retries = 0, memRetryCycles = 0;
    let branches = 0, mispredicts = 0;
    let stallRob = 0, stallSched = 0, stallLsq = 0, stallRegs = 0, stallFrontEnd = 0;

    const fetchWidth = c.fetchWidth, dispatchWidth = c.dispatchWidth, issueWidth = c.issueWidth, retireWidth = c.retireWidth;
    const feStages = c.frontEndStages, fqSize = c.fetchQueueSize, robSize = c.robSize, schedSize = c.schedulerSize;
    const lsqSize = c.lsqSize, penalty = c.mispredictPenaltyCycles;
    const xFree = c.physScalarRegs - 32, vFree = c.physVectorRegs - 32;

    const buf = new TraceBuffer(this.options.batch ?? 4096);
    const bPc = buf.pc, bAddr = buf.addr, bSize = buf.size, bStride = buf.stride, bPieces = buf.pieces, bTaken = buf.taken;
    let bufN = 0, bufPos = 0, streamDone = false;

    let now = 0;
    let headSeq = 0; // oldest in ROB
    let dispSeq = 0; // next to dispatch (= ROB tail)
    let fetchSeq = 0; // next to fetch
    let headSlot = 0, dispSlot = 0, fetchSlot = 0; // their ring slots
    let lsqN = 0, xInFlight = 0, vInFlight = 0;
    let fetchResumeAt = 0; // fetch waits until this cycle (INF while a mispredicted branch is unresolved)
    let redirectEnd = 0; // until this cycle an empty window is charged to the mispredict (resume + refill)
    let instructions = 0;

    for (;;) {
      // ---------------- 1. retire ----------------
      let retired = 0;
      while (retired < retireWidth && headSeq < dispSeq) {
        const slot = headSlot;
        if (rIssued[slot] === 0 || rDone[slot]! > now) break;
        const pc = rPc[slot]!;
        ops[desc[pc]!]++;
        xReads += pcXReads[pc]!;
        vReads += pcVReads[pc]!;
        const w = sWrites[pc]!;
        if (w >= 0 && w < kREG_V) { xWrites++; xInFlight--; }
        else if (w >= kREG_V && w < kREG_PP) { vWrites++; vInFlight--; }
        if (sMem[pc] !== kMEM_NONE) lsqN--;
        if (obs !== undefined) obs.retired(headSeq, pc, rFetch[slot]!, rDispatch[slot]!, rIssue[slot]!, rDone[slot]!, now);
        headSeq++;
        if (++headSlot === cap) headSlot = 0;
        retired++;
      }
      instructions += retired;

      // ---------------- 2. issue ----------------
      // Oldest first. A unit is looked for first (cheap, and most waiting instructions wait for one), then
      // operands: rWake caches the cycle all operands are ready once every producer's completion is known.
      let issued = 0;
      let j = 0;
      for (let i = 0; i < schedN; i++) {
        const slot = sched[i]!;
        const d = schedDesc[i]!;
        if (issued === issueWidth) {
          // Issue width used up: keep the rest as they are.
          sched.copyWithin(j, i, schedN);
          schedDesc.copyWithin(j, i, schedN);
          j += schedN - i;
          break;
        }
        let go = true;
        {
          let unit = -1;
          const u0 = uStart[d]!;
          if (descFreeAt[d]! <= now) {
            const un = uCount[d]!;
            let soonest = INF;
            for (let k = 0; k < un; k++) {
              const u = uList[u0 + k]!;
              const f = unitFree[u]!;
              if (f <= now) { unit = u; break; }
              if (f < soonest) soonest = f;
            }
            if (unit < 0) descFreeAt[d] = soonest;
          }
          if (unit < 0) {
            go = false; // rBlockedPool[slot] (set at dispatch) names the pool for the CPI stack
          } else {
            let wake = rWake[slot]!;
            if (wake < 0) {
              wake = 0;
              const base = slot * kMAX_READS;
              for (let k = 0; k < kMAX_READS; k++) {
                if (rSrc[base + k]! < headSeq) continue; // none, or retired
                const dn = rDone[rSrcSlot[base + k]!]!;
                if (dn === INF) { wake = -1; break; }
                if (dn > wake) wake = dn;
              }
              rWake[slot] = wake;
            }
            if (wake < 0 || wake > now) {
              go = false;
            } else {
              const l = lat[d]!;
              const occ = uPipe[unit] === 1 ? thr[d]! : (l > thr[d]! ? l : thr[d]!);
              unitFree[unit] = now + occ;
              poolBusy[uPool[unit]!] += occ;
              rIssued[slot] = 1;
              rIssue[slot] = now;
              if (producerIsMem[slot] === 1) {
                rDone[slot] = INF;
                rPiece[slot] = 0;
                rMemReady[slot] = now;
                memQ[memQN++] = slot;
              } else {
                rDone[slot] = now + l;
                if (rMispredict[slot] === 1) {
                  fetchResumeAt = now + l + penalty;
                  redirectEnd = fetchResumeAt + feStages + 1;
                }
              }
              issued++;
              continue; // not kept in the scheduler
            }
          }
        }
        sched[j] = slot;
        schedDesc[j++] = d;
        if (!go && inOrder) {
          // In order: nothing younger may pass; keep the rest as they are.
          sched.copyWithin(j, i + 1, schedN);
          schedDesc.copyWithin(j, i + 1, schedN);
          j += schedN - i - 1;
          break;
        }
      }
      schedN = j;

      // ---------------- 3. memory ----------------
      if (memQN > 0) {
        let m = 0;
        let blocked = false;
        for (let i = 0; i < memQN; i++) {
          const slot = memQ[i]!;
          if (!blocked) {
            const pc = rPc[slot]!;
            const kind = sMem[pc] === kMEM_LOAD ? kACCESS_READ : kACCESS_WRITE;
            const n = rPieces[slot]!;
            let k = rPiece[slot]!;
            let ready = rMemReady[slot]!;
            while (k < n) {
              const r = mem.access(rAddr[slot]! + k * rStride[slot]!, rSize[slot]!, kind, now, pc);
              if (r === kRETRY) { retries++; blocked = true; break; }
              memAccesses++;
              if (r > ready) ready = r;
              k++;
            }
            rPiece[slot] = k;
            rMemReady[slot] = ready;
            if (k === n) {
              rDone[slot] = ready + lat[desc[pc]!]!;
              continue;
            }
          }
          memQ[m++] = slot;
        }
        memQN = m;
        if (blocked) memRetryCycles++;
      }

      // ---------------- 4. dispatch ----------------
      let dispatched = 0;
      let stallKind = 0; // which dispatch-stall counter this cycle bumped (for idle-cycle skipping)
      while (dispatched < dispatchWidth) {
        if (dispSeq === fetchSeq || rReady[dispSlot]! > now) { if (dispatched === 0) { stallFrontEnd++; stallKind = 1; } break; }
        if (dispSeq - headSeq >= robSize) { if (dispatched === 0) { stallRob++; stallKind = 2; } break; }
        if (schedN >= schedSize) { if (dispatched === 0) { stallSched++; stallKind = 3; } break; }
        const slot = dispSlot;
        const pc = rPc[slot]!;
        const isMem = sMem[pc] !== kMEM_NONE;
        if (isMem && lsqN >= lsqSize) { if (dispatched === 0) { stallLsq++; stallKind = 4; } break; }
        const w = sWrites[pc]!;
        const wx = w >= 0 && w < kREG_V, wv = w >= kREG_V && w < kREG_PP;
        if ((wx && xInFlight >= xFree) || (wv && vInFlight >= vFree)) { if (dispatched === 0) { stallRegs++; stallKind = 5; } break; }
        const base = pc * kMAX_READS, rbase = slot * kMAX_READS;
        for (let k = 0; k < kMAX_READS; k++) {
          const r = sReads[base + k]!;
          if (r < 0) { rSrc[rbase + k] = -1; continue; }
          rSrc[rbase + k] = producer[r]!;
          rSrcSlot[rbase + k] = producerSlot[r]!;
        }
        if (w >= 0) { producer[w] = dispSeq; producerSlot[w] = slot; }
        if (wx) xInFlight++;
        if (wv) vInFlight++;
        if (isMem) lsqN++;
        producerIsMem[slot] = isMem && rSize[slot] !== 0 ? 1 : 0;
        rIssued[slot] = 0;
        rDone[slot] = INF;
        rWake[slot] = -1;
        rDispatch[slot] = now;
        rBlockedPool[slot] = uPool[uList[uStart[desc[pc]!]!]!]!; // the first pool that could take it
        rDesc[slot] = desc[pc]!;
        schedDesc[schedN] = desc[pc]!;
        sched[schedN++] = slot;
        dispSeq++;
        if (++dispSlot === cap) dispSlot = 0;
        dispatched++;
      }

      // ---------------- 5. fetch ----------------
      let fetched = 0;
      if (fetchResumeAt <= now) {
        fetched = 0;
        while (fetched < fetchWidth && fetchSeq - dispSeq < fqSize) {
          if (bufPos >= bufN) {
            if (streamDone) break;
            bufN = next(buf);
            bufPos = 0;
            if (bufN === 0) { streamDone = true; break; }
          }
          const slot = fetchSlot;
          const pc = bPc[bufPos]!;
          rPc[slot] = pc;
          const size = bSize[bufPos]!;
          rSize[slot] = size;
          if (size !== 0) {
            rAddr[slot] = bAddr[bufPos]!;
            rStride[slot] = bStride[bufPos]!;
            const pieces = bPieces[bufPos]!;
            rPieces[slot] = pieces;
            if (sMem[pc] === kMEM_LOAD) { loads++; loadBytes += size * pieces; } else { stores++; storeBytes += size * pieces; }
          }
          rFetch[slot] = now;
          rReady[slot] = now + feStages;
          rMispredict[slot] = 0;
          fetchSeq++;
          if (++fetchSlot === cap) fetchSlot = 0;
          fetched++;
          if (isBranch[pc] === 1) {
            branches++;
            const ok = pred.predictAndTrain(pc, bTaken[bufPos] === 1);
            bufPos++;
            if (!ok) {
              mispredicts++;
              rMispredict[slot] = 1;
              fetchResumeAt = INF;
              redirectEnd = INF;
              break;
            }
          } else {
            bufPos++;
          }
        }
      }

      // CPI stack, at the end of the cycle: retired slots are base; lost slots go to the reason the ROB head
      // (after this cycle's issue) is not complete.
      if (retired === retireWidth) {
        cpi[kCPI_BASE]++;
      } else {
        const frac = retired / retireWidth;
        cpi[kCPI_BASE] += frac;
        let reason: number;
        if (headSeq === dispSeq) {
          reason = now < redirectEnd ? kCPI_BRANCH : kCPI_FRONTEND;
        } else {
          const slot = headSlot;
          if (rIssued[slot] === 1) {
            reason = producerIsMem[slot] === 1 ? kCPI_MEMORY : kCPI_DEPENDENCY;
          } else if (rDispatch[slot]! >= now) {
            reason = kCPI_FRONTEND;
          } else {
            reason = kCPI_UNIT0 + rBlockedPool[slot]!;
            const base = slot * kMAX_READS;
            for (let k = 0; k < kMAX_READS; k++) {
              if (rSrc[base + k]! < headSeq) continue;
              const ps = rSrcSlot[base + k]!;
              if (rDone[ps]! > now) { reason = producerIsMem[ps] === 1 ? kCPI_MEMORY : kCPI_DEPENDENCY; break; }
            }
          }
        }
        cpi[reason] += 1 - frac;

        // Idle-cycle skipping: when no stage acted this cycle, nothing changes until the next event (a
        // result completing, a unit freeing, an instruction reaching dispatch, fetch resuming), so the
        // cycles in between repeat this one's accounting and are added in one step.
        if (skipIdle && retired === 0 && issued === 0 && dispatched === 0 && fetched === 0 && memQN === 0) {
          let nextEv = INF;
          if (headSeq !== dispSeq && rIssued[headSlot] === 1) nextEv = rDone[headSlot]!;
          // In order only the oldest waiting instruction can issue next; out of order any can. Stop as soon
          // as some event is at most one cycle away: then there is nothing to skip.
          const scan = inOrder && schedN > 0 ? 1 : schedN;
          for (let i = 0; i < scan && nextEv > now + 1; i++) {
            const sl = sched[i]!;
            const d = rDesc[sl]!;
            let ev = 0;
            const base = sl * kMAX_READS;
            for (let k = 0; k < kMAX_READS; k++) {
              if (rSrc[base + k]! < headSeq) continue;
              const dn = rDone[rSrcSlot[base + k]!]!;
              if (dn > ev) ev = dn; // INF: waits for an unissued producer, whose own event comes first
            }
            let uf = INF;
            const u0 = uStart[d]!, un = uCount[d]!;
            for (let k = 0; k < un; k++) { const f = unitFree[uList[u0 + k]!]!; if (f < uf) uf = f; }
            if (uf > ev) ev = uf;
            if (ev < nextEv) nextEv = ev;
          }
          if (dispSeq !== fetchSeq && rReady[dispSlot]! > now && rReady[dispSlot]! < nextEv) nextEv = rReady[dispSlot]!;
          if (fetchResumeAt > now && fetchResumeAt < nextEv) nextEv = fetchResumeAt;
          if (redirectEnd > now + 1 && redirectEnd < nextEv) nextEv = redirectEnd;
          if (nextEv !== INF && nextEv > now + 1) {
            const skip = nextEv - now - 1;
            cpi[reason] += skip;
            switch (stallKind) {
              case 1: stallFrontEnd += skip; break;
              case 2: stallRob += skip; break;
              case 3: stallSched += skip; break;
              case 4: stallLsq += skip; break;
              case 5: stallRegs += skip; break;
              default: break;
            }
            now += skip;
          }
        }
      }

      now++;
      if (streamDone && headSeq === fetchSeq) break;
    }

    st.publish({
      cycles: now, instructions, xReads, vReads, xWrites, vWrites, loads, stores, loadBytes, storeBytes, memAccesses, retries,
      memRetryCycles, branches, mispredicts, stallRob, stallSched, stallLsq, stallRegs, stallFrontEnd,
    });
    return new Report(this.core, st);
  }
}

/**
 * Simulates the timing of one record stream on one core: builds a {@link TimingCore}, runs it, returns the
 * report. `next` fills a buffer with records (for example `(b) => executor.runBatch(b)`).
 */
export function referenceSimulateTiming(
  s: StaticInfo,
  next: RecordSource,
  core: CoreConfig | CoreConfigInput,
  memory: MemoryPort,
  stats: StatsRegistry,
  options: TimingOptions = {},
): Report {
  return new ReferenceTimingCore(core, memory, stats, options).run(s, next);
}
