// The quantised network with its real weights, run on the simulated core layer by layer, equals the integer
// reference bit for bit, for every kind of budget (int8, binary, uniform, per-channel average and mix).
import { describe, expect, it } from 'vitest';
import { mnistImages } from '../../src/models/mnist.js';
import { importOnnx } from '../../src/onnx/import.js';
import { lowerToNetwork } from '../../src/onnx/lower.js';
import { toNhwc } from '../../src/onnx/simulate-node.js';
import { assignPrecision, type PrecisionBudget } from '../../src/quant/assign.js';
import { integerNetwork } from '../../src/quant/network-reference.js';
import { inputCodes } from '../../src/quant/quantise.js';
import { SimulatedNetwork } from '../../src/quant/simulate-network.js';
import { smallCnn } from './models.js';

const nhwc = (x: { count: number; data: Float64Array }) => ({ count: x.count, data: toNhwc(x.data, x.count, 1, 28, 28) });
const calib = nhwc(mnistImages('train', 64).images);
const images = nhwc(mnistImages('test', 6).images);
const low = lowerToNetwork(importOnnx(smallCnn(7)));

describe('a quantised network on the simulated core', () => {
  const budgets: PrecisionBudget[] = [{ kind: 'int8' }, { kind: 'binary' }, { kind: 'uniform', bits: 4 }, { kind: 'uniform', bits: 2 }, { kind: 'average', bits: 2.5 }, { kind: 'mix', fractions: { 4: 0.25, 2: 0.25, 1: 0.5 } }];
  for (const budget of budgets) {
    it(`equals the integer reference bit for bit: ${JSON.stringify(budget)}`, () => {
      const q = assignPrecision(low, calib, budget).quantised!;
      const codes = inputCodes(q, images);
      const sim = new SimulatedNetwork(q, { vlenBits: 256 });
      const got = sim.run(codes, images.count);
      const ref = integerNetwork({ ...q.network, batch: images.count }, q.params, q.precisions, codes, images.count);
      expect(Array.from(got)).toEqual(Array.from(ref));
      expect(sim.instructions).toBeGreaterThan(0);
      // Not all zero: the comparison means something.
      expect(new Set(got).size).toBeGreaterThan(5);
    });
  }
  it('at VLEN 128 and 512 too (other layouts, same values)', () => {
    const q = assignPrecision(low, calib, { kind: 'average', bits: 2.5 }, { isa: { vlenBits: 512 } }).quantised!;
    const codes = inputCodes(q, images);
    const ref = integerNetwork({ ...q.network, batch: images.count }, q.params, q.precisions, codes, images.count);
    for (const vlenBits of [128, 512] as const) expect(Array.from(new SimulatedNetwork(q, { vlenBits }).run(codes, images.count))).toEqual(Array.from(ref));
  });
});
