/**
 * The `onnx-model` evaluator: a trained ONNX model (by default the MNIST CNN the project ships) quantised for
 * the design at hand under a precision budget, with its top-1 accuracy on real test images beside the cycles
 * and energy of one image and the datapath's area. One sweep over budgets and designs gives the accuracy x
 * cycles x energy x area front: the co-design question of mixed-precision cores.
 *
 * Per point: the model is imported and mapped onto network layers (cached per worker), calibrated on
 * `calibration` training images, its precisions assigned for `budget` (a number: average bits per weight,
 * chosen per input channel by assignPrecision; or `fp32`, `int8`, `binary`, `uint4`, `uint2`), and its
 * accuracy measured on `images` test images by the integer computation the core performs (bit-exact with
 * the simulated kernels); cycles and energy come from simulateNetwork in sampled mode on the design's
 * machine, area from the area model. `error` (1 - accuracy) is the objective, since sweeps minimise.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { simdArea } from '../../energy/area.js';
import { simulateNetwork } from '../../kernels/network.js';
import { networkTiming } from '../../machine/network.js';
import { mnistImages, mnistModelPath } from '../../models/mnist.js';
import { importOnnx } from '../../onnx/import.js';
import { lowerToNetwork, type LoweredModel } from '../../onnx/lower.js';
import { toNhwc } from '../../onnx/simulate-node.js';
import { assignPrecision, type PrecisionBudget } from '../../quant/assign.js';
import { quantisedLogits } from '../../quant/quantise.js';
import { floatNetwork } from '../../quant/network-reference.js';
import type { EvalResult, Evaluator } from '../evaluator.js';
import { LayerDesignSchema } from './layer.js';

/** Workload: the model, the data, and the precision budget. */
export const ModelWorkloadSchema = z
  .object({
    model: z.string().optional().meta({ description: 'Path of an .onnx model reading 1x28x28 MNIST images (pixel / 255); default: the shipped models/mnist-cnn.onnx.' }),
    budget: z
      .union([z.number().min(1).max(8), z.enum(['fp32', 'int8', 'binary', 'uint4', 'uint2'])])
      .default(8)
      .meta({ unit: 'bits/weight', description: 'Average bits per weight of the mixed layers (per-channel widths chosen by assignPrecision), or a uniform scheme.' }),
    maxLevels: z.number().int().min(1).max(4).default(3).meta({ unit: 'count', description: 'Most distinct widths per layer.' }),
    images: z.number().int().min(1).max(10_000).default(1000).meta({ unit: 'count', description: 'MNIST test images the accuracy is measured on (the first ones).' }),
    calibration: z.number().int().min(1).max(60_000).default(256).meta({ unit: 'count', description: 'MNIST training images used for calibration.' }),
  })
  .strict();

/** The `onnx-model` evaluator's design: a machine and the datapath counts of the area model. */
export type ModelDesign = z.output<typeof LayerDesignSchema>;
/** The `onnx-model` evaluator's workload, validated. */
export type ModelWorkload = z.output<typeof ModelWorkloadSchema>;



const lowered = new Map<string, LoweredModel>();

/** The budget a workload names. */
export function budgetOf(b: ModelWorkload['budget']): PrecisionBudget {
  if (typeof b === 'number') return b === 8 ? { kind: 'int8' } : { kind: 'average', bits: b };
  if (b === 'uint4' || b === 'uint2') return { kind: 'uniform', bits: Number(b.slice(4)) };
  return { kind: b };
}

function nhwc(x: { count: number; data: Float64Array }) {
  return { count: x.count, data: toNhwc(x.data, x.count, 1, 28, 28) };
}

async function evaluate(design: ModelDesign, w: ModelWorkload): Promise<EvalResult> {
  const path = w.model ?? mnistModelPath();
  let model = lowered.get(path);
  if (!model) {
    model = lowerToNetwork(importOnnx(readFileSync(path)));
    lowered.set(path, model);
  }
  const calib = mnistImages('train', w.calibration);
  const test = mnistImages('test', w.images);
  const t = nhwc(test.images);
  const a = assignPrecision(model, nhwc(calib.images), budgetOf(w.budget), { isa: design.isa, maxLevels: w.maxLevels });
  const logits = a.quantised ? quantisedLogits(a.quantised, t) : floatNetwork({ ...model.network, batch: t.count }, model.params, model.clampMax, t.data, t.count);
  const k = logits.length / t.count;
  let correct = 0;
  for (let i = 0; i < t.count; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (logits[i * k + j]! > logits[i * k + best]!) best = j;
    if (best === test.labels[i]) correct++;
  }
  const { area: counts, ...machine } = design;
  const isa = { ...design.isa, mixedUnit: true };
  const r = simulateNetwork({ ...(a.quantised?.network ?? model.network), batch: 1 }, new Map(a.precisions), isa, { mode: 'sampled', timing: networkTiming({ ...machine, isa }) });
  const area = simdArea({ vlenBits: isa.vlenBits, mixedWidths: [...isa.mixedWidths], patternRegs: isa.patternRegs, ...counts });
  const accuracy = correct / t.count;
  return {
    metrics: {
      accuracy,
      error: 1 - accuracy,
      averageBits: a.averageBits,
      cycles: r.total.timing!['cycles']!,
      energyUj: r.total.timing!['energyPj']! / 1e6,
      instructions: r.total.instructions,
      areaMm2: area.totalUm2 / 1e6,
      modelKiB: r.total.modelBytes / 1024,
    },
  };
}

/** The `onnx-model` evaluator. */
export const onnxModelEvaluator: Evaluator<ModelDesign, ModelWorkload> = {
  name: 'onnx-model',
  description: 'A trained ONNX model (default: the shipped MNIST CNN) quantised under a precision budget: top-1 accuracy on MNIST test images (the core\'s integer arithmetic), cycles and energy of one image (sampled timing on the design), datapath area.',
  configSchema: LayerDesignSchema,
  workloadSchema: ModelWorkloadSchema,
  metrics: [
    { name: 'accuracy', unit: 'ratio', description: 'Top-1 accuracy on the test images.' },
    { name: 'error', unit: 'ratio', description: '1 - accuracy (the objective: sweeps minimise).' },
    { name: 'averageBits', unit: 'bits/weight', description: 'Average bits per weight over all compute layers.' },
    { name: 'cycles', unit: 'cycles', description: 'Cycles of one image (sampled timing, cold caches per layer).' },
    { name: 'energyUj', unit: 'µJ', description: 'Core and memory energy of one image.' },
    { name: 'instructions', unit: 'instructions', description: 'Dynamic instructions of one image.' },
    { name: 'areaMm2', unit: 'mm²', description: 'SIMD datapath area (area model of src/energy).' },
    { name: 'modelKiB', unit: 'KiB', description: 'Weights at their widths plus 32-bit biases.' },
  ],
  defaultObjectives: ['error', 'cycles', 'energyUj', 'areaMm2'],
  evaluate,
};
