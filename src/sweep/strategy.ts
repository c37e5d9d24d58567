/**
 * Search strategies behind one ask/tell interface: a strategy is a generator that yields batches of points
 * and is handed back each batch's costs (in batch order, never in finishing order, so a strategy's choices
 * depend only on the seed and the results). All randomness comes from the {@link Rng} it is given.
 *
 * | strategy | batches | shardable |
 * |---|---|---|
 * | {@link grid} | the admitted grid in chunks | yes |
 * | {@link randomSampling} | one batch of distinct random points | yes |
 * | {@link nsga2} | a population, then one offspring batch per generation | no (each generation needs the last) |
 *
 * @module
 */
import { canonicalJson } from './json.js';
import { crowdingDistance, nonDominatedSort } from './pareto.js';
import type { Rng } from './rng.js';
import type { EnumeratedPoint, PointValues, Space } from './space.js';

/** A point of a batch with its costs (objective values, all minimised), or undefined when it failed. */
export interface Told {
  readonly values: PointValues;
  readonly costs: readonly number[] | undefined;
}

/** What a strategy gets to work with. */
export interface StrategyContext {
  readonly space: Space;
  readonly rng: Rng;
  /** Number of objectives. */
  readonly objectives: number;
}

/** A search strategy (see the module comment). */
export interface Strategy {
  /** Short name, for reports. */
  readonly name: string;
  /** Whether its points can be split across shards (its batches do not depend on results). */
  readonly shardable: boolean;
  /** Total number of points it will propose, when known up front (for progress bars). */
  expectedPoints(space: Space): number | undefined;
  /** Yields batches of points (pruned ones marked) and receives each batch's results before the next. */
  batches(ctx: StrategyContext): Generator<readonly EnumeratedPoint[], void, readonly Told[]>;
}

/** Every point of the grid, in enumeration order, in batches of `chunk` (default 256). */
export function grid(options: { readonly chunk?: number } = {}): Strategy {
  const chunk = options.chunk ?? 256;
  return {
    name: 'grid',
    shardable: true,
    expectedPoints(space) {
      let n = 0;
      for (const _ of space.grid()) n++;
      return n;
    },
    *batches({ space }) {
      let batch: EnumeratedPoint[] = [];
      for (const e of space.enumerate()) {
        batch.push(e);
        if (batch.length === chunk) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
  };
}

/** Draws up to `n` distinct admitted points; gives up after `maxTries` draws. */
function drawDistinct(space: Space, rng: Rng, n: number, seen: Set<string>, maxTries: number): EnumeratedPoint[] {
  const out: EnumeratedPoint[] = [];
  for (let tries = 0; out.length < n && tries < maxTries; tries++) {
    const e = space.decode(space.dimensions.map(() => rng.next()));
    if (e.prunedBy !== undefined) continue;
    const id = canonicalJson(e.values);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(e);
  }
  return out;
}

/**
 * `samples` distinct admitted points drawn uniformly per dimension from the seed (fewer when the space has
 * fewer, or when `maxTries`, default 50 x samples, draws find no more).
 */
export function randomSampling(options: { readonly samples: number; readonly maxTries?: number }): Strategy {
  const { samples } = options;
  if (!(Number.isInteger(samples) && samples > 0)) throw new Error('random sampling: samples must be a positive integer');
  return {
    name: 'random',
    shardable: true,
    expectedPoints: () => samples,
    *batches({ space, rng }) {
      yield drawDistinct(space, rng, samples, new Set(), options.maxTries ?? 50 * samples);
    },
  };
}

/** Options of {@link nsga2}; every field has a default. */
export interface Nsga2Options {
  /** Population size. Default 40. */
  readonly population?: number;
  /** Offspring generations after the initial population. Default 20. */
  readonly generations?: number;
  /** Probability that two parents are crossed (SBX). Default 0.9. */
  readonly crossoverRate?: number;
  /** Per-gene mutation probability. Default 1 / number of dimensions. */
  readonly mutationRate?: number;
  /** SBX distribution index. Default 15. */
  readonly etaCrossover?: number;
  /** Polynomial-mutation distribution index. Default 20. */
  readonly etaMutation?: number;
}

interface Individual {
  genes: number[];
  values: PointValues;
  costs: readonly number[];
  rank: number;
  crowding: number;
}

/**
 * NSGA-II (Deb, Pratap, Agarwal, Meyarivan 2002) over genes in [0, 1), one per dimension, decoded by
 * {@link Space.decode}: simulated binary crossover, polynomial mutation, binary tournaments on (rank,
 * crowding distance), elitist (mu + lambda) survival. Failed points get infinite costs. An offspring that
 * decodes to a pruned or already proposed point is mutated again (up to 20 times) so evaluations are not
 * spent twice on one design.
 */
export function nsga2(options: Nsga2Options = {}): Strategy {
  const pop = options.population ?? 40;
  const gens = options.generations ?? 20;
  if (!(Number.isInteger(pop) && pop >= 4)) throw new Error('nsga2: population must be an integer >= 4');
  if (!(Number.isInteger(gens) && gens >= 0)) throw new Error('nsga2: generations must be an integer >= 0');
  const pc = options.crossoverRate ?? 0.9;
  const etaC = options.etaCrossover ?? 15;
  const etaM = options.etaMutation ?? 20;
  return {
    name: 'nsga2',
    shardable: false,
    expectedPoints: () => pop * (gens + 1),
    *batches({ space, rng, objectives }) {
      const d = space.dimensions.length;
      const pm = options.mutationRate ?? 1 / Math.max(1, d);
      const seen = new Set<string>();
      const failed = new Array<number>(objectives).fill(Infinity);
      const clamp = (x: number) => Math.min(Math.max(x, 0), 1 - 1e-9);

      const mutate = (g: number[]): number[] =>
        g.map((x) => {
          if (rng.next() >= pm) return x;
          const u = rng.next();
          const delta = u < 0.5 ? Math.pow(2 * u, 1 / (etaM + 1)) - 1 : 1 - Math.pow(2 * (1 - u), 1 / (etaM + 1));
          return clamp(x + delta);
        });
      const sbx = (a: number[], b: number[]): [number[], number[]] => {
        if (rng.next() >= pc) return [[...a], [...b]];
        const c1: number[] = [];
        const c2: number[] = [];
        for (let i = 0; i < d; i++) {
          const u = rng.next();
          const beta = u <= 0.5 ? Math.pow(2 * u, 1 / (etaC + 1)) : Math.pow(1 / (2 * (1 - u)), 1 / (etaC + 1));
          const swap = rng.next() < 0.5;
          const x = 0.5 * ((1 + beta) * a[i]! + (1 - beta) * b[i]!);
          const y = 0.5 * ((1 - beta) * a[i]! + (1 + beta) * b[i]!);
          c1.push(clamp(swap ? y : x));
          c2.push(clamp(swap ? x : y));
        }
        return [c1, c2];
      };
      const better = (a: Individual, b: Individual) => a.rank < b.rank || (a.rank === b.rank && a.crowding > b.crowding);
      const tournament = (P: Individual[]) => {
        const a = P[rng.int(P.length)]!;
        const b = P[rng.int(P.length)]!;
        return better(b, a) ? b : a;
      };
      const rankAndSelect = (all: Individual[], keep: number): Individual[] => {
        const pts = all.map((x) => x.costs as number[]);
        const out: Individual[] = [];
        nonDominatedSort(pts).forEach((front, rank) => {
          const cd = crowdingDistance(pts, front);
          for (const i of front) {
            all[i]!.rank = rank;
            all[i]!.crowding = cd.get(i)!;
          }
          if (out.length >= keep) return;
          const members = front.map((i) => all[i]!);
          if (out.length + members.length <= keep) out.push(...members);
          else out.push(...members.sort((x, y) => y.crowding - x.crowding).slice(0, keep - out.length));
        });
        return out;
      };
      const evaluate = function* (cands: { genes: number[]; e: EnumeratedPoint }[]): Generator<readonly EnumeratedPoint[], Individual[], readonly Told[]> {
        if (cands.length === 0) return [];
        const told = yield cands.map((c) => c.e);
        return cands.map((c, i) => ({ genes: c.genes, values: c.e.values, costs: told[i]?.costs ?? failed, rank: 0, crowding: 0 }));
      };

      // Initial population: distinct admitted random points.
      const init: { genes: number[]; e: EnumeratedPoint }[] = [];
      for (let tries = 0; init.length < pop && tries < 50 * pop; tries++) {
        const genes = space.dimensions.map(() => rng.next());
        const e = space.decode(genes);
        const id = canonicalJson(e.values);
        if (e.prunedBy !== undefined || seen.has(id)) continue;
        seen.add(id);
        init.push({ genes, e });
      }
      let P = rankAndSelect(yield* evaluate(init), pop);
      for (let g = 0; g < gens && P.length >= 2; g++) {
        const kids: { genes: number[]; e: EnumeratedPoint }[] = [];
        for (let attempts = 0; kids.length < pop && attempts < 20 * pop; attempts++) {
          const [c1, c2] = sbx(tournament(P).genes, tournament(P).genes);
          for (let c of [c1, c2]) {
            if (kids.length >= pop) break;
            for (let r = 0; r < 20; r++) {
              c = mutate(c);
              const e = space.decode(c);
              const id = canonicalJson(e.values);
              if (e.prunedBy === undefined && !seen.has(id)) {
                seen.add(id);
                kids.push({ genes: c, e });
                break;
              }
            }
          }
        }
        if (kids.length === 0) break; // the space is exhausted
        P = rankAndSelect([...P, ...(yield* evaluate(kids))], pop);
      }
    },
  };
}
