// The interface between TypeScript and the cores' WebAssembly modules (src/pipeline/wasm/manifest.ts): a module
// refuses an array passed where the manifest puts another, naming both, and the loader refuses a module whose
// constants or manifest differ from this side's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/isa/assembler.js';
import { Executor } from '../../src/isa/executor.js';
import { FixedLatencyMemory } from '../../src/memory/port.js';
import { StatsRegistry } from '../../src/stats/registry.js';
import { STUCK_CYCLES, TimingCore } from '../../src/pipeline/core.js';
import { runCore } from '../../src/pipeline/engine.js';
import { checkConstants } from '../../src/pipeline/wasm/loader.js';
import { CONSTANTS, manifestHash, MODULES, PARTS, type PartName } from '../../src/pipeline/wasm/manifest.js';

const prog = assemble('li x1, 3\nloop:\nvld v1, 0(x0)\naddi x1, x1, -1\nbne x1, x0, loop\nhalt');

function runWithFault(model: 'inOrder' | 'outOfOrder', part: PartName, swap: readonly [string, string]) {
  const tc = new TimingCore({ model }, new FixedLatencyMemory(3), new StatsRegistry());
  const exe = new Executor(prog, { memoryBytes: 1 << 12 });
  runCore({ core: tc.core, table: tc.table, stats: tc.stats, predictor: tc.predictor, memory: new FixedLatencyMemory(3), observer: undefined, batch: 64, stuckCycles: STUCK_CYCLES, skipIdleCycles: true, layoutFault: { part, swap } }, prog.static, (b) => exe.runBatch(b));
}

/** Every pair of arrays of one element type in one part of a module. */
const swaps = (model: 'inOrder' | 'outOfOrder') =>
  (MODULES[model === 'inOrder' ? 'inorder' : 'ooo'] as readonly PartName[]).flatMap((part) => {
    const arrays = Object.entries(PARTS[part].arrays) as [string, string][];
    return arrays.flatMap(([a, t], i) => arrays.slice(i + 1).filter(([, u]) => u === t).map(([b]) => ({ part, swap: [a, b] as const })));
  });

describe('the interface between TypeScript and WebAssembly', () => {
  for (const model of ['inOrder', 'outOfOrder'] as const) {
    it(`refuses two arrays of the same type passed in each other's place (${model}), naming both`, () => {
      const all = swaps(model);
      expect(all.length).toBeGreaterThan(50);
      fc.assert(
        fc.property(fc.constantFrom(...all), ({ part, swap: [a, b] }) => {
          expect(() => runWithFault(model, part, [a, b])).toThrow(new RegExp(`array '${a}' of the ${part} part was expected where '${b}' of the ${part} part was given`));
        }),
        { numRuns: 60 },
      );
    });
  }

  it('runs when nothing is swapped', () => {
    expect(() => runWithFault('outOfOrder', 'core', ['lat', 'lat'])).not.toThrow();
  });

  it('refuses a module whose constants or manifest differ from this side', () => {
    const module = (changed?: number) => ({
      manifestHash: () => manifestHash(),
      constantValue: (i: number) => (i === changed ? 99 : Object.values(CONSTANTS)[i]![1]),
    });
    expect(() => checkConstants('ooo', module())).not.toThrow();
    expect(() => checkConstants('ooo', module(Object.keys(CONSTANTS).indexOf('PC_LOAD')))).toThrow(/ooo.wasm has constant PC_LOAD = 99, TypeScript has 4/);
    expect(() => checkConstants('ooo', { ...module(), manifestHash: () => manifestHash() + 1 })).toThrow(/built from another interface manifest/);
  });
});
