/**
 * The MNIST tables of docs/models.md: the shipped CNN under every precision budget, accuracy on all 10,000
 * test images computed on the simulated core (worker threads), beside bits per weight, model size and the
 * cycles and energy of one image on the sysmol core (sampled timing). Run by hand:
 *
 *     npx tsx scripts/mnist-results.ts [--images 10000] [--workers 2]
 */
import { readFileSync } from 'node:fs';
import { evaluateBudgets, importOnnx, lowerToNetwork, mnistImages, mnistModelPath, sysmol, toNhwc, type PrecisionBudget } from '../src/index.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const count = Number(arg('images', '10000'));
const workers = Number(arg('workers', '2'));
const model = lowerToNetwork(importOnnx(readFileSync(mnistModelPath())));
const nhwc = (x: { count: number; data: Float64Array }) => ({ count: x.count, data: toNhwc(x.data, x.count, 1, 28, 28) });
const test = mnistImages('test', count);
const budgets: PrecisionBudget[] = [
  { kind: 'fp32' },
  { kind: 'int8' },
  { kind: 'uniform', bits: 4 },
  { kind: 'average', bits: 3 },
  { kind: 'average', bits: 2.5 },
  { kind: 'uniform', bits: 2 },
  { kind: 'average', bits: 1.5 },
  { kind: 'mix', fractions: { 4: 0.25, 2: 0.25, 1: 0.5 } },
  { kind: 'binary' },
];
const t0 = Date.now();
const r = await evaluateBudgets(model, { calibration: nhwc(mnistImages('train', 256).images), test: nhwc(test.images), labels: test.labels }, budgets, { machine: sysmol(), workers });
console.log(`float accuracy ${(100 * r.float.accuracy).toFixed(2)} % on ${count} images; ${((Date.now() - t0) / 1000).toFixed(0)} s in all\n`);
console.log('| precision | bits/weight | top-1 accuracy | agreement with float | model bytes | instructions / image | cycles / image | energy / image (µJ) | accuracy run (s) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const x of r.rows)
  console.log(`| ${x.label} | ${x.averageBits.toFixed(2)} | ${(100 * x.accuracy).toFixed(2)} % | ${(100 * x.agreement).toFixed(2)} % | ${x.modelBytes.toFixed(0)} | ${x.instructions} | ${Math.round(x.cycles!)} | ${(x.energyPj! / 1e6).toFixed(2)} | ${x.seconds.toFixed(1)} |`);
