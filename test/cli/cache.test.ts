// `mpsimd cache` with inputs a user really has: an empty trace, a Lackey trace given without --format, a
// trace cut short by a killed valgrind, a binary file, garbage lines, and memory configurations that
// cannot be meant (no levels, a level too large to simulate).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { detectTraceFormat, firstBinaryByte, printable, registerCacheCommand } from '../../src/cli/commands/cache.js';
import { resolveMemoryConfig, MAX_CACHE_LINES } from '../../src/memory/config.js';

const dir = mkdtempSync(join(tmpdir(), 'mpsimd-cache-'));
const file = (name: string, data: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};

async function run(args: string[], stdin: string | Buffer = ''): Promise<{ out: string; err: string; warn: string; code: number }> {
  let out = '';
  let err = '';
  let warn = '';
  const program = new Command('mpsimd').exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  registerCacheCommand(program, { stdin: Readable.from([stdin]), write: (s) => (out += s), warn: (s) => (warn += s) });
  try {
    await program.parseAsync(['node', 'mpsimd', ...args]);
    return { out, err, warn, code: 0 };
  } catch (e) {
    return { out, err, warn, code: (e as { exitCode?: number }).exitCode ?? -1 };
  }
}

const LACKEY = '==4242== Lackey, an example Valgrind tool\n==4242== Command: ./a.out\nI  04000000,3\n L 1ffefffe38,8\n S 1ffefffe30,8\n M 0402a000,4\n';

describe('mpsimd cache: inputs', () => {
  it('detects a Lackey trace without --format (read as din before: "label must be a hex number")', async () => {
    const r = await run(['cache', file('prog.lackey', LACKEY), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { format: string; summary: { records: number; accesses: number } };
    expect(j.format).toBe('lackey');
    expect(j.summary).toMatchObject({ records: 4, accesses: 5 }); // M is a load and a store
    expect(detectTraceFormat('0 1000\n1 2000\n2 0\n')).toBe('din');
    expect(detectTraceFormat('r 1000 4\nw 0x2000 8\n')).toBe('xdin');
    expect(detectTraceFormat('# comment only\n')).toBeUndefined();
  });

  it('a wrong --format says what the trace looks like', async () => {
    const r = await run(['cache', file('prog2.lackey', LACKEY), '--format', 'din']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/din trace, line 1: .*\(the first lines look like lackey: try --format lackey or leave --format out\)/);
  });

  it('an empty trace warns that every count is zero', async () => {
    const r = await run(['cache', file('empty.din', '')]);
    expect(r.code).toBe(0);
    expect(r.warn).toMatch(/warning: .*empty\.din has no memory accesses \(0 lines read\): every count below is zero/);
    const comments = await run(['cache', '-'], '# nothing\n\n');
    expect(comments.warn).toMatch(/standard input has no memory accesses \(2 lines read\)/);
  });

  it('a trace cut mid-line (a killed valgrind) is reported up to the cut, with a warning', async () => {
    const cut = LACKEY + ' L 1ffefffe40,8\n S 1ffe';
    const r = await run(['cache', file('cut.lackey', cut), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { truncated: { line: number }; summary: { records: number; accesses: number; lines: number }; stats: Record<string, { value: number }> };
    expect(j.truncated.line).toBe(8);
    expect(j.summary).toMatchObject({ lines: 7, records: 5, accesses: 6 });
    expect(j.stats['l1d.accesses']!.value).toBe(6);
    expect(r.warn).toMatch(/cut\.lackey ends in the middle of line 8 \(' S 1ffe'\): the trace looks cut short; the report covers the 7 lines before it/);
    // The same from standard input, as `valgrind ... 2>&1 | mpsimd cache -`.
    const piped = await run(['cache', '-'], cut);
    expect(piped.code).toBe(0);
    expect(piped.out).toMatch(/CUT SHORT/);
    // A bad line in the middle is still an error, and so is a bad last line that ends with a newline.
    expect((await run(['cache', '-'], ' L 10,8\n L zz,8\n L 20,8\n')).code).toBe(1);
    expect((await run(['cache', '-'], ' L 10,8\n L zz,8\n')).code).toBe(1);
  });

  it('binary data is refused without being echoed; garbage bytes in an error are escaped', async () => {
    const bin = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x1b, 0x5b, 0x32, 0x4a]);
    const r = await run(['cache', file('a.out', bin)]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/a\.out is not a text trace: byte 0 is 0x7f \(binary data\)/);
    expect(r.err).not.toMatch(/[\x00-\x08\x1b\x7f]/);
    // Past the first 4 KiB, where the format was already told: the bad line is shown escaped.
    const late = '0 1000\n'.repeat(700) + '0 1\x1b[2J\xff\n';
    const g = await run(['cache', file('late.din', Buffer.from(late, 'latin1'))]);
    expect(g.code).toBe(1);
    expect(g.err).toMatch(/din trace, line 701: non-hex digit '\\x1b' in address: '0 1\\x1b\[2J\\ufffd'/);
    expect(g.err).not.toMatch(/[\x00-\x08\x1b\x7f-\xff]/);
    expect(firstBinaryByte(Buffer.from('0 10\r\n\t1 20\n'))).toBe(-1);
    expect(printable('a\u0007b\u00e9')).toBe('a\\x07b\\xe9');
  });

  it('a trace file that does not exist is named', async () => {
    const r = await run(['cache', join(dir, 'nope.din')]);
    expect(r.err).toMatch(/trace '.*nope\.din': cannot read it: no such file or directory/);
  });
});

describe('mpsimd cache: memory configurations that cannot be meant', () => {
  it('no levels is a located error, not a crash reading levels[0]', async () => {
    expect(() => resolveMemoryConfig({ levels: [] })).toThrow(/memory\.levels: Too small: expected array to have >=1 items/);
    const r = await run(['cache', '-', '--config', file('nolevels.json', '{"levels": []}')], '0 10\n');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nolevels\.json: memory\.levels: Too small/);
    expect(r.err).not.toMatch(/Cannot read properties/);
  });

  it('a level with more lines than the simulator can hold is refused before anything is allocated', async () => {
    const t0 = Date.now();
    const r = await run(['cache', '-', '--config', file('huge.json', JSON.stringify({ levels: [{ sizeBytes: 64 * 2 ** 30, ways: 8 }] }))], '0 10\n');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/memory\.levels\[0\]\.sizeBytes: 68719476736 bytes of 64-byte lines is 1073741824 lines; a level may have at most 16777216/);
    expect(Date.now() - t0).toBeLessThan(5000);
    // The bound itself is allowed (not allocated here), and so is a large last-level cache of big lines.
    expect(() => resolveMemoryConfig({ levels: [{ sizeBytes: MAX_CACHE_LINES * 64, ways: 16 }] })).not.toThrow();
    expect(() => resolveMemoryConfig({ levels: [{ sizeBytes: MAX_CACHE_LINES * 64 * 2, ways: 16 }] })).toThrow(/at most 16777216/);
  });
});
