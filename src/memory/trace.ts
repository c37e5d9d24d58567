/**
 * Trace-driven simulation without a core: parsers for Dinero IV's din format (and its extended xdin format)
 * and for valgrind Lackey's `--trace-mem=yes` output, and a runner that feeds the records to a
 * {@link MemoryHierarchy}, from an array, a file or a stream. Files and streams are read in chunks and parsed
 * line by line from their bytes, so a trace of any length runs in constant memory. The array, file and stream paths all go
 * through the same {@link TraceRunner}, so they give identical statistics for the same records.
 *
 * Formats (one record per line; errors name the line number and what is wrong):
 *
 * | format | line                     | meaning                                                                        |
 * |--------|--------------------------|--------------------------------------------------------------------------------|
 * | din    | `label address [rest]`   | label (hex) 0 read, 1 write, 2 ifetch, 3 misc, 4 copy back all dirty lines, 5 invalidate all; address hex, optional 0x; as Dinero IV: a 4-byte access at address & ~3; the rest of the line is ignored |
 * | xdin   | `t address size [rest]`  | t = r, w, i or m (misc); address and size hex, optional 0x (Dinero IV `-informat D`)      |
 * | lackey | ` L addr,size`           | I ifetch, L load, S store, M modify (a load then a store of the same bytes); address hex, size decimal; lines starting with `==` (valgrind's messages) are skipped |
 *
 * Blank lines and lines starting with `#` are skipped in every format.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { MemoryHierarchy } from './hierarchy.js';
import { ACCESS_IFETCH, ACCESS_MISC, ACCESS_READ, ACCESS_WRITE, RETRY } from './port.js';

/** Trace formats understood by the readers. */
export type TraceFormat = 'din' | 'xdin' | 'lackey';
/** Every trace format, for command-line validation. */
export const TRACE_FORMATS: readonly TraceFormat[] = ['din', 'xdin', 'lackey'];

/** Record operation: write every dirty line back (din label 4). */
export const TRACE_COPYBACK = 4;
/** Record operation: invalidate every line (din label 5). */
export const TRACE_INVALIDATE = 5;
/** Record operation: a load then a store of the same bytes (Lackey `M`). */
export const TRACE_MODIFY = 6;

/** One trace record: `op` is ACCESS_READ/WRITE/IFETCH/MISC, TRACE_MODIFY, TRACE_COPYBACK or TRACE_INVALIDATE. */
export interface TraceRecord {
  /** What the record does (see above). */
  op: number;
  /** First byte address. */
  addr: number;
  /** Bytes accessed (>= 1). */
  size: number;
}

/** A malformed trace line: says which line, what is wrong, and shows the text. */
export class TraceParseError extends Error {
  constructor(
    /** Format the line was read as. */
    readonly format: TraceFormat,
    /** 1-based line number in the input. */
    readonly lineNumber: number,
    /** What is wrong with the line. */
    readonly reason: string,
    /** The line as read. */
    readonly text: string,
  ) {
    super(`${format} trace, line ${lineNumber}: ${reason}: '${text.length > 80 ? text.slice(0, 77) + '...' : text}'`);
    this.name = 'TraceParseError';
  }

  /** Set by {@link runTrace}: what had been replayed before this line (to report a trace cut short). */
  replayed?: TraceSummary;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 13;

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Scanner state shared by the parsers: bytes [i, end) of one line in `b`, which starts at `start`. */
interface Cursor {
  b: Uint8Array;
  start: number;
  end: number;
  i: number;
}

/** The one cursor (parsing is synchronous): no object or closure is made per line. */
const K: Cursor = { b: new Uint8Array(0), start: 0, end: 0, i: 0 };

const utf8 = new TextDecoder();

function skipSpaces(k: Cursor): void {
  while (k.i < k.end && isSpace(k.b[k.i]!)) k.i++;
}

/** Reads a hex number with an optional 0x prefix; returns -1 when no digit, -2 when it exceeds 2^53. */
function readHex(k: Cursor): number {
  const b = k.b;
  if (k.i + 2 < k.end && b[k.i] === 48 && (b[k.i + 1]! | 32) === 120 && hexDigit(b[k.i + 2]!) >= 0) k.i += 2;
  let v = 0;
  let n = 0;
  for (; k.i < k.end; k.i++, n++) {
    const d = hexDigit(b[k.i]!);
    if (d < 0) break;
    v = v * 16 + d;
  }
  if (n === 0) return -1;
  return v > Number.MAX_SAFE_INTEGER ? -2 : v;
}

function atFieldEnd(k: Cursor): boolean {
  return k.i >= k.end || isSpace(k.b[k.i]!);
}

/** The character at the cursor, for messages (decoded, so a multi-byte character shows whole). */
function charAt(k: Cursor): string {
  if (k.i >= k.end) return 'end of line';
  const c = utf8.decode(k.b.subarray(k.i, Math.min(k.i + 4, k.end)));
  return `'${String.fromCodePoint(c.codePointAt(0)!)}'`;
}

/** Throws the parse error of the line under the cursor. */
function failLine(format: TraceFormat, lineNumber: number, reason: string): never {
  throw new TraceParseError(format, lineNumber, reason, utf8.decode(K.b.subarray(K.start, K.end)));
}

/** A hex address at the cursor. */
function readAddress(format: TraceFormat, lineNumber: number): number {
  const a = readHex(K);
  if (a === -1) failLine(format, lineNumber, `expected a hex address, found ${charAt(K)}`);
  if (a === -2) failLine(format, lineNumber, 'address does not fit in 53 bits');
  return a;
}

/**
 * Parses one line of a trace, given as the bytes `[start, end)` of `bytes` (UTF-8, no line break), into
 * `out`: the one parser behind {@link parseTraceLine} and {@link runTrace}, working on bytes so a file is
 * parsed without making a string per line. Returns false for a line that holds no record (blank, comment,
 * valgrind message); throws a {@link TraceParseError} naming `lineNumber` for a malformed one.
 */
export function parseTraceBytes(format: TraceFormat, bytes: Uint8Array, start: number, end: number, lineNumber: number, out: TraceRecord): boolean {
  const k = K;
  k.b = bytes;
  k.start = start;
  k.end = end;
  k.i = start;
  skipSpaces(k);
  if (k.i >= end || bytes[k.i] === 35 /* # */) return false;
  switch (format) {
    case 'din': {
      const label = readHex(k);
      if (label < 0 || !atFieldEnd(k)) failLine(format, lineNumber, `label must be a hex number, found ${charAt(k)}`);
      skipSpaces(k);
      if (k.i >= end) failLine(format, lineNumber, 'short line: no address');
      const a = readAddress(format, lineNumber);
      if (!atFieldEnd(k)) failLine(format, lineNumber, `non-hex digit ${charAt(k)} in address`);
      if (label > 5) failLine(format, lineNumber, `unknown label ${label.toString(16)} (0 read, 1 write, 2 ifetch, 3 misc, 4 copy back, 5 invalidate)`);
      out.op = label;
      out.addr = a - (a % 4); // Dinero IV's din reader: word-oriented, 4-byte accesses at address & ~3
      out.size = 4;
      return true;
    }
    case 'xdin': {
      const t = bytes[k.i]!;
      const op = t === 114 /* r */ ? ACCESS_READ : t === 119 /* w */ ? ACCESS_WRITE : t === 105 /* i */ ? ACCESS_IFETCH : t === 109 /* m */ ? ACCESS_MISC : -1;
      if (op < 0) failLine(format, lineNumber, `access type must be r, w, i or m, found ${charAt(k)}`);
      k.i++;
      if (!atFieldEnd(k)) failLine(format, lineNumber, `access type must be one letter, found ${charAt(k)}`);
      skipSpaces(k);
      const a = readAddress(format, lineNumber);
      if (!atFieldEnd(k)) failLine(format, lineNumber, `non-hex digit ${charAt(k)} in address`);
      skipSpaces(k);
      const size = readHex(k);
      if (size < 1 || !atFieldEnd(k)) failLine(format, lineNumber, `size must be a hex number >= 1, found ${charAt(k)}`);
      out.op = op;
      out.addr = a;
      out.size = size;
      return true;
    }
    case 'lackey': {
      if (bytes[k.i] === 61 && k.i + 1 < end && bytes[k.i + 1] === 61) return false; // '==': valgrind's own messages
      const t = bytes[k.i]!;
      const op = t === 73 /* I */ ? ACCESS_IFETCH : t === 76 /* L */ ? ACCESS_READ : t === 83 /* S */ ? ACCESS_WRITE : t === 77 /* M */ ? TRACE_MODIFY : -1;
      if (op < 0) failLine(format, lineNumber, `operation must be I, L, S or M, found ${charAt(k)}`);
      k.i++;
      if (!atFieldEnd(k)) failLine(format, lineNumber, `operation must be one letter, found ${charAt(k)}`);
      skipSpaces(k);
      const a = readAddress(format, lineNumber);
      if (k.i >= end || bytes[k.i] !== 44 /* , */) failLine(format, lineNumber, `expected ',' after the address, found ${charAt(k)}`);
      k.i++;
      let size = 0;
      let n = 0;
      for (; k.i < end; k.i++, n++) {
        const c = bytes[k.i]!;
        if (c < 48 || c > 57) break;
        size = size * 10 + (c - 48);
      }
      if (n === 0 || size < 1) failLine(format, lineNumber, `size must be a decimal number >= 1, found ${charAt(k)}`);
      skipSpaces(k);
      if (k.i < end) failLine(format, lineNumber, `unexpected ${charAt(k)} after the size`);
      out.op = op;
      out.addr = a;
      out.size = size;
      return true;
    }
    default: {
      const never: never = format;
      throw new Error(`unknown trace format ${String(never)}`);
    }
  }
}

const utf8Encoder = new TextEncoder();

/**
 * Parses one line of a trace into `out`. Returns false for a line that holds no record (blank, comment,
 * valgrind message); throws a {@link TraceParseError} naming `lineNumber` for a malformed one.
 */
export function parseTraceLine(format: TraceFormat, text: string, lineNumber: number, out: TraceRecord): boolean {
  const bytes = utf8Encoder.encode(text);
  return parseTraceBytes(format, bytes, 0, bytes.length, lineNumber, out);
}

/** How a trace is replayed. */
export interface TraceRunOptions {
  /**
   * false (default): functional replay with `reference` (Dinero-like, no time). true: timed replay with
   * `access`, one access issued per cycle in trace order, an access refused with RETRY tried again on the
   * next cycle; `cycles` then reports when the last data was ready. Not with a hierarchy in cachegrind mode
   * (which counts untimed references only).
   */
  readonly timed?: boolean;
}

/** What a trace run saw. */
export interface TraceSummary {
  /** Input lines read (files and streams), or records given (arrays). */
  lines: number;
  /** Records applied (a Lackey `M` counts once). */
  records: number;
  /** Accesses made to the hierarchy (a Lackey `M` makes two, one in cachegrind mode). */
  accesses: number;
  /** Timed runs: cycle at which the last access's data was ready; 0 for functional runs. */
  cycles: number;
  /** Timed runs: accesses refused with RETRY and retried. */
  retries: number;
}

/** Applies trace records to a hierarchy, one at a time; the single path shared by every trace source. */
export class TraceRunner {
  /** Running totals. */
  readonly summary: TraceSummary = { lines: 0, records: 0, accesses: 0, cycles: 0, retries: 0 };
  private cycle = 0;
  private readonly timed: boolean;
  /** A Lackey modify is a read then a write; in cachegrind mode one read, as cachegrind counts it. */
  private readonly modifyWrites: boolean;

  constructor(
    private readonly memory: MemoryHierarchy,
    options: TraceRunOptions = {},
  ) {
    this.timed = options.timed ?? false;
    if (this.timed && memory.cachegrind) throw new Error('a hierarchy in cachegrind mode replays traces untimed only (cachegrind has no timing)');
    this.modifyWrites = !memory.cachegrind;
  }

  /** Applies one record. */
  apply(r: TraceRecord): void {
    this.summary.records++;
    switch (r.op) {
      case ACCESS_READ:
      case ACCESS_WRITE:
      case ACCESS_IFETCH:
      case ACCESS_MISC:
        this.one(r.addr, r.size, r.op);
        return;
      case TRACE_MODIFY:
        this.one(r.addr, r.size, ACCESS_READ);
        if (this.modifyWrites) this.one(r.addr, r.size, ACCESS_WRITE);
        return;
      case TRACE_COPYBACK:
        this.memory.copyBack();
        return;
      case TRACE_INVALIDATE:
        this.memory.invalidateAll();
        return;
      default:
        throw new RangeError(`trace record op ${r.op} is not one of ACCESS_READ/WRITE/IFETCH/MISC, TRACE_MODIFY, TRACE_COPYBACK, TRACE_INVALIDATE`);
    }
  }

  private one(addr: number, size: number, kind: number): void {
    this.summary.accesses++;
    if (!this.timed) {
      this.memory.reference(addr, size, kind);
      return;
    }
    let r = this.memory.access(addr, size, kind, this.cycle, -1);
    while (r === RETRY) {
      this.summary.retries++;
      r = this.memory.access(addr, size, kind, ++this.cycle, -1);
    }
    if (r > this.summary.cycles) this.summary.cycles = r;
    this.cycle++;
  }
}

/** Replays an array of records. */
export function runTraceRecords(memory: MemoryHierarchy, records: Iterable<TraceRecord>, options: TraceRunOptions = {}): TraceSummary {
  const runner = new TraceRunner(memory, options);
  for (const r of records) {
    runner.summary.lines++;
    runner.apply(r);
  }
  return runner.summary;
}

/** Parses a whole trace held in a string (for tests and small inputs). */
export function parseTrace(format: TraceFormat, text: string): TraceRecord[] {
  const out: TraceRecord[] = [];
  text.split('\n').forEach((line, i) => {
    const r: TraceRecord = { op: 0, addr: 0, size: 0 };
    if (parseTraceLine(format, line, i + 1, r)) out.push(r);
  });
  return out;
}

/**
 * Replays a trace from a file path or a readable stream, in constant memory: the input is read in chunks
 * (1 MiB from a file) and each line parsed from the chunk's bytes. A line ends at `\n`; a `\r` before it is
 * taken as trailing space. Rejects with a {@link TraceParseError} at the first malformed line (records before
 * it have been applied).
 */
export async function runTrace(
  memory: MemoryHierarchy,
  source: string | Readable,
  format: TraceFormat,
  options: TraceRunOptions = {},
): Promise<TraceSummary> {
  const input = typeof source === 'string' ? createReadStream(source, { highWaterMark: 1 << 20 }) : source;
  const runner = new TraceRunner(memory, options);
  const rec: TraceRecord = { op: 0, addr: 0, size: 0 };
  let n = 0;
  let carry: Uint8Array | null = null;
  try {
    for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
      let buf: Uint8Array = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (carry !== null) {
        const joined = new Uint8Array(carry.length + buf.length);
        joined.set(carry);
        joined.set(buf, carry.length);
        buf = joined;
        carry = null;
      }
      let s = 0;
      for (let e = buf.indexOf(10, s); e >= 0; e = buf.indexOf(10, s)) {
        n++;
        if (parseTraceBytes(format, buf, s, e, n, rec)) runner.apply(rec);
        s = e + 1;
      }
      if (s < buf.length) carry = buf.slice(s);
    }
    if (carry !== null) {
      n++;
      if (parseTraceBytes(format, carry, 0, carry.length, n, rec)) runner.apply(rec);
    }
  } catch (e) {
    if (e instanceof TraceParseError) e.replayed = { ...runner.summary, lines: n - 1 };
    throw e;
  } finally {
    if (typeof source === 'string') (input as ReturnType<typeof createReadStream>).destroy();
  }
  runner.summary.lines = n;
  return runner.summary;
}
