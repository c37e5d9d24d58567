/**
 * Networks: a JSON spec (schema-validated, shapes inferred layer by layer), per-tensor precision
 * resolution, and {@link simulateNetwork}, which generates every layer, runs them one after the other on one
 * simulated memory (activations stay where the producing layer wrote them, in the consumer's layout), and
 * reports per layer and in total: instructions by class, useful MACs, bytes of weights and activations,
 * model size and compression vs fp32, and whatever a pluggable timing model returns.
 *
 * @module
 */
import { z } from 'zod';
import { INSTR_CLASSES, type InstrClassName } from '../isa/classes.js';
import { resolveIsaConfig, type IsaConfig, type IsaConfigInput } from '../isa/config.js';
import { Executor } from '../isa/executor.js';
import { makeProgram, type Program } from '../isa/program.js';
import { TraceBuffer, type StaticInfo } from '../isa/trace.js';
import { parseConfig } from '../config/validate.js';
import { executionCounts } from './builder.js';
import type { DataflowOptions } from './conv.js';
import { generate, randomActivations, randomConvData } from './generate.js';
import { generateAdd, generateAvgPool, generateMaxPool } from './glue.js';
import { planLayout } from './layout.js';
import { randomWidths, weightBits, type LayerPrecision } from './precision.js';
import { convShapeOf, poolShapeOf, type LayerSpec } from './spec.js';
import { packTensor, placeBytes, type TensorPlace } from './tensor.js';

const pos = z.number().int().min(1);
const pair = (min: number) => z.union([z.number().int().min(min), z.tuple([z.number().int().min(min), z.number().int().min(min)])]);
const common = { name: z.string().min(1), input: z.string().optional().meta({ description: 'Name of the layer whose output this layer reads, or "input"; default: the previous layer.' }) };

/** Schema of one layer of a network (shapes are inferred). */
export const NetLayerSchema = z.discriminatedUnion('kind', [
  z.object({ ...common, kind: z.literal('conv'), out: pos, kernel: pair(1), stride: pair(1).default(1), padding: pair(0).default(0), dilation: pair(1).default(1), groups: pos.default(1), shift: z.number().int().min(0).max(31).optional() }).strict(),
  z.object({ ...common, kind: z.literal('depthwise'), kernel: pair(1), stride: pair(1).default(1), padding: pair(0).default(0), shift: z.number().int().min(0).max(31).optional() }).strict(),
  z.object({ ...common, kind: z.literal('fc'), out: pos, shift: z.number().int().min(0).max(31).optional() }).strict(),
  z.object({ ...common, kind: z.literal('maxpool'), kernel: pair(1), stride: pair(1).default(1), padding: pair(0).default(0) }).strict(),
  z.object({ ...common, kind: z.literal('avgpool'), kernel: pair(1).optional().meta({ description: 'Default: the whole input (global average pooling).' }), stride: pair(1).default(1), shift: z.number().int().min(0).max(31).optional() }).strict(),
  z.object({ name: z.string().min(1), kind: z.literal('add'), inputs: z.tuple([z.string(), z.string()]) }).strict(),
]);

/** Schema of a network: input tensor shape, batch and layers in execution order. */
export const NetworkSpecSchema = z
  .object({
    name: z.string(),
    source: z.string().optional().meta({ description: 'Where the layer shapes come from (paper, table).' }),
    batch: pos.default(1),
    input: z.object({ channels: pos, height: pos, width: pos }).strict(),
    layers: z.array(NetLayerSchema).min(1),
  })
  .strict();

/** A network as written. */
export type NetworkSpecInput = z.input<typeof NetworkSpecSchema>;
/** A validated network. */
export type NetworkSpec = z.output<typeof NetworkSpecSchema>;
/** One validated network layer. */
export type NetLayer = z.output<typeof NetLayerSchema>;

/** A network layer with its inferred shape. */
export interface ShapedLayer {
  readonly name: string;
  /** The layer as a fully shaped layer spec. */
  readonly spec: LayerSpec;
  /** Names of the tensors read ("input" for the network input). */
  readonly inputs: readonly string[];
  readonly out: { readonly channels: number; readonly height: number; readonly width: number };
}

const two = (v: number | readonly [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

/** Validates a network and infers every layer's shape; errors name the layer (`network.layers[3]`). */
export function parseNetwork(input: unknown): { spec: NetworkSpec; layers: ShapedLayer[] } {
  const spec = parseConfig(NetworkSpecSchema, input, 'network');
  const shapes = new Map<string, { channels: number; height: number; width: number }>([['input', spec.input]]);
  const layers: ShapedLayer[] = [];
  let prev = 'input';
  spec.layers.forEach((l, i) => {
    const where = `network.layers[${i}] (${l.name})`;
    if (shapes.has(l.name)) throw new Error(`${where}: the name is used twice`);
    const inputs = l.kind === 'add' ? [...l.inputs] : [l.input ?? prev];
    const ins = inputs.map((n) => {
      const s = shapes.get(n);
      if (!s) throw new Error(`${where}: reads '${n}', which is not an earlier layer`);
      return s;
    });
    const x = ins[0]!;
    const base = { name: l.name, batch: spec.batch };
    let lspec: LayerSpec;
    switch (l.kind) {
      case 'conv':
        lspec = { ...base, kind: 'conv2d', inChannels: x.channels, outChannels: l.out, inHeight: x.height, inWidth: x.width, kernel: l.kernel, stride: l.stride, padding: l.padding, dilation: l.dilation, groups: l.groups, shift: l.shift };
        break;
      case 'depthwise':
        lspec = { ...base, kind: 'depthwise', channels: x.channels, inHeight: x.height, inWidth: x.width, kernel: l.kernel, stride: l.stride, padding: l.padding, dilation: 1, shift: l.shift };
        break;
      case 'fc':
        // A fully connected layer over an HxW map reads it flattened (HWC order): a convolution with an HxW kernel.
        lspec = x.height === 1 && x.width === 1 ? { ...base, kind: 'fc', inFeatures: x.channels, outFeatures: l.out, shift: l.shift } : { ...base, kind: 'conv2d', inChannels: x.channels, outChannels: l.out, inHeight: x.height, inWidth: x.width, kernel: [x.height, x.width], stride: 1, padding: 0, dilation: 1, groups: 1, shift: l.shift };
        break;
      case 'maxpool':
        lspec = { ...base, kind: 'maxpool', channels: x.channels, inHeight: x.height, inWidth: x.width, kernel: l.kernel, stride: l.stride, padding: l.padding };
        break;
      case 'avgpool':
        lspec = { ...base, kind: 'avgpool', channels: x.channels, inHeight: x.height, inWidth: x.width, kernel: l.kernel ?? [x.height, x.width], stride: l.stride, shift: l.shift };
        break;
      case 'add': {
        const y = ins[1]!;
        if (x.channels !== y.channels || x.height !== y.height || x.width !== y.width) throw new Error(`${where}: adds ${x.channels}x${x.height}x${x.width} to ${y.channels}x${y.height}x${y.width}`);
        lspec = { ...base, kind: 'add', channels: x.channels, height: x.height, width: x.width };
        break;
      }
    }
    const out = outShapeOf(lspec);
    if (out.height < 1 || out.width < 1) throw new Error(`${where}: the window does not fit the ${x.height}x${x.width} input`);
    shapes.set(l.name, out);
    layers.push({ name: l.name, spec: lspec, inputs, out });
    prev = l.name;
  });
  return { spec, layers };
}

function outShapeOf(l: LayerSpec): { channels: number; height: number; width: number } {
  switch (l.kind) {
    case 'add':
      return { channels: l.channels, height: l.height, width: l.width };
    case 'maxpool': {
      const s = poolShapeOf(l);
      return { channels: s.outC, height: s.outH, width: s.outW };
    }
    default: {
      const s = convShapeOf(l);
      return { channels: s.outC, height: s.outH, width: s.outW };
    }
  }
}

/** Whether a layer multiplies by weights (its precision is chosen; glue layers inherit theirs). */
export function isCompute(l: ShapedLayer): boolean {
  return l.spec.kind === 'conv2d' || l.spec.kind === 'fc' || l.spec.kind === 'depthwise';
}

/**
 * How to pick every layer's precision:
 * - `fp32`, `int8`: every layer;
 * - `binary`: every layer binary except the first (int8, it reads the image) and layers reading a tensor
 *   that a residual add or an average pooling also reads (int8: there is no binary add or sum; like Bi-Real
 *   Net's real-valued shortcuts);
 * - `{ mixed: fractions, seed }`: a seeded per-channel map per tensor with the given share of each width
 *   (the first layer int8, as is usual for quantised networks; grouped layers without the 1-bit level);
 * - `{ uniform: bits }`: every channel at `bits` (the first layer int8).
 */
export type PrecisionScheme = 'fp32' | 'int8' | 'binary' | { readonly uniform: number } | { readonly mixed: Readonly<Record<number, number>>; readonly seed?: number };

/** Union-find over tensor names: tensors that must share one layout (glue inputs and outputs). */
function tensorClasses(layers: readonly ShapedLayer[]): (t: string) => string {
  const parent = new Map<string, string>();
  const find = (t: string): string => {
    const p = parent.get(t) ?? t;
    if (p === t) return t;
    const r = find(p);
    parent.set(t, r);
    return r;
  };
  for (const l of layers)
    if (!isCompute(l)) {
      for (const i of l.inputs) parent.set(find(i), find(l.name));
    }
  return find;
}

/**
 * The input precision of every compute layer under a scheme, one map per tensor layout class so that layers
 * reading one tensor agree. Returns name -> precision.
 */
export function schemePrecisions(layers: readonly ShapedLayer[], scheme: PrecisionScheme, isa: IsaConfig): Map<string, LayerPrecision> {
  const find = tensorClasses(layers);
  const addClasses = new Set(layers.filter((l) => l.spec.kind === 'add' || l.spec.kind === 'avgpool').map((l) => find(l.name)));
  const grouped = new Set(layers.filter((l) => l.spec.kind === 'depthwise' || (l.spec.kind === 'conv2d' && l.spec.groups > 1)).map((l) => find(l.inputs[0]!)));
  const out = new Map<string, LayerPrecision>();
  const byClass = new Map<string, LayerPrecision>();
  let k = 0;
  for (const l of layers) {
    if (!isCompute(l)) continue;
    const cls = find(l.inputs[0]!);
    const C = inChannelsOf(l);
    let p: LayerPrecision;
    if (scheme === 'fp32' || scheme === 'int8') p = { kind: scheme };
    else if (l.inputs[0] === 'input') p = { kind: 'int8' };
    else if (scheme === 'binary') p = addClasses.has(cls) || grouped.has(cls) ? { kind: 'int8' } : { kind: 'binary' };
    else if (byClass.has(cls)) p = byClass.get(cls)!;
    else if ('uniform' in scheme) p = { kind: 'mixed', widths: new Array<number>(C).fill(scheme.uniform) };
    else {
      let fr = { ...scheme.mixed };
      if (grouped.has(cls) && fr[1]) {
        fr = { ...fr, 2: (fr[2] ?? 0) + fr[1] };
        delete fr[1];
      }
      for (const w of Object.keys(fr)) if (!isa.mixedWidths.includes(Number(w) as 1)) throw new Error(`scheme width ${w} is not supported by the mixed unit (isa.mixedWidths)`);
      p = { kind: 'mixed', widths: randomWidths(C, fr, (scheme.seed ?? 1) * 1000 + k++) };
    }
    byClass.set(cls, p);
    out.set(l.name, p);
  }
  return out;
}

function inChannelsOf(l: ShapedLayer): number {
  const s = l.spec;
  switch (s.kind) {
    case 'conv2d':
      return s.inChannels;
    case 'fc':
      return s.inFeatures;
    case 'add':
      return s.channels;
    default:
      return s.channels;
  }
}

/** What a timing model returns for one layer (cycles and any other named figures). */
export type TimingReport = Readonly<Record<string, number>>;

/**
 * A pluggable timing model: given a layer program's static facts and its dynamic record stream (batches of
 * a reused TraceBuffer), returns named figures such as `cycles`. The buffer is overwritten between batches.
 */
export type TimingModel = (info: StaticInfo, trace: Iterable<TraceBuffer>) => TimingReport;

/** How {@link simulateNetwork} runs the layers: see {@link NetworkSimulateOptions.mode}. */
export type NetworkMode = 'full' | 'fast' | 'sampled';

/**
 * The sampled estimate of one layer's timing from two prefixes of its instruction stream: `a` times the
 * first `na` instructions, `b` the first `nb` (> `na`), and the layer has `n`. Every figure f (cycles,
 * energy, CPI parts) is extrapolated linearly from the part of the longer prefix beyond the shorter one,
 * which excludes the warm-up (cold caches, empty pipeline) that the first `na` instructions pay once:
 * `f = a.f + (n - na) * (b.f - a.f) / (nb - na)`. `instructions` is `n` exactly, and `sampled` is 1 (simulateNetwork adds `sampleAligned`: 1 when the cuts
 * fall on loop iterations, see {@link sampleCuts}).
 */
export function sampledTiming(a: TimingReport, b: TimingReport, na: number, nb: number, n: number): TimingReport {
  const out: Record<string, number> = {};
  for (const [key, va] of Object.entries(a)) {
    const vb = b[key] ?? va;
    out[key] = va + ((n - na) * (vb - va)) / (nb - na);
  }
  out['instructions'] = n;
  out['sampled'] = 1;
  return out;
}

/** A counted loop of a generated program: instructions `top`..`branch` run `count` times per entry. */
export interface CountedLoop {
  readonly top: number;
  readonly branch: number;
  readonly count: number;
}

/**
 * Where sampled mode cuts a layer's instruction stream: prefix lengths `na` < `nb` that end on iteration
 * boundaries of one loop, so that `nb - na` instructions are whole steady-state iterations (for the
 * output-stationary channels-outer kernels: whole output-channel tiles when a tile is short enough, which
 * re-read activations the first tile brought into the caches, as the rest of the layer does).
 *
 * The loop is found from the outside in: the top-level loop with the most instructions; if it runs
 * fewer than 3 times (a batch of 1, a single channel tile), the search descends into its biggest inner
 * loop. If the loop found has iterations too long (the code before it plus two iterations exceed `2k`
 * instructions), there is no aligned cut: cutting inside the first iteration would time only its
 * warm-up (the first output row of a convolution reads every input row cold). `j` = max(1, floor(k /
 * iteration)) iterations (at most (count - 1) / 2) give `na = before + j * iteration`, `nb = before + 2j *
 * iteration`. Without such a loop the prefixes are `k` and `2k` instructions. `counts` are the exact
 * per-instruction run counts.
 */
export function sampleCuts(loops: readonly CountedLoop[], counts: ArrayLike<number>, k: number): { na: number; nb: number; aligned: boolean } {
  const inside = (a: CountedLoop, b: CountedLoop) => a !== b && a.top >= b.top && a.branch <= b.branch;
  const path: CountedLoop[] = [];
  let cands = loops.filter((l) => !loops.some((o) => inside(l, o)));
  const dyn = (l: CountedLoop) => {
    let s = 0;
    for (let pc = l.top; pc <= l.branch; pc++) s += counts[pc]!;
    return s;
  };
  while (cands.length > 0) {
    const L = cands.reduce((m, l) => (dyn(l) > dyn(m) ? l : m));
    const chain = [...path, L];
    const iter = dyn(L) / chain.reduce((p, l) => p * l.count, 1);
    // Instructions run before L's first iteration: each earlier instruction once per run of the loops it
    // shares with L's path beyond their first iterations.
    let before = 0;
    for (let pc = 0; pc < L.top; pc++) before += counts[pc]! / path.filter((l) => pc >= l.top && pc <= l.branch).reduce((p, l) => p * l.count, 1);
    if (L.count >= 3 && before + 2 * iter <= 3 * k) {
      const j = Math.max(1, Math.min(Math.floor(k / iter), Math.floor((L.count - 1) / 2)));
      return { na: Math.round(before + j * iter), nb: Math.round(before + 2 * j * iter), aligned: true };
    }
    // Descend through loops that run fewer than 3 times, and through at most one that runs more.
    if (L.count >= 3 && path.some((l) => l.count >= 3)) break;
    path.push(L);
    cands = loops.filter((l) => inside(l, L) && !loops.some((o) => o !== l && inside(l, o) && inside(o, L)));
  }
  return { na: k, nb: 2 * k, aligned: false };
}

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
  readonly kind: LayerSpec['kind'];
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

/** A glue or compute program with its placement, ready to run. */
interface Step {
  readonly layer: ShapedLayer;
  readonly program: Program;
  readonly counts: Float64Array;
  readonly loops: readonly CountedLoop[];
  readonly precision: LayerPrecision;
  readonly usefulMacs: number;
  readonly weightStreamBytes: number;
  readonly modelBytes: number;
  readonly fp32ModelBytes: number;
  readonly readOutput?: (st: Executor['state']) => number[];
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
  const prec = precisions instanceof Map ? (precisions as ReadonlyMap<string, LayerPrecision>) : schemePrecisions(layers, precisions as PrecisionScheme, isa0);
  const mode = options.mode ?? 'fast';
  const seed = options.seed ?? 1;
  const VB = isa0.vlenBits / 8;
  const find = tensorClasses(layers);

  // ---- precision of every tensor (by class) ------------------------------------------------------------
  const tprec = new Map<string, LayerPrecision>();
  for (const l of layers) {
    if (!isCompute(l)) continue;
    const p = prec.get(l.name);
    if (!p) throw new Error(`no precision for layer '${l.name}'`);
    const cls = find(l.inputs[0]!);
    const q = tprec.get(cls);
    if (q && JSON.stringify(q) !== JSON.stringify(p)) throw new Error(`layers reading one tensor layout disagree on its precision (layer '${l.name}'): give them the same map`);
    tprec.set(cls, p);
  }
  const last = layers[layers.length - 1]!;
  const fp32Net = [...tprec.values()].every((p) => p.kind === 'fp32');
  const precOf = (t: string): LayerPrecision | undefined => tprec.get(find(t));

  // ---- placement: each tensor with the border its consumers need ------------------------------------------
  const border = new Map<string, [number, number]>();
  for (const l of layers) {
    const s = l.spec;
    const [ph, pw] = s.kind === 'conv2d' || s.kind === 'depthwise' || s.kind === 'maxpool' ? two(s.padding) : [0, 0];
    for (const i of l.inputs) {
      const b = border.get(i) ?? [0, 0];
      border.set(i, [Math.max(b[0], ph), Math.max(b[1], pw)]);
    }
  }
  const places = new Map<string, TensorPlace>();
  let at = 256;
  const place = (name: string, shape: { channels: number; height: number; width: number }, p: LayerPrecision) => {
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
  layers.forEach((l, li) => {
    const s = l.spec;
    const input = places.get(l.inputs[0]!)!;
    const inP = precOf(l.inputs[0]!)!;
    const outPlace = places.get(l.name);
    const outP = precOf(l.name);
    if (s.kind === 'conv2d' || s.kind === 'fc' || s.kind === 'depthwise' || (s.kind === 'avgpool' && inP.kind === 'fp32')) {
      const shape = convShapeOf(s);
      const p = s.kind === 'avgpool' ? inP : prec.get(l.name)!;
      const data =
        s.kind === 'avgpool'
          ? { weights: new Array<number>(shape.outC * shape.kH * shape.kW).fill(Math.fround(1 / (shape.kH * shape.kW))), bias: new Array<number>(shape.outC).fill(0) }
          : randomConvData(shape, p, seed * 7919 + li);
      const fan = shape.kH * shape.kW * (shape.inC / shape.groups);
      const shift = s.shift ?? (s.kind === 'avgpool' ? 0 : Math.min(31, Math.round(0.5 * Math.log2(fan)) + 3));
      const output = l === last ? (fp32Net ? ({ kind: 'fp32' } as const) : ({ kind: 'int32' } as const)) : p.kind === 'fp32' ? ({ kind: 'fp32', relu: true } as const) : ({ kind: 'requant', precision: outP!, shift } as const);
      const k = generate(s, p, data, { ...options, output, inputPlace: input, outputAddr: outPlace?.addr ?? at, outputPadding: outPlace ? [outPlace.padH, outPlace.padW] : [0, 0], base: at }, { ...isa0, memoryBytes: 2 ** 31 });
      memNeed = Math.max(memNeed, k.memoryEnd);
      const Cg = shape.inC / shape.groups;
      let bits = 0;
      if (s.kind !== 'avgpool') for (let i = 0; i < shape.outC * shape.kH * shape.kW * Cg; i++) bits += weightBits(p, (i % Cg) + Math.floor(Math.floor(i / (shape.kH * shape.kW * Cg)) / (shape.outC / shape.groups)) * Cg);
      const nParams = s.kind === 'avgpool' ? 0 : shape.outC * shape.kH * shape.kW * Cg;
      steps.push({
        layer: l,
        program: k.program,
        counts: k.execCounts,
        loops: k.loops,
        precision: p,
        usefulMacs: k.plan.usefulMacs,
        weightStreamBytes: k.plan.weightBytes,
        modelBytes: s.kind === 'avgpool' ? 0 : bits / 8 + 4 * shape.outC,
        fp32ModelBytes: 4 * (nParams + (s.kind === 'avgpool' ? 0 : shape.outC)),
        readOutput: k.readOutput,
      });
      return;
    }
    if (!outPlace) throw new Error(`the last layer '${l.name}' must be a convolution or fully connected layer`);
    let code;
    if (s.kind === 'maxpool') code = generateMaxPool(poolShapeOf(s), input, outPlace, isa0);
    else if (s.kind === 'avgpool') {
      const shape = convShapeOf(s);
      code = generateAvgPool(shape, input, outPlace, s.shift ?? Math.round(Math.log2(shape.kH * shape.kW)), isa0);
    } else code = generateAdd({ batch: spec.batch, outH: l.out.height, outW: l.out.width }, input, places.get(l.inputs[1]!)!, outPlace, isa0);
    steps.push({ layer: l, program: makeProgram(code.instrs), counts: executionCounts(code.instrs.length, code.loops), loops: code.loops, precision: inP, usefulMacs: 0, weightStreamBytes: 0, modelBytes: 0, fp32ModelBytes: 0 });
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
