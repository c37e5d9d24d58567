/** The memory energy table: published points reproduced, interpolation, scaling, and pricing of counted events. */
import { describe, expect, it } from 'vitest';
import {
  memoryEnergyTable,
  priceMemoryEnergy,
  resolveMemoryEnergyConfig,
  sramPjPer64Bit,
  technologyScale,
} from '../../src/energy/memory.js';
import { resolveMemoryConfig } from '../../src/memory/config.js';
import { ACCESS_READ, ACCESS_WRITE } from '../../src/memory/port.js';
import { build, level } from './helpers.js';

describe('SRAM energy per 64-bit access', () => {
  const cfg = resolveMemoryEnergyConfig({});
  it('reproduces Horowitz (ISSCC 2014, 45 nm): 8 KB 10 pJ, 32 KB 20 pJ, 1 MB 100 pJ', () => {
    expect(sramPjPer64Bit(8192, cfg)).toBeCloseTo(10, 10);
    expect(sramPjPer64Bit(32768, cfg)).toBeCloseTo(20, 10);
    expect(sramPjPer64Bit(1 << 20, cfg)).toBeCloseTo(100, 10);
  });
  it('interpolates log-log between points and extrapolates with the end slopes', () => {
    expect(sramPjPer64Bit(16384, cfg)).toBeCloseTo(10 * Math.SQRT2, 10); // slope 0.5 between 8 KB and 32 KB
    expect(sramPjPer64Bit(4096, cfg)).toBeCloseTo(10 / Math.SQRT2, 10);
    expect(sramPjPer64Bit(2 << 20, cfg)).toBeCloseTo(100 * 2 ** (Math.log(5) / Math.log(32)), 10);
  });
  it('scales with node x V^2, or by an explicit factor', () => {
    expect(technologyScale(resolveMemoryEnergyConfig({ technologyNm: 22.5, vddV: 0.9 }))).toBeCloseTo(0.5, 12);
    expect(technologyScale(resolveMemoryEnergyConfig({ technologyNm: 45, vddV: 0.45 }))).toBeCloseTo(0.25, 12);
    expect(sramPjPer64Bit(32768, resolveMemoryEnergyConfig({ scaleOverride: 0.3 }))).toBeCloseTo(6, 10);
  });
  it('rejects bad parameters by name', () => {
    expect(() => resolveMemoryEnergyConfig({ vddV: -1 })).toThrow(/memoryEnergy\.vddV/);
    expect(() => resolveMemoryEnergyConfig({ sramPoints: [] })).toThrow(/memoryEnergy\.sramPoints/);
  });
});

describe('pricing a run', () => {
  it('counts x table, item by item, leakage x cycles', () => {
    const input = { levels: [level(8192, 2, 64, { classifyMisses: false })] };
    const { h, stats } = build(input);
    h.reference(0, 8, ACCESS_READ); // miss: fill 512 bits written, 64 bits read; DRAM 512 bits read
    h.reference(0, 8, ACCESS_WRITE); // hit: 64 bits written
    h.reference(4, 4, ACCESS_READ); // hit: 64 bits read (rounded up to a 64-bit word)
    expect(stats.get('l1d.energy.readBits')).toBe(128);
    expect(stats.get('l1d.energy.writeBits')).toBe(576);
    const cfg = resolveMemoryEnergyConfig({});
    const table = memoryEnergyTable(resolveMemoryConfig(input), cfg);
    const r = priceMemoryEnergy(stats, table, 1000);
    const pjPerBit = 10 / 64;
    expect(r.dynamicPj).toBeCloseTo((128 + 576) * pjPerBit + 512 * (1950 / 64), 6);
    // leakage: 8192 x 8 bits x 1 nW at 1 GHz = 65.536 uW = 0.065536 pJ per cycle
    expect(r.leakagePj).toBeCloseTo(65.536, 6);
    expect(r.items.find((i) => i.counter === 'dram.readBits')!.count).toBe(512);
  });
});
