/** MemoryConfig: defaults, and invalid geometries rejected with the path of every offending field. */
import { describe, expect, it } from 'vitest';
import { jsonSchemaOf, ConfigError } from '../../src/config/validate.js';
import { MemoryConfigSchema, resolveMemoryConfig, setsOf, waysOf } from '../../src/memory/config.js';

function problems(input: unknown): string[] {
  try {
    resolveMemoryConfig(input);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

describe('MemoryConfig', () => {
  it('fills defaults: 32 KiB 8-way L1D, 1 MiB 16-way L2, fixed-latency DRAM; names by position', () => {
    const m = resolveMemoryConfig({});
    expect(m.levels.map((l) => [l.name, l.sizeBytes, waysOf(l), setsOf(l)])).toEqual([
      ['l1d', 32768, 8, 64],
      ['l2', 1048576, 16, 1024],
    ]);
    expect(m.l1i).toBeNull();
    expect(m.dram).toEqual({ model: 'fixed', latencyCycles: 100, bytesPerCycle: 16 });
    expect(Object.isFrozen(m.levels[0])).toBe(true);
  });
  it('fully associative: ways = size / line, one set', () => {
    const m = resolveMemoryConfig({ levels: [{ sizeBytes: 4096, ways: 'full', lineBytes: 64 }] });
    expect([waysOf(m.levels[0]!), setsOf(m.levels[0]!)]).toEqual([64, 1]);
  });
  it.each([
    [{ levels: [{ sizeBytes: 1000 }] }, 'memory.levels[0].sizeBytes: must be a multiple of lineBytes x ways = 64 x 8 = 512, got 1000'],
    [{ levels: [{ sizeBytes: 0 }] }, 'memory.levels[0].sizeBytes: Too small'],
    [{ levels: [{ lineBytes: 48, sizeBytes: 48 * 8 }] }, 'memory.levels[0].lineBytes: must be a power of two, got 48'],
    [{ levels: [{ sizeBytes: 3 * 512 }] }, 'memory.levels[0].sizeBytes: gives 3 sets'],
    [{ levels: [{ sizeBytes: 6 * 64 * 4, ways: 6, replacement: 'plru' }] }, 'memory.levels[0].replacement: tree-PLRU needs a power-of-two number of ways, got 6'],
    [{ levels: [{}, { name: 'l1d', sizeBytes: 65536 }] }, "memory.levels[1].name: 'l1d' is already the name of levels.0"],
    [{ levels: [{ inclusion: 'inclusive' }] }, 'memory.levels[0].inclusion: levels[0] has no level above it'],
    [{ levels: [{}, { lineBytes: 32, sizeBytes: 65536, inclusion: 'inclusive' }] }, "memory.levels[1].lineBytes: an inclusive level needs lines at least as large as levels[0]'s (64), got 32"],
    [{ levels: [{ writePolicy: 'write-through' }, { sizeBytes: 65536, inclusion: 'exclusive' }] }, 'memory.levels[1].inclusion: exclusive needs a write-back level above it'],
    [{ levels: [{ prefetcher: { kind: 'stride', tableEntries: 10 } }] }, 'memory.levels[0].prefetcher.tableEntries: must be a power of two, got 10'],
    [{ dram: { model: 'banked', banks: 6 } }, 'memory.dram.banks: must be a power of two, got 6'],
    [{ dram: { model: 'banked', rowBytes: 32 } }, "memory.dram.rowBytes: must be >= the last level's line size (64), got 32"],
    [{ levels: [{ sizeBytes: 512, colour: 'red' }] }, 'memory.levels[0]: Unrecognized key: "colour"'],
    [{ levels: [{ replacement: 'mru' }] }, 'memory.levels[0].replacement: Invalid option'],
  ])('rejects %j naming the field', (input, expected) => {
    const ps = problems(input);
    expect(ps.some((p) => p.startsWith(expected)), ps.join('\n')).toBe(true);
  });
  it('lists every problem, not only the first', () => {
    const ps = problems({ levels: [{ sizeBytes: 1000, lineBytes: 48 }, { hitLatencyCycles: -1 }], dram: { model: 'fixed', latencyCycles: -5 } });
    expect(ps.length).toBeGreaterThanOrEqual(4);
    expect(ps.join('\n')).toMatch(/levels\[0\]\.lineBytes/);
    expect(ps.join('\n')).toMatch(/levels\[1\]\.hitLatencyCycles/);
    expect(ps.join('\n')).toMatch(/dram\.latencyCycles/);
  });
  it('emits a JSON Schema with units and descriptions', () => {
    const js = JSON.stringify(jsonSchemaOf(MemoryConfigSchema));
    expect(js).toContain('"unit":"cycles"');
    expect(js).toContain('hitLatencyCycles');
    expect(js).toContain('"additionalProperties":false');
  });
});
