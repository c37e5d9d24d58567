// Pipeline-trace export: a hand-worked two-instruction window in all three formats.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/isa/assembler.js';
import { formatInstr } from '../../src/isa/disassembler.js';
import { Executor } from '../../src/isa/executor.js';
import { FixedLatencyMemory } from '../../src/memory/port.js';
import { StatsRegistry } from '../../src/stats/registry.js';
import { simulateTiming } from '../../src/pipeline/core.js';
import { TraceRecorder, toChromeTrace, toKanata, toTextTimeline } from '../../src/pipeline/trace.js';
import { WIDE } from './helpers.js';

function record(first: number, count: number) {
  const prog = assemble('mul x1, x2, x3\nmul x4, x1, x1\nhalt');
  const exe = new Executor(prog);
  const rec = new TraceRecorder(first, count);
  simulateTiming(prog.static, (b) => exe.runBatch(b), { ...WIDE, timing: { 'scalar-mul': { latencyCycles: 3 } } }, new FixedLatencyMemory(1), new StatsRegistry(), { observer: rec });
  return { rec, label: (pc: number) => formatInstr(prog.instrs[pc]!) };
}

describe('pipeline traces', () => {
  it('records only the chosen window', () => {
    expect(record(1, 1).rec.records.map((r) => r.seq)).toEqual([1]);
  });

  it('text timeline: fetch 0, dispatch 1, issue 2 / 5, complete 5 / 8', () => {
    const { rec, label } = record(0, 2);
    expect(toTextTimeline(rec.records, label)).toBe(
      ['    0       ', '[0] DeeER...   mul x1, x2, x3', '[1] D===eeER   mul x4, x1, x1'].join('\n'),
    );
  });

  it('Kanata log: stages in cycle order with cycle deltas', () => {
    const { rec, label } = record(0, 1);
    expect(toKanata(rec.records, label).split('\n')).toEqual([
      'Kanata\t0004', 'C=\t0', 'I\t0\t0\t0', 'L\t0\t0\t0: mul x1, x2, x3', 'S\t0\t0\tF',
      'C\t1', 'E\t0\t0\tF', 'S\t0\t0\tDs',
      'C\t1', 'E\t0\t0\tDs', 'S\t0\t0\tX',
      'C\t3', 'E\t0\t0\tX', 'S\t0\t0\tCm', 'E\t0\t0\tCm', 'R\t0\t0\t0', '',
    ]);
  });

  it('Chrome trace: one slice per non-empty stage, JSON-serialisable', () => {
    const { rec } = record(0, 2);
    const t = toChromeTrace(rec.records);
    expect(t.traceEvents.filter((e) => e.tid === 1).map((e) => [e.cat, e.ts, e.dur])).toEqual([
      ['F', 0, 1], ['Ds', 1, 4], ['X', 5, 3], ['Cm', 8, 1],
    ]);
    expect(JSON.parse(JSON.stringify(t)).traceEvents).toHaveLength(t.traceEvents.length);
  });
});
