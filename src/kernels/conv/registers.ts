/**
 * Register conventions and allocation of the convolution kernels. Scalar registers have fixed roles (the
 * five data pointers, loop counters from `X_CNT0` up, two scratch registers); vector registers are v0 scratch,
 * v1 zero, v2/v3 the rotating weight registers of the streaming dataflows, then the `mb x nb` accumulators,
 * then what the dataflow keeps in registers (activations, then weights), checked against the 32 the core has.
 *
 * @module
 */
import type { Dataflow } from './types.js';

/** Vector registers of the core. */
export const VREGS = 32;
/** Scratch vector register (requantisation merges). */
export const R_TMP = 0;
/** A vector of zeros (fp32 ReLU). */
export const R_ZERO = 1;
/** Weight registers the streaming dataflows rotate through. */
export const R_W: readonly number[] = [2, 3];
/** First vector register the allocation hands out. */
export const FIRST_FREE = 4;

/** Scalar pointer to the activations. */
export const X_A = 1;
/** Scalar pointer to the weight stream. */
export const X_W = 2;
/** Scalar pointer to the outputs. */
export const X_O = 3;
/** Scalar pointer to the biases. */
export const X_B = 4;
/** Scalar pointer to the partial-sum buffer. */
export const X_P = 5;
/** First loop counter; loop depth d uses `X_CNT0 + d`. */
export const X_CNT0 = 6;
/** Scratch scalar (broadcast word, pattern descriptor high half). */
export const X_S = 20;
/** Scratch scalar (pattern descriptor low half). */
export const X_PP = 21;

/** What a dataflow keeps in vector registers besides the reserved ones and the accumulators. */
export interface RegisterDemand {
  /** Reduction steps per step group, for dataflows that group steps (absent: 1, not reported). */
  readonly kb?: number;
  readonly activations: number;
  readonly weights: number;
}

/** Where everything lives. */
export interface RegisterAllocation {
  readonly kb: number;
  /** Vector registers used in all. */
  readonly vregs: number;
  /** First activation register. */
  readonly actBase: number;
  /** First register of weights kept in registers. */
  readonly weightBase: number;
  /** Accumulator of pixel `p` of the tile and block `b` of the tile. */
  accReg(p: number, b: number): number;
}

/** Lays the registers out and throws a clear error when they do not fit the core. */
export function allocateRegisters(dataflow: Dataflow, mb: number, nb: number, d: RegisterDemand): RegisterAllocation {
  const kb = d.kb ?? 1;
  const nAcc = mb * nb;
  const vregs = FIRST_FREE + nAcc + d.activations + d.weights;
  if (kb < 1) throw new Error('kb must be at least 1');
  if (vregs > VREGS) {
    const kept = `${d.activations} activations${d.weights > 0 ? `, ${d.weights} weights` : ''}`;
    throw new Error(
      `${dataflow} with mb=${mb}, nb=${nb}${d.kb === undefined ? '' : `, kb=${kb}`} needs ${vregs} vector registers (${FIRST_FREE} reserved, ${nAcc} accumulators, ${kept}); the core has ${VREGS}`,
    );
  }
  const actBase = FIRST_FREE + nAcc;
  return { kb, vregs, actBase, weightBase: actBase + d.activations, accReg: (p, b) => FIRST_FREE + p * nb + b };
}
