// The CPI stack charges to memory the cycles an instruction lost because a loaded operand held its issue back
// (docs/pipeline.md, "Statistics and the CPI stack"), worked out by hand on both cores. A fixed-latency memory
// names no levels, so the stack has one `memory` entry. Retire width 8: a slot is 1/8 of a cycle.
import { describe, expect, it } from 'vitest';
import { run, WIDE } from './helpers.js';

const stackOf = (src: string, model: 'inOrder' | 'outOfOrder', memLatency: number, lsuBlockBytes?: number) => {
  const { report } = run(src, { ...WIDE, model, ...(lsuBlockBytes === undefined ? {} : { lsuBlockBytes }) }, memLatency);
  const s = report.cpiStack as Record<string, number>;
  return { cycles: report.cycles, base: s.base, frontEnd: s.frontEnd, dependency: s.dependency, memory: s.memory };
};

describe('CPI stack: operands loaded from memory', () => {
  for (const model of ['inOrder', 'outOfOrder'] as const) {
    it(`charges an add waiting for a load to memory (${model})`, () => {
      // li (issue 2, done 3); a strided load of 8 elements, one access each (lsuBlockBytes 0), memory latency 10:
      // issue 3, complete 14; vadd v2 <- v1 issues 14, done 15; vadd v3 <- v2 issues 15, done 16; halt retires at 16.
      // Cycles 0-1 front end (fetch, dispatch); 2 li executing: dependency 1; 3: li retires (1/8 base), load at
      // the head 7/8 memory; 4-13: memory 10; 14: the load retires (1/8), the first add heads it, executing. Its
      // loaded operand held its issue from 2 (dispatch + 1, all else ready) to 14: D = 12 cycles >= its whole
      // execution, so 7/8 memory (before this rule: dependency). 15: it retires (1/8); the second add reads
      // only v2 (no load): 7/8 dependency. 16: two retire (2/8), 6/8 front end (empty window).
      const src = 'li x8, 4\nvlds.u32 v1, 0(x0), x8\nvadd.u32 v2, v1, v1\nvadd.u32 v3, v2, v2\nhalt';
      expect(stackOf(src, model, 10, 0)).toEqual({ cycles: 17, base: 5 / 8, frontEnd: 2 + 6 / 8, dependency: 1 + 7 / 8, memory: 7 / 8 + 10 + 7 / 8 });
    });

    it(`charges only the last D cycles of the execution to memory (${model})`, () => {
      // f32 adds take 4 cycles; memory latency 4, one access: the load issues 2 and completes 7.
      // seq0 vadd.f32 v4: issue 2, done 6. seq1 load v1: done 7. seq2 vadd.f32 v6 <- v4: issue 6, done 10.
      // seq3 vadd.f32 v2 <- v1, v4: v4 ready at 6, v1 at 7, so the load held it back D = 1 cycle; it runs
      // [7, 11) and without the load would have completed at 10, so only cycle 10 is memory's, the one cycle it
      // heads the window (seq2 retires at 10). Cycles 0-1 front end; 2-5 seq0 executing: dependency 4; 6: seq0
      // retires (1/8), the load heads: 7/8 memory; 7: the load retires (1/8), seq2 executing: 7/8 dependency;
      // 8-9: dependency 2; 10: seq2 retires (1/8), seq3 heads: 7/8 memory; 11: seq3 and halt retire (2/8), 6/8
      // front end.
      const src = 'vadd.f32 v4, v5, v5\nvld v1, 0(x0)\nvadd.f32 v6, v4, v4\nvadd.f32 v2, v1, v4\nhalt';
      expect(stackOf(src, model, 4)).toEqual({ cycles: 12, base: 5 / 8, frontEnd: 2 + 6 / 8, dependency: 4 + 7 / 8 + 2, memory: 7 / 8 + 7 / 8 });
    });
  }
});
