// Networks: schema errors are located; the fast mode's counts (from the loop nest) equal a full functional
// run exactly; the zoo's published sizes (MACs) come out. Whole networks are checked end to end: the
// full-mode output (every layer generated, chained through the arena in the consumers' layouts, glue
// included) equals referenceNetwork, which computes each layer plainly from its kind's reference on the
// original channel order: exactly for integer precisions, within a relative 1e-4 of the largest output for
// fp32 (the kernels round every fused multiply-add to binary32, the reference sums in float64).
import { describe, expect, it } from 'vitest';
import { parseNetwork, referenceNetwork, simulateNetwork, ZOO, type NetworkSpecInput, type PrecisionScheme } from '../../src/kernels/index.js';

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

describe('networks', () => {
  it('locates schema and shape errors', () => {
    expect(() => parseNetwork({ ...tiny, layers: [{ name: 'c', kind: 'conv', out: 0, kernel: 3 }] })).toThrow(/network.layers\[0\].out/);
    expect(() => parseNetwork({ ...tiny, layers: [{ name: 'x', kind: 'add', inputs: ['input', 'nope'] }] })).toThrow(/layers\[0\] \(x\): reads 'nope'/);
  });

  it('fast-mode counts equal a full run, for every precision scheme', () => {
    for (const scheme of ['fp32', 'int8', 'binary', { mixed: { 4: 0.3, 2: 0.3, 1: 0.4 }, seed: 3 }] as const) {
      for (const vlenBits of [128, 256] as const) {
        const fast = simulateNetwork(tiny, scheme, { vlenBits }, { mode: 'fast' });
        const full = simulateNetwork(tiny, scheme, { vlenBits }, { mode: 'full' });
        expect(fast.layers.map((l) => l.byClass)).toEqual(full.layers.map((l) => l.byClass));
        expect(full.output).toHaveLength(7);
      }
    }
  });

  it('calls the timing model with the trace of every layer in full mode', () => {
    const seen: number[] = [];
    const r = simulateNetwork(tiny, 'int8', {}, {
      mode: 'full',
      timing: (info, trace) => {
        let n = 0;
        for (const b of trace) n += b.count;
        seen.push(info.length);
        return { cycles: n };
      },
    });
    expect(seen).toHaveLength(tiny.layers.length);
    expect(r.total.timing?.cycles).toBe(r.total.instructions);
  });

  it('the zoo has the published sizes', () => {
    const macs = (name: string) => simulateNetwork(ZOO[name]!(), 'int8', {}, { mode: 'fast' }).total.usefulMacs;
    expect(macs('resnet20') / 1e6).toBeCloseTo(40.6, 0); // 40.55M conv+fc MACs (He et al. report ~41M FLOPs as MACs)
    expect(Math.round(macs('resnet18') / 1e6)).toBe(1814); // 1.8 GFLOPs (MACs) in He et al., Table 1
  });
});

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
