/**
 * The reference model of the timing core: the stage rules of docs/pipeline.md written out as plainly as we
 * can, one cycle at a time, as a scan over arrays of objects (no queues, no skipping of idle cycles). The
 * core (src/pipeline, run as WebAssembly) is tested against it in reference.test.ts and timelines.test.ts; it
 * shares no code with the core. From src it takes only the ISA (assembler, executor, instruction classes,
 * element types) and the configuration schema that fills in defaults; the per-class latency, reciprocal
 * throughput and candidate units are read here from the configuration's plain fields (the core's
 * DescriptorTable derives the same, written again).
 *
 * Per-operand timing (docs/pipeline.md, CoreConfig readAdvanceCycles, forwarding, laneWrites): an operand
 * produced by a non-memory instruction P can be read by consumer C in role R from
 * max(P.issue + 1, min(P.complete - C's read advance for R, P.issue + the forwarding latency from P's class to
 * C's accumulator when R is the accumulator)); a loaded value when the load completes. With lane-granular writes
 * a lane writer's accumulator comes from the last writer of its lane since the register's last whole write (or
 * that whole write), and any other read of the register waits for the whole write and every lane written since.
 * The load/store unit makes one access per aligned block of lsuBlockBytes its elements lie in (memory here has no
 * lines to bound the block).
 *
 * Scope (what the model leaves out to stay small):
 * - memory is a fixed latency M with no limits: a load or store issued at t is complete at t + M + latency
 *   (no RETRY, no levels, so the CPI stack has one `memory` entry);
 * - no store buffer (`storeBufferSize` must be 0);
 * - the branch predictor is the tests' own (`referencePredictor` in helpers.ts, written from the table in
 *   src/pipeline/predictor.ts);
 * - one run of a fresh core. The model gives cycles, each instruction's stage cycles, the CPI stack, the
 *   dispatch stall counters, mispredicts, memory accesses and busy unit-cycles per pool.
 *
 * Each cycle runs the stages back to front: retire, issue (the fixed-latency memory answers at issue),
 * dispatch, fetch; then the CPI stack is counted. What a later stage frees is seen by an earlier one in the
 * same cycle; what an earlier stage does is seen by a later one only in the next cycle. That order alone
 * gives every "+1" of the timing rules.
 */
import { assemble } from '../../src/isa/assembler.js';
import { Executor } from '../../src/isa/executor.js';
import type { InstrClassName } from '../../src/isa/classes.js';
import { ETYPES } from '../../src/isa/etypes.js';
import { MAX_READS, OPERAND_ROLES, type OperandRole } from '../../src/isa/trace.js';
import { resolveCoreConfig, type CoreConfigInput, type WidthKey } from '../../src/pipeline/config.js';
import { referencePredictor } from './helpers.js';

/** One dynamic instruction and the cycles of its stages (-1 until the stage happens). */
interface Instr {
  seq: number;
  pc: number;
  cls: InstrClassName;
  reads: number[]; // unified register ids (x1..x31 = 1..31, v0..v31 = 32..63, pp0.. = 64..)
  roles: OperandRole[]; // what each read is (accumulator, vs1, ...), parallel to reads
  readAdvance: Partial<Record<OperandRole, number>>;
  writes: number; // unified register id, or -1
  lane: number; // the int32 lane of the register written by a lane-writing instruction, or -1
  memory: boolean; // a load or store: takes an LSQ entry
  pieces: number; // elements accessed (0 for a tail access of 0 bytes): a load or store whose result comes from memory
  accesses: number; // memory accesses: one per block its elements lie in
  mispredicted: boolean;
  latency: number;
  throughput: number; // reciprocal throughput: cycles a pipelined unit stays occupied
  units: number[]; // candidate units (flat, pools in declaration order)
  producers: { seq: number; role: OperandRole }[]; // the older writers each read waits for, set at dispatch
  /** From this cycle on its execution is charged to memory: its loaded operands held its issue back (see lostTo). */
  memFrom: number;
  fetch: number;
  dispatch: number;
  issue: number;
  complete: number;
  retire: number;
}

/** What the reference model computes for one run. */
export interface ReferenceResult {
  cycles: number;
  instrs: { seq: number; pc: number; fetch: number; dispatch: number; issue: number; complete: number; retire: number }[];
  /** CPI stack in retire slots (a cycle has retireWidth of them); divide by retireWidth for cycles. */
  cpiSlots: Record<string, number>;
  /** Cycles in which nothing dispatched, by the first reason found. */
  stalls: { frontEnd: number; robFull: number; schedulerFull: number; lsqFull: number; registersFull: number };
  branches: number;
  mispredicts: number;
  memAccesses: number;
  /** Unit-cycles of occupancy given out per pool. */
  poolBusy: Record<string, number>;
}

/** What the tests also want to know of a run, to see which situations their random cases reach. */
export interface ReferenceCoverage {
  /** Times an instruction had its operands but no free unit (and was looked at by issue). */
  unitWaits: number;
  /** Issued loads and stores of more than one piece. */
  severalPieces: number;
}

/** The width key of an instruction: its uniform element width (b1 counts as w1), f32, pattern, or none. */
function widthKey(etype: number, pattern: number): WidthKey {
  const name = etype >= 0 ? ETYPES[etype]! : '';
  if (pattern >= 0 || name === 'u' || name === 's') return 'pattern';
  if (name === 'f32') return 'f32';
  if (name === '') return 'none';
  return `w${name.slice(1)}` as WidthKey;
}

/**
 * Accesses a load or store of `pieces` elements of `size` bytes at addr + i * stride makes: consecutive elements
 * in one aligned block of `block` bytes are one access; an element straddling two blocks is one of its own.
 */
function blocks(addr: number, size: number, stride: number, pieces: number, block: number): number {
  if (block === 0) return pieces;
  let accesses = 0, current = NaN;
  for (let e = 0; e < pieces; e++) {
    const first = Math.floor((addr + e * stride) / block), last = Math.floor((addr + e * stride + size - 1) / block);
    if (first !== last) {
      accesses++;
      current = NaN;
    } else if (first !== current) {
      accesses++;
      current = first;
    }
  }
  return accesses;
}

/** Runs `src` (assembly) on `input` with a memory of fixed latency `memLatency`. */
export function referenceModel(src: string, input: CoreConfigInput, memLatency: number): ReferenceResult & ReferenceCoverage {
  const core = resolveCoreConfig(input);
  if (core.storeBufferSize !== 0) throw new Error('reference model: no store buffer (storeBufferSize must be 0)');
  const inOrder = core.model === 'inOrder';

  // Functional units, flat, in declaration order; each remembers the first cycle it is free again.
  const units = core.units.flatMap((pool, p) => Array.from({ length: pool.count }, () => ({ pool: p, pipelined: pool.pipelined, freeAt: 0 })));
  const poolBusy: Record<string, number> = Object.fromEntries(core.units.map((u) => [u.name, 0]));

  // The branch predictor, trained at fetch with the real outcome, so whether a branch is mispredicted depends
  // on the record stream only.
  const predictedRight = referencePredictor(core.branchPredictor);

  // The dynamic instruction stream, from the functional executor.
  const program = assemble(src);
  const stream: Instr[] = [];
  let branches = 0;
  let memAccesses = 0;
  for (const r of new Executor(program, { memoryBytes: 1 << 16 }).trace()) {
    const cls = r.cls as InstrClassName;
    const t = core.timing[cls];
    const o = t?.byWidth[widthKey(r.etype, r.pattern)];
    const latency = o?.latencyCycles ?? t?.latencyCycles ?? 1;
    const readAdvance = { ...t?.readAdvanceCycles, ...o?.readAdvanceCycles };
    const roles = r.reads.map((_, k) => OPERAND_ROLES[program.static.readRoles[r.pc * MAX_READS + k]!]!);
    const pieces = r.mem !== 'none' && r.size > 0 ? r.pieces : 0;
    const throughput = o?.reciprocalThroughputCycles ?? t?.reciprocalThroughputCycles ?? 1;
    const candidates = units.flatMap((u, k) => (core.units[u.pool]!.classes.includes(cls) ? [k] : []));
    const branch = cls === 'branch';
    if (branch) branches++;
    stream.push({
      seq: stream.length, pc: r.pc, cls, reads: [...r.reads], roles, readAdvance, writes: r.writes, lane: program.static.writeLane[r.pc]!,
      memory: r.mem !== 'none', pieces, accesses: blocks(r.addr, r.size, r.stride, pieces, core.lsuBlockBytes),
      mispredicted: branch && !predictedRight(r.pc, r.taken),
      latency, throughput, units: candidates, producers: [], memFrom: Infinity,
      fetch: -1, dispatch: -1, issue: -1, complete: -1, retire: -1,
    });
  }
  const n = stream.length;

  // Machine state: the fetch queue (fetched, not dispatched) and the window (dispatched, not retired), both
  // oldest first; the last dispatched writer of each register; fetch stopped behind a mispredicted branch.
  const fetchQueue: Instr[] = [];
  const window: Instr[] = [];
  const lastWriter = new Map<number, Instr>();
  // With lane-granular writes: per vector register, the writer of each int32 lane since its last whole write.
  const laneWriters = new Map<number, Map<number, Instr>>();
  const laneMode = core.laneWrites === 'lane';
  let nextFetch = 0;
  let blockedBy: Instr | null = null;
  let lastDispatched: Instr | null = null;
  let retired = 0;
  let unitWaits = 0;
  let severalPieces = 0;

  const cpiSlots: Record<string, number> = { base: 0, dependency: 0, memory: 0, frontEnd: 0, branchMispredict: 0 };
  for (const u of core.units) cpiSlots[`unit.${u.name}`] = 0;
  const stalls = { frontEnd: 0, robFull: 0, schedulerFull: 0, lsqFull: 0, registersFull: 0 };

  const ready = (p: Instr, now: number) => p.issue >= 0 && p.complete <= now;
  // When consumer i can read, in role `role`, what p produces (per-operand rules: see the module comment).
  const readableAt = (p: Instr, i: Instr, role: OperandRole) => {
    if (p.pieces > 0) return p.complete;
    let t = p.complete - (i.readAdvance[role] ?? 0);
    if (role === 'accumulator') {
      const f = core.forwarding.filter((rule) => rule.from.includes(p.cls) && rule.to.includes(i.cls)).map((rule) => rule.latencyCycles);
      if (f.length > 0) t = Math.min(t, p.issue + Math.min(...f));
    }
    return Math.max(p.issue + 1, t);
  };
  const operandsReady = (i: Instr, now: number) => i.producers.every(({ seq, role }) => stream[seq]!.issue >= 0 && readableAt(stream[seq]!, i, role) <= now);
  const freeUnit = (i: Instr, now: number) => i.units.find((u) => units[u]!.freeAt <= now);
  const issueOn = (i: Instr, u: number, now: number) => {
    const unit = units[u]!;
    // A pipelined unit takes a new operation every `throughput` cycles, a non-pipelined one only once the
    // previous one has finished.
    const occupied = unit.pipelined ? i.throughput : Math.max(i.latency, i.throughput);
    unit.freeAt = now + occupied;
    poolBusy[core.units[unit.pool]!.name]! += occupied;
    i.issue = now;
    // How long loaded operands held the issue back beyond everything else (the cycle after dispatch, the other
    // operands): while it executes, the CPI stack charges that many cycles to memory.
    let loaded = 0, other = i.dispatch + 1;
    for (const { seq, role } of i.producers) {
      const p = stream[seq]!, t = readableAt(p, i, role);
      if (p.pieces > 0) loaded = Math.max(loaded, t);
      else other = Math.max(other, t);
    }
    // Loads and stores ask the memory in the memory stage of the same cycle: it answers all their pieces at
    // now + memLatency, and the class latency (address generation, write-back) comes on top.
    i.complete = now + (i.pieces > 0 ? memLatency : 0) + i.latency;
    // Without that hold it would have completed that much earlier: its last cycles are memory's.
    i.memFrom = loaded > other ? i.complete - (loaded - other) : Infinity;
    memAccesses += i.accesses;
    if (i.accesses > 1) severalPieces++;
  };
  const inFlight = (pred: (i: Instr) => boolean) => window.filter(pred).length;
  const writesX = (i: Instr) => i.writes >= 0 && i.writes < 32;
  const writesV = (i: Instr) => i.writes >= 32 && i.writes < 64;

  let now = 0;
  for (; retired < n; now++) {
    if (now > 100_000 + 1000 * n) throw new Error('reference model: stuck');

    // 1. Retire: up to retireWidth from the window's head, in order, each once its result is ready.
    let retiredNow = 0;
    while (retiredNow < core.retireWidth && window.length > 0 && ready(window[0]!, now)) {
      window.shift()!.retire = now;
      retiredNow++;
      retired++;
    }

    // 2. Issue (and 3. memory): oldest first, up to issueWidth, each when its operands are ready and one of
    // its units is free. The in-order core stops at the first instruction that cannot issue.
    let issuedNow = 0;
    for (const i of window) {
      if (i.issue >= 0) continue;
      if (issuedNow === core.issueWidth) break;
      const ops = operandsReady(i, now);
      const u = ops ? freeUnit(i, now) : undefined;
      if (ops && u === undefined) unitWaits++;
      if (u === undefined) {
        if (inOrder) break;
        continue;
      }
      issueOn(i, u, now);
      issuedNow++;
    }

    // 4. Dispatch: up to dispatchWidth, in order, once the front-end delay has elapsed, while the ROB, the
    // scheduler (dispatched, not issued), the LSQ (memory instructions not retired) and the physical
    // registers (32 per kind hold architectural state) have room. A cycle that dispatches nothing counts
    // the first reason found.
    let dispatchedNow = 0;
    while (dispatchedNow < core.dispatchWidth) {
      const i = fetchQueue[0];
      let stall: keyof typeof stalls | null = null;
      if (i === undefined || i.fetch + core.frontEndStages > now) stall = 'frontEnd';
      else if (window.length >= core.robSize) stall = 'robFull';
      else if (inFlight((w) => w.issue < 0) >= core.schedulerSize) stall = 'schedulerFull';
      else if (i.memory && inFlight((w) => w.memory) >= core.lsqSize) stall = 'lsqFull';
      else if (writesX(i) && inFlight(writesX) >= core.physScalarRegs - 32) stall = 'registersFull';
      else if (writesV(i) && inFlight(writesV) >= core.physVectorRegs - 32) stall = 'registersFull';
      if (stall !== null) {
        if (dispatchedNow === 0) stalls[stall]++;
        break;
      }
      fetchQueue.shift();
      // Renaming: each source waits for the last older writer of its register (true dependencies only).
      i.producers = i.reads.flatMap((r, k) => {
        const role = i.roles[k]!;
        const whole = lastWriter.has(r) ? [{ seq: lastWriter.get(r)!.seq, role }] : [];
        const lanes = laneWriters.get(r);
        if (!laneMode || lanes === undefined) return whole;
        if (i.lane >= 0 && role === 'accumulator') return lanes.has(i.lane) ? [{ seq: lanes.get(i.lane)!.seq, role }] : whole;
        return [...whole, ...[...lanes.values()].map((w) => ({ seq: w.seq, role }))];
      });
      if (i.writes >= 0 && laneMode && i.lane >= 0) {
        if (!laneWriters.has(i.writes)) laneWriters.set(i.writes, new Map());
        laneWriters.get(i.writes)!.set(i.lane, i);
      } else if (i.writes >= 0) {
        lastWriter.set(i.writes, i);
        laneWriters.delete(i.writes);
      }
      i.dispatch = now;
      lastDispatched = i;
      window.push(i);
      dispatchedNow++;
    }

    // 5. Fetch: up to fetchWidth records while the fetch queue has room. After a mispredicted branch fetch
    // stops until the branch's result is ready plus the mispredict penalty.
    if (blockedBy !== null && ready(blockedBy, now - core.mispredictPenaltyCycles)) blockedBy = null;
    for (let f = 0; blockedBy === null && f < core.fetchWidth && nextFetch < n && fetchQueue.length < core.fetchQueueSize; f++) {
      const i = stream[nextFetch++]!;
      i.fetch = now;
      fetchQueue.push(i);
      if (i.mispredicted) blockedBy = i;
    }

    // CPI stack, at the end of the cycle: retired slots are base; the lost ones go to why the oldest
    // instruction has not retired.
    cpiSlots.base! += retiredNow;
    cpiSlots[lostTo(window[0], now)]! += core.retireWidth - retiredNow;
  }

  function lostTo(head: Instr | undefined, now: number): string {
    if (head === undefined) {
      // An empty window whose last dispatched instruction is a mispredicted branch waits for that branch's
      // refill: the branch's cycles. Otherwise the next instruction is in the front end (before a mispredicted
      // branch dispatches, it and the instructions older than it are still there).
      return lastDispatched?.mispredicted === true ? 'branchMispredict' : 'frontEnd';
    }
    if (head.dispatch === now) return 'frontEnd';
    // Issued: waiting for memory, or executing; an execution that started late because loaded operands held
    // the issue back is memory's for its last that many cycles (it would have completed that much earlier).
    if (head.issue >= 0) return head.pieces > 0 || now >= head.memFrom ? 'memory' : 'dependency';
    // Not issued, though dispatched in an earlier cycle. Its producers are older, so they have retired: it
    // has its operands (the docs' "waits for an operand" cases cannot happen to the oldest instruction), and
    // every unit that could take it is busy. Charged to the pool of its first candidate unit.
    if (!operandsReady(head, now)) throw new Error('reference model: the oldest instruction waits for an operand');
    return `unit.${core.units[units[head.units[0]!]!.pool]!.name}`;
  }

  return {
    cycles: now,
    instrs: stream.map(({ seq, pc, fetch, dispatch, issue, complete, retire }) => ({ seq, pc, fetch, dispatch, issue, complete, retire })),
    cpiSlots,
    stalls,
    branches,
    mispredicts: stream.filter((i) => i.mispredicted).length,
    memAccesses,
    poolBusy,
    unitWaits,
    severalPieces,
  };
}
