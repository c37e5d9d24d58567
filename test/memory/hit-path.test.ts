/**
 * Lending the first level's hit path (src/memory/hit-path.ts): which levels lend, how a loan checks what it is
 * given, and that the state and counts travel out and back whole. What a borrower does with the loan (the
 * WebAssembly cores' hits) is checked against the hierarchy answering every access in
 * test/pipeline/memory-port.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { resolveMemoryConfig, type MemoryConfigInput } from '../../src/memory/config.js';

type CacheConfigInput = NonNullable<MemoryConfigInput['levels']>[number];
import { MemoryHierarchy } from '../../src/memory/hierarchy.js';
import { HIT_BLOCK, type HitPathArrays, HitPathLoan } from '../../src/memory/hit-path.js';
import { ACCESS_READ, ACCESS_WRITE } from '../../src/memory/port.js';
import { StatsRegistry } from '../../src/stats/registry.js';

const l1 = (c: CacheConfigInput = {}, fastHits = true) =>
  new MemoryHierarchy(resolveMemoryConfig({ levels: [{ sizeBytes: 1024, ways: 2, lineBytes: 64, ...c }, { sizeBytes: 8192 }] }), new StatsRegistry(), { fastHits });

/** Arrays of the lengths the loan asks for, each in a buffer of its own. */
function arraysFor(loan: HitPathLoan): HitPathArrays {
  return Object.fromEntries(loan.arrays.map(([name, size, n]) => [name, size === 8 ? new Float64Array(n) : size === 4 ? new Int32Array(n) : new Uint8Array(n)])) as unknown as HitPathArrays;
}

/** The hierarchy's loan of its hit path (its fastPath capability), or null. */
const lend = (h: MemoryHierarchy): HitPathLoan | null => {
  const f = h.fastPath();
  return f?.kind === 'hits' ? f.loan : null;
};

const value = (h: MemoryHierarchy, name: string) => (h.stats.toJSON() as Record<string, { value: number }>)[name]!.value;

describe('lending the first level hit path', () => {
  it('is refused by a level whose hits are not all plain, by a hashed level, and while lent', () => {
    expect(lend(l1({ replacement: 'plru' }))).toBeNull();
    expect(lend(l1({ replacement: 'fifo' }))).toBeNull();
    expect(lend(l1({ prefetcher: { kind: 'next-line' } }))).toBeNull();
    expect(lend(l1({ writePolicy: 'write-through' }))).toBeNull();
    expect(lend(l1({}, false))).toBeNull();
    expect(lend(l1({ sizeBytes: 64 * 64, ways: 64 }))).toBeNull(); // more than 32 ways: a hash index
    const h = l1();
    const loan = lend(h)!;
    expect(loan).toBeInstanceOf(HitPathLoan);
    expect(lend(h)).toBeNull();
    loan.end(); // never begun: still frees the level
    const again = lend(h)!;
    again.begin(arraysFor(again), new Float64Array(HIT_BLOCK.length));
    expect(lend(h)).toBeNull();
    again.end();
    expect(lend(h)).not.toBeNull();
  });

  it('describes the level and asks for arrays of its sizes', () => {
    const loan = lend(l1({ hitLatencyCycles: 3, portsPerCycle: 2 }))!;
    expect(loan.geometry).toEqual({ ways: 2, setMask: 7, lineBytes: 64, ports: 2, hitLatency: 3, shadow: true, shadowBits: 5 });
    expect(loan.arrays.map(([n]) => n)).toEqual(HitPathLoan.arrayNames);
    expect(Object.fromEntries(loan.arrays.map(([n, , len]) => [n, len]))).toEqual({ tags: 16, readyAt: 16, dirty: 16, stamps: 16, shadowKeys: 32, shadowSlots: 32, shadowPrev: 16, shadowNext: 16 });
    const plain = lend(l1({ classifyMisses: false }))!;
    expect(plain.geometry.shadow).toBe(false);
    expect(plain.arrays.filter(([n]) => n.startsWith('shadow')).every(([, , len]) => len === 0)).toBe(true);
  });

  it('refuses arrays of the wrong length, a short block, and a second begin, naming what is wrong', () => {
    const loan = lend(l1())!;
    const a = arraysFor(loan);
    expect(() => loan.begin({ ...a, stamps: new Float64Array(3) }, new Float64Array(HIT_BLOCK.length))).toThrow(/'stamps' has 3 elements, the level needs 16/);
    expect(() => loan.begin(a, new Float64Array(4))).toThrow(/block has 4 numbers, needs 11/);
    loan.begin(a, new Float64Array(HIT_BLOCK.length));
    expect(() => loan.begin(a, new Float64Array(HIT_BLOCK.length))).toThrow(/begun already/);
    loan.end();
    expect(() => loan.begin(a, new Float64Array(HIT_BLOCK.length))).toThrow(/ended/);
  });

  it('moves the state out and back whole, and hands the borrowed counts and scalars to the level', () => {
    const h = l1(), ref = l1();
    // the same accesses through both: some lines in, one dirty, the shadow and LRU order set
    for (const m of [h, ref]) {
      for (const [addr, kind, cycle] of [[0, ACCESS_READ, 0], [64, ACCESS_WRITE, 1], [512, ACCESS_READ, 2], [0, ACCESS_READ, 300]] as const) m.access(addr, 8, kind, cycle, -1);
    }
    const loan = lend(h)!;
    const a = arraysFor(loan), block = new Float64Array(HIT_BLOCK.length);
    loan.begin(a, block);
    // during the loan the level works on the borrowed arrays, and the block holds its scalars
    expect(h.level('l1d').contains(512)).toBe(true);
    expect(Array.from(a.tags).filter((t) => t >= 0).sort((x, y) => x - y)).toEqual([0, 1, 8]);
    expect(block[HIT_BLOCK.clock]).toBe(4);
    expect(block[HIT_BLOCK.portCycle]).toBe(300);
    expect(block[HIT_BLOCK.shadowLast]).toBe(0);
    // a borrower's hit, written by hand as common.as.ts takes it: read line 8 at cycle 301
    const slot = Array.from(a.tags).indexOf(8);
    block[HIT_BLOCK.clock] = 5;
    a.stamps[slot] = 5;
    block[HIT_BLOCK.portCycle] = 301;
    block[HIT_BLOCK.portUsed] = 1;
    block[HIT_BLOCK.reads] = 1;
    block[HIT_BLOCK.readBits] = 64;
    const sh = a.shadowKeys.indexOf(8), shSlot = a.shadowSlots[sh]!, head = block[HIT_BLOCK.shadowHead]!;
    // move shadow slot of line 8 to the front (it is the middle one of three: 0 most recent, then 8, then 1)
    const p = a.shadowPrev[shSlot]!, n = a.shadowNext[shSlot]!;
    a.shadowNext[p] = n;
    a.shadowPrev[n] = p;
    a.shadowPrev[shSlot] = -1;
    a.shadowNext[shSlot] = head;
    a.shadowPrev[head] = shSlot;
    block[HIT_BLOCK.shadowHead] = shSlot;
    block[HIT_BLOCK.shadowLast] = 8;
    ref.access(512, 8, ACCESS_READ, 301, -1);
    // JavaScript using the level in the middle of the loan sees the borrowed scalars and counts
    loan.toLevel();
    expect(value(h, 'l1d.accesses.read')).toBe(value(ref, 'l1d.accesses.read'));
    expect(block[HIT_BLOCK.reads]).toBe(0);
    // a miss in set 0: the victim is line 0, not line 8, because of the borrowed hit's stamp
    for (const m of [h, ref]) m.access(1024, 8, ACCESS_READ, 302, -1);
    expect(h.level('l1d').contains(512)).toBe(true);
    expect(h.level('l1d').contains(0)).toBe(false);
    loan.toBlock();
    expect(block[HIT_BLOCK.portCycle]).toBe(302);
    loan.end();
    // the level no longer uses the borrowed arrays: writing them changes nothing
    a.tags.fill(-1);
    a.stamps.fill(0);
    for (const m of [h, ref]) {
      m.access(0, 8, ACCESS_READ, 400, -1);
      m.access(64, 8, ACCESS_READ, 401, -1);
    }
    expect(h.stats.toJSON()).toEqual(ref.stats.toJSON());
    expect(h.level('l1d').residentLines()).toEqual(ref.level('l1d').residentLines());
    expect(h.level('l1d').isDirty(64)).toBe(true);
  });
});
