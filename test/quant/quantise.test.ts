// Lowering an imported model onto network layers with its weights, and its post-training quantisation:
// the lowered float network equals the ONNX reference; int8 stays close to float; narrower budgets cost more
// by the error proxy; the precision assignment keeps its budget and level limits.
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/models/mnist.js';
import { encodeOnnxModel } from '../../src/onnx/encode.js';
import { importOnnx } from '../../src/onnx/import.js';
import { lowerToNetwork, NotMappableError } from '../../src/onnx/lower.js';
import { runReference } from '../../src/onnx/reference.js';
import { toNhwc } from '../../src/onnx/simulate-node.js';
import { assignPrecision } from '../../src/quant/assign.js';
import { floatNetwork } from '../../src/quant/network-reference.js';
import { quantisedLogits } from '../../src/quant/quantise.js';
import { smallCnn } from './models.js';

const N = 48;
const mnist = loadMnist('test', N);
const nchw = Float64Array.from(mnist.images, (p) => p / 255);
const images = { count: N, data: toNhwc(nchw, N, 1, 28, 28) };

describe('lowering an imported model onto network layers', () => {
  const model = importOnnx(smallCnn(3), { batch: N });
  const low = lowerToNetwork(model);

  it('maps conv/relu/maxpool/flatten/gemm onto conv, maxpool and fc layers with their weights', () => {
    expect(low.network.layers.map((l) => `${l.name}:${l.kind}`)).toEqual(['conv1:conv', 'conv2:conv', 'pool:maxpool', 'fc:fc']);
    expect([...low.clampMax.keys()]).toEqual(['conv1', 'conv2']);
  });

  it('the lowered float network computes what the ONNX reference does (fc weights permuted from CHW to HWC)', () => {
    const ref = runReference(model.graph, { x: { dataType: 'float32', dims: [N, 1, 28, 28], data: Float64Array.from(nchw, Math.fround) } }).get('y')!;
    const got = floatNetwork(low.network, low.params, low.clampMax, images.data, N);
    expect(got.length).toBe(ref.data.length);
    got.forEach((v, i) => expect(Math.abs(v - ref.data[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(ref.data[i]!))));
  });

  it('refuses what the core cannot compute, listing every problem', () => {
    const bytes = encodeOnnxModel({
      name: 'bad',
      inputs: [{ name: 'x', dataType: 'float32', shape: [1, 1, 8, 8] }],
      outputs: [{ name: 'y', dataType: 'float32', shape: [1, 2, 4, 4] }],
      initializers: [{ name: 'w', dataType: 'float32', dims: [2, 1, 3, 3], data: new Float32Array(18).fill(0.1) }, { name: 'w2', dataType: 'float32', dims: [2, 2, 3, 3], data: new Float32Array(36).fill(0.1) }],
      nodes: [
        { opType: 'Conv', name: 'a', inputs: ['x', 'w'], outputs: ['c'], attributes: { kernel_shape: [3, 3], pads: [0, 0, 1, 1], strides: [2, 2] } },
        { opType: 'HardSigmoid', name: 'hs', inputs: ['c'], outputs: ['h'] },
        { opType: 'Conv', name: 'b', inputs: ['h', 'w2'], outputs: ['y'], attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
      ],
    });
    let err: unknown;
    try {
      lowerToNetwork(importOnnx(bytes));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotMappableError);
    const msg = String(err);
    expect(msg).toMatch(/node 'a' \(Conv\): asymmetric padding \[0, 0, 1, 1\]/);
    expect(msg).toMatch(/node 'hs' \(HardSigmoid\): HardSigmoid has no simulator layer/);
    expect(msg).toMatch(/layer 'a': its output is not followed by Relu/);
  });
});

describe('post-training quantisation and precision assignment', () => {
  const low = lowerToNetwork(importOnnx(smallCnn(3), { batch: N }));
  const float = floatNetwork(low.network, low.params, low.clampMax, images.data, N);
  const top1 = (v: ArrayLike<number>, i: number) => {
    let b = 0;
    for (let k = 1; k < 10; k++) if (v[i * 10 + k]! > v[i * 10 + b]!) b = k;
    return b;
  };
  const agreement = (logits: ArrayLike<number>) => Array.from({ length: N }, (_, i) => top1(logits, i) === top1(float, i)).filter(Boolean).length / N;
  const rms = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0) / a.length);

  it('int8 logits stay within a few percent of the float ones', () => {
    const a = assignPrecision(low, images, { kind: 'int8' });
    const q = quantisedLogits(a.quantised!, images);
    const err = rms(Array.from(q, (v, i) => v - float[i]!)) / rms(float);
    expect(err).toBeLessThan(0.05);
    expect(agreement(q)).toBeGreaterThan(0.9);
    expect(a.averageBits).toBe(8);
  });

  it('narrower uniform widths give a larger error proxy and a larger logit error', () => {
    const errs = [4, 2].map((bits) => {
      const a = assignPrecision(low, images, { kind: 'uniform', bits });
      const q = quantisedLogits(a.quantised!, images);
      return { proxy: a.quantised!.layers[1]!.relativeError, logit: rms(Array.from(q, (v, i) => v - float[i]!)) / rms(float) };
    });
    expect(errs[1]!.proxy).toBeGreaterThan(errs[0]!.proxy);
    expect(errs[1]!.logit).toBeGreaterThan(errs[0]!.logit);
  });

  it('an average-bits budget is met with at most maxLevels widths per layer, and spends its bits where the proxy says', () => {
    for (const maxLevels of [2, 3]) {
      const a = assignPrecision(low, images, { kind: 'average', bits: 2.5 }, { maxLevels });
      for (const [name, p] of a.precisions) {
        if (name === 'conv1') expect(p.kind).toBe('int8');
        else {
          expect(p.kind).toBe('mixed');
          if (p.kind === 'mixed') expect(new Set(p.widths).size).toBeLessThanOrEqual(maxLevels);
        }
      }
      // conv2 (6 channels x 108 weights) and fc (12 channels x 490 weights) at 2.5 bits on average or less.
      const mixed = [...a.precisions].filter(([n]) => n !== 'conv1').map(([n, p]) => ({ n, w: (p as { widths: readonly number[] }).widths }));
      const per: Record<string, number> = { conv2: 12 * 9, fc: 10 * 49 };
      const bits = mixed.reduce((s, m) => s + m.w.reduce((x, w) => x + w * per[m.n]!, 0), 0);
      const count = mixed.reduce((s, m) => s + m.w.length * per[m.n]!, 0);
      expect(bits / count).toBeLessThanOrEqual(2.5);
      expect(bits / count).toBeGreaterThan(2.2);
    }
  });

  it('a target mix gives each layer the requested share of each width', () => {
    const a = assignPrecision(low, images, { kind: 'mix', fractions: { 4: 0.5, 2: 0.25, 1: 0.25 } });
    const w = (a.precisions.get('fc') as { widths: readonly number[] }).widths;
    expect(w.filter((x) => x === 4).length).toBe(6);
    expect(w.filter((x) => x === 2).length).toBe(3);
    expect(w.filter((x) => x === 1).length).toBe(3);
  });
});
