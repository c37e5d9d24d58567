/** `mpsimd cache` end to end: a din trace from a file and from stdin, a config file, JSON output, errors. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerCacheCommand } from '../../src/cli/commands/cache.js';

const dir = mkdtempSync(join(tmpdir(), 'mpsimd-cli-'));

async function run(args: string[], stdinText = ''): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const program = new Command('mpsimd').exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  registerCacheCommand(program, { stdin: Readable.from([stdinText]), write: (s) => (out += s) });
  try {
    await program.parseAsync(['node', 'mpsimd', ...args]);
    return { out, err, code: 0 };
  } catch (e) {
    return { out, err, code: (e as { exitCode?: number }).exitCode ?? -1 };
  }
}

const din = '2 0\n0 1000\n0 1004\n1 2000\n0 1000\n0 41000\n0 1000\n';

describe('mpsimd cache', () => {
  it('runs a din file end to end and prints a Dinero-like report', async () => {
    const f = join(dir, 'a.din');
    writeFileSync(f, din);
    const cfg = join(dir, 'mem.json');
    writeFileSync(cfg, JSON.stringify({ levels: [{ sizeBytes: 4096, ways: 1, lineBytes: 64 }] }));
    const r = await run(['cache', f, '--config', cfg]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/l1d: 4096 bytes, direct-mapped, 64-byte lines, 64 sets/);
    // 64 sets of 64 B: lines 0x0/64 = 0, 0x1000/64 = 64, 0x2000/64 = 128, 0x41000/64 = 4160 all map to set 0.
    // ifetch 0 m | read 1000 m | read 1004 h | write 2000 m | read 1000 m (dirty 2000 written back) |
    // read 41000 m | read 1000 m  -> 7 fetches (1 instr, 5 read, 1 write), 6 misses; lines 0, 64, 128, 4160
    // are compulsory, the two re-misses of 64 would hit a fully associative cache: conflict.
    expect(r.out).toMatch(/Demand Fetches\s+7\s+1\s+6\s+5\s+1\s+0/);
    expect(r.out).toMatch(/Demand Misses\s+6\s+1\s+5\s+4\s+1\s+0/);
    expect(r.out).toMatch(/Compulsory misses\s+4\b/);
    expect(r.out).toMatch(/Conflict misses\s+2\b/);
    expect(r.out).toMatch(/Writebacks\s+1\b/);
  });
  it('reads standard input and prints JSON statistics', async () => {
    const r = await run(['cache', '-', '--json', '--energy'], din);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.summary.accesses).toBe(7);
    expect(j.stats['l1d.accesses'].value).toBe(7);
    expect(j.stats['l1d.misses.read'].unit).toBe('accesses');
    expect(j.energy.totalPj).toBeGreaterThan(0);
  });
  it('runs the timed mode and the Lackey format', async () => {
    const r = await run(['cache', '-', '--format', 'lackey', '--timed'], 'I  0400,4\n L 1000,8\n S 1000,8\n');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/3 accesses, \d+ cycles, 0 retries/);
  });
  it('reports a malformed line with its number, and a bad config with its field', async () => {
    const bad = await run(['cache', '-'], '0 10\n0 1x\n');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/din trace, line 2: non-hex digit 'x' in address/);
    const cfg = join(dir, 'bad.json');
    writeFileSync(cfg, JSON.stringify({ levels: [{ sizeBytes: 1000 }] }));
    const r = await run(['cache', '-', '--config', cfg], din);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.json: memory\.levels\[0\]\.sizeBytes: must be a multiple of lineBytes x ways/);
    const fmt = await run(['cache', '-', '--format', 'pixie'], din);
    expect(fmt.code).not.toBe(0);
  });
});
