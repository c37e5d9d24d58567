/** Timing cases worked by hand: MSHR merging and RETRY, ports, miss latency through two levels, DRAM models. */
import { describe, expect, it } from 'vitest';
import { BankedDram, FixedLatencyDram } from '../../src/memory/dram.js';
import { resolveMemoryConfig } from '../../src/memory/config.js';
import { ACCESS_READ as R, ACCESS_WRITE as W, RETRY } from '../../src/memory/port.js';
import { StatsRegistry } from '../../src/stats/registry.js';
import { build, level } from './helpers.js';

describe('MSHRs and ports at the first level', () => {
  // L1: 1 KiB, 2-way, 64 B lines, hit 2 cycles, 1 port, 2 MSHRs of 2 targets; DRAM 20 cycles, 64 B/cycle.
  const cfg = {
    levels: [level(1024, 2, 64, { hitLatencyCycles: 2, portsPerCycle: 1, mshrs: 2, targetsPerMshr: 2, classifyMisses: false })],
    dram: { model: 'fixed' as const, latencyCycles: 20, bytesPerCycle: 64 },
  };
  it('merges, refuses and frees as worked out', () => {
    const { h, stats } = build(cfg);
    // t=0 miss line 0: tag check until 2, DRAM from 2 (bus 2..3), data at 2 + 20 = 22
    expect(h.access(0x000, 8, R, 0, -1)).toBe(22);
    // t=1 same line, in flight: merged into its MSHR (target 2 of 2), ready with the fill
    expect(h.access(0x008, 8, R, 1, -1)).toBe(22);
    // t=2 same line again: the MSHR has no free target -> RETRY
    expect(h.access(0x010, 8, R, 2, -1)).toBe(RETRY);
    // t=3 line 1: second MSHR; DRAM from 5 (bus free since 3), data at 25
    expect(h.access(0x040, 8, R, 3, -1)).toBe(25);
    // t=4 line 2: both MSHRs busy (until 22 and 25) -> RETRY
    expect(h.access(0x080, 8, R, 4, -1)).toBe(RETRY);
    // t=22 the first MSHR is free: line 2 misses, DRAM from 24, data at 44
    expect(h.access(0x080, 8, R, 22, -1)).toBe(44);
    // same cycle, second access: the only port is taken -> RETRY
    expect(h.access(0x000, 8, R, 22, -1)).toBe(RETRY);
    // t=23 line 0 filled at 22: a plain hit
    expect(h.access(0x000, 8, R, 23, -1)).toBe(25);
    expect(stats.get('l1d.delayedHits')).toBe(1);
    expect(stats.get('l1d.retries.targets')).toBe(1);
    expect(stats.get('l1d.retries.mshr')).toBe(1);
    expect(stats.get('l1d.retries.port')).toBe(1);
    // refused accesses change nothing: 5 accepted accesses, 3 misses
    expect(stats.get('l1d.accesses')).toBe(5);
    expect(stats.get('l1d.misses')).toBe(3);
    expect(stats.get('l1d.missLatencyCycles')).toBe(22 + 22 + 22);
    expect(stats.get('l1d.avgMissLatency')).toBe(22);
  });
  it('a refused access has no effect on later hit/miss behaviour (timed == untimed counts)', () => {
    const timed = build(cfg);
    const untimed = build(cfg);
    let t = 0;
    for (let i = 0; i < 400; i++) {
      const addr = ((i * 2654435761) >>> 0) % 8192;
      const kind = i % 5 === 0 ? W : R;
      while (timed.h.access(addr, 4, kind, t, -1) === RETRY) t++;
      t++;
      untimed.h.reference(addr, 4, kind);
    }
    for (const n of ['l1d.accesses', 'l1d.misses', 'l1d.writebacks', 'dram.reads', 'dram.writes']) {
      expect(timed.stats.get(n), n).toBe(untimed.stats.get(n));
    }
  });
  it('two ports accept two accesses per cycle; a line-spanning access takes one cycle per extra line', () => {
    const { h } = build({ levels: [level(1024, 2, 64, { hitLatencyCycles: 3, portsPerCycle: 2, classifyMisses: false })] });
    h.reference(0, 128, R); // warm lines 0 and 1
    expect(h.access(0, 8, R, 10, -1)).toBe(13);
    expect(h.access(8, 8, R, 10, -1)).toBe(13);
    expect(h.access(16, 8, R, 10, -1)).toBe(RETRY);
    expect(h.access(60, 8, R, 11, -1)).toBe(15); // line 0 at 11 -> 14, line 1 at 12 -> 15
  });
});

describe('miss latency through two levels', () => {
  // L1 hit 2, L2 hit 10 (1 port), DRAM 50 cycles at 16 B/cycle (a 64 B line holds the bus 4 cycles)
  const cfg = {
    levels: [
      level(1024, 2, 64, { hitLatencyCycles: 2, classifyMisses: false }),
      level(8192, 4, 64, { hitLatencyCycles: 10, portsPerCycle: 1, classifyMisses: false }),
    ],
    dram: { model: 'fixed' as const, latencyCycles: 50, bytesPerCycle: 16 },
  };
  it('sums the tag checks on the way down, then DRAM, with bus queueing', () => {
    const { h, stats } = build(cfg);
    // t=0: L1 miss at 2 -> L2 miss at 12 -> DRAM bus 12..16, data 62
    expect(h.access(0x0000, 8, R, 0, -1)).toBe(62);
    // t=1: other line: L2 at 3, DRAM at 13 waits for the bus until 16 -> data 66
    expect(h.access(0x1000, 8, R, 1, -1)).toBe(66);
    expect(stats.get('dram.queueCycles')).toBe(3);
    // evict line 0 from L1 (2 ways: lines 0x0000, 0x1000 in set 0; a third line of set 0)
    h.reference(0x2000, 8, R);
    // t=100: line 0 misses L1, hits L2: 100 + 2 + 10
    expect(h.access(0x0000, 8, R, 100, -1)).toBe(112);
  });
  it('lower levels queue requests on their ports (1 per cycle) instead of refusing', () => {
    const { h, stats } = build(cfg);
    h.reference(0x0000, 8, R);
    h.reference(0x0040, 8, R);
    h.reference(0x1000, 8, R);
    h.reference(0x1040, 8, R);
    h.reference(0x2000, 8, R);
    h.reference(0x2040, 8, R); // L1 now holds 0x1000/0x2000 pairs; L2 holds all six lines
    // two L1 misses in the same cycle (L1 has 2 ports), both hit L2: the second waits one cycle for L2's port
    expect(h.access(0x0000, 8, R, 200, -1)).toBe(212);
    expect(h.access(0x0040, 8, R, 200, -1)).toBe(213);
    expect(stats.get('l2.portWaitCycles')).toBe(1);
  });
});

describe('DRAM models', () => {
  it('fixed latency: bandwidth spaces requests by their transfer time; writes take bus time', () => {
    const stats = new StatsRegistry();
    const d = new FixedLatencyDram(30, 8, stats); // 64 B = 8 cycles of bus
    expect(d.read(0, 64, 0)).toBe(30);
    expect(d.read(64, 64, 0)).toBe(38); // starts at 8
    d.write(128, 64, 1); // bus 16..24
    expect(d.read(192, 64, 2)).toBe(54); // starts at 24
    expect(stats.get('dram.queueCycles')).toBe(8 + 15 + 22);
    expect(stats.get('dram.bytes')).toBe(256);
  });
  it('banked, open page: row miss, row hit, other bank, row conflict', () => {
    const stats = new StatsRegistry();
    const cfg = resolveMemoryConfig({
      dram: { model: 'banked', banks: 2, rowBytes: 1024, tRcdCycles: 10, tRpCycles: 8, tCasCycles: 6, controllerLatencyCycles: 5, bytesPerCycle: 16 },
    }).dram;
    if (cfg.model !== 'banked') throw new Error('banked expected');
    const d = new BankedDram(cfg, stats);
    // bank 0 empty: column at 0+10, data 16..20, +5 controller
    expect(d.read(0, 64, 0)).toBe(25);
    // bank 0, same row: column when the bank is free (14), data max(20, bus 20)..24
    expect(d.read(64, 64, 1)).toBe(29);
    // bank 1 (row index 1) empty: column at 12, data ready 18 but bus busy until 24 -> 24..28
    expect(d.read(1024, 64, 2)).toBe(33);
    // bank 0, row 1: conflict; bank free at 18, precharge 8 + activate 10 -> column 36, data 42..46
    expect(d.read(2048, 64, 3)).toBe(51);
    expect([stats.get('dram.rowHits'), stats.get('dram.rowMisses'), stats.get('dram.rowConflicts'), stats.get('dram.activations')]).toEqual([1, 2, 1, 3]);
    expect(stats.get('dram.queueCycles')).toBe(0 + 13 + 6 + 15);
  });
  it('banked DRAM behind a hierarchy counts row outcomes in untimed runs too', () => {
    const { h, stats } = build({ levels: [level(256, 1, 64, { classifyMisses: false })], dram: { model: 'banked', banks: 2, rowBytes: 1024 } });
    for (const a of [0, 64, 128, 2048, 0]) h.reference(a, 4, R);
    // rows: 0 (bank 0) miss, hit, hit, row 1 of bank 0 conflict, row 0 again conflict
    expect([stats.get('dram.rowHits'), stats.get('dram.rowMisses'), stats.get('dram.rowConflicts')]).toEqual([2, 1, 2]);
  });
});
