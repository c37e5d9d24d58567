// Whole networks checked end to end: simulateNetwork's full-mode output (every layer generated, chained
// through the arena in the consumers' layouts, glue included) equals referenceNetwork, which computes each
// layer plainly from its kind's reference on the original channel order: exactly for integer precisions,
// within a relative 1e-4 of the largest output for fp32 (the kernels round every fused multiply-add to
// binary32, the reference sums in float64).
import { describe, expect, it } from 'vitest';
import { referenceNetwork, simulateNetwork, type NetworkSpecInput, type PrecisionScheme } from '../../src/kernels/index.js';

// Every layer kind; a residual add of a pooled tensor; a depthwise layer; global average pooling into fc.
const tiny: NetworkSpecInput = {
  name: 'tiny',
  input: { channels: 5, height: 6, width: 6 },
  layers: [
    { name: 'c1', kind: 'conv', out: 12, kernel: 3, padding: 1 },
    { name: 'p1', kind: 'maxpool', kernel: 2, stride: 2 },
    { name: 'c2', kind: 'conv', out: 12, kernel: 3, padding: 1 },
    { name: 'a', kind: 'add', inputs: ['c2', 'p1'] },
    { name: 'dw', kind: 'depthwise', kernel: 3, padding: 1 },
    { name: 'g', kind: 'avgpool' },
    { name: 'fc', kind: 'fc', out: 7 },
  ],
};

// Batch 2, stride, dilation, a grouped conv, padded max pooling, a windowed average pooling, and a fully
// connected layer reading a 2x2 map (a convolution with a 2x2 kernel).
const strided: NetworkSpecInput = {
  name: 'strided',
  batch: 2,
  input: { channels: 3, height: 9, width: 8 },
  layers: [
    { name: 'c1', kind: 'conv', out: 16, kernel: 3, stride: 2, padding: 1 },
    { name: 'c2', kind: 'conv', out: 8, kernel: 2, dilation: 2, padding: 1, groups: 2 },
    { name: 'p', kind: 'maxpool', kernel: 3, stride: 1, padding: 1 },
    { name: 'c3', kind: 'conv', out: 20, kernel: 1 },
    { name: 'avg', kind: 'avgpool', kernel: 2, stride: 2 },
    { name: 'fc', kind: 'fc', out: 6 },
  ],
};

const schemes: PrecisionScheme[] = ['int8', 'binary', { mixed: { 4: 0.3, 2: 0.3, 1: 0.4 }, seed: 3 }, { uniform: 2 }];

describe('whole networks equal the reference network', () => {
  for (const net of [tiny, strided])
    it(`${net.name}: integer schemes bit-exact, every dataflow, VLEN 128 and 256`, () => {
      for (const scheme of schemes)
        for (const vlenBits of [128, 256] as const)
          for (const dataflow of ['output-stationary', 'weight-stationary', 'input-stationary'] as const) {
            const got = simulateNetwork(net, scheme, { vlenBits }, { mode: 'full', dataflow, seed: 5 }).output;
            expect(got, `${JSON.stringify(scheme)} VLEN ${vlenBits} ${dataflow}`).toEqual(referenceNetwork(net, scheme, { vlenBits }, { seed: 5 }));
          }
    });

  it('fp32 networks within rounding', () => {
    for (const net of [tiny, strided]) {
      const got = simulateNetwork(net, 'fp32', {}, { mode: 'full' }).output!;
      const ref = referenceNetwork(net, 'fp32');
      expect(got).toHaveLength(ref.length);
      const scale = Math.max(...ref.map(Math.abs));
      expect(scale).toBeGreaterThan(0);
      ref.forEach((r, i) => expect(Math.abs(got[i]! - r)).toBeLessThanOrEqual(1e-4 * scale));
    }
  });

  it('the reference depends on the seed and the precisions (it is not a constant)', () => {
    const a = referenceNetwork(tiny, 'int8', {}, { seed: 1 });
    expect(referenceNetwork(tiny, 'int8', {}, { seed: 2 })).not.toEqual(a);
    expect(referenceNetwork(tiny, { uniform: 4 }, {}, { seed: 1 })).not.toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(a.length / 2);
  });
});
