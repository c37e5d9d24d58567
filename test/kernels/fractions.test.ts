// A precision mix whose shares do not sum to 1 cannot be meant (`mixed:4=0.5,2=0.6` used to be normalised
// silently): every way of giving one rejects it, stating the tolerance, and accepts mixes that do sum to 1.
import { describe, expect, it } from 'vitest';
import { FRACTION_SUM_TOLERANCE, fractionsProblem, randomWidths, resolvePrecision } from '../../src/kernels/precision.js';
import { simulateNetwork } from '../../src/kernels/network.js';

const tiny = { name: 'tiny', input: { channels: 8, height: 4, width: 4 }, layers: [{ name: 'c1', kind: 'conv' as const, out: 16, kernel: 1 }, { name: 'c2', kind: 'conv' as const, out: 8, kernel: 1 }] };

describe('precision mixes', () => {
  it('shares must sum to 1 within the stated tolerance', () => {
    expect(FRACTION_SUM_TOLERANCE).toBe(1e-6);
    expect(fractionsProblem({ 4: 0.5, 2: 0.6 })).toBe('the shares must sum to 1 (within 1e-6), they sum to 1.1: 2=0.6, 4=0.5');
    expect(fractionsProblem({ 4: 0.25, 2: 0.25, 1: 0.4 })).toMatch(/they sum to 0\.9:/);
    expect(fractionsProblem({ 4: 1 / 3, 2: 1 / 3, 1: 1 / 3 })).toBeUndefined();
    expect(fractionsProblem({ 4: 0.3333333, 2: 0.3333333, 1: 0.3333333 })).toBeUndefined(); // off by 1e-7
    expect(fractionsProblem({ 4: 0.333, 2: 0.333, 1: 0.333 })).toMatch(/they sum to 0\.999:/);
    expect(fractionsProblem({ 4: 1.5, 2: -0.5 })).toMatch(/share of width 2 must be a number in \[0, 1\], got -0\.5/);
    expect(fractionsProblem({})).toMatch(/no width has a positive share/);
  });

  it('randomWidths, precision-map entries and network schemes all refuse a mix that does not sum to 1', () => {
    expect(() => randomWidths(64, { 4: 0.5, 2: 0.6 }, 1)).toThrow(/sum to 1 \(within 1e-6\), they sum to 1\.1/);
    expect(randomWidths(64, { 4: 0.25, 2: 0.25, 1: 0.5 }, 1).filter((w) => w === 1).length).toBe(32);
    expect(() => resolvePrecision({ kind: 'random', fractions: { '4': 0.5, '2': 0.6 } }, 64, { mixedWidths: [1, 2, 4] }, 'precisions.layers.c2')).toThrow(
      /precisions\.layers\.c2\.fractions: the shares must sum to 1 \(within 1e-6\), they sum to 1\.1/,
    );
    expect(() => simulateNetwork(tiny, { mixed: { 4: 0.5, 2: 0.6 } }, {})).toThrow(/they sum to 1\.1/);
    expect(simulateNetwork(tiny, { mixed: { 4: 0.5, 2: 0.5 } }, {}).total.instructions).toBeGreaterThan(0);
  });
});
