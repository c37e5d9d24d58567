// Networks: schema errors are located; the fast mode's counts (from the loop nest) equal a full functional
// run exactly; the zoo's published sizes (MACs) come out.
import { describe, expect, it } from 'vitest';
import { parseNetwork, simulateNetwork, ZOO, type NetworkSpecInput } from '../../src/kernels/index.js';

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
