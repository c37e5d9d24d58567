/**
 * Reading the files a user names (programs, machine and space files, traces, stores): every failure is one
 * {@link FileError} that names the file, what it was meant to be and why it could not be used, in words
 * (`no such file or directory`, `line 3, column 7: ...`) instead of Node's `ENOENT: ..., open 'x'`.
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** A file that could not be read or parsed; the message names the file, its role and the reason. */
export class FileError extends Error {
  constructor(
    /** The path as the user gave it. */
    readonly path: string,
    /** What the file was meant to be, e.g. `machine file`. */
    readonly what: string,
    /** Why it could not be used. */
    readonly reason: string,
  ) {
    super(`${what} '${path}': ${reason}`);
    this.name = 'FileError';
  }
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
};

/** The reason of a file-system error in words (`no such file or directory`), without Node's prefix. */
export function fileErrorReason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && REASONS[code] !== undefined) return REASONS[code]!;
  return e instanceof Error ? e.message : String(e);
}

/** Reads a file as bytes; throws a {@link FileError} naming it. */
export function readBytesFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new FileError(path, what, `cannot read it: ${fileErrorReason(e)}`);
  }
}

/** Reads a text file (UTF-8); throws a {@link FileError} naming it. */
export function readTextFile(path: string, what: string): string {
  return readBytesFile(path, what).toString('utf8');
}

/** `line L, column C` of a character offset in `text` (both 1-based). */
export function lineColumn(text: string, offset: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return `line ${line}, column ${col}`;
}

/**
 * Parses JSON text, turning a syntax error into a {@link FileError} that gives the line and column
 * (V8 reports only an offset).
 */
export function parseJsonText(text: string, path: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const at = /at position (\d+)/.exec(msg);
    const where = at ? `${lineColumn(text, Number(at[1]))}: ` : '';
    const plain = msg.replace(/ in JSON at position \d+.*$/, '').replace(/^Unexpected end of JSON input$/, 'the text ends before the JSON value does');
    throw new FileError(path, what, `not valid JSON: ${where}${plain}`);
  }
}

/** Reads and parses a JSON file; any failure is a {@link FileError} naming the file. */
export function readJsonFile(path: string, what: string): unknown {
  return parseJsonText(readTextFile(path, what), path, what);
}

/** Writes an output file; a failure (a missing folder, no permission) is a {@link FileError} naming it. */
export function writeOutputFile(path: string, data: string | Uint8Array, what: string): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    throw new FileError(path, what, `cannot write it: ${fileErrorReason(e)}`);
  }
}
