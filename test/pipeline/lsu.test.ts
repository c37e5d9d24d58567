// The load/store unit makes one access per aligned block of lsuBlockBytes that a strided access's elements lie
// in (CoreConfig lsuBlockBytes; never more than the memory's first-level line), worked out by hand.
import { describe, expect, it } from 'vitest';
import { resolveMemoryConfig } from '../../src/memory/config.js';
import { MemoryHierarchy } from '../../src/memory/hierarchy.js';
import { StatsRegistry } from '../../src/stats/registry.js';
import type { CoreConfigInput } from '../../src/pipeline/config.js';
import { run, WIDE } from './helpers.js';

const accesses = (src: string, core: CoreConfigInput, mem?: MemoryHierarchy) => (run(src, core, mem).stats.toJSON() as Record<string, { value: number }>)['core.lsu.accesses']!.value;
// One strided load of eight u32 elements (VLEN 256) with stride x8, then a store of them with the same stride.
const prog = (stride: number) => `li x8, ${stride}\nvlds.u32 v1, 0(x0), x8\nvsts.u32 v1, 512(x0), x8\nhalt`;

describe('strided accesses, one access per block', () => {
  for (const model of ['inOrder', 'outOfOrder'] as const) {
    for (const storeBufferSize of [0, 4]) {
      it(`counts the blocks the elements lie in (${model}, store buffer ${storeBufferSize})`, () => {
        const core: CoreConfigInput = { ...WIDE, model, storeBufferSize };
        // stride 4: elements 0..31, one 64-byte block; stride 0 (a broadcast): one; stride 36: elements at 0, 36 |
        // 72, 108 | 144, 180 | 216, 252, four blocks; stride 64: eight. Load and store alike.
        expect([4, 0, 36, 64].map((s) => accesses(prog(s), core))).toEqual([2, 2, 8, 16]);
        // lsuBlockBytes 0: one access per element
        expect([4, 0, 36, 64].map((s) => accesses(prog(s), { ...core, lsuBlockBytes: 0 }))).toEqual([16, 16, 16, 16]);
        // 16-byte lines bound the block: stride 4 -> elements in two lines; stride 36 -> each element its own line
        const lines16 = () => new MemoryHierarchy(resolveMemoryConfig({ levels: [{ sizeBytes: 4096, ways: 4, lineBytes: 16 }, { sizeBytes: 65536 }] }), new StatsRegistry());
        expect([4, 0, 36].map((s) => accesses(prog(s), core, lines16()))).toEqual([4, 2, 16]);
      });
    }
  }

  it('reads the bytes the merged elements span, once per block', () => {
    const h = new MemoryHierarchy(resolveMemoryConfig({}), new StatsRegistry());
    run(prog(4), { ...WIDE, model: 'outOfOrder' }, h);
    const s = h.stats.toJSON() as Record<string, { value: number }>;
    expect(s['l1d.accesses.read']!.value).toBe(1);
    expect(s['l1d.accesses.write']!.value).toBe(1);
  });
});
