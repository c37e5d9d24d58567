/**
 * Sampled timing: where a layer's instruction stream is cut into two timed prefixes, and how a layer's
 * figures are extrapolated from them (see docs/kernels.md, "Sampled timing").
 *
 * @module
 */
import type { TimingReport } from './timing.js';

/**
 * The sampled estimate of one layer's timing from two prefixes of its instruction stream: `a` times the
 * first `na` instructions, `b` the first `nb` (> `na`), and the layer has `n`. Every figure f (cycles,
 * energy, CPI parts) is extrapolated linearly from the part of the longer prefix beyond the shorter one,
 * which excludes the warm-up (cold caches, empty pipeline) that the first `na` instructions pay once:
 * `f = a.f + (n - na) * (b.f - a.f) / (nb - na)`. `instructions` is `n` exactly, and `sampled` is 1 (simulateNetwork adds `sampleAligned`: 1 when the cuts
 * fall on loop iterations, see {@link sampleCuts}).
 */
export function sampledTiming(a: TimingReport, b: TimingReport, na: number, nb: number, n: number): TimingReport {
  const out: Record<string, number> = {};
  for (const [key, va] of Object.entries(a)) {
    const vb = b[key] ?? va;
    out[key] = va + ((n - na) * (vb - va)) / (nb - na);
  }
  out['instructions'] = n;
  out['sampled'] = 1;
  return out;
}

/** A counted loop of a generated program: instructions `top`..`branch` run `count` times per entry. */
export interface CountedLoop {
  readonly top: number;
  readonly branch: number;
  readonly count: number;
}

/**
 * Where sampled mode cuts a layer's instruction stream: prefix lengths `na` < `nb` that end on iteration
 * boundaries of one loop, so that `nb - na` instructions are whole steady-state iterations (for the
 * output-stationary channels-outer kernels: whole output-channel tiles when a tile is short enough, which
 * re-read activations the first tile brought into the caches, as the rest of the layer does).
 *
 * The loop is found from the outside in: the top-level loop with the most instructions; if it runs
 * fewer than 3 times (a batch of 1, a single channel tile), the search descends into its biggest inner
 * loop. If the loop found has iterations too long (the code before it plus two iterations exceed `2k`
 * instructions), there is no aligned cut: cutting inside the first iteration would time only its
 * warm-up (the first output row of a convolution reads every input row cold). `j` = max(1, floor(k /
 * iteration)) iterations (at most (count - 1) / 2) give `na = before + j * iteration`, `nb = before + 2j *
 * iteration`. Without such a loop the prefixes are `k` and `2k` instructions. `counts` are the exact
 * per-instruction run counts.
 */
export function sampleCuts(loops: readonly CountedLoop[], counts: ArrayLike<number>, k: number): { na: number; nb: number; aligned: boolean } {
  const inside = (a: CountedLoop, b: CountedLoop) => a !== b && a.top >= b.top && a.branch <= b.branch;
  const path: CountedLoop[] = [];
  let cands = loops.filter((l) => !loops.some((o) => inside(l, o)));
  const dyn = (l: CountedLoop) => {
    let s = 0;
    for (let pc = l.top; pc <= l.branch; pc++) s += counts[pc]!;
    return s;
  };
  while (cands.length > 0) {
    const L = cands.reduce((m, l) => (dyn(l) > dyn(m) ? l : m));
    const chain = [...path, L];
    const iter = dyn(L) / chain.reduce((p, l) => p * l.count, 1);
    // Instructions run before L's first iteration: each earlier instruction once per run of the loops it
    // shares with L's path beyond their first iterations.
    let before = 0;
    for (let pc = 0; pc < L.top; pc++) before += counts[pc]! / path.filter((l) => pc >= l.top && pc <= l.branch).reduce((p, l) => p * l.count, 1);
    if (L.count >= 3 && before + 2 * iter <= 3 * k) {
      const j = Math.max(1, Math.min(Math.floor(k / iter), Math.floor((L.count - 1) / 2)));
      return { na: Math.round(before + j * iter), nb: Math.round(before + 2 * j * iter), aligned: true };
    }
    // Descend through loops that run fewer than 3 times, and through at most one that runs more.
    if (L.count >= 3 && path.some((l) => l.count >= 3)) break;
    path.push(L);
    cands = loops.filter((l) => inside(l, L) && !loops.some((o) => o !== l && inside(l, o) && inside(o, L)));
  }
  return { na: k, nb: 2 * k, aligned: false };
}

