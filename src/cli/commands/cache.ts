/**
 * `mpsimd cache <trace>`: trace-driven cache simulation from the command line. Reads a Dinero IV din (or
 * xdin) or valgrind Lackey trace from a file or standard input, replays it through the memory hierarchy of
 * `--config` (the MemoryConfig defaults otherwise) and prints a Dinero-like report, or every statistic as
 * JSON. The command only parses options and prints: the work is done by `src/memory`.
 *
 * @module
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { type Command, Option } from 'commander';
import { fileErrorReason, FileError, readJsonFile } from '../../config/files.js';
import { formatMemoryEnergy, memoryEnergyTable, priceMemoryEnergy, resolveMemoryEnergyConfig } from '../../energy/memory.js';
import { resolveMemoryConfig } from '../../memory/config.js';
import { MemoryHierarchy } from '../../memory/hierarchy.js';
import { formatMemoryReport } from '../../memory/report.js';
import { runTrace, TRACE_FORMATS, type TraceFormat, TraceParseError, type TraceSummary } from '../../memory/trace.js';
import { StatsRegistry } from '../../stats/registry.js';

/** Where the command reads standard input and writes its output (replaceable in tests). */
export interface CacheCommandIO {
  /** Read when the trace argument is `-`. */
  readonly stdin: Readable;
  /** Receives the report or the JSON. */
  readonly write: (text: string) => void;
  /** Receives warnings (default: standard error). */
  readonly warn?: (text: string) => void;
}

const processIO: CacheCommandIO = { stdin: process.stdin, write: (t) => void process.stdout.write(t), warn: (t) => void process.stderr.write(t) };

/** Options of `mpsimd cache`, as commander parses them. */
interface CacheOptions {
  format: TraceFormat | 'auto';
  config?: string;
  energyConfig?: string;
  timed?: boolean;
  cachegrind?: boolean;
  json?: boolean;
  energy?: boolean;
}

/** How much of the start of a trace is looked at to tell its format, and whether it is text at all. */
const SAMPLE_BYTES = 4096;

/** The lines that say which format a trace is in (valgrind's own messages and comments say nothing). */
const FORMAT_LINES: ReadonlyArray<readonly [TraceFormat, RegExp]> = [
  ['lackey', /^\s*[ILSM]\s+(0x)?[0-9a-fA-F]+,\d+\s*$/],
  ['xdin', /^\s*[rwim]\s+(0x)?[0-9a-fA-F]+\s+(0x)?[0-9a-fA-F]+(\s|$)/],
  ['din', /^\s*[0-9a-fA-F]+\s+(0x)?[0-9a-fA-F]+(\s|$)/],
];

/**
 * The format of a trace from its first lines: the format most of its first record lines match (so one
 * malformed line is reported as an error of the right format), or undefined when none matches any.
 */
export function detectTraceFormat(sample: string): TraceFormat | undefined {
  const lines = sample.split('\n');
  if (lines.length > 1) lines.pop(); // may be cut by the sample's end
  const records = lines.filter((l) => l.trim() !== '' && !/^\s*#/.test(l) && !/^(==|--)\d+(==|--)/.test(l)).slice(0, 50);
  let best: TraceFormat | undefined;
  let most = 0;
  for (const [format, re] of FORMAT_LINES) {
    const n = records.filter((l) => re.test(l)).length;
    if (n > most) [best, most] = [format, n];
  }
  return best;
}

/** Where the first byte that cannot be in a text trace is, or -1 (NUL, or control bytes other than tab/CR/LF). */
export function firstBinaryByte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0 || (b < 32 && b !== 9 && b !== 10 && b !== 13) || b === 127) return i;
  }
  return -1;
}

/** Text safe to print on a terminal: control and non-ASCII characters as \\xNN or \\uNNNN escapes. */
export function printable(text: string): string {
  return text.replace(/[^\x20-\x7e\t]/g, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/** The first bytes of a file, without reading the rest. */
function headOfFile(path: string): Buffer {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(SAMPLE_BYTES);
    return buf.subarray(0, readSync(fd, buf, 0, SAMPLE_BYTES, 0));
  } catch (e) {
    throw new FileError(path, 'trace', `cannot read it: ${fileErrorReason(e)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The first bytes of a stream, and a stream that gives the whole input again (standard input cannot be reread). */
async function headOfStream(input: Readable): Promise<{ head: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const it = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  let done = false;
  while (size < SAMPLE_BYTES && !done) {
    const r = await it.next();
    if (r.done) done = true;
    else {
      const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      chunks.push(b);
      size += b.length;
    }
  }
  const head = Buffer.concat(chunks);
  async function* again() {
    yield head;
    if (!done) for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { head: head.subarray(0, SAMPLE_BYTES), stream: Readable.from(again(), { objectMode: false }) };
}

/** Counts lines and remembers the last byte of what flows through, to tell a trace cut mid-line. */
class Tail extends PassThrough {
  newlines = 0;
  lastByte = -1;
  ended = false;
  constructor() {
    super();
    this.on('end', () => (this.ended = true));
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null, data?: Buffer) => void): void {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) this.newlines++;
    if (chunk.length > 0) this.lastByte = chunk[chunk.length - 1]!;
    done(null, chunk);
  }
}

/** Adds `cache <trace> [--format auto|din|xdin|lackey] [--config mem.json] ...` to `program`. */
export function registerCacheCommand(program: Command, io: CacheCommandIO = processIO): Command {
  const warn = io.warn ?? ((t: string) => void process.stderr.write(t));
  const cmd = program
    .command('cache')
    .description('replay a memory trace (Dinero IV din/xdin or valgrind Lackey) through the cache hierarchy and print a Dinero-like report')
    .argument('<trace>', "trace file, or '-' for standard input")
    .addOption(new Option('--format <format>', 'trace format; auto tells din, xdin and lackey apart from the first lines').choices(['auto', ...TRACE_FORMATS]).default('auto'))
    .option('--config <file>', 'memory configuration, JSON (see `MemoryConfigSchema`); defaults: 32 KiB L1D, 1 MiB L2, DRAM')
    .option('--timed', 'issue one access per cycle and report timing too (default: untimed, as Dinero)')
    .option('--cachegrind', "count as valgrind's cachegrind does, to compare with it exactly: an access spanning lines is one reference and at most one miss, a Lackey modify one read, no writebacks, write misses reach the next level as writes (untimed only)")
    .option('--json', 'print every statistic (name, value, unit, description) as JSON instead of the report')
    .option('--energy', 'append the memory energy estimate (leakage only in --timed runs)')
    .option('--energy-config <file>', 'memory energy parameters, JSON (see `MemoryEnergyConfigSchema`)');
  cmd.action(async (trace: string, opts: CacheOptions) => {
    try {
      const config = resolveMemoryConfig(opts.config ? readJsonFile(opts.config, 'memory configuration') : {}, opts.config ? `${opts.config}: memory` : 'memory');
      const energyCfg =
        opts.energy || opts.energyConfig
          ? resolveMemoryEnergyConfig(opts.energyConfig ? readJsonFile(opts.energyConfig, 'energy configuration') : {}, opts.energyConfig ? `${opts.energyConfig}: memoryEnergy` : 'memoryEnergy')
          : null;
      const name = trace === '-' ? 'standard input' : trace;
      // Look at the start before building the hierarchy: a binary file or an unknown format fails at once.
      const { head, stream } = trace === '-' ? await headOfStream(io.stdin) : { head: headOfFile(trace), stream: undefined };
      const bad = firstBinaryByte(head);
      if (bad >= 0) {
        throw new Error(`${name} is not a text trace: byte ${bad} is 0x${head[bad]!.toString(16).padStart(2, '0')} (binary data); mpsimd cache reads din, xdin and Lackey text traces`);
      }
      const detected = detectTraceFormat(head.toString('latin1'));
      const format: TraceFormat = opts.format === 'auto' ? (detected ?? 'din') : opts.format;
      if (opts.cachegrind && opts.timed) throw new Error('--cachegrind and --timed cannot be combined: cachegrind mode counts untimed references');
      const stats = new StatsRegistry();
      const memory = new MemoryHierarchy(config, stats, { cachegrind: opts.cachegrind ?? false });
      const tail = new Tail();
      const source = stream ?? createReadStream(trace);
      source.on('error', (e: Error) => tail.destroy(e)); // pipe() does not pass errors on
      const input = source.pipe(tail);
      let summary: TraceSummary;
      let cut: TraceParseError | undefined;
      try {
        summary = await runTrace(memory, input, format, { timed: opts.timed ?? false });
      } catch (e) {
        if (!(e instanceof TraceParseError)) throw e;
        // A last line without its newline that does not parse: the writer was killed mid-line (a valgrind
        // run stopped by a signal). Everything before it was replayed, so report that, and warn.
        if (tail.ended && tail.lastByte !== 10 && e.lineNumber === tail.newlines + 1) {
          cut = e;
          summary = e.replayed!; // runTrace sets it on every parse error
        } else {
          const hint =
            opts.format === 'auto' && detected === undefined
              ? ' (the first lines match none of din, xdin and lackey: give --format)'
              : opts.format !== 'auto' && detected !== undefined && detected !== opts.format
                ? ` (the first lines look like ${detected}: try --format ${detected} or leave --format out)`
                : opts.format === 'auto'
                  ? ` (read as ${format}, detected from the first lines; --format sets it)`
                  : '';
          throw new Error(printable(e.message) + hint);
        }
      }
      if (cut) warn(`warning: ${name} ends in the middle of line ${cut.lineNumber} ('${printable(cut.text.slice(0, 40))}'): the trace looks cut short; the report covers the ${cut.lineNumber - 1} lines before it\n`);
      if (summary.accesses === 0) warn(`warning: ${name} has no memory accesses (${summary.lines} lines read): every count below is zero\n`);
      const energy = energyCfg ? priceMemoryEnergy(stats, memoryEnergyTable(config, energyCfg), summary.cycles) : null;
      if (opts.json) {
        io.write(JSON.stringify({ trace, format, ...(cut ? { truncated: { line: cut.lineNumber } } : {}), summary, stats: stats.toJSON(), ...(energy ? { energy } : {}) }, null, 2) + '\n');
        return;
      }
      const title =
        `---mpsimd cache: ${name} (${format}${opts.format !== 'auto' ? '' : detected !== undefined ? ', detected' : ', assumed: no record lines to tell'}), ${summary.lines} lines, ${summary.records} records, ${summary.accesses} accesses` +
        (cut ? ', CUT SHORT' : '') +
        (opts.timed ? `, ${summary.cycles} cycles, ${summary.retries} retries` : '') +
        (opts.cachegrind ? ', counted as cachegrind does' : '');
      io.write(formatMemoryReport(memory, stats, { title }));
      if (energy) io.write('\nmemory energy\n' + formatMemoryEnergy(energy));
    } catch (e) {
      if (e instanceof Error) cmd.error(`error: ${e.message}`, { exitCode: 1 });
      throw e;
    }
  });
  return cmd;
}
