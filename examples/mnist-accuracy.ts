// A trained model in, accuracy and cost out: the MNIST CNN the project trained (models/mnist-cnn.onnx,
// scripts/train-mnist.ts) is imported from ONNX, mapped onto the simulator's layers with its real weights,
// quantised after training under several precision budgets (per-input-channel widths chosen from the weights
// and 256 calibration images), and run on 300 MNIST test images with the core's integer arithmetic. Each
// budget's top-1 accuracy and agreement with the float model sit beside its bits per weight, model size,
// and the cycles and energy of one image on the sysmol core (sampled timing). docs/models.md has the full
// 10,000-image tables. Run: npm run build && npx tsx examples/mnist-accuracy.ts
import { readFileSync } from 'node:fs';
import { evaluateBudgets, formatTable, importOnnx, lowerToNetwork, mnistImages, mnistModelPath, sysmol, toNhwc, type PrecisionBudget } from 'mpsimd';

const model = lowerToNetwork(importOnnx(readFileSync(mnistModelPath())));
const nhwc = (x: { count: number; data: Float64Array }) => ({ count: x.count, data: toNhwc(x.data, x.count, 1, 28, 28) });
const calibration = nhwc(mnistImages('train', 256).images);
const test = mnistImages('test', 300);
const budgets: PrecisionBudget[] = [{ kind: 'fp32' }, { kind: 'int8' }, { kind: 'uniform', bits: 4 }, { kind: 'average', bits: 2.5 }, { kind: 'binary' }];
const t0 = Date.now();
const r = await evaluateBudgets(model, { calibration, test: nhwc(test.images), labels: test.labels }, budgets, { machine: sysmol(), workers: 2 });
console.log(`${model.network.name}: ${test.labels.length} test images, float accuracy ${(100 * r.float.accuracy).toFixed(1)} %; ${((Date.now() - t0) / 1000).toFixed(0)} s`);
console.log(
  formatTable(
    ['precision', 'bits/weight', 'accuracy %', 'agreement %', 'model B', 'instructions', 'cycles', 'energy uJ'],
    r.rows.map((x) => [x.label, x.averageBits.toFixed(2), (100 * x.accuracy).toFixed(1), (100 * x.agreement).toFixed(1), x.modelBytes.toFixed(0), String(x.instructions), String(Math.round(x.cycles!)), (x.energyPj! / 1e6).toFixed(2)]),
  ),
);
// The 8-bit network must keep the float model's answers on almost every image.
const int8 = r.rows.find((x) => x.label === 'int8')!;
if (int8.agreement < 0.97) {
  console.error(`int8 agrees with the float model on only ${(100 * int8.agreement).toFixed(1)} % of the images`);
  process.exit(1);
}
