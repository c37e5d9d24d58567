// The branch predictors' rules (src/pipeline/predictor.ts holds their configuration and state; this is the only
// place they predict and learn). A run trains a copy of the predictor's state, which goes back to it at the end,
// so the next run of the same core continues from it.
//
// | kind | state | prediction |
// |---|---|---|
// | static | none | always the configured direction |
// | bimodal | 2-bit counter per PC mod entries, starts weakly not-taken (1) | counter >= 2 |
// | loop | per PC mod entries: learnt trip count, current count, confidence; plus a bimodal fallback | when confident, taken until the current count reaches the trip count, then not taken |
import { ldB, ldI, stB, stI } from './common.as';
import { PRED_BIMODAL, PRED_LOOP, PRED_STATIC } from './generated/constants.as';
import { bimCtr, bimEntries, loopConf, loopCur, loopEntries, loopTrip, predKind, staticTaken } from './generated/predictor.as';

/** Predicts the branch at `pc`, learns its real direction `taken` (0 or 1), and returns whether the prediction was right. */
export function predict(pc: i32, taken: i32): bool {
  if (predKind == PRED_STATIC) return taken == staticTaken;
  if (predKind == PRED_BIMODAL) return bimodal(pc, taken);
  if (predKind == PRED_LOOP) {
    // Learns how many times in a row the branch is taken before it falls through once; after the same trip
    // count twice in a row it is confident and predicts the exit. The bimodal fallback learns every branch.
    const i = pc % loopEntries;
    const fb = bimodal(pc, taken);
    const cur = ldI(loopCur, i);
    const pred = ldB(loopConf, i) == 1 ? (cur < ldI(loopTrip, i) ? 1 : 0) : (fb ? taken : 1 - taken);
    if (taken != 0) {
      stI(loopCur, i, cur + 1);
    } else {
      stB(loopConf, i, ldI(loopTrip, i) == cur ? 1 : 0);
      stI(loopTrip, i, cur);
      stI(loopCur, i, 0);
    }
    return pred == taken;
  }
  unreachable(); // predictor.ts makes only these kinds
  return false;
}

/** A 2-bit saturating counter per PC mod bimEntries. */
function bimodal(pc: i32, taken: i32): bool {
  const i = pc % bimEntries;
  const c = ldB(bimCtr, i);
  const pred = c >= 2 ? 1 : 0;
  stB(bimCtr, i, taken != 0 ? (c < 3 ? c + 1 : 3) : (c > 0 ? c - 1 : 0));
  return pred == taken;
}
