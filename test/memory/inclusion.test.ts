/** Inclusive and exclusive levels keep their invariant after every access; prefetchers are counted as specified. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACCESS_IFETCH as I, ACCESS_READ as R, ACCESS_WRITE as W } from '../../src/memory/port.js';
import { build, level } from './helpers.js';

const op = fc.tuple(fc.constantFrom(R, W, I), fc.integer({ min: 0, max: 8191 }), fc.constantFrom(1, 4, 8, 64));

describe('inclusion policies', () => {
  it('inclusive L2: every line of L1D and L1I is in L2 after every access', () => {
    let backInvalidations = 0;
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.constantFrom(32, 64), (ops, l2Line) => {
        const { h, stats } = build({
          levels: [level(512, 2, 32), level(2048, 2, l2Line, { inclusion: 'inclusive' })],
          l1i: level(256, 2, 32),
        });
        const l2 = h.level('l2');
        for (const [k, a, z] of ops) {
          h.reference(a, z, k);
          for (const name of ['l1d', 'l1i']) {
            for (const line of h.level(name).residentLines()) expect(l2.contains(line * 32)).toBe(true);
          }
        }
        backInvalidations += stats.get('l2.backInvalidations');
      }),
      { numRuns: 100 },
    );
    // The invariant was checked where it can break: L2 evicted lines that L1 held (not only in easy runs).
    expect(backInvalidations).toBeGreaterThan(0);
  });
  it('inclusive L2 with lines twice L1\'s: evicting one L2 line back-invalidates both L1 lines inside it', () => {
    // L1D 8 lines of 32 B, fully associative; L2 direct-mapped, 4 lines of 64 B: addresses 0 and 256 collide in L2.
    const { h, stats } = build({ levels: [level(256, 'full', 32), level(256, 1, 64, { inclusion: 'inclusive' })] });
    h.reference(0, 8, R); // L1 line 0 (bytes 0-31), L2 line 0 (bytes 0-63)
    h.reference(32, 8, R); // L1 line 1 (bytes 32-63), an L2 hit
    h.reference(256, 8, R); // L2 set 0 now holds bytes 256-319: L1 lines 0 and 1 go with the old line
    expect(stats.get('l2.backInvalidations')).toBe(2);
    expect(h.level('l1d').contains(0)).toBe(false);
    expect(h.level('l1d').contains(32)).toBe(false);
    expect(h.level('l1d').contains(256)).toBe(true);
    expect(stats.get('l2.writebacks')).toBe(0); // both clean
  });
  it('inclusive: evicting a line from L2 removes it from L1 and keeps its dirty data', () => {
    // L1 4 lines fully associative, L2 direct-mapped 4 lines: lines 0 and 4 collide in L2 only.
    const { h, stats } = build({ levels: [level(256, 'full', 64), level(256, 1, 64, { inclusion: 'inclusive' })] });
    h.reference(0, 8, W); // line 0 dirty in L1, clean in L2
    h.reference(4 * 64, 8, R); // L2 evicts line 0 -> back-invalidate L1's dirty copy -> written to DRAM
    expect(h.level('l1d').contains(0)).toBe(false);
    expect(stats.get('l2.backInvalidations')).toBe(1);
    expect(stats.get('l2.writebacks')).toBe(1);
    expect(stats.get('dram.writes')).toBe(1);
  });
  it('exclusive L2: no line is in both L1D and L2, and no line is lost', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const { h } = build({ levels: [level(512, 2, 64), level(2048, 4, 64, { inclusion: 'exclusive' })] });
        const l1 = h.level('l1d');
        const l2 = h.level('l2');
        for (const [k, a, z] of ops) {
          h.reference(a, z, k);
          for (const line of l1.residentLines()) expect(l2.contains(line * 64)).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });
  it('exclusive: a line moves up on an L2 hit, the L1 victim moves down, dirty state travels with it', () => {
    // L1: 1 line (64 B, fully associative). L2: exclusive, 4 lines.
    const { h, stats } = build({ levels: [level(64, 'full', 64), level(256, 'full', 64, { inclusion: 'exclusive' })] });
    h.reference(0, 8, W); // line 0 from DRAM straight into L1 (dirty); L2 not filled
    expect(h.level('l2').contains(0)).toBe(false);
    h.reference(64, 8, R); // line 1 into L1; dirty line 0 goes down into L2
    expect(h.level('l2').isDirty(0)).toBe(true);
    h.reference(0, 8, R); // hit in L2: line 0 moves up (still dirty), clean line 1 inserted into L2
    expect(h.level('l1d').isDirty(0)).toBe(true);
    expect(h.level('l2').contains(0)).toBe(false);
    expect(h.level('l2').contains(64)).toBe(true);
    expect(stats.get('l2.victimInserts')).toBe(1);
    expect(stats.get('l2.misses.read')).toBe(2);
    expect(stats.get('dram.reads')).toBe(2);
    expect(stats.get('dram.writes')).toBe(0);
  });
});

describe('prefetchers', () => {
  it('next-line: a stream misses once, then each first use of a prefetched line prefetches the next', () => {
    const { h, stats } = build({ levels: [level(4096, 4, 64, { prefetcher: { kind: 'next-line' } })] });
    for (let a = 0; a < 64 * 16; a += 8) h.reference(a, 8, R);
    expect(stats.get('l1d.misses')).toBe(1);
    expect(stats.get('l1d.prefetch.issued')).toBe(16);
    expect(stats.get('l1d.prefetch.useful')).toBe(15);
    expect(stats.get('l1d.prefetch.useless')).toBe(0);
  });
  it('next-line: unused prefetched lines count as useless when evicted', () => {
    const { h, stats } = build({ levels: [level(128, 1, 64, { prefetcher: { kind: 'next-line' } })] });
    h.reference(0, 4, R); // miss line 0, prefetch line 1
    h.reference(3 * 64, 4, R); // miss line 3 (set 1): evicts unused prefetched line 1; prefetches line 4 (set 0), evicting line 0
    expect(stats.get('l1d.prefetch.issued')).toBe(2);
    expect(stats.get('l1d.prefetch.useless')).toBe(1);
  });
  it('stride: learns a per-PC stride after two repeats and prefetches ahead', () => {
    const { h, stats } = build({ levels: [level(8192, 4, 64, { prefetcher: { kind: 'stride', degree: 2 } })] });
    // PC 7 walks with stride 256 (a new line each time); PC 9 hits one line repeatedly
    for (let i = 0; i < 20; i++) {
      h.reference(i * 256, 4, R, 7);
      h.reference(100_000, 4, R, 9);
    }
    // access 0 allocates the entry, 1 learns the stride, 2 and 3 repeat it (confidence 1, 2): they all miss;
    // from access 3 on the table proposes the next two strides, so accesses 4..19 hit prefetched lines
    expect(stats.get('l1d.misses.read')).toBe(4 + 1);
    expect(stats.get('l1d.prefetch.useful')).toBe(16);
  });
  it('timed: a demand access to a prefetched line still in flight is useful and late', () => {
    const { h, stats } = build({
      levels: [level(4096, 4, 64, { hitLatencyCycles: 2, prefetcher: { kind: 'next-line' }, classifyMisses: false })],
      dram: { model: 'fixed', latencyCycles: 40, bytesPerCycle: 64 },
    });
    expect(h.access(0, 8, R, 0, -1)).toBe(42); // demand: DRAM 2..3, data 42; prefetch of line 1: DRAM 3..4, data 43
    expect(h.access(64, 8, R, 1, -1)).toBe(43);
    expect(stats.get('l1d.prefetch.late')).toBe(1);
    expect(stats.get('l1d.prefetch.useful')).toBe(1);
    expect(stats.get('l1d.delayedHits')).toBe(1);
  });
});
