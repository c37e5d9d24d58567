// The kernels and cores of the golden reports: each case is (kernel, preset, model, memory latency).
// Regenerate the stored reports after an intended change: npx tsx test/pipeline/golden/regenerate.ts
import { readFileSync } from 'node:fs';
import { assemble } from '../../../src/isa/assembler.js';
import { Executor } from '../../../src/isa/executor.js';
import { FixedLatencyMemory } from '../../../src/memory/port.js';
import { MemoryHierarchy } from '../../../src/memory/hierarchy.js';
import { resolveMemoryConfig } from '../../../src/memory/config.js';
import { StatsRegistry } from '../../../src/stats/registry.js';
import { simulateTiming } from '../../../src/pipeline/core.js';
import { presetByName, type PresetName } from '../../../src/presets/index.js';

const int8Dot = `
# int8 dot products: 4 accumulators, 64 iterations over 4 weight rows (sdot / vpdpbusd-like).
        li    x3, 64
        li    x1, 0x1000
        li    x2, 0x4000
loop:   vld   v1, 0(x1)
        vld   v2, 0(x2)
        vld   v3, 32(x2)
        vld   v4, 64(x2)
        vld   v5, 96(x2)
        vdot.s8 v8, v1, v2
        vdot.s8 v9, v1, v3
        vdot.s8 v10, v1, v4
        vdot.s8 v11, v1, v5
        addi  x1, x1, 32
        addi  x2, x2, 128
        addi  x3, x3, -1
        bne   x3, x0, loop
        li    x4, 0x100
        vst   v8, 0(x4)
        halt`;

/** One golden case. */
export interface GoldenCase {
  readonly name: string;
  readonly source: string;
  readonly preset: PresetName;
  readonly model: 'inOrder' | 'outOfOrder';
  /** A fixed latency in cycles, or 'caches' for the default two-level hierarchy (cold at the start). */
  readonly memoryLatency: number | 'caches';
}

const mixedDot = readFileSync(new URL('../../../examples/mixed-dot.s', import.meta.url), 'utf8');

/** Every golden case. */
export const CASES: readonly GoldenCase[] = [
  { name: 'mixed-dot.sysmol.ooo', source: mixedDot, preset: 'sysmol', model: 'outOfOrder', memoryLatency: 3 },
  { name: 'mixed-dot.sysmol.inorder', source: mixedDot, preset: 'sysmol', model: 'inOrder', memoryLatency: 3 },
  { name: 'int8-dot.sysmol.ooo', source: int8Dot, preset: 'sysmol', model: 'outOfOrder', memoryLatency: 3 },
  { name: 'int8-dot.neonA76.ooo', source: int8Dot, preset: 'neonA76', model: 'outOfOrder', memoryLatency: 3 },
  { name: 'int8-dot.avx2Skylake.ooo', source: int8Dot, preset: 'avx2Skylake', model: 'outOfOrder', memoryLatency: 4 },
  { name: 'int8-dot.avx2Skylake.ooo.mem100', source: int8Dot, preset: 'avx2Skylake', model: 'outOfOrder', memoryLatency: 100 },
  { name: 'mixed-dot.sysmol.ooo.caches', source: mixedDot, preset: 'sysmol', model: 'outOfOrder', memoryLatency: 'caches' },
  { name: 'mixed-dot.sysmol.inorder.caches', source: mixedDot, preset: 'sysmol', model: 'inOrder', memoryLatency: 'caches' },
];

/** The report of a case, as stored (JSON-safe, statistics included). */
export function reportOf(c: GoldenCase): unknown {
  const { isa, core } = presetByName(c.preset);
  const prog = assemble(c.source);
  const exe = new Executor(prog, { ...isa, memoryBytes: 1 << 16 });
  const stats = new StatsRegistry();
  const memory = c.memoryLatency === 'caches' ? new MemoryHierarchy(resolveMemoryConfig({}), stats) : new FixedLatencyMemory(c.memoryLatency);
  const r = simulateTiming(prog.static, (b) => exe.runBatch(b), { ...core, model: c.model }, memory, stats);
  // Values only: a statistic's unit and description are the registry's (tested there), not the model's output.
  const json = r.toJSON();
  return { ...json, stats: Object.fromEntries(Object.entries(json.stats).map(([name, s]) => [name, (s as { value: number }).value])) };
}
