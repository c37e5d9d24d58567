/**
 * Runs an imported model end to end, node by node, in float32: the nodes with a simulated kernel (Conv,
 * Gemm/MatMul, pools, residual Add) run on the functional core (fp32 kernels, `vfma.f32`), the others on the
 * host reference. Each node reports where it ran and the instructions it took, so the share of the model
 * that the core computes is visible. The quantised, chained whole-network simulation is separate (it keeps
 * activations in the core's memory and layouts between layers); this runner is the float baseline and an
 * end-to-end check of the importer on real models.
 *
 * @module
 */
import type { IsaConfigInput } from '../isa/config.js';
import { describeNode } from './graph.js';
import type { ImportedModel } from './import.js';
import { runNode, valueOf, type Value } from './reference.js';
import { NotRunnable, simulateNode } from './simulate-node.js';

/** Where one node ran. */
export interface NodeRun {
  readonly name: string;
  readonly opType: string;
  readonly on: 'core' | 'host';
  /** Instructions the core executed (0 on the host). */
  readonly instructions: number;
  /** For a node on the core: the parts done on the host (explicit padding, ...); for one on the host: why. */
  readonly notes: readonly string[];
}

/** The result of {@link runModel}. */
export interface ModelRun {
  /** The model's output. */
  readonly output: Value;
  readonly nodes: readonly NodeRun[];
  /** Instructions of all nodes on the core. */
  readonly instructions: number;
}

/**
 * Runs `model` on one input (NCHW, the imported input's shape). `engine: 'reference'` runs every node on
 * the host; `'simulated'` (default) runs what it can on the simulated core.
 */
export function runModel(model: ImportedModel, input: Value, options: { readonly engine?: 'reference' | 'simulated'; readonly isa?: IsaConfigInput } = {}): ModelRun {
  if (input.dims.join() !== model.input.dims.join()) throw new Error(`input has the shape [${input.dims.join(', ')}], the model was imported for [${model.input.dims.join(', ')}]`);
  const g = model.graph;
  const env = new Map<string, Value>();
  env.set(model.input.name, input);
  const get = (n: string, node: Parameters<typeof describeNode>[0]): Value | undefined => {
    if (n === '') return undefined;
    const v = env.get(n) ?? (g.tensors.has(n) ? valueOf(g.tensors.get(n)!) : undefined);
    if (!v) throw new Error(`${describeNode(node)}: input '${n}' is not computed before it`);
    return v;
  };
  const runs: NodeRun[] = [];
  let instructions = 0;
  for (const node of g.nodes) {
    const ins = node.inputs.map((n) => get(n, node));
    let outs: Value[] | undefined;
    if (options.engine !== 'reference') {
      // A constant operand (Add of a bias, Mul by a scale) is host glue, not a residual add.
      const activations = node.inputs.filter((n) => n !== '' && !g.tensors.has(n)).length;
      if (node.opType !== 'Add' || activations === 2) {
        try {
          const r = simulateNode(node, ins, options.isa);
          outs = r.outputs;
          instructions += r.instructions;
          runs.push({ name: node.name, opType: node.opType, on: 'core', instructions: r.instructions, notes: r.host });
        } catch (e) {
          if (!(e instanceof NotRunnable)) throw e;
          if (!/has no simulated kernel/.test(e.reason)) runs.push({ name: node.name, opType: node.opType, on: 'host', instructions: 0, notes: [e.reason] });
        }
      }
    }
    if (!outs) {
      outs = runNode(node, ins);
      if (runs[runs.length - 1]?.name !== node.name) runs.push({ name: node.name, opType: node.opType, on: 'host', instructions: 0, notes: [] });
    }
    node.outputs.forEach((o, k) => outs![k] && env.set(o, outs![k]!));
  }
  const output = env.get(model.output.name);
  if (!output) throw new Error(`the model's output '${model.output.name}' was not computed`);
  return { output, nodes: runs, instructions };
}
