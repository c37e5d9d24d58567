/**
 * Branch direction predictors: their configuration and state. The timing model is trace driven: it knows each
 * branch's outcome when it fetches it, asks the predictor what it *would* have predicted, and trains it at once
 * (no wrong-path fetch, no delayed update). A wrong prediction stops fetch until the branch has executed plus the
 * mispredict penalty.
 *
 * The rules (how each kind predicts and learns) are written once, in src/pipeline/wasm/predictor.as.ts, where the
 * cores run. A predictor here is the state those rules work on: a run takes a copy of it
 * ({@link BranchPredictor.exportState}) and gives the trained state back ({@link BranchPredictor.importState}), so
 * the next run of the same core continues from it. Adding a kind is its configuration (config.ts), its state
 * here, and its rule there.
 *
 * | kind | state | prediction |
 * |---|---|---|
 * | static | none | always `policy` |
 * | bimodal | 2-bit counter per PC mod entries, starts weakly not-taken (1) | counter >= 2 |
 * | loop | per PC mod entries: learnt trip count (-1 before the first exit), current count, confidence; plus a bimodal fallback | when confident, taken until the current count reaches the trip count, then not taken |
 *
 * @module
 */
import type { CoreConfig } from './config.js';

/** The state of a predictor, as a run takes and returns it. Arrays a kind does not use are empty. */
export interface PredictorState {
  readonly kind: CoreConfig['branchPredictor']['kind'];
  /** static: the direction always predicted. */
  readonly predictTaken: boolean;
  /** bimodal, and loop's fallback: the 2-bit counters. */
  readonly counters: Uint8Array;
  /** loop: learnt trip count per entry (-1 before the first exit). */
  readonly trip: Int32Array;
  /** loop: times taken since the last exit. */
  readonly current: Int32Array;
  /** loop: 1 when the same trip count was seen twice in a row. */
  readonly confident: Uint8Array;
}

/** A branch predictor of one core: its state, carried from run to run. */
export class BranchPredictor {
  private state: PredictorState;

  constructor(readonly config: CoreConfig['branchPredictor']) {
    const cfg = config;
    const counters = cfg.kind === 'bimodal' ? cfg.entries : cfg.kind === 'loop' ? cfg.bimodalEntries : 0;
    const loops = cfg.kind === 'loop' ? cfg.entries : 0;
    this.state = {
      kind: cfg.kind,
      predictTaken: cfg.kind === 'static' && cfg.policy === 'taken',
      counters: new Uint8Array(counters).fill(1),
      trip: new Int32Array(loops).fill(-1),
      current: new Int32Array(loops),
      confident: new Uint8Array(loops),
    };
  }

  /** A copy of the state, for a run to train. */
  exportState(): PredictorState {
    const s = this.state;
    return { ...s, counters: s.counters.slice(), trip: s.trip.slice(), current: s.current.slice(), confident: s.confident.slice() };
  }

  /** Takes trained state back (of the same kind and sizes). */
  importState(s: PredictorState): void {
    const o = this.state;
    if (s.kind !== o.kind || s.counters.length !== o.counters.length || s.trip.length !== o.trip.length) {
      throw new Error(`BranchPredictor.importState: a ${s.kind} state of ${s.counters.length} counters and ${s.trip.length} loop entries does not fit a ${o.kind} predictor of ${o.counters.length} and ${o.trip.length}`);
    }
    this.state = { ...s, counters: s.counters.slice(), trip: s.trip.slice(), current: s.current.slice(), confident: s.confident.slice() };
  }
}

/** The predictor a core configuration asks for. */
export function createPredictor(cfg: CoreConfig['branchPredictor']): BranchPredictor {
  return new BranchPredictor(cfg);
}
