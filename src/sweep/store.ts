/**
 * The results store: an append-only JSONL file, one line per finished point, written with one `write` call
 * per line as soon as the point finishes (and fsynced unless told not to), so killing a sweep at any moment
 * loses no finished point. A line cut short by a crash is ignored when the file is read, and the file is
 * given a fresh line before anything more is appended. Reading a store gives the finished points by key, so
 * a sweep started again skips them; {@link mergeStores} joins the stores of shards.
 *
 * @module
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { readTextFile } from '../config/files.js';
import type { EvalResult } from './evaluator.js';
import { canonicalJson } from './json.js';
import type { PointValues } from './space.js';

/** What became of a point: evaluated, threw while evaluating, or failed configuration validation. */
export type RowStatus = 'ok' | 'error' | 'invalid';

/** One finished point, as stored (one JSONL line) and as returned by a sweep. */
export interface SweepRow {
  /** Position of the point in its strategy's order (grid order, sampling order, NSGA-II proposal order). */
  readonly index: number;
  /** Content hash of evaluator, resolved configuration and resolved workload: the point's identity. */
  readonly key: string;
  /** The point's dimension values. */
  readonly point: PointValues;
  readonly status: RowStatus;
  /** The metrics (status `ok` only). */
  readonly metrics?: EvalResult['metrics'];
  /** Breakdowns for stacked plots (status `ok`, when the evaluator gives them). */
  readonly breakdowns?: EvalResult['breakdowns'];
  /** The error message (status `error` or `invalid`). */
  readonly error?: string;
  /** Evaluator that produced the row. */
  readonly evaluator: string;
  /** mpsimd version (package.json) that produced the row. */
  readonly simulatorVersion: string;
  /** Wall time of the evaluation in a worker, milliseconds. */
  readonly elapsedMs: number;
}

/** Rows read from a store file, and how many lines could not be read (a line cut by a kill). */
export interface StoreContents {
  readonly rows: SweepRow[];
  readonly badLines: number;
}

function isRow(v: unknown): v is SweepRow {
  const r = v as SweepRow;
  return (
    typeof r === 'object' && r !== null && typeof r.key === 'string' && typeof r.index === 'number' &&
    (r.status === 'ok' || r.status === 'error' || r.status === 'invalid') && typeof r.point === 'object'
  );
}

/** Reads every row of a store file (an absent file has none). */
export function readStore(path: string): StoreContents {
  return existsSync(path) ? parseStore(readFileSync(path, 'utf8')) : { rows: [], badLines: 0 };
}

/** Parses the text of a store file. */
export function parseStore(text: string): StoreContents {
  const rows: SweepRow[] = [];
  let badLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const v: unknown = JSON.parse(line);
      if (isRow(v)) rows.push(v);
      else badLines++;
    } catch {
      badLines++;
    }
  }
  return { rows, badLines };
}

/** Options of {@link ResultStore.open}. */
export interface StoreOptions {
  /** fsync after every line, so not even a machine crash loses a finished point. Default true. */
  readonly fsync?: boolean;
}

/** An open store: finished rows by key, and an append-only writer. */
export class ResultStore {
  private constructor(
    /** The store's file. */
    readonly path: string,
    private fd: number | undefined,
    private readonly done: Map<string, SweepRow>,
    /** Lines that could not be read when the store was opened. */
    readonly badLines: number,
    private readonly fsync: boolean,
  ) {}

  /** Opens (creating it and its folder if needed) a store for appending, reading its finished rows. */
  static open(path: string, options: StoreOptions = {}): ResultStore {
    mkdirSync(dirname(path), { recursive: true });
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const { rows, badLines } = parseStore(text);
    const done = new Map<string, SweepRow>();
    for (const r of rows) done.set(r.key, r); // the last line of a key is the latest word on it
    const fd = openSync(path, 'a+');
    // A kill mid-line leaves the file without a final newline: end that line so the next one stands alone.
    if (text.length > 0 && !text.endsWith('\n')) writeSync(fd, '\n');
    return new ResultStore(path, fd, done, badLines, options.fsync ?? true);
  }

  /** The stored row of a key, if that point finished before. */
  get(key: string): SweepRow | undefined {
    return this.done.get(key);
  }

  /** Number of distinct finished points in the store. */
  get size(): number {
    return this.done.size;
  }

  /** Appends one row as one line, flushed before returning. */
  append(row: SweepRow): void {
    if (this.fd === undefined) throw new Error(`store ${this.path} is closed`);
    writeSync(this.fd, JSON.stringify(row) + '\n');
    if (this.fsync) fsyncSync(this.fd);
    this.done.set(row.key, row);
  }

  /** Closes the file. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** What {@link mergeStores} found. */
export interface MergeResult {
  /** Distinct rows, sorted by index then key. */
  readonly rows: SweepRow[];
  /** Rows dropped because an equal key was already present. */
  readonly duplicates: number;
  /** Keys seen with different outcomes (the last line read is kept, as a resumed sweep does). */
  readonly conflicts: string[];
  /** Unreadable lines over all inputs. */
  readonly badLines: number;
  /** Rows and unreadable lines of each input, in the order given. */
  readonly inputs: ReadonlyArray<{ readonly path: string; readonly rows: number; readonly badLines: number }>;
}

/**
 * Joins stores (the shards of one sweep, or a sweep and its resumptions): one row per key (the last line read
 * wins, as when a sweep reads its own store), sorted by index then key, so the result does not depend on the order points finished in.
 * A path that cannot be read throws a FileError naming it.
 */
export function mergeStores(paths: readonly string[]): MergeResult {
  const byKey = new Map<string, SweepRow>();
  let duplicates = 0;
  let badLines = 0;
  const conflicts: string[] = [];
  const inputs: { path: string; rows: number; badLines: number }[] = [];
  for (const p of paths) {
    // Unlike a sweep's own store, an input to merge that does not exist is a mistake (a typo, a shard that
    // never ran), never an empty store.
    const c = parseStore(readTextFile(p, 'store'));
    inputs.push({ path: p, rows: c.rows.length, badLines: c.badLines });
    badLines += c.badLines;
    for (const r of c.rows) {
      const old = byKey.get(r.key);
      if (old !== undefined) {
        duplicates++;
        if (old.status !== r.status || canonicalJson(old.metrics) !== canonicalJson(r.metrics)) conflicts.push(r.key);
      }
      byKey.set(r.key, r);
    }
  }
  return { rows: sortRows([...byKey.values()]), duplicates, conflicts, badLines, inputs };
}

/** Rows sorted by index, then key. */
export function sortRows(rows: SweepRow[]): SweepRow[] {
  return rows.sort((a, b) => a.index - b.index || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
