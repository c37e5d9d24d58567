// Where each access was served from (MemoryHierarchy.lastLevel), worked out by hand on a two-level hierarchy:
// the core splits its memory stall cycles by this level.
import { describe, expect, it } from 'vitest';
import { MemoryHierarchy } from '../../src/memory/hierarchy.js';
import { resolveMemoryConfig } from '../../src/memory/config.js';
import { ACCESS_READ, ACCESS_WRITE, FixedLatencyMemory, type MemoryPort } from '../../src/memory/port.js';
import { StatsRegistry } from '../../src/stats/registry.js';

function twoLevel(prefetch = false) {
  return new MemoryHierarchy(
    resolveMemoryConfig({
      levels: [
        { sizeBytes: 256, ways: 1, lineBytes: 64, hitLatencyCycles: 2, classifyMisses: false, ...(prefetch ? { prefetcher: { kind: 'next-line' as const } } : {}) },
        { sizeBytes: 4096, ways: 4, lineBytes: 64, hitLatencyCycles: 10, classifyMisses: false },
      ],
      dram: { model: 'fixed', latencyCycles: 100 },
    }),
    new StatsRegistry(),
  );
}

describe('served level', () => {
  it('names the levels nearest first, DRAM last', () => {
    expect(twoLevel().levelNames).toEqual(['l1d', 'l2', 'dram']);
    expect((new FixedLatencyMemory(3) as MemoryPort).levelNames).toBeUndefined(); // one level: the core reports plain `memory`
  });

  it('is DRAM for a cold miss, L1 for a hit, L2 for a line evicted from the direct-mapped L1 only', () => {
    const m = twoLevel();
    let t = 0;
    const at = (addr: number, kind = ACCESS_READ) => {
      t += 1000; // far apart: no MSHR or port interplay
      expect(m.access(addr, 8, kind, t, 0)).toBeGreaterThan(0);
      return m.levelNames[m.lastLevel];
    };
    expect(at(0)).toBe('dram'); // cold
    expect(at(8)).toBe('l1d'); // same line
    expect(at(256)).toBe('dram'); // cold; maps to L1 set 0 and evicts line 0 from L1 (4 sets of one way)
    expect(at(0)).toBe('l2'); // line 0 is still in L2
    expect(at(256 + 16, ACCESS_WRITE)).toBe('l2'); // write-allocate fetches line 4 back from L2
  });

  it('does not count a writeback or a prefetch as where the data came from', () => {
    const m = twoLevel(true);
    let t = 0;
    const at = (addr: number, kind = ACCESS_READ) => {
      t += 1000;
      m.access(addr, 8, kind, t, 0);
      return m.levelNames[m.lastLevel];
    };
    expect(at(0)).toBe('dram'); // cold; the next-line prefetch brings line 1 from DRAM
    expect(at(64)).toBe('l1d'); // prefetched line: an L1 hit
    expect(at(0, ACCESS_WRITE)).toBe('l1d'); // line 0 now dirty
    expect(at(256)).toBe('dram'); // cold; evicts dirty line 0, whose writeback to L2 is not the data's source
    expect(at(0)).toBe('l2');
  });
});
