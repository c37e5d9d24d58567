import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crowdingDistance, dominates, nonDominatedSort, paretoFront } from '../../src/sweep/pareto.js';

/** Brute force: a point is on the front when no other point dominates it, written without `dominates`. */
function bruteFront(pts: number[][]): number[] {
  return pts
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => !pts.some((q) => q.every((v, k) => v <= p[k]!) && q.some((v, k) => v < p[k]!)))
    .map(({ i }) => i);
}

// Small integer coordinates make ties and duplicate points common, the cases a front gets wrong.
const points = (dims: number) => fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: dims, maxLength: dims }), { maxLength: 60 });

describe('Pareto front', () => {
  it('equals the brute-force front on random points (2 to 4 objectives)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }).chain((d) => points(d)),
        (pts) => {
          expect(paretoFront(pts)).toEqual(bruteFront(pts));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('non-dominated sorting: the first front is the Pareto front, fronts partition the points, no point dominates one in an earlier front', () => {
    fc.assert(
      fc.property(points(3), (pts) => {
        const fronts = nonDominatedSort(pts);
        expect([...(fronts[0] ?? [])].sort((a, b) => a - b)).toEqual(bruteFront(pts));
        expect(fronts.flat().sort((a, b) => a - b)).toEqual(pts.map((_, i) => i));
        fronts.forEach((f, r) => {
          for (const later of fronts.slice(r + 1).flat()) for (const i of f) expect(dominates(pts[later]!, pts[i]!)).toBe(false);
          // Every member of a later front is dominated by some member of the front just before.
          if (r > 0) for (const i of f) expect(fronts[r - 1]!.some((j) => dominates(pts[j]!, pts[i]!))).toBe(true);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('crowding distance: boundary points infinite, interior ones the normalised neighbour gaps', () => {
    const pts = [
      [0, 4],
      [1, 2],
      [2, 1],
      [4, 0],
    ];
    const d = crowdingDistance(pts, [0, 1, 2, 3]);
    expect(d.get(0)).toBe(Infinity);
    expect(d.get(3)).toBe(Infinity);
    expect(d.get(1)).toBeCloseTo((2 - 0) / 4 + (4 - 1) / 4);
    expect(d.get(2)).toBeCloseTo((4 - 1) / 4 + (2 - 0) / 4);
  });
});
