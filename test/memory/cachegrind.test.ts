// The cachegrind-compatible mode: hand-worked cases of each rule, the default left as it was, and equality
// with a deliberately naive model of cachegrind's simulator (cg_sim.c: per set a list of tags, MRU first; an
// access spanning two lines is one reference, a miss if either line missed, and then the whole access is a
// reference of the last level) on random traces.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveMemoryConfig, type MemoryConfigInput } from '../../src/memory/config.js';
import { MemoryHierarchy } from '../../src/memory/hierarchy.js';
import { ACCESS_IFETCH, ACCESS_READ, ACCESS_WRITE } from '../../src/memory/port.js';
import { runTraceRecords, TRACE_MODIFY, type TraceRecord } from '../../src/memory/trace.js';
import { StatsRegistry } from '../../src/stats/registry.js';

const GEOMETRY: MemoryConfigInput = {
  levels: [
    { sizeBytes: 256, ways: 2, lineBytes: 32 },
    { sizeBytes: 1024, ways: 4, lineBytes: 32 },
  ],
  l1i: { sizeBytes: 256, ways: 2, lineBytes: 32 },
};

function build(cachegrind: boolean, input: MemoryConfigInput = GEOMETRY) {
  const stats = new StatsRegistry();
  return { h: new MemoryHierarchy(resolveMemoryConfig(input), stats, { cachegrind }), stats };
}

const rec = (op: number, addr: number, size: number): TraceRecord => ({ op, addr, size });

describe('cachegrind mode, rule by rule', () => {
  it('an access spanning two lines is one reference and at most one miss, and reaches L2 once, whole', () => {
    const { h, stats } = build(true);
    runTraceRecords(h, [rec(ACCESS_READ, 60, 8)]); // lines 1 and 2, both missing
    expect([stats.get('l1d.accesses.read'), stats.get('l1d.misses.read'), stats.get('l1d.multiLineAccesses')]).toEqual([1, 1, 1]);
    expect([stats.get('l2.accesses.read'), stats.get('l2.misses.read')]).toEqual([1, 1]);
    expect(h.level('l2').contains(32) && h.level('l2').contains(64)).toBe(true);
    const d = build(false);
    runTraceRecords(d.h, [rec(ACCESS_READ, 60, 8)]);
    expect([d.stats.get('l1d.accesses.read'), d.stats.get('l1d.misses.read'), d.stats.get('l2.accesses.read')]).toEqual([2, 2, 2]);
  });

  it('when one of the two lines hits, L2 still sees the whole access: the hit line is referenced there too', () => {
    const { h, stats } = build(true);
    // Line 2 first (into L1 and L2), then the access spanning lines 1 and 2: one L1 miss (line 1), one L2 reference.
    runTraceRecords(h, [rec(ACCESS_READ, 64, 4), rec(ACCESS_READ, 60, 8)]);
    expect([stats.get('l1d.accesses.read'), stats.get('l1d.misses.read')]).toEqual([2, 2]);
    expect([stats.get('l2.accesses.read'), stats.get('l2.misses.read')]).toEqual([2, 2]);
    // Both L1 lines hit now: no L2 reference.
    runTraceRecords(h, [rec(ACCESS_READ, 60, 8)]);
    expect([stats.get('l1d.accesses.read'), stats.get('l1d.misses.read'), stats.get('l2.accesses.read')]).toEqual([3, 2, 2]);
  });

  it('a Lackey modify is one read; a write miss asks L2 with a write; nothing is written back', () => {
    const { h, stats } = build(true);
    // Set 0 of the 2-way L1 holds lines 0, 4, 8, ... (4 sets of 32 bytes): write line 0, then two more lines of set 0.
    runTraceRecords(h, [rec(TRACE_MODIFY, 0, 4), rec(ACCESS_WRITE, 0, 4), rec(ACCESS_READ, 128, 4), rec(ACCESS_READ, 256, 4)]);
    expect([stats.get('l1d.accesses.read'), stats.get('l1d.accesses.write')]).toEqual([3, 1]);
    expect([stats.get('l1d.evictions'), stats.get('l1d.writebacks'), stats.get('l2.accesses.write')]).toEqual([1, 0, 0]);
    const w = build(true);
    runTraceRecords(w.h, [rec(ACCESS_WRITE, 0, 4)]);
    expect([w.stats.get('l2.accesses.write'), w.stats.get('l2.misses.write'), w.stats.get('l2.accesses.read')]).toEqual([1, 1, 0]);
    // The default: a modify is a read and a write, a write miss fetches with a read, a dirty victim is written back.
    const d = build(false);
    runTraceRecords(d.h, [rec(TRACE_MODIFY, 0, 4), rec(ACCESS_READ, 128, 4), rec(ACCESS_READ, 256, 4)]);
    expect([d.stats.get('l1d.accesses.read'), d.stats.get('l1d.accesses.write'), d.stats.get('l1d.writebacks'), d.stats.get('l2.accesses.write')]).toEqual([3, 1, 1, 1]);
  });

  it('has no 3C split and refuses a timed replay', () => {
    const { h, stats } = build(true);
    expect(stats.has('l1d.misses.compulsory')).toBe(false);
    expect(() => runTraceRecords(h, [rec(ACCESS_READ, 0, 4)], { timed: true })).toThrow(/cachegrind mode replays traces untimed only/);
  });
});

/** cachegrind's simulator, naively: I1, D1 and LL as lists of line numbers per set, most recent first. */
class NaiveCachegrind {
  private readonly caches: { sets: number[][]; ways: number; line: number }[];
  readonly counts = { Ir: 0, I1mr: 0, ILmr: 0, Dr: 0, D1mr: 0, DLmr: 0, Dw: 0, D1mw: 0, DLmw: 0 };

  constructor(levels: { size: number; ways: number; line: number }[]) {
    this.caches = levels.map((l) => ({ sets: Array.from({ length: l.size / (l.ways * l.line) }, () => []), ways: l.ways, line: l.line }));
  }

  private setRefIsMiss(c: (typeof this.caches)[number], block: number): boolean {
    const set = c.sets[block % c.sets.length]!;
    const i = set.indexOf(block);
    if (i >= 0) set.splice(i, 1);
    set.unshift(block);
    if (set.length > c.ways) set.pop();
    return i < 0;
  }

  private refIsMiss(c: (typeof this.caches)[number], a: number, size: number): boolean {
    const b1 = Math.floor(a / c.line);
    const b2 = Math.floor((a + size - 1) / c.line);
    if (b1 === b2) return this.setRefIsMiss(c, b1);
    if (b2 !== b1 + 1) throw new Error('access spans more than two lines');
    const m1 = this.setRefIsMiss(c, b1);
    const m2 = this.setRefIsMiss(c, b2);
    return m1 || m2;
  }

  ref(r: TraceRecord): void {
    const [l1, ll] = r.op === ACCESS_IFETCH ? [this.caches[0]!, this.caches[2]!] : [this.caches[1]!, this.caches[2]!];
    const k = r.op === ACCESS_IFETCH ? (['Ir', 'I1mr', 'ILmr'] as const) : r.op === ACCESS_WRITE ? (['Dw', 'D1mw', 'DLmw'] as const) : (['Dr', 'D1mr', 'DLmr'] as const);
    this.counts[k[0]]++;
    if (this.refIsMiss(l1, r.addr, r.size)) {
      this.counts[k[1]]++;
      if (this.refIsMiss(ll, r.addr, r.size)) this.counts[k[2]]++;
    }
  }
}

describe('cachegrind mode equals a naive model of cachegrind', () => {
  it('on random traces of fetches, reads, writes and modifies, some spanning two lines', () => {
    const arbRec = fc.record({
      op: fc.constantFrom(ACCESS_READ, ACCESS_WRITE, ACCESS_IFETCH, TRACE_MODIFY),
      addr: fc.integer({ min: 0, max: 4095 }),
      size: fc.constantFrom(1, 2, 4, 8, 16, 32),
    });
    const arbGeometry = fc.record({ l1Ways: fc.constantFrom(1, 2, 4), l2Ways: fc.constantFrom(2, 4, 8), line: fc.constantFrom(32, 64) });
    fc.assert(
      fc.property(arbGeometry, fc.array(arbRec, { minLength: 1, maxLength: 400 }), (g, records) => {
        const l1 = { size: 4 * g.l1Ways * g.line, ways: g.l1Ways, line: g.line };
        const ll = { size: 16 * g.l2Ways * g.line, ways: g.l2Ways, line: g.line };
        const cfg: MemoryConfigInput = {
          levels: [{ sizeBytes: l1.size, ways: l1.ways, lineBytes: l1.line }, { sizeBytes: ll.size, ways: ll.ways, lineBytes: ll.line }],
          l1i: { sizeBytes: l1.size, ways: l1.ways, lineBytes: l1.line },
        };
        const { h, stats } = build(true, cfg);
        runTraceRecords(h, records);
        const naive = new NaiveCachegrind([l1, l1, ll]);
        for (const r of records) naive.ref(r.op === TRACE_MODIFY ? { ...r, op: ACCESS_READ } : r);
        const ours = {
          Ir: stats.get('l1i.accesses.ifetch'),
          I1mr: stats.get('l1i.misses.ifetch'),
          ILmr: stats.get('l2.misses.ifetch'),
          Dr: stats.get('l1d.accesses.read'),
          D1mr: stats.get('l1d.misses.read'),
          DLmr: stats.get('l2.misses.read'),
          Dw: stats.get('l1d.accesses.write'),
          D1mw: stats.get('l1d.misses.write'),
          DLmw: stats.get('l2.misses.write'),
        };
        expect(ours).toEqual(naive.counts);
      }),
      { numRuns: 150 },
    );
  });
});
