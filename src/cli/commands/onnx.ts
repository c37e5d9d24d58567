/**
 * `mpsimd network model.onnx`: an ONNX model through the importer. Prints where each operator runs; a model
 * that maps onto the simulator's layers is reported per precision (instructions, cycles and energy with
 * `--timed`, model size) and, with `--mnist N`, with its top-1 accuracy on N MNIST test images under each
 * precision budget (per-channel widths chosen from the weights for `avg:B` budgets); a model that does not
 * map (operators only the host runs) is run end to end node by node in fp32, its convolutions, pools and
 * matrix products on the simulated core, and the reasons it does not map are listed.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { simulateNetwork } from '../../kernels/network.js';
import { networkTiming } from '../../machine/network.js';
import { mnistImages } from '../../models/mnist.js';
import { importOnnx } from '../../onnx/import.js';
import { lowerToNetwork, NotMappableError } from '../../onnx/lower.js';
import { SUPPORTED_OPERATORS } from '../../onnx/ops.js';
import { runModel } from '../../onnx/run.js';
import { toNhwc } from '../../onnx/simulate-node.js';
import { presetByName } from '../../presets/index.js';
import { assignPrecision, budgetLabel, type PrecisionBudget } from '../../quant/assign.js';
import { evaluateBudgets } from '../../quant/evaluate.js';
import { formatTable } from '../../stats/registry.js';

/** Options of the ONNX form of `mpsimd network`. */
export interface OnnxNetworkOptions {
  readonly vlen: string;
  readonly precision: string;
  readonly compare?: boolean;
  readonly timed?: boolean;
  readonly core: string;
  readonly json?: boolean;
  readonly mnist?: string;
  readonly inputShape?: string;
}

/** A budget from its command-line form: fp32, int8, binary, uint4, uint2, avg:2.5, mix:4=0.25,2=0.25,1=0.5. */
export function parseBudget(s: string): PrecisionBudget {
  if (s === 'fp32' || s === 'int8' || s === 'binary') return { kind: s };
  const u = /^uint([1248])$/.exec(s);
  if (u) return { kind: 'uniform', bits: Number(u[1]) };
  const a = /^avg:([0-9.]+)$/.exec(s);
  if (a) return { kind: 'average', bits: Number(a[1]) };
  const m = /^mix:([0-9.=,]+)$/.exec(s);
  if (m) return { kind: 'mix', fractions: Object.fromEntries(m[1]!.split(',').map((kv) => kv.split('=').map(Number) as [number, number])) };
  throw new Error(`unknown precision '${s}' for an ONNX model: use fp32, int8, binary, uint4, uint2, avg:<bits per weight> or mix:4=0.25,2=0.25,1=0.5`);
}

const COMPARE = ['fp32', 'int8', 'uint4', 'avg:3', 'uint2', 'avg:1.5', 'binary'];

/** Runs `mpsimd network model.onnx`. */
export async function runOnnxNetwork(file: string, o: OnnxNetworkOptions): Promise<void> {
  const inputShape = o.inputShape ? o.inputShape.split(',').map(Number) : undefined;
  const model = importOnnx(readFileSync(file), inputShape ? { inputShape } : {});
  const preset = presetByName(o.core);
  const isa = { ...preset.isa, vlenBits: Number(o.vlen) as 256, mixedUnit: true };
  const counts = new Map<string, number>();
  for (const n of model.source.nodes) counts.set(n.opType, (counts.get(n.opType) ?? 0) + 1);
  console.log(`${file}: ${model.source.nodes.length} nodes (${model.graph.nodes.length} after folding), input ${model.input.name} [${model.input.dims.join(', ')}], output [${model.output.dims.join(', ')}]`);
  console.log('  ' + [...counts].map(([op, n]) => `${op} ${n} (${SUPPORTED_OPERATORS[op]?.role ?? '?'})`).join(', '));
  let lowered;
  try {
    lowered = lowerToNetwork(model);
  } catch (e) {
    if (!(e instanceof NotMappableError)) throw e;
    const shown = e.problems.slice(0, 12).map((p) => `  ${p.node}: ${p.reason}`);
    if (e.problems.length > 12) shown.push(`  ... and ${e.problems.length - 12} more`);
    console.log(`not a simulator network (${e.problems.length} problems), so it runs node by node in fp32 (core: convolutions, pools, matrix products, residual adds; host: the rest):\n${shown.join('\n')}`);
    const n = model.input.dims.reduce((p, d) => p * d, 1);
    const input = { dataType: 'float32' as const, dims: model.input.dims, data: Float64Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * 0.37) * 0.8)) };
    const t0 = Date.now();
    const r = runModel(model, input, { isa });
    const on = new Map<string, [number, number]>();
    for (const x of r.nodes) {
      const c = on.get(x.opType) ?? [0, 0];
      c[x.on === 'core' ? 0 : 1]++;
      on.set(x.opType, c);
    }
    console.log(formatTable(['operator', 'on the core', 'on the host'], [...on].map(([op, [c, h]]) => [op, String(c), String(h)]), [false, true, true]));
    console.log(`${(r.instructions / 1e6).toFixed(2)} M instructions on the core (VLEN ${o.vlen}), ${((Date.now() - t0) / 1000).toFixed(1)} s; output [${Array.from(r.output.data.slice(0, 8), (v) => v.toFixed(4)).join(', ')}${r.output.data.length > 8 ? ', ...' : ''}] on a synthetic input`);
    return;
  }
  const names = o.compare ? COMPARE : [o.precision];
  const budgets = names.map(parseBudget);
  const machine = { name: o.core, isa, core: preset.core };
  if (o.mnist) {
    const count = Number(o.mnist);
    if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new Error(`--mnist: ${o.mnist} is not a number of test images (1..10000)`);
    const d = model.input.dims;
    if (d[1] !== 1 || d[2] !== 28 || d[3] !== 28) throw new Error(`--mnist: the model reads [${d.join(', ')}], MNIST images are [N, 1, 28, 28]`);
    const nhwc = (x: { count: number; data: Float64Array }) => ({ count: x.count, data: toNhwc(x.data, x.count, 1, 28, 28) });
    const test = mnistImages('test', count);
    const t0 = Date.now();
    const r = await evaluateBudgets(lowered, { calibration: nhwc(mnistImages('train', 256).images), test: nhwc(test.images), labels: test.labels }, budgets, { isa, ...(o.timed ? { machine } : {}) });
    if (o.json) {
      console.log(JSON.stringify({ model: file, images: count, floatAccuracy: r.float.accuracy, rows: r.rows }, null, 2));
      return;
    }
    console.log(`${count} MNIST test images; float accuracy ${(100 * r.float.accuracy).toFixed(2)} %; ${((Date.now() - t0) / 1000).toFixed(0)} s${o.timed ? `; cycles and energy of one image on ${o.core} (sampled)` : ''}`);
    console.log(
      formatTable(
        ['precision', 'bits/weight', 'accuracy %', 'agreement %', 'model B', 'instructions', ...(o.timed ? ['cycles', 'energy uJ'] : [])],
        r.rows.map((x) => [x.label, x.averageBits.toFixed(2), (100 * x.accuracy).toFixed(2), (100 * x.agreement).toFixed(2), x.modelBytes.toFixed(0), String(x.instructions), ...(o.timed ? [String(Math.round(x.cycles!)), (x.energyPj! / 1e6).toFixed(3)] : [])]),
        [false, true, true, true, true, true, true, true],
      ),
    );
    return;
  }
  // Without data: the cost of each budget (schemes that need no calibration only).
  const rows = budgets.map((b, i) => {
    if (b.kind === 'average' || b.kind === 'mix') throw new Error(`${names[i]}: per-channel budgets are chosen from calibration data; add --mnist <images> (or use the API's assignPrecision with your data)`);
    const a = assignPrecision(lowered, { count: 1, data: new Float64Array(model.input.dims.slice(1).reduce((p, d) => p * d, 1)) }, b, { isa });
    const r = simulateNetwork({ ...lowered.network, batch: 1 }, new Map(a.precisions), isa, o.timed ? { mode: 'sampled', timing: networkTiming(machine) } : { mode: 'fast' });
    return [budgetLabel(b), String(r.total.instructions), ...(o.timed ? [String(Math.round(r.total.timing!['cycles']!)), (r.total.timing!['energyPj']! / 1e6).toFixed(3)] : []), r.total.modelBytes.toFixed(0)];
  });
  console.log(formatTable(['precision', 'instructions', ...(o.timed ? ['cycles', 'energy uJ'] : []), 'model B'], rows, [false, true, true, true, true]));
}
