/**
 * Shape inference of a network: validates it and infers every layer's shape from the tensors it reads,
 * through each layer kind's `shape` in the registry.
 *
 * @module
 */
import { parseConfig } from '../../config/validate.js';
import type { ShapedLayer, TensorShape } from './layer-kind.js';
import { layerKind } from './layer-kinds.js';
import { NetworkSpecSchema, type NetworkSpec } from './schema.js';

/** Validates a network and infers every layer's shape; errors name the layer (`network.layers[3]`). */
export function parseNetwork(input: unknown): { spec: NetworkSpec; layers: ShapedLayer[] } {
  const spec = parseConfig(NetworkSpecSchema, input, 'network');
  const shapes = new Map<string, TensorShape>([['input', spec.input]]);
  const layers: ShapedLayer[] = [];
  let prev = 'input';
  spec.layers.forEach((l, i) => {
    const where = `network.layers[${i}] (${l.name})`;
    if (shapes.has(l.name)) throw new Error(`${where}: the name is used twice`);
    const kind = layerKind(l.kind);
    const inputs = kind.inputs ? kind.inputs(l, prev) : [(l as { input?: string }).input ?? prev];
    const inShapes = inputs.map((n) => {
      const s = shapes.get(n);
      if (!s) throw new Error(`${where}: reads '${n}', which is not an earlier layer`);
      return s;
    });
    const { spec: lspec, out } = kind.shape(l, inShapes, spec.batch, where);
    if (out.height < 1 || out.width < 1) throw new Error(`${where}: the window does not fit the ${inShapes[0]!.height}x${inShapes[0]!.width} input`);
    shapes.set(l.name, out);
    layers.push({ name: l.name, layer: l, spec: lspec, inputs, inShapes, out });
    prev = l.name;
  });
  return { spec, layers };
}
