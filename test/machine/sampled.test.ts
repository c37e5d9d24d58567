// Sampled network timing: exact counts, exact timing for short layers, and the measured error bound of the
// extrapolated timing against full runs (docs/kernels.md, "Sampled timing").
import { describe, expect, it } from 'vitest';
import { sampleCuts, sampledTiming, simulateNetwork, type NetworkSpecInput, type PrecisionScheme } from '../../src/kernels/index.js';
import { networkTiming } from '../../src/machine/network.js';

const a: NetworkSpecInput = {
  name: 'a',
  input: { channels: 16, height: 16, width: 16 },
  layers: [
    { name: 'c1', kind: 'conv', out: 32, kernel: 3, padding: 1 },
    { name: 'c2', kind: 'conv', out: 32, kernel: 3, padding: 1, stride: 2 },
    { name: 'fc', kind: 'fc', out: 10 },
  ],
};
const b: NetworkSpecInput = {
  name: 'b',
  input: { channels: 32, height: 12, width: 12 },
  layers: [
    { name: 'c1', kind: 'conv', out: 64, kernel: 3, padding: 1 },
    { name: 'p', kind: 'maxpool', kernel: 2, stride: 2 },
    { name: 'c2', kind: 'conv', out: 64, kernel: 1 },
    { name: 'fc', kind: 'fc', out: 10 },
  ],
};
const mixed: PrecisionScheme = { mixed: { 4: 0.25, 2: 0.25, 1: 0.5 }, seed: 1 };

/** The documented bound: sampled cycles within [-1 %, +70 %] of the full run at K = 10 000 on these layers. */
const BOUND = { low: -0.01, high: 0.7 };

describe('sampled network timing', () => {
  it('sampleCuts ends both prefixes on iteration boundaries of the outermost loop that runs >= 3 times', () => {
    // pc 0-1 set-up, loop A (pc 2..11, 1 time) around loop B (pc 3..10, 10 times), 12 instructions in all.
    const loops = [
      { top: 3, branch: 10, count: 10 },
      { top: 2, branch: 11, count: 1 },
    ];
    const counts = [1, 1, 1, ...new Array<number>(8).fill(10), 1];
    // Before B: pc 0, 1, 2 = 3 instructions; one iteration of B = 8 instructions.
    expect(sampleCuts(loops, counts, 20)).toEqual({ na: 3 + 2 * 8, nb: 3 + 4 * 8, aligned: true });
    // Too short a budget for two iterations: plain prefixes.
    expect(sampleCuts(loops, counts, 4)).toEqual({ na: 4, nb: 8, aligned: false });
    // Linear extrapolation excluding the first prefix's warm-up.
    expect(sampledTiming({ cycles: 100 }, { cycles: 150 }, 10, 20, 100)).toEqual({ cycles: 100 + 90 * 5, instructions: 100, sampled: 1 });
  });

  it('counts are exact, and layers of at most 3K instructions are timed whole (equal to the full run)', () => {
    const isa = { vlenBits: 256 as const, mixedUnit: true };
    const timing = networkTiming({ isa });
    const full = simulateNetwork(a, 'int8', isa, { mode: 'full', timing });
    const s = simulateNetwork(a, 'int8', isa, { mode: 'sampled', timing, sampleInstructions: 1e6 });
    expect(s.total.instructions).toBe(full.total.instructions);
    expect(s.total.byClass).toEqual(full.total.byClass);
    expect(s.total.timing!['cycles']).toBe(full.total.timing!['cycles']);
  });

  const cases: [NetworkSpecInput, PrecisionScheme, 128 | 256 | 512][] = [
    [a, 'fp32', 256],
    [a, 'int8', 256],
    [a, 'binary', 256],
    [a, mixed, 256],
    [a, mixed, 512],
    [b, 'int8', 128],
    [b, mixed, 256],
    [b, 'fp32', 512],
  ];
  it.each(cases)('sampled cycles of %#: within the documented bound of the full run', (net, p, vlen) => {
    const isa = { vlenBits: vlen, mixedUnit: true };
    const timing = networkTiming({ isa });
    const full = simulateNetwork(net, p, isa, { mode: 'full', timing });
    const s = simulateNetwork(net, p, isa, { mode: 'sampled', timing, sampleInstructions: 10_000 });
    expect(s.total.timing!['sampled']).toBeGreaterThan(0);
    const err = s.total.timing!['cycles']! / full.total.timing!['cycles']! - 1;
    expect(err).toBeGreaterThanOrEqual(BOUND.low);
    expect(err).toBeLessThanOrEqual(BOUND.high);
  });
});
