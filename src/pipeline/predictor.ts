/**
 * Branch direction predictors. The timing model is trace driven: it knows each branch's outcome when it
 * fetches it, asks the predictor what it *would* have predicted, and trains it at once (no wrong-path
 * fetch, no delayed update). A wrong prediction stops fetch until the branch has executed plus the
 * mispredict penalty.
 *
 * | kind | state | prediction |
 * |---|---|---|
 * | static | none | always `policy` |
 * | bimodal | 2-bit counter per PC mod entries, starts weakly not-taken (1) | counter >= 2 |
 * | loop | per PC mod entries: learnt trip count, current count, confidence; plus a bimodal fallback | when confident, taken until the current count reaches the trip count, then not taken |
 *
 * @module
 */
import type { CoreConfig } from './config.js';

/** A direction predictor. */
export interface BranchPredictor {
  /** Predicts the branch at `pc`, trains on its real outcome, and returns whether the prediction was right. */
  predictAndTrain(pc: number, taken: boolean): boolean;
}

/** Always predicts the same direction. */
export class StaticPredictor implements BranchPredictor {
  constructor(readonly predictTaken: boolean) {}
  predictAndTrain(_pc: number, taken: boolean): boolean {
    return taken === this.predictTaken;
  }
}

/** A table of 2-bit saturating counters indexed by PC. */
export class BimodalPredictor implements BranchPredictor {
  /** @internal The counters (the WebAssembly cores train a copy during a run and write it back: wasm-module.ts). */
  readonly ctr: Uint8Array;
  constructor(readonly entries: number) {
    this.ctr = new Uint8Array(entries).fill(1);
  }
  predictAndTrain(pc: number, taken: boolean): boolean {
    const i = pc % this.entries;
    const c = this.ctr[i]!;
    const pred = c >= 2;
    this.ctr[i] = taken ? (c < 3 ? c + 1 : 3) : c > 0 ? c - 1 : 0;
    return pred === taken;
  }
}

/**
 * A loop predictor: learns how many times in a row a branch is taken before it falls through once (a loop's
 * trip count). After the same trip count is seen twice in a row it is confident and predicts the exit; until
 * then a bimodal predictor answers.
 */
export class LoopPredictor implements BranchPredictor {
  // @internal: the WebAssembly cores train a copy of these during a run and write it back (wasm-module.ts).
  /** @internal Learnt trip count per entry, -1 before the first exit. */
  readonly trip: Int32Array;
  /** @internal Times taken since the last exit. */
  readonly current: Int32Array;
  /** @internal 1 when the same trip count was seen twice in a row. */
  readonly confident: Uint8Array;
  /** @internal */
  readonly fallback: BimodalPredictor;
  constructor(
    readonly entries: number,
    bimodalEntries: number,
  ) {
    this.trip = new Int32Array(entries).fill(-1);
    this.current = new Int32Array(entries);
    this.confident = new Uint8Array(entries);
    this.fallback = new BimodalPredictor(bimodalEntries);
  }
  predictAndTrain(pc: number, taken: boolean): boolean {
    const i = pc % this.entries;
    const fb = this.fallback.predictAndTrain(pc, taken);
    const cur = this.current[i]!;
    const pred = this.confident[i] === 1 ? cur < this.trip[i]! : fb === taken;
    if (taken) {
      this.current[i] = cur + 1;
    } else {
      this.confident[i] = this.trip[i] === cur ? 1 : 0;
      this.trip[i] = cur;
      this.current[i] = 0;
    }
    return pred === taken;
  }
}

/** The predictor a core configuration asks for. */
export function createPredictor(cfg: CoreConfig['branchPredictor']): BranchPredictor {
  switch (cfg.kind) {
    case 'static':
      return new StaticPredictor(cfg.policy === 'taken');
    case 'bimodal':
      return new BimodalPredictor(cfg.entries);
    case 'loop':
      return new LoopPredictor(cfg.entries, cfg.bimodalEntries);
    default: {
      const never: never = cfg;
      throw new Error(`unknown branch predictor ${JSON.stringify(never)}`);
    }
  }
}
