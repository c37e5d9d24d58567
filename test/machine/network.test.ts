// networkTiming: whole networks timed layer by layer on a machine.
import { describe, expect, it } from 'vitest';
import { simulateNetwork, type NetworkSpecInput } from '../../src/kernels/index.js';
import { networkTiming } from '../../src/machine/network.js';

const tiny: NetworkSpecInput = {
  name: 'tiny',
  input: { channels: 8, height: 6, width: 6 },
  layers: [
    { name: 'c1', kind: 'conv', out: 16, kernel: 3, padding: 1 },
    { name: 'p1', kind: 'maxpool', kernel: 2, stride: 2 },
    { name: 'fc', kind: 'fc', out: 10 },
  ],
};

describe('networkTiming', () => {
  const machine = { isa: { vlenBits: 256 as const } };

  it('times every layer: its instructions match the functional counts and the totals are the sums', () => {
    const r = simulateNetwork(tiny, { mixed: { 4: 0.3, 2: 0.3, 1: 0.4 }, seed: 2 }, machine.isa, { mode: 'full', timing: networkTiming(machine) });
    for (const l of r.layers) {
      expect(l.timing!['instructions']).toBe(l.instructions);
      expect(l.timing!['cycles']).toBeGreaterThan(0);
      expect(l.timing!['energyPj']).toBeGreaterThan(0);
      // The CPI stack of a layer adds up to its cycles.
      const stack = Object.entries(l.timing!).filter(([k]) => k.startsWith('cpi.')).reduce((s, [, v]) => s + v, 0);
      expect(stack).toBeCloseTo(l.timing!['cycles']!, 6);
    }
    expect(r.total.timing!['cycles']).toBe(r.layers.reduce((s, l) => s + l.timing!['cycles']!, 0));
    // Energy by component adds up; traffic between levels is reported per level.
    const t = r.total.timing!;
    const parts = ['energy.datapathPj', 'energy.registerFilePj', 'energy.lsuPj', 'energy.coreLeakagePj', 'memoryEnergyPj'].reduce((s, k) => s + t[k]!, 0);
    expect(parts).toBeCloseTo(t['energyPj']!, 3);
    expect(t['traffic.l1d.bytesFromBelow']).toBeGreaterThan(0);
    expect(t['traffic.dram.bytes']).toBeGreaterThan(0);
  });

  it('an in-order core is never faster on the same network', () => {
    const ooo = simulateNetwork(tiny, 'int8', machine.isa, { mode: 'full', timing: networkTiming({ ...machine, core: { model: 'outOfOrder' } }) });
    const ino = simulateNetwork(tiny, 'int8', machine.isa, { mode: 'full', timing: networkTiming({ ...machine, core: { model: 'inOrder' } }) });
    expect(ino.total.timing!['cycles']).toBeGreaterThanOrEqual(ooo.total.timing!['cycles']!);
  });
});
