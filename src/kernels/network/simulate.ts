/**
 * Network simulation: {@link simulateNetwork} places every tensor in one arena of simulated memory, generates
 * every layer through its kind's generator, and runs the layers one after the other (or counts them, or
 * times sampled prefixes), reporting per layer and in total.
 *
 * @module
 */
import { INSTR_CLASSES, type InstrClassName } from '../../isa/classes.js';
import { resolveIsaConfig, type IsaConfigInput } from '../../isa/config.js';
import { Executor } from '../../isa/executor.js';
import { TraceBuffer } from '../../isa/trace.js';
import type { DataflowOptions } from '../conv.js';
import { randomActivations } from '../generate.js';
import { planLayout } from '../layout.js';
import type { LayerPrecision } from '../precision.js';
import { packTensor, placeBytes, type TensorPlace } from '../tensor.js';
import type { LayerProgram, ShapedLayer, TensorShape } from './layer-kind.js';
import { layerKind } from './layer-kinds.js';
import { networkPrecisions, type PrecisionScheme } from './precision-scheme.js';
import { sampleCuts, sampledTiming } from './sampling.js';
import type { NetworkSpec, NetworkSpecInput } from './schema.js';
import { parseNetwork } from './shapes.js';
import type { TimingModel, TimingReport } from './timing.js';

/** How {@link simulateNetwork} runs the layers: see {@link NetworkSimulateOptions.mode}. */
export type NetworkMode = 'full' | 'fast' | 'sampled';

/** Options of {@link simulateNetwork}. */
export interface NetworkSimulateOptions extends DataflowOptions {
  /**
   * `full`: run every instruction functionally (values computed, trace streamed to `timing`);
   * `fast`: no execution; instruction counts from the loop nest (exact for generated code), no timing;
   * `sampled`: exact counts as in `fast`, and each layer's timing estimated from two timed prefixes of its
   * real program (see {@link sampledTiming}). Default `fast`.
   */
  readonly mode?: NetworkMode;
  /** Called per layer in full and sampled mode. */
  readonly timing?: TimingModel;
  /**
   * Sampled mode: the prefix budget K in instructions. A layer of N <= 3K instructions is timed whole;
   * a longer one from two prefixes cut by {@link sampleCuts} (the budget doubled up to 8K when no cut
   * on loop iterations fits K). Default 100 000.
   */
  readonly sampleInstructions?: number;
  /** Seed of the synthetic weights and input. Default 1. */
  readonly seed?: number;
}

/** Figures of one layer. */
export interface LayerReport {
  readonly name: string;
  /** The lowered layer's kind (`conv2d` for a `conv`, or for an `fc` reading an HxW map). */
  readonly kind: string;
  readonly precision: string;
  readonly instructions: number;
  readonly byClass: Readonly<Record<InstrClassName, number>>;
  readonly usefulMacs: number;
  /** Weight bytes as stored for the kernel (padding and structurally zero units included). */
  readonly weightStreamBytes: number;
  /** Model bytes: real weights at their widths plus 32-bit biases. */
  readonly modelBytes: number;
  /** The same parameters in fp32. */
  readonly fp32ModelBytes: number;
  readonly inputBytes: number;
  readonly outputBytes: number;
  readonly staticInstructions: number;
  readonly timing?: TimingReport;
}

/** Figures of a whole network. */
export interface NetworkReport {
  readonly network: string;
  readonly vlenBits: number;
  readonly mode: NetworkMode;
  readonly layers: readonly LayerReport[];
  readonly total: {
    readonly instructions: number;
    readonly byClass: Readonly<Record<InstrClassName, number>>;
    readonly usefulMacs: number;
    readonly modelBytes: number;
    readonly fp32ModelBytes: number;
    readonly compressionVsFp32: number;
    readonly timing?: TimingReport;
  };
  /** The network's output (full mode): final layer results, NHWC, original channel order. */
  readonly output?: readonly number[];
}

const align = (n: number, a: number) => Math.ceil(n / a) * a;

/** A generated layer with its network layer. */
interface Step extends LayerProgram {
  readonly layer: ShapedLayer;
}

/**
 * Generates and runs (or counts) a network layer by layer. `precisions` gives each compute layer's input
 * precision (a map by layer name, or a scheme); glue layers keep their input's layout. Activations live in
 * one arena of simulated memory, each tensor with the zero border its consumers' padding needs; each layer's
 * weights are placed after the arena while it runs.
 */
export function simulateNetwork(network: NetworkSpecInput | NetworkSpec, precisions: PrecisionScheme | ReadonlyMap<string, LayerPrecision>, isaInput: IsaConfigInput = {}, options: NetworkSimulateOptions = {}): NetworkReport {
  const { spec, layers } = parseNetwork(network);
  const isa0 = resolveIsaConfig(isaInput);
  const tprec = networkPrecisions(layers, precisions, isa0);
  const mode = options.mode ?? 'fast';
  const seed = options.seed ?? 1;
  const VB = isa0.vlenBits / 8;
  const last = layers[layers.length - 1]!;
  const precOf = tprec.of;

  // ---- placement: each tensor with the border its consumers need ------------------------------------------
  const border = new Map<string, [number, number]>();
  for (const l of layers) {
    const [ph, pw] = layerKind(l.layer.kind).padding?.(l.spec) ?? [0, 0];
    for (const i of l.inputs) {
      const b = border.get(i) ?? [0, 0];
      border.set(i, [Math.max(b[0], ph), Math.max(b[1], pw)]);
    }
  }
  const places = new Map<string, TensorPlace>();
  let at = 256;
  const place = (name: string, shape: TensorShape, p: LayerPrecision) => {
    const [ph, pw] = border.get(name) ?? [0, 0];
    const t: TensorPlace = { addr: at, batch: spec.batch, height: shape.height, width: shape.width, padH: ph, padW: pw, layout: planLayout(p, shape.channels, isa0) };
    places.set(name, t);
    at = align(at + placeBytes(t), VB);
  };
  place('input', spec.input, precOf('input') ?? { kind: 'int8' });
  for (const l of layers) {
    if (l === last) continue;
    const p = precOf(l.name);
    if (!p) throw new Error(`layer '${l.name}': its output is never read by a layer with a precision`);
    place(l.name, l.out, p);
  }
  const arenaEnd = at;

  // ---- generate every layer -------------------------------------------------------------------------------
  const steps: Step[] = [];
  let memNeed = arenaEnd;
  layers.forEach((l, index) => {
    const outPlace = places.get(l.name);
    const outP = precOf(l.name);
    const g = layerKind(l.layer.kind).generate({
      layer: l,
      index,
      seed,
      inPrecisions: l.inputs.map((t) => precOf(t)!),
      ...(outP ? { outPrecision: outP } : {}),
      last: l === last,
      fp32Net: tprec.fp32,
      isa: isa0,
      inputs: l.inputs.map((t) => places.get(t)!),
      ...(outPlace ? { output: outPlace } : {}),
      base: at,
      options,
    });
    if (g.memoryEnd !== undefined) memNeed = Math.max(memNeed, g.memoryEnd);
    steps.push({ ...g, layer: l });
  });

  // ---- run or count -----------------------------------------------------------------------------------------
  const isa = { ...isa0, memoryBytes: Math.max(4096, align(memNeed, 4096)) };
  const zero = () => Object.fromEntries(INSTR_CLASSES.map((c) => [c, 0])) as Record<InstrClassName, number>;
  let mem: Uint8Array | undefined;
  if (mode === 'full') {
    mem = new Uint8Array(arenaEnd);
    const t = places.get('input')!;
    mem.set(packTensor(t, randomActivations(spec.batch * spec.input.height * spec.input.width, spec.input.channels, precOf('input')!, seed)), t.addr);
  }
  let output: number[] | undefined;
  const reports: LayerReport[] = steps.map((st) => {
    const byClass = zero();
    let instructions = 0;
    let timing: TimingReport | undefined;
    if (mode !== 'full') {
      st.counts.forEach((n, pc) => {
        byClass[INSTR_CLASSES[st.program.static.cls[pc]!]!] += n;
        instructions += n;
      });
      if (mode === 'sampled' && options.timing) {
        const k = options.sampleInstructions ?? 100_000;
        if (!Number.isInteger(k) || k < 1) throw new Error(`sampleInstructions must be a positive integer, got ${k}`);
        // Values do not steer generated code (counted loops only), so the prefixes run on zero activations.
        const prefix = (limit: number): TimingReport => {
          const ex = new Executor(st.program, isa);
          const buf = new TraceBuffer(8192);
          let left = limit;
          function* batches(): Generator<TraceBuffer> {
            while (left > 0) {
              const n = ex.runBatch(buf);
              if (n === 0) return;
              if (n > left) buf.count = left;
              left -= buf.count;
              yield buf;
            }
          }
          return options.timing!(st.program.static, batches());
        };
        if (instructions <= 3 * k) timing = prefix(instructions);
        else {
          // No cut on loop iterations within the budget: double it, up to 3 times (8K), before plain prefixes.
          let cut = sampleCuts(st.loops, st.counts, k);
          for (let kk = 2 * k; !cut.aligned && kk <= 8 * k; kk *= 2) {
            const c = sampleCuts(st.loops, st.counts, kk);
            if (c.aligned) cut = c;
          }
          const { na, nb, aligned } = cut;
          timing = { ...sampledTiming(prefix(na), prefix(nb), na, nb, instructions), sampleAligned: aligned ? 1 : 0 };
        }
      }
    } else {
      const ex = new Executor(st.program, isa);
      ex.state.mem.set(mem!);
      const buf = new TraceBuffer(8192);
      const cls = st.program.static.cls;
      const perClass = new Float64Array(INSTR_CLASSES.length);
      function* batches(): Generator<TraceBuffer> {
        for (let n = ex.runBatch(buf); n > 0; n = ex.runBatch(buf)) {
          for (let k = 0; k < n; k++) perClass[cls[buf.pc[k]!]!]!++;
          yield buf;
        }
      }
      if (options.timing) timing = options.timing(st.program.static, batches());
      for (const _ of batches()) void _;
      perClass.forEach((n, c) => {
        byClass[INSTR_CLASSES[c]!] = n;
        instructions += n;
      });
      mem!.set(ex.state.mem.subarray(0, arenaEnd));
      if (st.layer === last && st.readOutput) output = st.readOutput(ex.state);
    }
    const l = st.layer;
    const inT = places.get(l.inputs[0]!)!;
    const outT = places.get(l.name);
    return {
      name: l.name,
      kind: l.spec.kind,
      precision: st.precision.kind === 'mixed' ? precisionName(st.precision) : st.precision.kind,
      instructions,
      byClass,
      usefulMacs: st.usefulMacs,
      weightStreamBytes: st.weightStreamBytes,
      modelBytes: st.modelBytes,
      fp32ModelBytes: st.fp32ModelBytes,
      inputBytes: l.inputs.reduce((s, i) => s + interiorBytes(places.get(i)!), 0) || interiorBytes(inT),
      outputBytes: outT ? interiorBytes(outT) : 0,
      staticInstructions: st.program.instrs.length,
      ...(timing ? { timing } : {}),
    };
  });
  const totalClass = zero();
  for (const r of reports) for (const c of INSTR_CLASSES) totalClass[c] += r.byClass[c];
  const sum = (f: (r: LayerReport) => number) => reports.reduce((s, r) => s + f(r), 0);
  const timings = reports.filter((r) => r.timing);
  const totalTiming: Record<string, number> = {};
  for (const r of timings) for (const [k, v] of Object.entries(r.timing!)) totalTiming[k] = (totalTiming[k] ?? 0) + v;
  return {
    network: spec.name,
    vlenBits: isa0.vlenBits,
    mode,
    layers: reports,
    total: {
      instructions: sum((r) => r.instructions),
      byClass: totalClass,
      usefulMacs: sum((r) => r.usefulMacs),
      modelBytes: sum((r) => r.modelBytes),
      fp32ModelBytes: sum((r) => r.fp32ModelBytes),
      compressionVsFp32: sum((r) => r.fp32ModelBytes) / sum((r) => r.modelBytes),
      ...(timings.length > 0 ? { timing: totalTiming } : {}),
    },
    ...(output ? { output } : {}),
  };
}

function interiorBytes(t: TensorPlace): number {
  return t.batch * t.height * t.width * t.layout.pixelBytes;
}

function precisionName(p: LayerPrecision & { kind: 'mixed' }): string {
  const counts = new Map<number, number>();
  for (const w of p.widths) counts.set(w, (counts.get(w) ?? 0) + 1);
  const parts = [...counts.entries()].sort((a, b) => b[0] - a[0]);
  return parts.length === 1 ? `uint${parts[0]![0]}` : `mixed{${parts.map(([w, n]) => `${w}b:${n}`).join(',')}}`;
}
