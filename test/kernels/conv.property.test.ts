// Every generated convolution equals the plain reference: random small shapes (stride, padding, dilation,
// groups, batch), precisions and maps, dataflows with their blocking factors and loop orders, outputs
// (int32, or requantised into a random next layer's layout) and vector lengths. Integer results must be
// bit-exact; fp32 results within fp32ErrorBound (see src/kernels/reference.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Executor } from '../../src/isa/executor.js';
import type { OutputSpec } from '../../src/kernels/conv.js';
import { generate, randomActivations, randomConvData } from '../../src/kernels/generate.js';
import type { LayerPrecision } from '../../src/kernels/precision.js';
import { fp32ErrorBound, referenceConv, referenceRequant } from '../../src/kernels/reference.js';
import { convShapeOf, type Conv2dSpec } from '../../src/kernels/spec.js';

const mixedMap = (C: number, ws: number[]) => fc.array(fc.constantFrom(...ws), { minLength: C, maxLength: C });

const caseArb = fc
  .record({
    vlen: fc.constantFrom(128, 256, 512),
    eight: fc.boolean(),
    groups: fc.constantFrom(1, 1, 1, 2, 3),
    cPerG: fc.integer({ min: 1, max: 24 }),
    oPerG: fc.integer({ min: 1, max: 12 }),
    h: fc.integer({ min: 1, max: 5 }),
    w: fc.integer({ min: 1, max: 6 }),
    k: fc.constantFrom(1, 1, 2, 3),
    stride: fc.integer({ min: 1, max: 2 }),
    pad: fc.integer({ min: 0, max: 2 }),
    dil: fc.integer({ min: 1, max: 2 }),
    batch: fc.integer({ min: 1, max: 2 }),
    kind: fc.constantFrom('mixed', 'mixed', 'int8', 'binary', 'fp32'),
    dataflow: fc.constantFrom('output-stationary', 'weight-stationary', 'input-stationary'),
    loopOrder: fc.constantFrom('channels-outer', 'pixels-outer'),
    mb: fc.integer({ min: 1, max: 4 }),
    nb: fc.integer({ min: 1, max: 3 }),
    kb: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    requant: fc.boolean(),
    nextKind: fc.constantFrom('mixed', 'int8', 'binary'),
    shift: fc.integer({ min: 0, max: 9 }),
    seed: fc.integer(),
    levels: fc.shuffledSubarray([1, 2, 4, 8], { minLength: 1, maxLength: 3 }),
  })
  .filter((c) => (c.h + 2 * c.pad - c.dil * (c.k - 1) - 1) >= 0 && (c.w + 2 * c.pad - c.dil * (c.k - 1) - 1) >= 0)
  .chain((c) => {
    const ws = c.eight ? c.levels : c.levels.filter((x) => x !== 8).length > 0 ? c.levels.filter((x) => x !== 8) : [4];
    // grouped layers cannot have 1-bit channels; binary grouped layers are refused
    const wsIn = c.groups > 1 ? (ws.filter((x) => x !== 1).length > 0 ? ws.filter((x) => x !== 1) : [2]) : ws;
    const C = c.cPerG * c.groups;
    const O = c.oPerG * c.groups;
    const kind = c.groups > 1 && c.kind === 'binary' ? 'int8' : c.kind;
    return fc.record({ c: fc.constant({ ...c, kind, ws }), inW: mixedMap(C, wsIn), outW: mixedMap(O, ws) });
  });

describe('generated convolutions equal the reference', () => {
  it('over random shapes, precisions, dataflows and vector lengths', () => {
    let executed = 0;
    fc.assert(
      fc.property(caseArb, ({ c, inW, outW }) => {
        const C = c.cPerG * c.groups;
        const O = c.oPerG * c.groups;
        const isa = { vlenBits: c.vlen as 128 | 256 | 512, mixedWidths: (c.eight ? [1, 2, 4, 8] : [1, 2, 4]) as (1 | 2 | 4 | 8)[], memoryBytes: 1 << 20 };
        const layer: Conv2dSpec = { kind: 'conv2d', batch: c.batch, inChannels: C, outChannels: O, inHeight: c.h, inWidth: c.w, kernel: c.k, stride: c.stride, padding: c.pad, dilation: c.dil, groups: c.groups };
        const shape = convShapeOf(layer);
        const prec: LayerPrecision = c.kind === 'mixed' ? { kind: 'mixed', widths: inW } : ({ kind: c.kind } as LayerPrecision);
        const next: LayerPrecision = c.nextKind === 'mixed' ? { kind: 'mixed', widths: outW } : ({ kind: c.nextKind } as LayerPrecision);
        const out: OutputSpec = c.kind === 'fp32' ? { kind: 'fp32' } : c.requant ? { kind: 'requant', precision: next, shift: c.shift } : { kind: 'int32' };
        const data = randomConvData(shape, prec, c.seed);
        const input = randomActivations(c.batch * c.h * c.w, C, prec, c.seed + 1);
        let k;
        try {
          k = generate(layer, prec, data, { dataflow: c.dataflow, loopOrder: c.loopOrder, mb: c.mb, nb: c.nb, kb: c.kb, output: out, input, outputPadding: [c.pad, 1] }, isa);
        } catch (e) {
          // The only refusals allowed here: a blocking that does not fit the registers or the branch range.
          expect(String(e)).toMatch(/vector registers|a branch can reach/);
          return;
        }
        executed++;
        const ex = new Executor(k.program, isa);
        ex.run();
        const got = k.readOutput(ex.state);
        const ref = referenceConv(shape, prec.kind, input, data.weights, data.bias);
        if (c.kind === 'fp32') {
          const bound = fp32ErrorBound(shape, input, data.weights, data.bias);
          ref.forEach((r, i) => expect(Math.abs(got[i]! - r)).toBeLessThanOrEqual(bound[i]!));
        } else if (out.kind === 'requant') expect(got).toEqual(referenceRequant(ref, O, c.shift, next));
        else expect(got).toEqual(Array.from(ref));
      }),
      { numRuns: 250 },
    );
    // Guard against a vacuous property: most drawn blockings must fit and run rather than be refused.
    expect(executed).toBeGreaterThan(250 * 0.8);
  });
});
