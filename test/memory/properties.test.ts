/**
 * Properties of LRU caches, and agreement with an independent reference model of Dinero IV.
 *
 * What holds for LRU (and is tested here), with bit-selection set indexing and a fixed line size:
 * 1. Fully associative LRU misses equal the misses predicted by LRU stack distances (Mattson et al., 1970).
 * 2. Inclusion when the number of sets is fixed and the associativity grows: each set is its own fully
 *    associative LRU cache seeing the same references, so the A-way contents are a subset of the (A+1)-way
 *    contents after every access, and misses never increase.
 * 3. Inclusion when the associativity is fixed and the number of sets doubles (set refinement, Hill and
 *    Smith 1989): a line present with S sets is present with 2S sets, so misses never increase.
 * What does not hold (tested by counterexample): with the total size fixed, more associativity can miss
 * more; FIFO has no inclusion at all (Belady's anomaly, in policies.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACCESS_READ } from '../../src/memory/port.js';
import { build, level, referenceHierarchy, stackDistanceMisses } from './helpers.js';

const lineTrace = fc.array(fc.integer({ min: 0, max: 47 }), { minLength: 1, maxLength: 300 });

function run(cfg: Record<string, unknown>, lines: number[], check?: (h: ReturnType<typeof build>['h'], i: number) => void) {
  const b = build({ levels: [cfg] });
  lines.forEach((l, i) => {
    b.h.reference(l * 16, 1, ACCESS_READ);
    check?.(b.h, i);
  });
  return b;
}

describe('Mattson stack distances', () => {
  it('fully associative LRU misses equal stack-distance misses, for every size', () => {
    fc.assert(
      fc.property(lineTrace, fc.integer({ min: 1, max: 40 }), (lines, capacity) => {
        const { stats } = run(level(16 * capacity, 'full', 16, { classifyMisses: false }), lines);
        expect(stats.get('l1d.misses')).toBe(stackDistanceMisses(lines, capacity));
      }),
      { numRuns: 300 },
    );
  });
  it('holds with the hash-indexed tag search too (more than 32 ways)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 600 }), fc.integer({ min: 33, max: 128 }), (lines, capacity) => {
        const { stats } = run(level(16 * capacity, 'full', 16), lines);
        expect(stats.get('l1d.misses')).toBe(stackDistanceMisses(lines, capacity));
        // the 3C shadow is a fully associative LRU cache of the same size: it never conflict-misses here
        expect(stats.get('l1d.misses.conflict')).toBe(0);
      }),
      { numRuns: 50 },
    );
  });
  it('3C: conflict = real miss and fully associative LRU hit; compulsory + capacity = miss in both', () => {
    fc.assert(
      fc.property(lineTrace, fc.constantFrom(1, 2, 4), fc.constantFrom(1, 2, 4, 8), (lines, ways, sets) => {
        const b = build({ levels: [level(16 * ways * sets, ways, 16)] });
        const stack: number[] = [];
        let bothMiss = 0;
        let faHitOnly = 0;
        for (const l of lines) {
          const d = stack.indexOf(l);
          const faMiss = d < 0 || d >= ways * sets;
          if (d >= 0) stack.splice(d, 1);
          stack.unshift(l);
          const before = b.stats.get('l1d.misses');
          b.h.reference(l * 16, 1, ACCESS_READ);
          const realMiss = b.stats.get('l1d.misses') > before;
          if (realMiss && faMiss) bothMiss++;
          if (realMiss && !faMiss) faHitOnly++;
        }
        const { stats } = b;
        expect(stats.get('l1d.misses.compulsory')).toBe(new Set(lines).size);
        expect(stats.get('l1d.misses.compulsory') + stats.get('l1d.misses.capacity')).toBe(bothMiss);
        expect(stats.get('l1d.misses.conflict')).toBe(faHitOnly);
      }),
      { numRuns: 200 },
    );
  });
});

describe('LRU inclusion', () => {
  const contents = (h: ReturnType<typeof build>['h']) => new Set(h.level('l1d').residentLines());
  it('more ways, same sets: contents are a superset after every access, misses never increase', () => {
    fc.assert(
      fc.property(lineTrace, fc.constantFrom(1, 2, 4, 8), fc.integer({ min: 1, max: 6 }), (lines, sets, ways) => {
        const small = build({ levels: [level(16 * sets * ways, ways, 16)] });
        const big = build({ levels: [level(16 * sets * (ways + 1), ways + 1, 16)] });
        for (const l of lines) {
          small.h.reference(l * 16, 1, ACCESS_READ);
          big.h.reference(l * 16, 1, ACCESS_READ);
          const b = contents(big.h);
          for (const x of contents(small.h)) expect(b.has(x)).toBe(true);
        }
        expect(big.stats.get('l1d.misses')).toBeLessThanOrEqual(small.stats.get('l1d.misses'));
      }),
      { numRuns: 150 },
    );
  });
  it('more sets, same ways: contents are a superset after every access, misses never increase', () => {
    fc.assert(
      fc.property(lineTrace, fc.constantFrom(1, 2, 4, 8), fc.integer({ min: 1, max: 4 }), (lines, sets, ways) => {
        const small = build({ levels: [level(16 * sets * ways, ways, 16)] });
        const big = build({ levels: [level(16 * 2 * sets * ways, ways, 16)] });
        for (const l of lines) {
          small.h.reference(l * 16, 1, ACCESS_READ);
          big.h.reference(l * 16, 1, ACCESS_READ);
          const b = contents(big.h);
          for (const x of contents(small.h)) expect(b.has(x)).toBe(true);
        }
        expect(big.stats.get('l1d.misses')).toBeLessThanOrEqual(small.stats.get('l1d.misses'));
      }),
      { numRuns: 150 },
    );
  });
  it('does not hold for the same size with more ways: a 2-line fully associative cache can miss more than direct-mapped', () => {
    // lines 0 1 2 cycled: FA LRU (2 lines) always misses; DM (2 sets) keeps line 1 in set 1.
    const t = [0, 1, 2, 0, 1, 2];
    const dm = run(level(32, 1, 16), t).stats.get('l1d.misses');
    const fa = run(level(32, 'full', 16), t).stats.get('l1d.misses');
    expect(dm).toBe(5);
    expect(fa).toBe(6);
  });
});

describe('64-bit addresses', () => {
  it('a trace shifted by 2^40 (or 2^52) behaves exactly like the original', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(0, 1, 2), fc.integer({ min: 0, max: 1 << 16 }), fc.constantFrom(1, 8, 64)), { maxLength: 200 }), fc.constantFrom(2 ** 40, 2 ** 52), (ops, offset) => {
        const cfg = { levels: [level(1024, 2, 64), level(8192, 4, 64, { inclusion: 'inclusive' as const })], l1i: level(512, 'full' as const, 64) };
        const a = build(cfg);
        const b = build(cfg);
        for (const [k, addr, z] of ops) {
          a.h.reference(addr, z, k);
          b.h.reference(addr + offset, z, k);
        }
        expect(b.stats.toJSON()).toEqual(a.stats.toJSON());
      }),
      { numRuns: 50 },
    );
  });
});

describe('agreement with a reference model of Dinero IV (two non-inclusive levels)', () => {
  // op: [kind, byte address, size]; addresses in a small range so lines collide
  const op = fc.tuple(fc.constantFrom(0, 1, 2, 3), fc.integer({ min: 0, max: 4095 }), fc.constantFrom(1, 2, 4, 8, 16, 64));
  const spec = fc.record({
    l1Ways: fc.constantFrom(1, 2, 4),
    l1Sets: fc.constantFrom(1, 2, 4, 8),
    l1Line: fc.constantFrom(16, 32, 64),
    l2Ways: fc.constantFrom(1, 2, 4, 8),
    l2Sets: fc.constantFrom(4, 8, 16),
    l2LineFactor: fc.constantFrom(1, 2),
    policy: fc.constantFrom('lru' as const, 'fifo' as const),
    l1WriteBack: fc.boolean(),
    l2WriteBack: fc.boolean(),
  });
  it('same accesses, misses by kind, 3C split, writebacks, bytes and DRAM traffic at every level', () => {
    fc.assert(
      fc.property(spec, fc.array(op, { maxLength: 250 }), (s, ops) => {
        const l2Line = s.l1Line * s.l2LineFactor;
        const specs = [
          { sizeBytes: s.l1Ways * s.l1Sets * s.l1Line, ways: s.l1Ways, lineBytes: s.l1Line, policy: s.policy, writeBack: s.l1WriteBack },
          { sizeBytes: s.l2Ways * s.l2Sets * l2Line, ways: s.l2Ways, lineBytes: l2Line, policy: s.policy, writeBack: s.l2WriteBack },
        ];
        const ref = referenceHierarchy(specs);
        const { h, stats } = build({
          levels: specs.map((x) => level(x.sizeBytes, x.ways, x.lineBytes, { replacement: x.policy, writePolicy: x.writeBack ? 'write-back' : 'write-through' })),
        });
        for (const [k, a, z] of ops) {
          ref.ref(a, z, k);
          h.reference(a, z, k);
        }
        ['l1d', 'l2'].forEach((n, i) => {
          const r = ref.levels[i]!.n;
          ['read', 'write', 'ifetch', 'misc'].forEach((k, j) => {
            expect(stats.get(`${n}.accesses.${k}`), `${n}.accesses.${k}`).toBe(r.accesses[j]);
            expect(stats.get(`${n}.misses.${k}`), `${n}.misses.${k}`).toBe(r.misses[j]);
          });
          expect(stats.get(`${n}.misses.compulsory`)).toBe(r.comp);
          expect(stats.get(`${n}.misses.capacity`)).toBe(r.cap);
          expect(stats.get(`${n}.misses.conflict`)).toBe(r.conf);
          expect(stats.get(`${n}.writebacks`)).toBe(r.writebacks);
          expect(stats.get(`${n}.bytesFromBelow`)).toBe(r.bytesFrom);
          expect(stats.get(`${n}.bytesToBelow`)).toBe(r.bytesTo);
          expect(stats.get(`${n}.multiLineAccesses`)).toBe(r.multi);
        });
        expect(stats.get('dram.reads')).toBe(ref.memory.reads);
        expect(stats.get('dram.writes')).toBe(ref.memory.writes);
      }),
      { numRuns: 300 },
    );
  });
});
