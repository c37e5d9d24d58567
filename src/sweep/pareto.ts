/**
 * Pareto dominance over objectives to minimise (a metric to maximise is handled by its objective's `goal`,
 * which negates it here). Used for the reported front and by NSGA-II's non-dominated sorting and crowding.
 *
 * @module
 */

/** A metric to optimise: by name (minimised) or with an explicit goal. */
export type Objective = string | { readonly metric: string; readonly goal: 'min' | 'max' };

/** An objective with its goal made explicit. */
export interface ResolvedObjective {
  readonly metric: string;
  readonly goal: 'min' | 'max';
}

/** Fills in the default goal (`min`). */
export function resolveObjectives(objectives: readonly Objective[]): ResolvedObjective[] {
  return objectives.map((o) => (typeof o === 'string' ? { metric: o, goal: 'min' as const } : o));
}

/** Objective values as costs (maximised metrics negated), or undefined when a metric is missing or not finite. */
export function costs(metrics: Readonly<Record<string, number>>, objectives: readonly ResolvedObjective[]): number[] | undefined {
  const out: number[] = [];
  for (const o of objectives) {
    const v = metrics[o.metric];
    if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
    out.push(o.goal === 'min' ? v : -v);
  }
  return out;
}

/** Whether cost vector `a` dominates `b`: no worse in every objective and better in at least one. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) better = true;
  }
  return better;
}

/**
 * Indices of the non-dominated vectors, in input order. Equal vectors do not dominate each other, so all
 * copies of a front point are kept. O(n·f) with f the front size: fine for the tens of thousands of points a
 * sweep produces.
 */
export function paretoFront(points: readonly (readonly number[])[]): number[] {
  // Sort by the first objective (then the rest) so a point can only be dominated by one before it.
  const order = points.map((_, i) => i).sort((a, b) => lexCompare(points[a]!, points[b]!));
  const front: number[] = [];
  for (const i of order) {
    if (!front.some((j) => dominates(points[j]!, points[i]!))) front.push(i);
  }
  return front.sort((a, b) => a - b);
}

function lexCompare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Fast non-dominated sorting (Deb et al. 2002): fronts of indices, best first. */
export function nonDominatedSort(points: readonly (readonly number[])[]): number[][] {
  const n = points.length;
  const dominatedBy: number[][] = Array.from({ length: n }, () => []);
  const count = new Array<number>(n).fill(0);
  const fronts: number[][] = [[]];
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      if (p === q) continue;
      if (dominates(points[p]!, points[q]!)) dominatedBy[p]!.push(q);
      else if (dominates(points[q]!, points[p]!)) count[p]!++;
    }
    if (count[p] === 0) fronts[0]!.push(p);
  }
  for (let i = 0; fronts[i]!.length > 0; i++) {
    const next: number[] = [];
    for (const p of fronts[i]!) for (const q of dominatedBy[p]!) if (--count[q]! === 0) next.push(q);
    fronts.push(next);
  }
  fronts.pop();
  return fronts;
}

/** Crowding distance of each member of one front (boundary points get Infinity). */
export function crowdingDistance(points: readonly (readonly number[])[], front: readonly number[]): Map<number, number> {
  const d = new Map<number, number>(front.map((i) => [i, 0]));
  if (front.length === 0) return d;
  const m = points[front[0]!]!.length;
  for (let k = 0; k < m; k++) {
    const sorted = [...front].sort((a, b) => points[a]![k]! - points[b]![k]! || a - b);
    const lo = points[sorted[0]!]![k]!;
    const hi = points[sorted[sorted.length - 1]!]![k]!;
    d.set(sorted[0]!, Infinity);
    d.set(sorted[sorted.length - 1]!, Infinity);
    if (hi === lo) continue;
    for (let j = 1; j < sorted.length - 1; j++) {
      const i = sorted[j]!;
      d.set(i, d.get(i)! + (points[sorted[j + 1]!]![k]! - points[sorted[j - 1]!]![k]!) / (hi - lo));
    }
  }
  return d;
}
