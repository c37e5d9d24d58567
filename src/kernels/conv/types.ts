/**
 * The public vocabulary of the convolution generator: dataflow options, what to do with results, the layer
 * data, the memory a generated program uses, and what a generation returns. Every other module of the
 * generator works on these types; none of them holds logic.
 *
 * @module
 */
import type { Instr } from '../../isa/instr.js';
import type { CodeBuilder } from '../builder.js';
import type { LayerPrecision } from '../precision.js';
import type { TensorPlace } from '../tensor.js';

/** Register-level dataflow (each has an emitter in `src/kernels/conv/dataflows.ts`). */
export type Dataflow = 'output-stationary' | 'weight-stationary' | 'input-stationary';

/** Which tile loop is outermost. */
export type LoopOrder = 'channels-outer' | 'pixels-outer';

/** Dataflow options; every field optional, defaults chosen to fit 32 vector registers. */
export interface DataflowOptions {
  /** Default `output-stationary`. */
  readonly dataflow?: Dataflow;
  /** Output pixels per tile (register blocking along the output row). Default 4 (output-stationary), else 2. */
  readonly mb?: number;
  /** Blocks of L output channels per tile. Default 2 (lane-reducing) or 4 (broadcasting) for output-stationary, 1 otherwise. */
  readonly nb?: number;
  /** Reduction steps held in registers per step group (weight- and input-stationary). Default: as many as fit. */
  readonly kb?: number;
  /** Default `channels-outer`. */
  readonly loopOrder?: LoopOrder;
}

/** What the generator does with the int32 (fp32) results. */
export type OutputSpec =
  | { readonly kind: 'int32' }
  | { readonly kind: 'fp32'; readonly relu?: boolean }
  | { readonly kind: 'requant'; readonly precision: LayerPrecision; readonly shift: number };

/** Layer data: weights `[outC][kH][kW][inC/groups]` and one bias per output channel. */
export interface ConvData {
  readonly weights: ArrayLike<number>;
  readonly bias: ArrayLike<number>;
}

/** The memory the generated program uses. */
export interface ConvPlacement {
  readonly input: TensorPlace;
  readonly output: TensorPlace;
  /** Address of the weight stream. */
  readonly weights: number;
  /** Address of the bias vector. */
  readonly bias: number;
  /** Address of the partial-sum buffer (weight- and input-stationary only). */
  readonly psum: number;
}

/** Static facts of a generated convolution. */
export interface ConvPlan {
  readonly family: 'mdot' | 'xdot' | 'int8' | 'fp32';
  readonly dataflow: Dataflow;
  readonly loopOrder: LoopOrder;
  readonly mb: number;
  readonly nb: number;
  readonly kb: number;
  /** Vector registers used. */
  readonly vregs: number;
  readonly weightBytes: number;
  readonly biasBytes: number;
  readonly psumBytes: number;
  /** Multiply-accumulates of the layer as specified (no padding, no skipped work). */
  readonly usefulMacs: number;
}

/** The generated program for one layer, before it is given addresses. */
export interface ConvCode {
  readonly instrs: Instr[];
  /** Loop nest of the code (see `executionCounts`). */
  readonly loops: CodeBuilder['loops'];
  readonly weightImage: Uint8Array;
  readonly biasImage: Uint8Array;
  readonly plan: ConvPlan;
}
