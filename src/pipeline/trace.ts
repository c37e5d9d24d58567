/**
 * Pipeline traces of a window of instructions, for viewers people already use:
 * - {@link toKanata}: the Kanata log format (version 0004) read by the Konata pipeline viewer;
 * - {@link toChromeTrace}: Chrome trace-event JSON, which opens in Perfetto and chrome://tracing (1 cycle is
 *   shown as 1 us);
 * - {@link toTextTimeline}: a compact text timeline in the style of llvm-mca's `-timeline` view.
 *
 * A {@link TraceRecorder} is a {@link RetireObserver}: pass it as `options.observer` to the timing core and it
 * keeps the stage cycles of retired instructions whose sequence number is in `[first, first + count)`.
 *
 * Stages: F = fetched, waiting to dispatch; Ds = dispatched, waiting in the scheduler; X = executing (issue to
 * result); Cm = complete, waiting to retire. Wrong-path instructions are not simulated, so nothing is flushed.
 *
 * @module
 */
import type { RetireObserver } from './engine.js';

/** The stage cycles of one retired instruction. */
export interface InstrTiming {
  readonly seq: number;
  readonly pc: number;
  readonly fetch: number;
  readonly dispatch: number;
  readonly issue: number;
  readonly complete: number;
  readonly retire: number;
}

/** Keeps the timings of a window of retired instructions. */
export class TraceRecorder implements RetireObserver {
  /** The recorded instructions, in program order. */
  readonly records: InstrTiming[] = [];
  constructor(
    /** First sequence number (0-based dynamic instruction index) recorded. */
    readonly first = 0,
    /** Most instructions recorded. */
    readonly count = 1000,
  ) {}
  retired(seq: number, pc: number, fetch: number, dispatch: number, issue: number, complete: number, retire: number): void {
    if (seq >= this.first && seq < this.first + this.count) this.records.push({ seq, pc, fetch, dispatch, issue, complete, retire });
  }
}

/** Text for an instruction at a PC (for example its disassembly); the default shows the PC. */
export type LabelOf = (pc: number) => string;
const pcLabel: LabelOf = (pc) => `pc ${pc}`;

/** The Kanata 0004 log of recorded instructions (one line per event, cycles ascending). */
export function toKanata(records: readonly InstrTiming[], label: LabelOf = pcLabel): string {
  type Ev = { cycle: number; order: number; text: string };
  const evs: Ev[] = [];
  records.forEach((r, i) => {
    const id = i;
    const at = (cycle: number, order: number, text: string) => evs.push({ cycle, order, text });
    at(r.fetch, 0, `I\t${id}\t${r.seq}\t0`);
    at(r.fetch, 1, `L\t${id}\t0\t${r.pc}: ${label(r.pc).replace(/\s+/g, ' ')}`);
    at(r.fetch, 2, `S\t${id}\t0\tF`);
    at(r.dispatch, 3, `E\t${id}\t0\tF`);
    at(r.dispatch, 4, `S\t${id}\t0\tDs`);
    at(r.issue, 3, `E\t${id}\t0\tDs`);
    at(r.issue, 4, `S\t${id}\t0\tX`);
    at(r.complete, 3, `E\t${id}\t0\tX`);
    at(r.complete, 4, `S\t${id}\t0\tCm`);
    at(r.retire, 5, `E\t${id}\t0\tCm`);
    at(r.retire, 6, `R\t${id}\t${r.seq}\t0`);
  });
  evs.sort((a, b) => a.cycle - b.cycle || a.order - b.order);
  const start = evs.length > 0 ? evs[0]!.cycle : 0;
  const out = ['Kanata\t0004', `C=\t${start}`];
  let now = start;
  for (const e of evs) {
    if (e.cycle > now) {
      out.push(`C\t${e.cycle - now}`);
      now = e.cycle;
    }
    out.push(e.text);
  }
  return out.join('\n') + '\n';
}

/** One Chrome trace event (complete event, `ph: 'X'`). */
export interface TraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: 'X';
  readonly ts: number;
  readonly dur: number;
  readonly pid: number;
  readonly tid: number;
  readonly args: Record<string, number | string>;
}

/** Chrome trace-event JSON of recorded instructions: one track per instruction, one slice per stage. */
export function toChromeTrace(records: readonly InstrTiming[], label: LabelOf = pcLabel): { traceEvents: TraceEvent[]; displayTimeUnit: 'ns' } {
  const traceEvents: TraceEvent[] = [];
  for (const r of records) {
    const name = `${r.seq} ${label(r.pc)}`;
    const stage = (s: string, from: number, to: number) => {
      if (to > from) traceEvents.push({ name: `${s}: ${name}`, cat: s, ph: 'X', ts: from, dur: to - from, pid: 1, tid: r.seq, args: { pc: r.pc, seq: r.seq } });
    };
    stage('F', r.fetch, r.dispatch);
    stage('Ds', r.dispatch, r.issue);
    stage('X', r.issue, r.complete);
    stage('Cm', r.complete, r.retire + 1);
  }
  return { traceEvents, displayTimeUnit: 'ns' };
}

/**
 * An llvm-mca-style timeline, one row per instruction, one column per cycle from the window's first
 * dispatch: `D` dispatched, `=` waiting in the scheduler, `e` executing, `E` last execution cycle, `-`
 * complete and waiting to retire, `R` retired, `.` nothing. Rows are labelled `[seq]`.
 */
export function toTextTimeline(records: readonly InstrTiming[], label: LabelOf = pcLabel, maxCycles = 120): string {
  if (records.length === 0) return '';
  const c0 = Math.min(...records.map((r) => r.dispatch));
  const c1 = Math.min(c0 + maxCycles, Math.max(...records.map((r) => r.retire)) + 1);
  const width = c1 - c0;
  const rows: string[] = [];
  let ruler = '';
  for (let c = c0; c < c1; c++) ruler += (c - c0) % 10 === 0 ? String(((c - c0) / 10) % 10) : ' ';
  const seqW = String(records[records.length - 1]!.seq).length + 2;
  rows.push(`${' '.repeat(seqW)} ${ruler}`);
  for (const r of records) {
    let line = '';
    for (let c = c0; c < c1; c++) {
      let ch = '.';
      if (c === r.retire) ch = 'R';
      else if (c === r.dispatch) ch = 'D';
      else if (c > r.dispatch && c < r.issue) ch = '=';
      else if (c >= r.issue && c < r.complete - 1) ch = 'e';
      else if (c === r.complete - 1 && c >= r.issue) ch = 'E';
      else if (c >= r.complete && c < r.retire) ch = '-';
      line += ch;
    }
    rows.push(`${`[${r.seq}]`.padEnd(seqW)} ${line.padEnd(width)}   ${label(r.pc)}`);
  }
  return rows.join('\n');
}
