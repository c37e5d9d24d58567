/**
 * The interface of a network layer kind. Everything the network code knows about a kind (`conv`, `fc`,
 * `maxpool`, ...) is in its {@link LayerKind} entry of the registry (`layer-kinds.ts`): the JSON schema of
 * the layer as written, which tensors it reads, its shape inference, what it means for precision
 * assignment and buffer borders, its generator and its plain reference computation. The network code
 * (shape inference, precision assignment, placement, simulation, the reference network) only calls these.
 *
 * @module
 */
import type { z } from 'zod';
import type { IsaConfig } from '../../isa/config.js';
import type { Executor } from '../../isa/executor.js';
import type { Program } from '../../isa/program.js';
import type { DataflowOptions } from '../conv.js';
import type { LayerPrecision } from '../precision.js';
import type { TensorPlace } from '../tensor.js';

/** Channels, height and width of one image of a tensor (NHWC, the batch is the network's). */
export interface TensorShape {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

/**
 * A layer lowered to what its generator and reference take: a fully shaped layer spec of `spec.ts` for the
 * built-in kinds. `kind` names it in reports (`conv2d` for a `conv`, or for an `fc` reading an HxW map).
 */
export interface ShapedSpec {
  readonly kind: string;
}

/** A network layer with its inferred shape. */
export interface ShapedLayer {
  readonly name: string;
  /** The validated layer as written; `layer.kind` is its registry key. */
  readonly layer: NetLayerBase;
  /** The layer lowered by its kind's shape inference. */
  readonly spec: ShapedSpec;
  /** Names of the tensors read ("input" for the network input). */
  readonly inputs: readonly string[];
  /** Shapes of the tensors read, in the order of `inputs`. */
  readonly inShapes: readonly TensorShape[];
  readonly out: TensorShape;
}

/** What a layer's generator and reference both know: the layer, its precisions and its place in the network. */
export interface LayerContext<S extends ShapedSpec = ShapedSpec> {
  readonly layer: ShapedLayer & { readonly spec: S };
  /** Index of the layer in the network (seeds its synthetic weights). */
  readonly index: number;
  /** Seed of the network's synthetic weights and input. */
  readonly seed: number;
  /**
   * Precision of each tensor read. The first is the layer's precision: a kind with weights multiplies
   * activations of that precision by weights of the same widths.
   */
  readonly inPrecisions: readonly LayerPrecision[];
  /** Precision of the output tensor (absent for the last layer, whose raw results are the network's output). */
  readonly outPrecision?: LayerPrecision;
  /** Whether the layer is the network's last: it writes int32 (fp32) results. */
  readonly last: boolean;
  /** Whether every tensor of the network is fp32 (the last layer then writes fp32 results). */
  readonly fp32Net: boolean;
}

/** What a generator is given besides the layer context. */
export interface LayerBuild<S extends ShapedSpec = ShapedSpec> extends LayerContext<S> {
  readonly isa: IsaConfig;
  /** Where each tensor read lives. */
  readonly inputs: readonly TensorPlace[];
  /** Where the output goes (absent for the last layer: the generator places it from `base`). */
  readonly output?: TensorPlace;
  /** First address after the activation arena: weights, biases and buffers go from here. */
  readonly base: number;
  readonly options: DataflowOptions;
}

/** A generated layer, ready to run or count. */
export interface LayerProgram {
  readonly program: Program;
  /** Runs of each instruction, from the loop nest. */
  readonly counts: Float64Array;
  readonly loops: readonly { readonly top: number; readonly branch: number; readonly count: number }[];
  /** The precision reported for the layer. */
  readonly precision: LayerPrecision;
  readonly usefulMacs: number;
  readonly weightStreamBytes: number;
  readonly modelBytes: number;
  readonly fp32ModelBytes: number;
  /** Highest data address used + 1, beyond the arena (absent: within it). */
  readonly memoryEnd?: number;
  /** The layer's results (NHWC, original channel order) from a machine state, for the last layer. */
  readonly readOutput?: (st: Executor['state']) => number[];
}

/** What every layer as written has. */
export interface NetLayerBase {
  readonly kind: string;
  readonly name: string;
}

/**
 * One layer kind. `Sch` is the zod schema of the layer as written, `S` what shape inference lowers it to.
 * Only `schema`, `shape`, `generate` and `reference` are required.
 */
export interface LayerKind<Sch extends z.ZodType<NetLayerBase> = z.ZodType<NetLayerBase>, S extends ShapedSpec = ShapedSpec> {
  /** The layer as written in network JSON: a strict zod object with `kind`, `name`, and the kind's fields. */
  readonly schema: Sch;
  /** Kinds with weights have their precision chosen per layer; others keep their input's layout (glue). */
  readonly weights?: boolean;
  /** Glue that cannot work on binary activations (no binary add or sum): binary schemes keep its tensors int8. */
  readonly noBinary?: boolean;
  /** Names of the tensors read; default: `layer.input`, or the previous layer. */
  inputs?(layer: z.output<Sch>, previous: string): string[];
  /** Shape inference: the lowered layer and its output shape; throws naming `where` when the inputs do not fit. */
  shape(layer: z.output<Sch>, inputs: readonly TensorShape[], batch: number, where: string): { spec: S; out: TensorShape };
  /** Whether the layer's input may not have 1-bit channels (grouped products cannot ignore other groups). */
  grouped?(spec: NoInfer<S>): boolean;
  /** The zero border `[rows, columns]` the layer needs around each input; default none. */
  padding?(spec: NoInfer<S>): readonly [number, number];
  /** Generates the layer's program. */
  generate(b: LayerBuild<NoInfer<S>>): LayerProgram;
  /**
   * The layer computed plainly from its definition on NHWC values in the original channel order (`inputs`
   * in the order of `layer.inputs`): the next layer's activation values, or the raw int32 (fp32) results for
   * the last layer. fp32 results are float64 sums, not rounded as the kernels round them.
   */
  reference(c: LayerContext<NoInfer<S>>, inputs: readonly (readonly number[])[]): number[];
}

/** Declares a layer kind with its types inferred from its schema and its shape inference. */
export function defineLayerKind<Sch extends z.ZodType<NetLayerBase>, S extends ShapedSpec>(k: LayerKind<Sch, S>): LayerKind<Sch, S> {
  return k;
}
