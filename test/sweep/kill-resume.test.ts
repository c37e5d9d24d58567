// A sweep in a real child process is killed (SIGKILL, no chance to clean up) part way, started again on the
// same store, and must end with the rows of an uninterrupted run, with no point stored twice.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readStore } from '../../src/sweep/store.js';

const SCRIPT = fileURLToPath(new URL('./fixtures/run-sweep.ts', import.meta.url));
const lines = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '').length : 0);

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
}

/** Runs the sweep script; with `killAt`, SIGKILLs it once the store has that many lines. */
function runChild(store: string, killAt?: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, store, '30'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const timer =
      killAt === undefined
        ? undefined
        : setInterval(() => {
            if (lines(store) >= killAt) {
              clearInterval(timer);
              child.kill('SIGKILL');
            }
          }, 5);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, stdout });
    });
  });
}

const parse = (out: string) => JSON.parse(out.trim().split('\n').at(-1)!) as { counts: { evaluated: number; reused: number }; rows: unknown[] };

describe('kill and resume', () => {
  it('a sweep killed mid-run and restarted ends with the rows of an uninterrupted run and no duplicates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpsimd-kill-'));
    const full = await runChild(join(dir, 'full.jsonl'));
    expect(full.code).toBe(0);
    const reference = parse(full.stdout);

    const store = join(dir, 'killed.jsonl');
    const killed = await runChild(store, 12);
    expect(killed.signal).toBe('SIGKILL');
    const before = lines(store);
    expect(before).toBeGreaterThanOrEqual(12);
    expect(before).toBeLessThan(60); // it really was interrupted

    const resumed = await runChild(store);
    expect(resumed.code).toBe(0);
    const out = parse(resumed.stdout);
    expect(out.rows).toEqual(reference.rows);
    // Every point that was stored before the kill was reused, not evaluated again.
    expect(out.counts.reused).toBe(readStore(store).rows.length - out.counts.evaluated);
    expect(out.counts.reused).toBeGreaterThanOrEqual(before - 1); // the last line may have been cut by the kill
    const { rows } = readStore(store);
    expect(rows.length).toBe(60);
    expect(new Set(rows.map((r) => r.key)).size).toBe(60);
  });
});
