// Accuracy evaluation: the worker-thread path gives the same logits as the inline one; the budget rows carry
// accuracy, agreement, bits, model size and timing; the onnx-model sweep evaluator reports its metrics.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mnistImages } from '../../src/models/mnist.js';
import { importOnnx } from '../../src/onnx/import.js';
import { lowerToNetwork } from '../../src/onnx/lower.js';
import { toNhwc } from '../../src/onnx/simulate-node.js';
import { sysmol } from '../../src/presets/index.js';
import { assignPrecision } from '../../src/quant/assign.js';
import { evaluateBudgets, quantisedLogitsParallel } from '../../src/quant/evaluate.js';
import { quantisedLogits } from '../../src/quant/quantise.js';
import { onnxModelEvaluator } from '../../src/sweep/evaluators/model.js';
import { smallCnn } from './models.js';

const nhwc = (x: { count: number; data: Float64Array }) => ({ count: x.count, data: toNhwc(x.data, x.count, 1, 28, 28) });
const calib = nhwc(mnistImages('train', 64).images);
const test = mnistImages('test', 40);
const low = lowerToNetwork(importOnnx(smallCnn(5)));

describe('accuracy evaluation', () => {
  it('worker threads on the simulated core compute the logits of the inline integer reference', async () => {
    const q = assignPrecision(low, calib, { kind: 'average', bits: 2 }).quantised!;
    const images = nhwc(test.images);
    const par = await quantisedLogitsParallel(q, images, 2, 20, 'core');
    expect(Array.from(par.logits)).toEqual(Array.from(quantisedLogits(q, images)));
    expect(par.instructions).toBeGreaterThan(0);
  });

  it('reports accuracy, agreement, bits, size and timing per budget', async () => {
    const r = await evaluateBudgets(low, { calibration: calib, test: nhwc(test.images), labels: test.labels }, [{ kind: 'fp32' }, { kind: 'int8' }, { kind: 'uniform', bits: 2 }], { machine: sysmol(), workers: 0, engine: 'reference' });
    expect(r.rows.map((x) => x.label)).toEqual(['fp32', 'int8', 'uint2']);
    const [fp, i8, u2] = r.rows as [(typeof r.rows)[number], (typeof r.rows)[number], (typeof r.rows)[number]];
    expect(fp.agreement).toBe(1);
    expect(fp.accuracy).toBe(r.float.accuracy);
    expect(i8.averageBits).toBe(8);
    expect(i8.agreement).toBeGreaterThan(0.9);
    for (const x of r.rows) expect(x.cycles).toBeGreaterThan(0);
    // Narrower weights: a smaller model, fewer cycles than fp32.
    expect(u2.modelBytes).toBeLessThan(i8.modelBytes);
    expect(i8.modelBytes).toBeLessThan(fp.modelBytes);
    expect(u2.cycles!).toBeLessThan(fp.cycles!);
  });

  it('the onnx-model sweep evaluator reports accuracy with cycles, energy and area', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpsimd-model-'));
    const path = join(dir, 'small.onnx');
    writeFileSync(path, smallCnn(5));
    const design = onnxModelEvaluator.configSchema.parse({ ...sysmol() });
    const m = (await onnxModelEvaluator.evaluate(design, onnxModelEvaluator.workloadSchema.parse({ model: path, budget: 3, images: 40, calibration: 32 }))).metrics;
    expect(m['error']).toBeCloseTo(1 - m['accuracy']!, 12);
    expect(m['averageBits']).toBeLessThanOrEqual(3.5);
    for (const k of ['cycles', 'energyUj', 'areaMm2', 'modelKiB']) expect(m[k]).toBeGreaterThan(0);
    expect(() => onnxModelEvaluator.workloadSchema.parse({ budget: 'uint3' })).toThrow();
  });
});
