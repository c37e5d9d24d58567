// The energy model reproduces its published anchor points, follows its scaling rule, is linear in the
// counts, and the area model grows with the features it prices.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addPj, buildEnergyTable, energyOf, mulPj, simdArea, sramPj } from '../../src/energy/index.js';
import type { ActionCounts } from '../../src/pipeline/report.js';
import { run } from '../pipeline/helpers.js';

describe('energy table', () => {
  it('hits Horowitz ISSCC 2014 anchor points exactly and scales between them by the power law', () => {
    expect(addPj(8)).toBeCloseTo(0.03, 12);
    expect(addPj(32)).toBeCloseTo(0.1, 12);
    expect(mulPj(8)).toBeCloseTo(0.2, 12);
    expect(mulPj(32)).toBeCloseTo(3.1, 12);
    expect(mulPj(4) / mulPj(2)).toBeCloseTo(mulPj(8) / mulPj(4), 12);
    expect(mulPj(1)).toBeLessThan(addPj(8));
    expect(sramPj(8192, 64)).toBe(10);
    expect(sramPj(32768, 64)).toBe(20);
  });

  it('prices an fp32 vector multiply at lanes x 3.7 pJ and honours overrides', () => {
    const t = buildEnergyTable(256, { overrides: { 'vec-mdot': { pattern: 1.5 } } });
    expect(t.opPj['vec-mul'].f32).toBeCloseTo(8 * 3.7, 12);
    expect(t.opPj['vec-mdot'].pattern).toBe(1.5);
    expect(t.opPj['vec-mul'].w4).toBeLessThan(t.opPj['vec-mul'].w8);
  });
});

describe('energy of a run', () => {
  const t = buildEnergyTable(256, { leakagePjPerCycle: 2, instructionOverheadPj: 1 });
  const arbCounts: fc.Arbitrary<ActionCounts> = fc.record({
    cycles: fc.nat(1e6),
    ops: fc.array(fc.record({ cls: fc.constantFrom('vec-mul', 'vec-mdot', 'scalar-alu'), width: fc.constantFrom('w1', 'w4', 'pattern', 'none'), count: fc.nat(1e5) }), { maxLength: 5 }),
    scalarRegReads: fc.nat(1e5),
    scalarRegWrites: fc.nat(1e5),
    vectorRegReads: fc.nat(1e5),
    vectorRegWrites: fc.nat(1e5),
    loadBytes: fc.nat(1e5),
    storeBytes: fc.nat(1e5),
    memAccesses: fc.nat(1e5),
  });
  const scale = (a: ActionCounts, k: number): ActionCounts => ({
    ...a,
    cycles: a.cycles * k,
    ops: a.ops.map((o) => ({ ...o, count: o.count * k })),
    scalarRegReads: a.scalarRegReads * k,
    scalarRegWrites: a.scalarRegWrites * k,
    vectorRegReads: a.vectorRegReads * k,
    vectorRegWrites: a.vectorRegWrites * k,
    memAccesses: a.memAccesses * k,
  });

  it('is linear in the event counts', () => {
    fc.assert(
      fc.property(arbCounts, arbCounts, fc.integer({ min: 0, max: 5 }), (a, b, k) => {
        const sum: ActionCounts = { ...scale(a, 1), cycles: a.cycles + b.cycles, ops: [...a.ops, ...b.ops], scalarRegReads: a.scalarRegReads + b.scalarRegReads, scalarRegWrites: a.scalarRegWrites + b.scalarRegWrites, vectorRegReads: a.vectorRegReads + b.vectorRegReads, vectorRegWrites: a.vectorRegWrites + b.vectorRegWrites, memAccesses: a.memAccesses + b.memAccesses };
        const e = (x: ActionCounts) => energyOf(x, t).totalPj;
        expect(e(sum)).toBeCloseTo(e(a) + e(b), 3);
        expect(e(scale(a, k))).toBeCloseTo(k * e(a), 3);
      }),
      { seed: 5 },
    );
  });

  it('prices a real run component by component', () => {
    const { report } = run('setppi pp0, 4\nvmdot.pp0 v1, v2, v3, 0\nvmul.s8 v4, v5, v6\nhalt', {}, 4);
    const a = report.actions();
    const e = energyOf(a, t);
    expect(e.byClassPj['vec-mdot']).toBeCloseTo(t.opPj['vec-mdot'].pattern, 12);
    expect(e.byClassPj['vec-mul']).toBeCloseTo(t.opPj['vec-mul'].w8, 12);
    expect(a.vectorRegReads).toBe(3 + 2); // vmdot reads vd, va, vw (and pp0, not a vector register); vmul 2
    expect(e.leakagePj).toBe(2 * report.cycles);
    expect(e.overheadPj).toBe(4);
    expect(e.totalPj).toBeCloseTo(e.datapathPj + e.registerFilePj + e.lsuPj + e.overheadPj + e.leakagePj, 9);
  });
});

describe('area', () => {
  it('grows with VLEN, supported widths, patterns and units', () => {
    const base = simdArea();
    expect(simdArea({ vlenBits: 512 }).totalUm2).toBeGreaterThan(base.totalUm2);
    expect(simdArea({ mixedWidths: [1, 2, 4, 8] }).mixedUnitUm2).toBeGreaterThan(base.mixedUnitUm2);
    expect(simdArea({ patternRegs: 8 }).patternUm2).toBeGreaterThan(base.patternUm2);
    expect(simdArea({ vectorUnits: 3 }).vectorAluUm2).toBeCloseTo(1.5 * base.vectorAluUm2, 9);
    expect(simdArea({ mixedUnits: 0 }).patternUm2).toBe(0);
    // hand-worked: VLEN 256, widths 1/2/4: multipliers 256(1+2+4) + adder trees 3 x 512 = 3328 FA.
    expect(base.mixedUnitUm2).toBeCloseTo(3328 * 4.256, 6);
  });
});

describe('per-class formulas, hand-worked at VLEN 256', () => {
  it('binary, mixed and fp32 dot products', async () => {
    const { defaultOpPj, EnergyParamsSchema } = await import('../../src/energy/table.js');
    const p = EnergyParamsSchema.parse({});
    const bit = (0.35 * 0.03) / 8;
    expect(defaultOpPj('vec-xdot', 'none', 256, p)).toBeCloseTo(256 * (bit + addPj(1)) + 0.1, 12);
    // pattern mean width 2: 128 lanes of a 2x2 multiply and a 4-bit add, plus the 32-bit accumulate.
    expect(defaultOpPj('vec-mdot', 'pattern', 256, p)).toBeCloseTo(128 * (mulPj(2) + addPj(4)) + 0.1, 12);
    expect(defaultOpPj('vec-fma', 'f32', 256, p)).toBeCloseTo(8 * (3.7 + 0.9), 12);
    expect(defaultOpPj('misc', 'none', 256, p)).toBe(0);
  });
});
