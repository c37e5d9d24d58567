// The layout module on its own: channel grouping, padding, pattern planning, block addressing and the pack /
// unpack round trip for any precision map.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveIsaConfig } from '../../src/isa/config.js';
import { compilePattern, patternProblem, unpackPattern } from '../../src/isa/pattern.js';
import { blockPlace, packPixel, planLayout, unpackPixel } from '../../src/kernels/layout.js';
import type { LayerPrecision } from '../../src/kernels/precision.js';

const vlens = [128, 256, 512] as const;

/** A random precision: fp32/int8/binary or a mixed map with at most 3 widths out of the core's widths. */
const precisionArb = (widthSet: readonly number[]) =>
  fc.integer({ min: 1, max: 90 }).chain((C) =>
    fc.oneof(
      fc.constantFrom<LayerPrecision>({ kind: 'fp32' }, { kind: 'int8' }, { kind: 'binary' }).map((p) => ({ C, p })),
      fc
        .shuffledSubarray([...widthSet], { minLength: 1, maxLength: 3 })
        .chain((ws) => fc.array(fc.constantFrom(...ws), { minLength: C, maxLength: C }))
        .map((widths) => ({ C, p: { kind: 'mixed', widths } as LayerPrecision })),
    ),
  );

describe('planLayout', () => {
  it('works through the documented example: 20x4b, 10x2b, 40x1b at VLEN 256 is one chunk 4b x24 | 2b x16 | 1b x128', () => {
    const widths = [...Array(20).fill(4), ...Array(10).fill(2), ...Array(40).fill(1)] as number[];
    const l = planLayout({ kind: 'mixed', widths }, 70, resolveIsaConfig({ vlenBits: 256 }));
    expect(l.groups.map((g) => [g.widthBits, g.count, g.real])).toEqual([
      [4, 24, 20],
      [2, 16, 10],
      [1, 128, 40],
    ]);
    expect(l.chunks).toHaveLength(1);
    expect(l.pixelBytes).toBe(32);
    expect(l.posOf[20]).toBe(24); // first 2-bit channel after 24 four-bit positions
  });

  it('moves group boundaries to register boundaries when patterns exceed the pattern registers', () => {
    // 4/2/1 bits spread over several registers need 5 patterns with free boundaries: 2 registers force alignment.
    const widths = [...Array(100).fill(4), ...Array(100).fill(2), ...Array(300).fill(1)] as number[];
    const isa = resolveIsaConfig({ vlenBits: 128, patternRegs: 3 });
    const l = planLayout({ kind: 'mixed', widths }, 500, isa);
    expect(l.patterns.length).toBeLessThanOrEqual(3);
    expect(() => planLayout({ kind: 'mixed', widths }, 500, resolveIsaConfig({ vlenBits: 128, patternRegs: 2 }))).toThrow(/3 precision patterns .* 2 pattern registers/);
  });

  it('rejects a width the mixed unit lacks', () => {
    expect(() => planLayout({ kind: 'mixed', widths: [8, 4] }, 2, resolveIsaConfig({}))).toThrow(/width 8 is not supported/);
  });

  it('for any map: groups contiguous, runs byte-aligned, patterns valid and within the registers, blocks uniform', () => {
    fc.assert(
      fc.property(fc.constantFrom(...vlens), fc.boolean(), fc.integer({ min: 3, max: 4 }), (V, eight, regs) => {
        const ws = eight ? [1, 2, 4, 8] : [1, 2, 4];
        const isa = resolveIsaConfig({ vlenBits: V, mixedWidths: ws as (1 | 2 | 4 | 8)[], patternRegs: regs });
        fc.assert(
          fc.property(precisionArb(ws), ({ C, p }) => {
            const l = planLayout(p, C, isa);
            expect(l.pixelBytes % (V / 8)).toBe(0);
            expect(l.positions % l.lanes).toBe(0);
            // every channel has a distinct position, at its own width
            const seen = new Set<number>();
            for (let c = 0; c < C; c++) {
              const q = l.posOf[c]!;
              expect(l.order[q]).toBe(c);
              seen.add(q);
              if (p.kind === 'mixed') expect(l.widthAt[q]).toBe(p.widths[c]);
            }
            expect(seen.size).toBe(C);
            if (p.kind === 'mixed') {
              expect(l.patterns.length).toBeLessThanOrEqual(regs);
              for (const runs of l.patterns) expect(patternProblem(runs, V, ws, isa.maxRuns)).toBeNull();
              // widest first
              for (let q = 1; q < l.positions; q++) expect(l.widthAt[q]!).toBeLessThanOrEqual(l.widthAt[q - 1]!);
            }
            for (let b = 0; b < l.positions; b += l.lanes) {
              const pl = blockPlace(l, b);
              for (let k = 0; k < l.lanes; k++) expect(l.widthAt[b + k]).toBe(l.widthAt[b]);
              if (p.kind !== 'fp32') expect(l.bitAt[b]! - pl.chunk * V).toBe(pl.part * pl.widthBits * l.lanes);
            }
          }),
          { numRuns: 15 },
        );
      }),
      { numRuns: 12 },
    );
  });
});

describe('packPixel / unpackPixel', () => {
  it('round trip for any map, and agree with the ISA unpackPattern on every chunk', () => {
    fc.assert(
      fc.property(fc.constantFrom(...vlens), precisionArb([1, 2, 4]), fc.integer(), (V, { C, p }, seed) => {
        const isa = resolveIsaConfig({ vlenBits: V });
        const l = planLayout(p, C, isa);
        let s = seed >>> 0;
        const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
        const values = Array.from({ length: C }, (_, c) => {
          switch (p.kind) {
            case 'fp32':
              return Math.fround((rnd() / 2 ** 32) * 10 - 5);
            case 'int8':
              return rnd() % 256;
            case 'binary':
              return rnd() % 2 ? 1 : -1;
            case 'mixed':
              return rnd() % 2 ** p.widths[c]!;
          }
        });
        const bytes = packPixel(l, values);
        expect(unpackPixel(l, bytes)).toEqual(values);
        if (p.kind === 'mixed') {
          l.chunks.forEach((ch, j) => {
            compilePattern(ch.runs, V); // valid
            const elems = unpackPattern(bytes.subarray(j * (V / 8), (j + 1) * (V / 8)), ch.runs, false);
            const firstPos = l.bitAt.findIndex((b) => b >= j * V);
            elems.forEach((v, k) => {
              const c = l.order[firstPos + k]!;
              expect(v).toBe(c < 0 ? 0 : values[c]);
            });
          });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('refuses values that do not fit', () => {
    const l = planLayout({ kind: 'mixed', widths: [2, 1] }, 2, resolveIsaConfig({}));
    expect(() => packPixel(l, [4, 0])).toThrow(/does not fit 2 unsigned bits/);
    expect(() => packPixel(planLayout({ kind: 'binary' }, 1, resolveIsaConfig({})), [0])).toThrow(/not -1 or \+1/);
  });
});
