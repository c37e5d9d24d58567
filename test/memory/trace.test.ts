/** Trace readers: the same trace as an array, a din file, a Lackey file and a stream gives identical results; malformed lines name their line. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACCESS_IFETCH, ACCESS_READ, ACCESS_WRITE } from '../../src/memory/port.js';
import { parseTrace, runTrace, runTraceRecords, TraceParseError, type TraceRecord } from '../../src/memory/trace.js';
import { build, level } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'mpsimd-trace-'));
const config = { levels: [level(512, 2, 32), level(4096, 4, 64)], l1i: level(256, 2, 32) };

function toDin(rs: TraceRecord[]): string {
  return rs.map((r) => `${r.op} ${r.addr.toString(16)}`).join('\n') + '\n';
}
function toLackey(rs: TraceRecord[]): string {
  const head = '==1234== Lackey, an example Valgrind tool\n==1234== Command: ./a.out\n';
  return head + rs.map((r) => (r.op === ACCESS_IFETCH ? 'I  ' : r.op === ACCESS_READ ? ' L ' : ' S ') + `${r.addr.toString(16).padStart(8, '0')},${r.size}`).join('\n') + '\n==1234== \n';
}

const record = fc.record({
  op: fc.constantFrom(ACCESS_READ, ACCESS_WRITE, ACCESS_IFETCH),
  addr: fc.integer({ min: 0, max: 1 << 14 }).map((a) => a * 4), // 4-byte aligned: din's word accesses
  size: fc.constant(4),
});

describe('same trace, three sources', () => {
  it('array, din file, Lackey file and a din stream give identical statistics', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 200 }), async (rs) => {
        const a = build(config);
        runTraceRecords(a.h, rs);
        const din = join(dir, 't.din');
        const lackey = join(dir, 't.lackey');
        writeFileSync(din, toDin(rs));
        writeFileSync(lackey, toLackey(rs));
        const b = build(config);
        const sb = await runTrace(b.h, din, 'din');
        const c = build(config);
        const sc = await runTrace(c.h, lackey, 'lackey');
        const d = build(config);
        await runTrace(d.h, Readable.from([toDin(rs)]), 'din');
        expect(sb.accesses).toBe(rs.length);
        expect(sc.accesses).toBe(rs.length);
        expect(b.stats.toJSON()).toEqual(a.stats.toJSON());
        expect(c.stats.toJSON()).toEqual(a.stats.toJSON());
        expect(d.stats.toJSON()).toEqual(a.stats.toJSON());
      }),
      { numRuns: 25 },
    );
  });
  it('Lackey M is a load then a store of the same bytes', () => {
    const [m] = parseTrace('lackey', ' M 0421dd08,4');
    const a = build(config);
    runTraceRecords(a.h, [m!]);
    const b = build(config);
    runTraceRecords(b.h, [{ op: ACCESS_READ, addr: 0x421dd08, size: 4 }, { op: ACCESS_WRITE, addr: 0x421dd08, size: 4 }]);
    expect(a.stats.toJSON()).toEqual(b.stats.toJSON());
  });
  it('streams a million-line din trace in bounded memory', async () => {
    const n = 1_000_000;
    function* lines() {
      for (let i = 0; i < n; i += 1000) {
        let chunk = '';
        for (let j = i; j < i + 1000; j++) chunk += `0 ${((j * 64) % (1 << 22)).toString(16)}\n`;
        yield chunk;
      }
    }
    const { h, stats } = build({ levels: [level(32768, 8, 64, { classifyMisses: false })] });
    const before = process.memoryUsage().heapUsed;
    const s = await runTrace(h, Readable.from(lines()), 'din');
    expect(s.accesses).toBe(n);
    expect(stats.get('l1d.accesses')).toBe(n);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('din format details (as Dinero IV reads it)', () => {
  it('hex labels and addresses, optional 0x, rest of line ignored, 4-byte access at address & ~3', () => {
    expect(parseTrace('din', '0 1000\n1 0x70f6088e comment\n2\t2cb5\n\n# note\n3 FF')).toEqual([
      { op: 0, addr: 0x1000, size: 4 },
      { op: 1, addr: 0x70f6088c, size: 4 },
      { op: 2, addr: 0x2cb4, size: 4 },
      { op: 3, addr: 0xfc, size: 4 },
    ]);
  });
  it('xdin: type letter, hex address and size', () => {
    expect(parseTrace('xdin', 'r 0x10 8\nw 20 0x40\ni 4 4\nm 8 1')).toEqual([
      { op: 0, addr: 16, size: 8 },
      { op: 1, addr: 32, size: 64 },
      { op: 2, addr: 4, size: 4 },
      { op: 3, addr: 8, size: 1 },
    ]);
  });
});

describe('malformed lines name the line and the problem', () => {
  const cases: [string, 'din' | 'xdin' | 'lackey', string, RegExp][] = [
    ['din: bad label', 'din', '0 10\nx 20\n', /din trace, line 2: label must be a hex number/],
    ['din: unknown label', 'din', '0 10\n0 20\n7 30\n', /line 3: unknown label 7/],
    ['din: no address', 'din', '1\n', /line 1: short line: no address/],
    ['din: bad address digit', 'din', '0 10\n0 12g4\n', /line 2: non-hex digit 'g' in address/],
    ['din: address too large', 'din', '0 fffffffffffffffff\n', /line 1: address does not fit in 53 bits/],
    ['xdin: bad type', 'xdin', 'q 10 4\n', /xdin trace, line 1: access type must be r, w, i or m/],
    ['xdin: missing size', 'xdin', 'r 10\n', /line 1: size must be a hex number >= 1/],
    ['lackey: bad op', 'lackey', '==1== hi\nI  0400,3\n X 0400,4\n', /lackey trace, line 3: operation must be I, L, S or M/],
    ['lackey: no comma', 'lackey', ' L 0400 4\n', /line 1: expected ',' after the address/],
    ['lackey: zero size', 'lackey', ' L 0400,0\n', /line 1: size must be a decimal number >= 1/],
    ['lackey: trailing junk', 'lackey', ' S 0400,4x\n', /line 1: unexpected 'x' after the size/],
  ];
  for (const [name, format, text, re] of cases) {
    it(name, async () => {
      expect(() => parseTrace(format, text)).toThrow(re);
      const { h } = build(config);
      await expect(runTrace(h, Readable.from([text]), format)).rejects.toThrow(TraceParseError);
    });
  }
  it('a file error carries the line number as a field', async () => {
    const f = join(dir, 'bad.din');
    writeFileSync(f, '0 10\n0 20\n\n0 zz\n');
    const { h } = build(config);
    const err = await runTrace(h, f, 'din').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceParseError);
    expect((err as TraceParseError).lineNumber).toBe(4);
  });
});

describe('copy back and invalidate records (din labels 4 and 5)', () => {
  it('4 writes dirty lines back and keeps them; 5 drops everything', () => {
    const { h, stats } = build({ levels: [level(256, 1, 64)] });
    runTraceRecords(h, parseTrace('din', '1 0\n1 40\n4 0\n0 0\n5 0\n0 0\n'));
    expect(stats.get('l1d.writebacks')).toBe(2);
    expect(stats.get('l1d.misses')).toBe(3); // two write misses, then read hit, then miss after invalidate
    expect(stats.get('dram.writes')).toBe(2);
  });
});
