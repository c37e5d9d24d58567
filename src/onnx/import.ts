/**
 * `importOnnx(bytes)`: an ONNX model in, checked and simplified for the simulator. The model is decoded,
 * every unsupported operator is reported at once (node name and type), the input's symbolic dimensions are
 * fixed (batch from the options), and the graph passes run: constant folding of the shape arithmetic,
 * HardSwish fusion, BatchNormalization folded into the preceding Conv. The result keeps the original graph
 * beside the simplified one, so both can be evaluated and compared.
 *
 * @module
 */
import { decodeOnnxModel } from './decode.js';
import type { OnnxGraph } from './graph.js';
import { UnsupportedOperatorsError, unsupportedNodes } from './ops.js';
import { checkTopological, foldBatchNorm, foldConstants, fuseHardSwish, inferShapes } from './passes.js';

/** Options of {@link importOnnx}. */
export interface ImportOptions {
  /** Batch size given to a symbolic first input dimension. Default 1. */
  readonly batch?: number;
  /** The input's full shape (NCHW), when the model leaves more than the batch symbolic. */
  readonly inputShape?: readonly number[];
}

/** An imported model: the simplified graph, the decoded original, and the input and output they have. */
export interface ImportedModel {
  /** After constant folding, HardSwish fusion and BatchNormalization folding. */
  readonly graph: OnnxGraph;
  /** As decoded. */
  readonly source: OnnxGraph;
  readonly input: { readonly name: string; readonly dims: readonly number[] };
  readonly output: { readonly name: string; readonly dims: readonly number[] };
  /** Every tensor's shape in `graph`. */
  readonly shapes: ReadonlyMap<string, readonly number[]>;
}

/**
 * Imports an ONNX model (the bytes of a `.onnx` file). Throws an {@link UnsupportedOperatorsError} listing
 * every node whose operator is not supported, or an error naming the input whose shape cannot be fixed.
 */
export function importOnnx(bytes: Uint8Array, options: ImportOptions = {}): ImportedModel {
  const source = decodeOnnxModel(bytes);
  const bad = unsupportedNodes(source);
  if (bad.length > 0) throw new UnsupportedOperatorsError(bad);
  checkTopological(source);
  if (source.inputs.length !== 1) throw new Error(`the model has ${source.inputs.length} inputs (${source.inputs.map((i) => i.name).join(', ')}); one image input is supported`);
  if (source.outputs.length !== 1) throw new Error(`the model has ${source.outputs.length} outputs; one is supported`);
  const inp = source.inputs[0]!;
  const declared = inp.shape ?? [];
  let dims: number[];
  if (options.inputShape) dims = [...options.inputShape];
  else {
    const sym = declared.map((d, i) => (typeof d === 'number' ? undefined : i)).filter((i): i is number => i !== undefined);
    if (sym.some((i) => i !== 0)) throw new Error(`input '${inp.name}' has the shape [${declared.join(', ')}]: give its full shape (inputShape, or --input-shape)`);
    dims = declared.map((d) => (typeof d === 'number' ? d : (options.batch ?? 1)));
  }
  if (dims.length !== 4) throw new Error(`input '${inp.name}' has ${dims.length} dimensions; an NCHW image input is supported`);
  const shapesIn = { [inp.name]: dims };
  const graph = foldBatchNorm(fuseHardSwish(foldConstants(source, shapesIn)));
  const shapes = inferShapes(graph, shapesIn);
  const out = source.outputs[0]!.name;
  return { graph, source, input: { name: inp.name, dims }, output: { name: out, dims: shapes.get(out)! }, shapes };
}
