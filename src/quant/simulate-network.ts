/**
 * A quantised network with its real weights run on the simulated core, layer by layer: each layer is
 * generated once per batch size (the same generators, precisions and requantisation as simulateNetwork
 * uses: compute layers requantise into the next tensor's layout, the last one returns int32), and each batch
 * of images runs through the functional executor's fast path layer after layer, the activation codes handed
 * from one layer's output buffer to the next layer's input buffer by the host. The values are the core's:
 * tests require them equal, bit for bit, to {@link integerNetwork}. Used for the accuracy of whole test sets
 * (split over worker threads by evaluate.ts).
 *
 * Until simulateNetwork takes real weights, this driver places each layer on its own; the instruction
 * streams are those of simulateNetwork's layers (only addresses differ), and cycles and energy still come
 * from simulateNetwork.
 *
 * @module
 */
import { resolveIsaConfig, type IsaConfig, type IsaConfigInput } from '../isa/config.js';
import { Executor } from '../isa/executor.js';
import { makeProgram, type Program } from '../isa/program.js';
import { generate } from '../kernels/generate.js';
import { generateAdd, generateAvgPool, generateMaxPool } from '../kernels/glue.js';
import { planLayout } from '../kernels/layout.js';
import { isCompute, parseNetwork, type ShapedLayer } from '../kernels/network.js';
import type { LayerPrecision } from '../kernels/precision.js';
import { convShapeOf, poolShapeOf, type LayerSpec } from '../kernels/spec.js';
import { packTensor, placeBytes, unpackTensor, type TensorPlace } from '../kernels/tensor.js';
import { tensorPrecisions } from './network-reference.js';
import type { QuantisedNetwork } from './quantise.js';

/** One generated layer: runs a batch of input tensors (NHWC codes, original channel order) to its output. */
interface SimLayer {
  run(inputs: readonly (readonly number[])[]): { out: number[]; instructions: number };
}

const page = (n: number) => Math.max(4096, Math.ceil(n / 4096) * 4096);

function runProgram(program: Program, isa: IsaConfig, memoryEnd: number, write: (ex: Executor) => void, read: (ex: Executor) => number[]): { out: number[]; instructions: number } {
  const ex = new Executor(program, { ...isa, memoryBytes: page(memoryEnd) });
  write(ex);
  const r = ex.run();
  return { out: read(ex), instructions: r.instructions };
}

function buildLayer(l: ShapedLayer, batch: number, q: QuantisedNetwork, tp: (t: string) => LayerPrecision, last: boolean, isa: IsaConfig): SimLayer {
  const spec = { ...l.spec, batch } as LayerSpec;
  const inP = tp(l.inputs[0]!);
  if (isCompute(l)) {
    const s = spec as Exclude<LayerSpec, { kind: 'maxpool' | 'avgpool' | 'add' }>;
    const p = q.precisions.get(l.name)!;
    const data = q.params.get(l.name)!;
    const shift = (s as { shift?: number }).shift;
    const output = last ? ({ kind: 'int32' } as const) : ({ kind: 'requant', precision: tp(l.name), shift: shift! } as const);
    const k = generate(s, p, data, { output }, { ...isa, memoryBytes: 2 ** 31 });
    return { run: ([x]) => runProgram(k.program, isa, k.memoryEnd, (ex) => k.writeInput(ex.state, x!), (ex) => k.readOutput(ex.state)) };
  }
  const place = (addr: number, h: number, w: number, pad: [number, number]): TensorPlace => ({ addr, batch, height: h, width: w, padH: pad[0], padW: pad[1], layout: planLayout(inP, l.out.channels, isa) });
  const inShape = spec.kind === 'add' ? { h: l.out.height, w: l.out.width } : { h: (spec as { inHeight: number }).inHeight, w: (spec as { inWidth: number }).inWidth };
  if (spec.kind === 'maxpool') {
    const sh = poolShapeOf(spec);
    const a = place(256, inShape.h, inShape.w, [sh.pH, sh.pW]);
    const o = place(256 + placeBytes(a), sh.outH, sh.outW, [0, 0]);
    const code = generateMaxPool(sh, a, o, isa);
    const program = makeProgram(code.instrs);
    return { run: ([x]) => runProgram(program, isa, o.addr + placeBytes(o), (ex) => ex.state.mem.set(packTensor(a, x!), a.addr), (ex) => unpackTensor(o, ex.state.mem)) };
  }
  if (spec.kind === 'avgpool') {
    const sh = convShapeOf(spec);
    const a = place(256, inShape.h, inShape.w, [0, 0]);
    const o = place(256 + placeBytes(a), sh.outH, sh.outW, [0, 0]);
    const program = makeProgram(generateAvgPool(sh, a, o, spec.shift!, isa).instrs);
    return { run: ([x]) => runProgram(program, isa, o.addr + placeBytes(o), (ex) => ex.state.mem.set(packTensor(a, x!), a.addr), (ex) => unpackTensor(o, ex.state.mem)) };
  }
  const a = place(256, inShape.h, inShape.w, [0, 0]);
  const b = place(256 + placeBytes(a), inShape.h, inShape.w, [0, 0]);
  const o = place(b.addr + placeBytes(b), inShape.h, inShape.w, [0, 0]);
  const program = makeProgram(generateAdd({ batch, outH: inShape.h, outW: inShape.w }, a, b, o, isa).instrs);
  return {
    run: ([x, y]) =>
      runProgram(
        program,
        isa,
        o.addr + placeBytes(o),
        (ex) => {
          ex.state.mem.set(packTensor(a, x!), a.addr);
          ex.state.mem.set(packTensor(b, y!), b.addr);
        },
        (ex) => unpackTensor(o, ex.state.mem),
      ),
  };
}

/** A quantised network compiled for the core: {@link SimulatedNetwork.run} runs batches of input codes. */
export class SimulatedNetwork {
  private readonly layers: readonly ShapedLayer[];
  private readonly tp: (t: string) => LayerPrecision;
  private readonly isa: IsaConfig;
  private readonly byBatch = new Map<number, SimLayer[]>();
  /** Instructions executed by all runs so far. */
  instructions = 0;

  constructor(
    private readonly q: QuantisedNetwork,
    isa: IsaConfigInput = {},
  ) {
    this.layers = parseNetwork(q.network).layers;
    this.tp = tensorPrecisions(this.layers, q.precisions);
    this.isa = resolveIsaConfig(isa);
    for (const p of q.precisions.values()) if (p.kind === 'fp32') throw new Error('an fp32 network is not quantised: run the float model');
  }

  /** The last layer's int32 results for `count` images of input codes (NHWC, the first layer's precision). */
  run(codes: ArrayLike<number>, count: number): Int32Array {
    let gen = this.byBatch.get(count);
    if (!gen) {
      gen = this.layers.map((l, i) => buildLayer(l, count, this.q, this.tp, i === this.layers.length - 1, this.isa));
      this.byBatch.set(count, gen);
    }
    const env = new Map<string, readonly number[]>([['input', Array.from(codes)]]);
    let out: number[] = [];
    this.layers.forEach((l, i) => {
      const r = gen[i]!.run(l.inputs.map((t) => env.get(t)!));
      this.instructions += r.instructions;
      out = r.out;
      env.set(l.name, out);
    });
    return Int32Array.from(out);
  }
}
