/**
 * Accuracy of a model under precision budgets, beside what the core pays for it: for each budget, the
 * network's precisions are assigned and its weights quantised from calibration images (assign.ts), the test
 * images run through the quantised network on the simulated core (the functional executor's fast path,
 * layer by layer, split over worker threads; or, on request, the integer reference, which gives the same
 * values), and top-1 accuracy and agreement with the float model
 * are reported with the average bits per weight, the model size, and the instruction count, cycles and
 * energy of one image on a machine (simulateNetwork in sampled mode with the machine's timing model).
 *
 * @module
 */
import { Piscina } from 'piscina';
import { resolveIsaConfig, type IsaConfigInput } from '../isa/config.js';
import { simulateNetwork, type LayerPrecision } from '../kernels/index.js';
import type { MachineConfigInput } from '../machine/config.js';
import { networkTiming } from '../machine/network.js';
import type { LoweredModel } from '../onnx/lower.js';
import { availableParallelism } from 'node:os';
import { workerFile } from '../workers/file.js';
import { assignPrecision, budgetLabel, type AssignOptions, type PrecisionBudget } from './assign.js';
import { floatNetwork } from './network-reference.js';
import type { ImageBatch, QuantisedNetwork } from './quantise.js';
import { taskNetwork, type LogitsTask } from './worker.js';
import logitsOfSlice from './worker.js';

/** A labelled data set split for evaluation: calibration images, test images and their labels. */
export interface EvaluationData {
  readonly calibration: ImageBatch;
  readonly test: ImageBatch;
  readonly labels: ArrayLike<number>;
}

/** One budget's row. */
export interface SchemeResult {
  readonly label: string;
  readonly budget: PrecisionBudget;
  readonly averageBits: number;
  /** Top-1 accuracy on the test images (0..1). */
  readonly accuracy: number;
  /** Share of test images whose top-1 class equals the float model's. */
  readonly agreement: number;
  /** Weights at their widths plus 32-bit biases, bytes (from simulateNetwork). */
  readonly modelBytes: number;
  /** Per image. */
  readonly instructions: number;
  readonly cycles?: number;
  readonly energyPj?: number;
  /** Wall time of the accuracy run, seconds. */
  readonly seconds: number;
  /** Instructions the core executed for the whole test set (0 when the reference computed it, or for fp32). */
  readonly simulatedInstructions: number;
}

/** Options of {@link evaluateBudgets}. */
export interface EvaluateOptions extends AssignOptions {
  /** Times one image on this machine (sampled mode); without it only instruction counts are given. */
  readonly machine?: MachineConfigInput;
  /** Worker threads for the accuracy runs: 0 runs inline. Default one per core. */
  readonly workers?: number;
  /** Images per task. Default 250. */
  readonly sliceImages?: number;
  /** `core` (default): accuracy from the simulated core; `reference`: from the integer reference (same values). */
  readonly engine?: 'core' | 'reference';
}

function argmax(v: ArrayLike<number>, i: number, k: number): number {
  let b = 0;
  for (let j = 1; j < k; j++) if (v[i * k + j]! > v[i * k + b]!) b = j;
  return b;
}

/**
 * The quantised network's logits for every test image, on worker threads (0: inline), computed on the
 * simulated core (`core`, default) or by the integer reference (`reference`: the same values, tested equal).
 */
export async function quantisedLogitsParallel(q: QuantisedNetwork, images: ImageBatch, workers: number, slice = 250, engine: 'core' | 'reference' = 'core', isa: IsaConfigInput = {}): Promise<{ logits: Float64Array; instructions: number }> {
  const base = { ...taskNetwork(q), engine, isa };
  const perImage = images.data.length / images.count;
  const tasks: LogitsTask[] = [];
  for (let s = 0; s < images.count; s += slice) {
    const n = Math.min(slice, images.count - s);
    tasks.push({ ...base, count: n, images: Float64Array.from({ length: n * perImage }, (_, i) => images.data[s * perImage + i]!) });
  }
  const classes = q.outputScale.length;
  const out = new Float64Array(images.count * classes);
  let instructions = 0;
  const put = (r: { logits: Float64Array; instructions: number }, i: number) => {
    out.set(r.logits, i * slice * classes);
    instructions += r.instructions;
  };
  if (workers === 0) {
    tasks.forEach((t, i) => put(logitsOfSlice(t), i));
    return { logits: out, instructions };
  }
  const pool = new Piscina({ filename: workerFile(new URL('./worker.js', import.meta.url), import.meta.url), minThreads: workers, maxThreads: workers });
  try {
    const res = await Promise.all(tasks.map((t) => pool.run(t) as Promise<{ logits: Float64Array; instructions: number }>));
    res.forEach(put);
  } finally {
    await pool.destroy();
  }
  return { logits: out, instructions };
}

/** Evaluates each budget (see the module comment). The float model's accuracy is in `float`. */
export async function evaluateBudgets(model: LoweredModel, data: EvaluationData, budgets: readonly PrecisionBudget[], options: EvaluateOptions = {}): Promise<{ float: { accuracy: number }; rows: SchemeResult[] }> {
  const isa = resolveIsaConfig(options.isa ?? {});
  const n = data.test.count;
  const floatLogits = floatNetwork({ ...model.network, batch: n }, model.params, model.clampMax, data.test.data, n);
  const classes = floatLogits.length / n;
  const floatTop = Array.from({ length: n }, (_, i) => argmax(floatLogits, i, classes));
  const floatAccuracy = floatTop.filter((c, i) => c === data.labels[i]).length / n;
  const rows: SchemeResult[] = [];
  for (const budget of budgets) {
    const a = assignPrecision(model, data.calibration, budget, options);
    const t0 = performance.now();
    let top: number[];
    let simulated = 0;
    if (a.quantised) {
      const r = await quantisedLogitsParallel(a.quantised, data.test, options.workers ?? Math.max(1, availableParallelism()), options.sliceImages, options.engine ?? 'core', isa);
      simulated = r.instructions;
      top = Array.from({ length: n }, (_, i) => argmax(r.logits, i, classes));
    } else top = floatTop;
    const seconds = (performance.now() - t0) / 1000;
    const net = a.quantised?.network ?? model.network;
    const precisions: ReadonlyMap<string, LayerPrecision> = a.precisions;
    const r = simulateNetwork({ ...net, batch: 1 }, precisions as Map<string, LayerPrecision>, isa, options.machine ? { mode: 'sampled', timing: networkTiming({ ...options.machine, isa }) } : { mode: 'fast' });
    rows.push({
      label: budgetLabel(budget),
      budget,
      averageBits: a.averageBits,
      accuracy: top.filter((c, i) => c === data.labels[i]).length / n,
      agreement: top.filter((c, i) => c === floatTop[i]).length / n,
      modelBytes: r.total.modelBytes,
      instructions: r.total.instructions,
      ...(r.total.timing ? { cycles: r.total.timing['cycles'], energyPj: r.total.timing['energyPj'] } : {}),
      seconds,
      simulatedInstructions: simulated,
    });
  }
  return { float: { accuracy: floatAccuracy }, rows };
}
