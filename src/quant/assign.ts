/**
 * Per-input-channel precision chosen from a model's weights and calibration data:
 * {@link assignPrecision}(model, calibration, budget). The widths are the core's mixed widths
 * (isa.mixedWidths, default 1/2/4 bits; one width per input channel serves its weights and activations), at
 * most `maxLevels` distinct widths per layer (default 3, SySMOL's limit), the first layer int8 (it reads the
 * image), grouped and depthwise layers without the 1-bit level (a 1-bit weight cannot be 0).
 *
 * Error proxy: quantising channel c of a layer's input to w bits adds, to the layer's output, the weight
 * error sum over outputs and taps of (V - beta q)^2 E[b^2] (V = W alpha_w, beta the layer's weight step at
 * the widest width, b the calibration codes at step alpha_w) and the activation error
 * E[(x - alpha_w b)^2] * sum W^2 (the channel's activation quantisation noise through the weights), both
 * divided by the output's mean square, so that layers are compared by their relative (noise-to-signal)
 * error. The proxy assumes the errors of different channels independent and ignores the power-of-two
 * requantisation (see quantise.ts) and how errors grow through later layers.
 *
 * Budgets: `{ kind: 'average', bits }` narrows channels greedily, the move (a channel to any narrower width
 * that keeps its layer within maxLevels) with the smallest proxy increase per weight bit saved first, until the average bits per weight of the mixed layers is at most `bits`;
 * `{ kind: 'mix', fractions }` gives each layer the target share of each width, the widest to the channels
 * whose proxy rises most when narrowed. Baselines from the same code: `fp32`, `int8`, `binary` (first layer
 * int8; layers sharing a tensor with pooling or adds int8, as simulateNetwork's scheme) and
 * `{ kind: 'uniform', bits }`. No retraining: SONIQ's noise-injection training, which lets a network adapt
 * to its precisions, is out of scope, so low budgets lose more accuracy here than they would after it.
 *
 * @module
 */
import { resolveIsaConfig, type IsaConfigInput } from '../isa/config.js';
import { isCompute, parseNetwork, schemePrecisions, type ShapedLayer } from '../kernels/network.js';
import type { LayerPrecision } from '../kernels/precision.js';
import type { LoweredModel } from '../onnx/lower.js';
import { calibrate, layerFacts, optimalActivationStep, optimalWeightStep, quantise, quantiseWeight, weightChannel, type CalibrationStats, type ImageBatch, type QuantisedNetwork } from './quantise.js';

/** What precision to give a network. */
export type PrecisionBudget =
  | { readonly kind: 'fp32' }
  | { readonly kind: 'int8' }
  | { readonly kind: 'binary' }
  | { readonly kind: 'uniform'; readonly bits: number }
  | { readonly kind: 'average'; readonly bits: number }
  | { readonly kind: 'mix'; readonly fractions: Readonly<Record<number, number>> };

/** Options of {@link assignPrecision}. */
export interface AssignOptions {
  readonly isa?: IsaConfigInput;
  /** Most distinct widths per layer. Default 3. */
  readonly maxLevels?: number;
}

/** The result: the quantised network (fp32: undefined, the float model runs as it is) and the chosen precisions. */
export interface PrecisionAssignment {
  readonly budget: PrecisionBudget;
  readonly precisions: ReadonlyMap<string, LayerPrecision>;
  /** Average bits per weight over all compute layers (fp32 32, int8 8, binary 1). */
  readonly averageBits: number;
  readonly quantised: QuantisedNetwork | undefined;
  readonly stats: CalibrationStats;
}

/** A short label of a budget: `fp32`, `int8`, `binary`, `uint4`, `avg 2.5b`, `mix{4:25%,...}`. */
export function budgetLabel(b: PrecisionBudget): string {
  switch (b.kind) {
    case 'uniform':
      return `uint${b.bits}`;
    case 'average':
      return `avg ${b.bits}b`;
    case 'mix':
      return `mix{${Object.entries(b.fractions).sort((x, y) => Number(y[0]) - Number(x[0])).map(([w, f]) => `${w}:${Math.round(f * 100)}%`).join(',')}}`;
    default:
      return b.kind;
  }
}

/** Per-channel proxy costs of a tensor read by compute layers: cost[c][k] for width widths[k]. */
function channelCosts(readers: readonly ShapedLayer[], model: LoweredModel, stats: CalibrationStats, tensor: string, widths: readonly number[]): number[][] {
  const samples = stats.samples.get(tensor)!;
  const C = samples.length;
  const steps = widths.map((w) => samples.map((s) => optimalActivationStep(s, w)));
  const cost = Array.from({ length: C }, () => new Array<number>(widths.length).fill(0));
  const top = widths.length - 1;
  for (const l of readers) {
    const f = layerFacts(l);
    const W = model.params.get(l.name)!.weights;
    const n = W.length;
    const per = n / f.outChannels;
    const norm = 1 / Math.max(1e-30, stats.outputMeanSquare.get(l.name) ?? 1) / f.outChannels;
    // The weight step of each output at the widest width (all channels there).
    const beta = Array.from({ length: f.outChannels }, (_, o) => {
      const v = new Float64Array(per);
      const wd = new Float64Array(per).fill(widths[top]!);
      const sec = new Float64Array(per);
      for (let i = 0; i < per; i++) {
        const c = weightChannel(f, o * per + i);
        const a = steps[top]![c]!.alpha;
        v[i] = W[o * per + i]! * a;
        sec[i] = meanSq(samples[c]!) / a ** 2;
      }
      return optimalWeightStep(v, wd, sec);
    });
    for (let i = 0; i < n; i++) {
      const c = weightChannel(f, i);
      const o = Math.floor(i / per);
      const ms = meanSq(samples[c]!);
      widths.forEach((w, k) => {
        const a = steps[k]![c]!.alpha;
        const v = W[i]! * a;
        const wErr = (v - beta[o]! * quantiseWeight(v, beta[o]!, w)) ** 2 * (ms / a ** 2);
        cost[c]![k]! += (wErr + steps[k]![c]!.error * W[i]! ** 2) * norm;
      });
    }
  }
  return cost;
}

function meanSq(s: Float64Array): number {
  let e = 0;
  for (const x of s) e += x * x;
  return e / Math.max(1, s.length);
}

/**
 * Chooses every compute layer's input precision for a budget from the model's weights and calibration
 * images, then quantises the network (see quantise.ts). Returns the precisions, the average bits per weight
 * and the quantised network.
 */
export function assignPrecision(model: LoweredModel, calibration: ImageBatch, budget: PrecisionBudget, options: AssignOptions = {}): PrecisionAssignment {
  const isa = resolveIsaConfig(options.isa ?? {});
  const maxLevels = options.maxLevels ?? 3;
  const { layers } = parseNetwork(model.network);
  const stats = calibrate(model, calibration);
  let precisions: Map<string, LayerPrecision>;
  switch (budget.kind) {
    case 'fp32':
    case 'int8':
    case 'binary':
      precisions = schemePrecisions(layers, budget.kind, isa);
      break;
    case 'uniform':
      if (!isa.mixedWidths.includes(budget.bits as 1)) throw new Error(`budget: ${budget.bits} bits is not a width of the mixed unit (isa.mixedWidths ${isa.mixedWidths.join('/')})`);
      precisions = schemePrecisions(layers, { uniform: budget.bits }, isa);
      break;
    case 'average':
    case 'mix':
      precisions = mixedPrecisions(layers, model, stats, budget, [...isa.mixedWidths].sort((a, b) => a - b), maxLevels);
      break;
  }
  const quantised = budget.kind === 'fp32' ? undefined : quantise(model, precisions, stats);
  return { budget, precisions, averageBits: averageBits(layers, precisions), quantised, stats };
}

/** Average bits per weight over the compute layers' weights under precisions. */
export function averageBits(layers: readonly ShapedLayer[], precisions: ReadonlyMap<string, LayerPrecision>): number {
  let bits = 0;
  let count = 0;
  for (const l of layers) {
    if (!isCompute(l)) continue;
    const f = layerFacts(l);
    const p = precisions.get(l.name)!;
    const per = f.taps * f.inPerGroup * f.outChannels;
    for (let i = 0; i < per; i++) {
      const c = weightChannel(f, i);
      bits += p.kind === 'fp32' ? 32 : p.kind === 'int8' ? 8 : p.kind === 'binary' ? 1 : p.widths[c]!;
    }
    count += per;
  }
  return bits / count;
}

function mixedPrecisions(layers: readonly ShapedLayer[], model: LoweredModel, stats: CalibrationStats, budget: PrecisionBudget & { kind: 'average' | 'mix' }, widths: readonly number[], maxLevels: number): Map<string, LayerPrecision> {
  // One map per tensor: its readers share it (they read one layout).
  const readersOf = new Map<string, ShapedLayer[]>();
  for (const l of layers) if (isCompute(l)) readersOf.set(l.inputs[0]!, [...(readersOf.get(l.inputs[0]!) ?? []), l]);
  const tensors = [...readersOf.keys()].filter((t) => t !== 'input');
  const grouped = (t: string) => readersOf.get(t)!.some((l) => layerFacts(l).groups > 1);
  const allowed = new Map(tensors.map((t) => [t, grouped(t) ? widths.filter((w) => w !== 1) : [...widths]]));
  const costs = new Map(tensors.map((t) => [t, channelCosts(readersOf.get(t)!, model, stats, t, allowed.get(t)!)]));
  // Weights per channel (all readers): the bits a channel's width multiplies.
  const weightsPer = new Map(
    tensors.map((t) => {
      const C = stats.samples.get(t)!.length;
      const n = new Array<number>(C).fill(0);
      for (const l of readersOf.get(t)!) {
        const f = layerFacts(l);
        const total = f.taps * f.inPerGroup * f.outChannels;
        for (let i = 0; i < total; i++) n[weightChannel(f, i)]!++;
      }
      return [t, n];
    }),
  );
  // k[t][c]: index into allowed widths (ascending); start at the widest.
  const k = new Map(tensors.map((t) => [t, new Array<number>(stats.samples.get(t)!.length).fill(allowed.get(t)!.length - 1)]));
  if (budget.kind === 'mix') {
    for (const t of tensors) {
      const ws = allowed.get(t)!;
      const cs = costs.get(t)!;
      const fr = ws.map((w) => budget.fractions[w] ?? 0);
      const total = fr.reduce((s, x) => s + x, 0);
      if (!(total > 0)) throw new Error(`budget.fractions give no share to the widths ${ws.join('/')} of tensor '${t}'`);
      const C = cs.length;
      // Largest-remainder counts per width, widest first to the channels that lose most when narrowed.
      const exact = fr.map((x) => (x / total) * C);
      const counts = exact.map(Math.floor);
      let left = C - counts.reduce((s, x) => s + x, 0);
      for (const i of exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || b[1] - a[1]).map((e) => e[1])) if (left-- > 0) counts[i]!++;
      const order = cs.map((c, i) => [c[0]! - c[c.length - 1]!, i] as const).sort((a, b) => b[0] - a[0]).map((e) => e[1]);
      let at = 0;
      const kk = k.get(t)!;
      for (let wi = ws.length - 1; wi >= 0; wi--) for (let j = 0; j < counts[wi]!; j++) kk[order[at++]!] = wi;
    }
  } else {
    const totalWeights = [...weightsPer.values()].reduce((s, n) => s + n.reduce((a, b) => a + b, 0), 0);
    let bits = tensors.reduce((s, t) => s + weightsPer.get(t)!.reduce((a, n, c) => a + n * allowed.get(t)![k.get(t)![c]!]!, 0), 0);
    const target = budget.bits * totalWeights;
    const levels = (t: string) => new Set(k.get(t)!).size;
    while (bits > target + 1e-9) {
      let best: { t: string; c: number; to: number; score: number; saved: number } | undefined;
      for (const t of tensors) {
        const kk = k.get(t)!;
        const ws = allowed.get(t)!;
        const cs = costs.get(t)!;
        const used = new Set(kk);
        for (let c = 0; c < kk.length; c++) {
          // Any narrower width (not only the next one: with two levels allowed, 4/1 may only go on as 4 -> 1).
          for (let to = kk[c]! - 1; to >= 0; to--) {
            // A move may not raise the layer above maxLevels distinct widths.
            const after = new Set(used);
            if (kk.filter((x) => x === kk[c]).length === 1) after.delete(kk[c]!);
            after.add(to);
            if (after.size > maxLevels && after.size > levels(t)) continue;
            const saved = weightsPer.get(t)![c]! * (ws[kk[c]!]! - ws[to]!);
            const score = (cs[c]![to]! - cs[c]![kk[c]!]!) / saved;
            if (!best || score < best.score) best = { t, c, to, score, saved };
          }
        }
      }
      if (!best) throw new Error(`budget: ${budget.bits} bits per weight cannot be reached with widths ${widths.join('/')} (at most ${maxLevels} per layer)`);
      k.get(best.t)![best.c] = best.to;
      bits -= best.saved;
    }
  }
  const out = new Map<string, LayerPrecision>();
  for (const l of layers) {
    if (!isCompute(l)) continue;
    const t = l.inputs[0]!;
    out.set(l.name, t === 'input' ? { kind: 'int8' } : { kind: 'mixed', widths: k.get(t)!.map((i) => allowed.get(t)![i]!) });
  }
  return out;
}
