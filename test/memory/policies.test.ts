/**
 * Hand-worked traces, one per policy. Addresses are chosen so the line number is address / 64; the comments
 * give the cache contents after each access (sets separated by |, most recently used first).
 */
import { describe, expect, it } from 'vitest';
import { ACCESS_READ as R, ACCESS_WRITE as W } from '../../src/memory/port.js';
import { build, level } from './helpers.js';

/** Runs line numbers (x64 bytes) as reads through a one-level cache; returns hit(1)/miss(0) per access. */
function hitsOf(cfg: Record<string, unknown>, lines: number[], kinds?: number[]): number[] {
  const { h, stats } = build({ levels: [cfg] });
  const out: number[] = [];
  lines.forEach((l, i) => {
    const before = stats.get('l1d.misses');
    h.reference(l * 64, 4, kinds?.[i] ?? R);
    out.push(stats.get('l1d.misses') === before ? 1 : 0);
  });
  return out;
}

describe('direct-mapped', () => {
  it('lines mapping to the same set evict each other (conflict misses)', () => {
    // 4 sets x 1 way: lines 0, 4, 8 all map to set 0; line 1 to set 1.
    // 0 m [0] | 4 m [4] | 0 m [0] | 1 m [0|1] | 8 m [8|1] | 1 h | 0 m
    const cfg = level(256, 1, 64);
    expect(hitsOf(cfg, [0, 4, 0, 1, 8, 1, 0])).toEqual([0, 0, 0, 0, 0, 1, 0]);
    const { h, stats } = build({ levels: [cfg] });
    for (const l of [0, 4, 0, 1, 8, 1, 0]) h.reference(l * 64, 4, R);
    // 3C: 0,4,1,8 compulsory (4); a fully associative 4-line LRU cache would hold 0,4,1,8, so the misses on
    // the second 0 (after 4) and the last 0 (after 1, 8) are conflict misses.
    expect(stats.get('l1d.misses.compulsory')).toBe(4);
    expect(stats.get('l1d.misses.conflict')).toBe(2);
    expect(stats.get('l1d.misses.capacity')).toBe(0);
  });
});

describe('LRU vs FIFO', () => {
  // One set of 2 ways (fully associative, 2 lines): A=0 B=1 C=2.
  // A m [A] | B m [B A] | A h: LRU [A B], FIFO keeps insertion order (A oldest) | C m: LRU evicts B -> [C A],
  // FIFO evicts A -> [C B] | B: LRU miss (evicts A), FIFO hit | A: miss in both.
  const trace = [0, 1, 0, 2, 1, 0];
  it('LRU keeps the recently reused line', () => {
    expect(hitsOf(level(128, 'full', 64, { replacement: 'lru' }), trace)).toEqual([0, 0, 1, 0, 0, 0]);
  });
  it('FIFO evicts the oldest line even if just reused', () => {
    expect(hitsOf(level(128, 'full', 64, { replacement: 'fifo' }), trace)).toEqual([0, 0, 1, 0, 1, 0]);
  });
  it('FIFO shows Belady anomaly: 4 lines miss more than 3 on 1 2 3 4 1 2 5 1 2 3 4 5', () => {
    const t = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5];
    const misses = (n: number) => hitsOf(level(64 * n, 'full', 64, { replacement: 'fifo' }), t).filter((x) => x === 0).length;
    expect(misses(3)).toBe(9);
    expect(misses(4)).toBe(10);
  });
});

describe('tree-PLRU', () => {
  it('follows the worked example of replacement.ts and differs from LRU', () => {
    // 4-way, one set: fill A B C D (ways 0..3), hit A, miss E. PLRU evicts C (way 2), LRU evicts B.
    // Then B hits under PLRU, misses under LRU; C misses under PLRU.
    const t = [0, 1, 2, 3, 0, 4, 1, 2];
    expect(hitsOf(level(256, 4, 64, { replacement: 'plru' }), t)).toEqual([0, 0, 0, 0, 1, 0, 1, 0]);
    expect(hitsOf(level(256, 4, 64, { replacement: 'lru' }), t)).toEqual([0, 0, 0, 0, 1, 0, 0, 0]);
  });
  it('equals LRU for 2 ways', () => {
    const t = [0, 1, 0, 2, 1, 0, 3, 0, 2, 1, 2, 3];
    expect(hitsOf(level(128, 2, 64, { replacement: 'plru' }), t)).toEqual(hitsOf(level(128, 2, 64, { replacement: 'lru' }), t));
  });
});

describe('random replacement', () => {
  const trace = Array.from({ length: 400 }, (_, i) => (i * 7919) % 13);
  it('is reproducible: the same seed gives the same hits', () => {
    const a = hitsOf(level(256, 'full', 64, { replacement: 'random', seed: 42 }), trace);
    const b = hitsOf(level(256, 'full', 64, { replacement: 'random', seed: 42 }), trace);
    expect(a).toEqual(b);
  });
  it('depends on the seed', () => {
    const a = hitsOf(level(256, 'full', 64, { replacement: 'random', seed: 1 }), trace);
    const b = hitsOf(level(256, 'full', 64, { replacement: 'random', seed: 2 }), trace);
    expect(a).not.toEqual(b);
  });
});

describe('write policies', () => {
  it('write-back + write-allocate: dirty victims are written back once each', () => {
    // direct-mapped, 2 sets. W0 m (fetch, dirty) | W0 h | R2 m: evicts dirty 0 -> writeback 1 |
    // W2 h (dirty) | R0 m: evicts dirty 2 -> writeback 2 | R2 m: evicts clean 0 -> no writeback
    const { h, stats } = build({ levels: [level(128, 1, 64)] });
    for (const [l, k] of [[0, W], [0, W], [2, R], [2, W], [0, R], [2, R]] as const) h.reference(l * 64, 8, k);
    expect(stats.get('l1d.misses')).toBe(4);
    expect(stats.get('l1d.writebacks')).toBe(2);
    expect(stats.get('l1d.bytesToBelow')).toBe(128);
    expect(stats.get('l1d.bytesFromBelow')).toBe(4 * 64);
    expect(stats.get('dram.writes')).toBe(2);
  });
  it('a write miss covering a whole line allocates without fetching (as Dinero)', () => {
    const { h, stats } = build({ levels: [level(128, 1, 64)] });
    h.reference(0, 64, W);
    expect(stats.get('l1d.misses.write')).toBe(1);
    expect(stats.get('l1d.bytesFromBelow')).toBe(0);
    expect(h.level('l1d').isDirty(0)).toBe(true);
  });
  it('write-through + no-write-allocate: every write goes down, write misses allocate nothing', () => {
    const { h, stats } = build({ levels: [level(128, 1, 64, { writePolicy: 'write-through' })] });
    h.reference(0, 8, W); // miss, not allocated
    h.reference(0, 8, R); // miss
    h.reference(0, 8, W); // hit, written through
    h.reference(128, 8, R); // miss, evicts clean line 0: no writeback
    expect(stats.get('l1d.misses')).toBe(3);
    expect(stats.get('l1d.writeThroughs')).toBe(2);
    expect(stats.get('l1d.writebacks')).toBe(0);
    expect(stats.get('l1d.bytesToBelow')).toBe(16);
    expect(stats.get('dram.writes')).toBe(2);
  });
  it('an access spanning two lines touches both and counts a multi-line access', () => {
    const { h, stats } = build({ levels: [level(256, 1, 64)] });
    h.reference(60, 8, R); // bytes 60..67: lines 0 and 1
    expect(stats.get('l1d.accesses')).toBe(2);
    expect(stats.get('l1d.misses')).toBe(2);
    expect(stats.get('l1d.multiLineAccesses')).toBe(1);
    expect(h.level('l1d').contains(0) && h.level('l1d').contains(64)).toBe(true);
  });
});
