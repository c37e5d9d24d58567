// The simulate-layer evaluator: the layout it generates, and a layer run on the full simulator whose outputs
// the evaluator itself checks against plain arithmetic (it throws on any mismatch).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateLayer, layoutLayer, LayerDesignSchema, LayerWorkloadSchema } from '../../src/sweep/evaluators/layer.js';

describe('layoutLayer', () => {
  it('places every channel exactly once, in byte-aligned runs, at most maxRuns per register, tiling VLEN', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(1, 2, 4, 8), { minLength: 1, maxLength: 300 }),
        fc.constantFrom(128, 256, 512),
        fc.integer({ min: 1, max: 4 }),
        (ws, vlen, maxRuns) => {
          const widths = [...ws].sort((a, b) => b - a);
          const regs = layoutLayer(widths, vlen, maxRuns);
          const seen: number[] = [];
          for (const r of regs) {
            expect(r.runs.length).toBeLessThanOrEqual(maxRuns);
            expect(r.runs.reduce((s, x) => s + x.widthBits * x.count, 0)).toBe(vlen);
            for (const x of r.runs) expect((x.widthBits * x.count) % 8).toBe(0);
            let e = 0;
            for (const x of r.runs) {
              for (let k = 0; k < x.count; k++, e++) {
                const c = r.channel[e]!;
                if (c >= 0) {
                  expect(widths[c]).toBe(x.widthBits);
                  seen.push(c);
                }
              }
            }
            expect(e).toBe(r.channel.length);
          }
          expect(seen).toEqual(widths.map((_, i) => i));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('evaluateLayer', () => {
  const work = LayerWorkloadSchema.parse({ inChannels: 96, outChannels: 10 });
  it.each([
    [{ vlenBits: 128 }],
    [{ vlenBits: 256, maxRuns: 1, patternRegs: 1 }],
    [{ vlenBits: 512, mixedWidths: [2, 4] }],
    [{ vlenBits: 256, mixedWidths: [1, 2, 4, 8], maxRuns: 4, patternRegs: 8 }],
  ])('runs a verified layer on %j', (isa) => {
    const r = evaluateLayer(LayerDesignSchema.parse({ isa }), work);
    expect(r.metrics.cycles).toBeGreaterThan(0);
    expect(r.metrics.energyUj).toBeGreaterThan(0);
  });

  it('storing 1-bit channels at 2 bits makes the model larger', () => {
    const a = evaluateLayer(LayerDesignSchema.parse({ isa: { mixedWidths: [1, 2, 4] } }), work);
    const b = evaluateLayer(LayerDesignSchema.parse({ isa: { mixedWidths: [2, 4] } }), work);
    expect(b.metrics.modelKiB).toBeGreaterThan(a.metrics.modelKiB);
  });

  it('fewer pattern registers never need fewer instructions', () => {
    const big = LayerWorkloadSchema.parse({ inChannels: 700, outChannels: 16 });
    const few = evaluateLayer(LayerDesignSchema.parse({ isa: { vlenBits: 128, patternRegs: 1 } }), big);
    const many = evaluateLayer(LayerDesignSchema.parse({ isa: { vlenBits: 128, patternRegs: 8 } }), big);
    expect(few.metrics.instructions).toBeGreaterThanOrEqual(many.metrics.instructions);
  });

  it('refuses a design that cannot hold the layer\'s precisions', () => {
    expect(() => evaluateLayer(LayerDesignSchema.parse({ isa: { mixedWidths: [1, 2] } }), work)).toThrow(/cannot hold 4-bit channels/);
  });
});
