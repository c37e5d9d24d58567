/**
 * The cache half of the validation: small C programs compiled with gcc, run twice under valgrind (once
 * traced by Lackey, once simulated by cachegrind, both with the same geometry and the same standard output),
 * and the Lackey trace replayed by mpsimd's cache model in cachegrind mode and in its default mode.
 *
 * @module
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveMemoryConfig } from '../../src/memory/config.js';
import { MemoryHierarchy } from '../../src/memory/hierarchy.js';
import { runTrace } from '../../src/memory/trace.js';
import { StatsRegistry } from '../../src/stats/registry.js';

/** Where the C programs are. */
export const PROGRAM_DIR = join(import.meta.dirname, 'programs');

/** The programs, in table order, with what each one exercises. */
export const PROGRAMS: readonly { name: string; title: string }[] = [
  { name: 'matmul', title: 'matrix product, 64 x 64 doubles, i-k-j order' },
  { name: 'transpose', title: 'transpose, 256 x 256 ints' },
  { name: 'strided', title: 'strided walk, 1 MiB, stride 80 bytes, 4 passes' },
  { name: 'listchase', title: 'linked-list chase, 32 K nodes of 64 bytes in random order, 3 passes' },
];

/** cachegrind's geometry for I1, D1 and LL (size, ways, line bytes), and the same as an mpsimd memory configuration. */
export const GEOMETRY = { i1: [32768, 8, 64], d1: [32768, 8, 64], ll: [1048576, 16, 64] } as const;

const CONFIG = resolveMemoryConfig({
  levels: [
    { sizeBytes: GEOMETRY.d1[0], ways: GEOMETRY.d1[1], lineBytes: GEOMETRY.d1[2] },
    { sizeBytes: GEOMETRY.ll[0], ways: GEOMETRY.ll[1], lineBytes: GEOMETRY.ll[2] },
  ],
  l1i: { sizeBytes: GEOMETRY.i1[0], ways: GEOMETRY.i1[1], lineBytes: GEOMETRY.i1[2] },
});

/** cachegrind's events, in its order. */
export const EVENTS = ['Ir', 'I1mr', 'ILmr', 'Dr', 'D1mr', 'DLmr', 'Dw', 'D1mw', 'DLmw'] as const;
/** Counts of cachegrind's events. */
export type CacheCounts = Record<(typeof EVENTS)[number], number>;

/** The statistic of mpsimd's hierarchy that each event corresponds to. */
const STAT: Record<(typeof EVENTS)[number], string> = {
  Ir: 'l1i.accesses.ifetch',
  I1mr: 'l1i.misses.ifetch',
  ILmr: 'l2.misses.ifetch',
  Dr: 'l1d.accesses.read',
  D1mr: 'l1d.misses.read',
  DLmr: 'l2.misses.read',
  Dw: 'l1d.accesses.write',
  D1mw: 'l1d.misses.write',
  DLmw: 'l2.misses.write',
};

/** What is missing to run the cache validation, or null when valgrind and gcc are both there. */
export function missingTools(): string | null {
  const missing = ['valgrind', 'gcc'].filter((t) => spawnSync(t, ['--version'], { stdio: 'ignore' }).status !== 0);
  return missing.length === 0 ? null : `${missing.join(' and ')} not installed (Debian packages valgrind, gcc)`;
}

/** Runs `argv` with standard output to /dev/null (both runs must see the same output, or libc's buffering differs). */
function run(argv: string[], cwd: string): void {
  const devnull = openSync('/dev/null', 'w');
  try {
    const r = spawnSync(argv[0]!, argv.slice(1), { cwd, stdio: ['ignore', devnull, 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr.split('\n').slice(-5).join(' | ')}`);
  } finally {
    closeSync(devnull);
  }
}

/** One program's results. */
export interface CacheRow {
  readonly name: string;
  readonly title: string;
  readonly traceBytes: number;
  readonly cachegrind: CacheCounts;
  readonly mpsimdCachegrind: CacheCounts;
  readonly mpsimdDefault: CacheCounts;
  /** Accesses replayed per second, cachegrind mode, from the Lackey file (parse included). */
  readonly replayPerSecond: number;
}

async function replay(trace: string, cachegrind: boolean): Promise<{ counts: CacheCounts; perSecond: number }> {
  const stats = new StatsRegistry();
  const memory = new MemoryHierarchy(CONFIG, stats, { cachegrind });
  const t0 = performance.now();
  const summary = await runTrace(memory, trace, 'lackey');
  const seconds = (performance.now() - t0) / 1000;
  const counts = Object.fromEntries(EVENTS.map((e) => [e, stats.get(STAT[e])])) as CacheCounts;
  return { counts, perSecond: summary.accesses / seconds };
}

/** Compiles, traces, simulates and replays one program (C source `source`) in a fresh temporary folder. */
export async function validateProgram(source: string, name: string, title = name): Promise<CacheRow> {
  const dir = mkdtempSync(join(tmpdir(), 'mpsimd-cachegrind-'));
  try {
    execFileSync('gcc', ['-O1', '-o', join(dir, name), source], { stdio: 'pipe' });
    const trace = join(dir, `${name}.lackey`);
    run(['valgrind', '--tool=lackey', '--trace-mem=yes', `--log-file=${trace}`, `./${name}`], dir);
    const out = join(dir, `${name}.cg`);
    const geo = (k: keyof typeof GEOMETRY) => GEOMETRY[k].join(',');
    run(['valgrind', '--tool=cachegrind', '--cache-sim=yes', `--I1=${geo('i1')}`, `--D1=${geo('d1')}`, `--LL=${geo('ll')}`, `--cachegrind-out-file=${out}`, `./${name}`], dir);
    const text = readFileSync(out, 'utf8');
    const events = /^events: (.*)$/m.exec(text)?.[1]?.trim().split(/\s+/);
    const summary = /^summary: (.*)$/m.exec(text)?.[1]?.trim().split(/\s+/).map(Number);
    if (events === undefined || summary === undefined) throw new Error(`${out}: no events/summary lines`);
    const cachegrind = Object.fromEntries(EVENTS.map((e) => [e, summary[events.indexOf(e)]!])) as CacheCounts;
    const cg = await replay(trace, true);
    const def = await replay(trace, false);
    return { name, title, traceBytes: statSync(trace).size, cachegrind, mpsimdCachegrind: cg.counts, mpsimdDefault: def.counts, replayPerSecond: cg.perSecond };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every program of {@link PROGRAMS}. */
export async function runCaches(progress: (row: CacheRow) => void = () => {}): Promise<CacheRow[]> {
  const rows: CacheRow[] = [];
  for (const p of PROGRAMS) {
    const row = await validateProgram(join(PROGRAM_DIR, `${p.name}.c`), p.name, p.title);
    rows.push(row);
    progress(row);
  }
  return rows;
}

/** The rows as Markdown. */
export function cachesMarkdown(rows: readonly CacheRow[], valgrindVersion: string): string {
  const out = [
    `${valgrindVersion}, gcc -O1; I1 and D1 ${GEOMETRY.d1[0] / 1024} KiB ${GEOMETRY.d1[1]}-way, LL ${GEOMETRY.ll[0] / 1048576} MiB ${GEOMETRY.ll[1]}-way, 64-byte lines, LRU.`,
    'Each program runs twice under valgrind with its output to /dev/null: traced by Lackey (`--trace-mem=yes`) and',
    'simulated by cachegrind. mpsimd replays the Lackey trace (`mpsimd cache --format lackey`) in cachegrind mode',
    '(`--cachegrind`) and in its default mode. Default-mode mapping: Dr/Dw are L1D reads/writes (a modify is both),',
    'DLmr/DLmw are L2 read/write misses, where an L1 write miss fetches its line with a read and an L2 write is a',
    'writeback.',
    '',
    `| program | counted by | ${EVENTS.join(' | ')} |`,
    `|---|---|${EVENTS.map(() => '---:').join('|')}|`,
  ];
  for (const r of rows) {
    const line = (who: string, c: CacheCounts, ref?: CacheCounts) =>
      `| ${r.name}: ${r.title} | ${who} | ${EVENTS.map((e) => (ref === undefined || c[e] === ref[e] ? String(c[e]) : `**${c[e]}** (${c[e] - ref[e] > 0 ? '+' : ''}${c[e] - ref[e]})`)).join(' | ')} |`;
    out.push(line('cachegrind', r.cachegrind), line('mpsimd, cachegrind mode', r.mpsimdCachegrind, r.cachegrind), line('mpsimd, default', r.mpsimdDefault, r.cachegrind));
  }
  const exact = rows.filter((r) => EVENTS.every((e) => r.mpsimdCachegrind[e] === r.cachegrind[e])).map((r) => r.name);
  out.push('', `In cachegrind mode mpsimd equals cachegrind on every count for ${exact.length} of ${rows.length} programs${exact.length > 0 ? ` (${exact.join(', ')})` : ''}; bold counts differ, by the amount in parentheses.`);
  out.push('', '| program | Lackey trace (MB) | replay, cachegrind mode (M accesses/s, parse included) |', '|---|---:|---:|');
  for (const r of rows) out.push(`| ${r.name} | ${(r.traceBytes / 1e6).toFixed(1)} | ${(r.replayPerSecond / 1e6).toFixed(2)} |`);
  return out.join('\n');
}
