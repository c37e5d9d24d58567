// A run that can never finish (here: a memory that refuses every access) ends with an error naming where it
// is stuck, instead of spinning forever.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/isa/assembler.js';
import { Executor } from '../../src/isa/executor.js';
import type { MemoryPort } from '../../src/memory/port.js';
import { simulateTiming } from '../../src/pipeline/core.js';
import { StatsRegistry } from '../../src/stats/registry.js';

describe('stuck runs', () => {
  it('a memory that always answers RETRY ends the run with an error', () => {
    const program = assemble('li x1, 64\nvld v1, 0(x1)\nvadd.s8 v2, v1, v1\nhalt');
    const exe = new Executor(program);
    const refuses: MemoryPort = { access: () => -1 };
    expect(() => simulateTiming(program.static, (b) => exe.runBatch(b), {}, refuses, new StatsRegistry())).toThrow(
      /core timing model stuck: no instruction retired for 10000000 cycles .*oldest in flight at pc 1\)/,
    );
  });
});
