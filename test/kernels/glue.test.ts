// Glue generators against the reference: max pooling, residual add and average pooling on packed layouts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveIsaConfig } from '../../src/isa/config.js';
import { Executor } from '../../src/isa/executor.js';
import { makeProgram } from '../../src/isa/program.js';
import { randomActivations } from '../../src/kernels/generate.js';
import { generateAdd, generateAvgPool, generateMaxPool } from '../../src/kernels/glue.js';
import { planLayout } from '../../src/kernels/layout.js';
import type { LayerPrecision } from '../../src/kernels/precision.js';
import { referenceAdd, referenceAvgPool, referenceMaxPool } from '../../src/kernels/reference.js';
import { convShapeOf, poolShapeOf } from '../../src/kernels/spec.js';
import { packTensor, placeBytes, unpackTensor, type TensorPlace } from '../../src/kernels/tensor.js';

const precArb = (C: number, kinds: string[]) =>
  fc.constantFrom(...kinds).chain((k) =>
    k === 'mixed'
      ? fc.shuffledSubarray([1, 2, 4], { minLength: 1, maxLength: 3 }).chain((ws) => fc.array(fc.constantFrom(...ws), { minLength: C, maxLength: C }).map((widths): LayerPrecision => ({ kind: 'mixed', widths })))
      : fc.constant({ kind: k } as LayerPrecision),
  );

const caseArb = (kinds: string[]) =>
  fc
    .record({ vlen: fc.constantFrom(128, 256, 512), C: fc.integer({ min: 1, max: 70 }), h: fc.integer({ min: 2, max: 5 }), w: fc.integer({ min: 2, max: 5 }), k: fc.integer({ min: 1, max: 3 }), s: fc.integer({ min: 1, max: 2 }), pad: fc.integer({ min: 0, max: 1 }), seed: fc.integer(), shift: fc.integer({ min: 0, max: 3 }) })
    .filter((c) => c.k <= c.h && c.k <= c.w && c.pad < c.k)
    .chain((c) => precArb(c.C, kinds).map((p) => ({ ...c, p })));

function run({ instrs }: ReturnType<typeof generateAdd>, isa: ReturnType<typeof resolveIsaConfig>, inputs: [TensorPlace, number[]][]) {
  const ex = new Executor(makeProgram(instrs, inputs.map(([t, v]) => ({ addr: t.addr, bytes: packTensor(t, v) }))), isa);
  ex.run();
  return ex.state;
}

describe('glue generators', () => {
  it('max pooling equals the reference', () => {
    fc.assert(
      fc.property(caseArb(['mixed', 'int8', 'binary', 'fp32']), (c) => {
        const isa = resolveIsaConfig({ vlenBits: c.vlen as 128, memoryBytes: 1 << 20 });
        const shape = poolShapeOf({ kind: 'maxpool', batch: 1, channels: c.C, inHeight: c.h, inWidth: c.w, kernel: c.k, stride: c.s, padding: c.pad });
        const layout = planLayout(c.p, c.C, isa);
        const input: TensorPlace = { addr: 256, batch: 1, height: c.h, width: c.w, padH: c.pad, padW: c.pad, layout };
        const output: TensorPlace = { addr: 256 + placeBytes(input), batch: 1, height: shape.outH, width: shape.outW, padH: 1, padW: 0, layout };
        const x = randomActivations(c.h * c.w, c.C, c.p, c.seed);
        const st = run(generateMaxPool(shape, input, output, isa), isa, [[input, x]]);
        expect(unpackTensor(output, st.mem)).toEqual(referenceMaxPool(shape, x, c.p.kind === 'binary' ? -1 : 0));
      }),
      { numRuns: 60 },
    );
  });

  it('residual add equals the reference (saturating)', () => {
    fc.assert(
      fc.property(caseArb(['mixed', 'int8', 'fp32']), (c) => {
        const isa = resolveIsaConfig({ vlenBits: c.vlen as 128, memoryBytes: 1 << 20 });
        const layout = planLayout(c.p, c.C, isa);
        const t = (addr: number, pad: number): TensorPlace => ({ addr, batch: 1, height: c.h, width: c.w, padH: pad, padW: pad, layout });
        const a = t(256, 1);
        const b = t(256 + placeBytes(a), 0);
        const o = t(256 + placeBytes(a) + placeBytes(b), 1);
        const xa = randomActivations(c.h * c.w, c.C, c.p, c.seed);
        const xb = randomActivations(c.h * c.w, c.C, c.p, c.seed + 7);
        const st = run(generateAdd({ batch: 1, outH: c.h, outW: c.w }, a, b, o, isa), isa, [
          [a, xa],
          [b, xb],
        ]);
        expect(unpackTensor(o, st.mem)).toEqual(referenceAdd(xa, xb, c.C, c.p));
      }),
      { numRuns: 40 },
    );
  });

  it('average pooling equals the reference', () => {
    fc.assert(
      fc.property(caseArb(['mixed', 'int8']), (c) => {
        const isa = resolveIsaConfig({ vlenBits: c.vlen as 128, memoryBytes: 1 << 20 });
        const shape = convShapeOf({ kind: 'avgpool', batch: 1, channels: c.C, inHeight: c.h, inWidth: c.w, kernel: c.k, stride: c.s });
        const layout = planLayout(c.p, c.C, isa);
        const input: TensorPlace = { addr: 256, batch: 1, height: c.h, width: c.w, padH: 0, padW: 1, layout };
        const output: TensorPlace = { addr: 256 + placeBytes(input), batch: 1, height: shape.outH, width: shape.outW, padH: 0, padW: 0, layout };
        const x = randomActivations(c.h * c.w, c.C, c.p, c.seed);
        const st = run(generateAvgPool(shape, input, output, c.shift, isa), isa, [[input, x]]);
        expect(unpackTensor(output, st.mem)).toEqual(referenceAvgPool(shape, x, c.shift, c.p));
      }),
      { numRuns: 40 },
    );
  });
});
