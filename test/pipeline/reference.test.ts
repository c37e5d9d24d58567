// The timing core, run in every way that must not change a result (ENGINES), against the reference model
// (reference-model.ts, written from the stage rules of docs/pipeline.md), on random programs (dependent chains,
// independent operations of several classes and widths, loads and stores of one or several pieces or none,
// branches taken and not taken) and random small cores of both models (widths 1-4, small queues, shared and
// non-pipelined units, throughput > 1, random latencies), with a fixed-latency memory and no store buffer (the
// reference model's scope). Cycles, every instruction's stage cycles, the CPI stack, the dispatch stalls,
// mispredicts, accesses and busy unit-cycles must be identical. What lies outside that scope (caches, RETRY,
// memory levels, the store buffer) is checked by memory-port.test.ts, timelines.test.ts and the golden reports.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveCoreConfig, type CoreConfigInput } from '../../src/pipeline/config.js';
import { referenceModel, type ReferenceCoverage, type ReferenceResult } from './reference-model.js';
import { arbSmallCore, arbTimingProgram, engineResult, ENGINES } from './helpers.js';

// How often the random cases reach each situation the model distinguishes (counted on the reference's
// results): a property that never meets one of them tests nothing about it.
const reached: Record<string, number> = {};
const REACH = ['unitWait', 'robFull', 'schedulerFull', 'lsqFull', 'registersFull', 'cpi.dependency', 'cpi.memory', 'cpi.unit', 'cpi.branchMispredict', 'mispredict', 'nonPipelinedUnit', 'throughput>1', 'severalPieces', 'inOrder', 'outOfOrder', 'issuedOutOfOrder'] as const;
function count(core: CoreConfigInput, ref: ReferenceResult & ReferenceCoverage): void {
  const c = resolveCoreConfig(core);
  const seen = (k: (typeof REACH)[number], yes: boolean) => { if (yes) reached[k] = (reached[k] ?? 0) + 1; };
  seen('unitWait', ref.unitWaits > 0);
  seen('robFull', ref.stalls.robFull > 0);
  seen('schedulerFull', ref.stalls.schedulerFull > 0);
  seen('lsqFull', ref.stalls.lsqFull > 0);
  seen('registersFull', ref.stalls.registersFull > 0);
  seen('cpi.dependency', ref.cpiSlots.dependency! > 0);
  seen('cpi.memory', ref.cpiSlots.memory! > 0);
  seen('cpi.unit', Object.entries(ref.cpiSlots).some(([k, v]) => k.startsWith('unit.') && v > 0));
  seen('cpi.branchMispredict', ref.cpiSlots.branchMispredict! > 0);
  seen('mispredict', ref.mispredicts > 0);
  seen('nonPipelinedUnit', c.units.some((u) => !u.pipelined && ref.poolBusy[u.name]! > 0));
  seen('throughput>1', Object.values(c.timing).some((t) => (t?.reciprocalThroughputCycles ?? 1) > 1));
  seen('severalPieces', ref.severalPieces > 0);
  seen(c.model, true);
  seen('issuedOutOfOrder', ref.instrs.some((t, k) => k > 0 && t.issue < ref.instrs[k - 1]!.issue));
}

const RUNS = 250;

describe('the timing core against the reference model', () => {
  it('give the same cycles, timelines, CPI stack and dispatch stalls, on cases that reach every situation', () => {
    fc.assert(
      fc.property(arbTimingProgram(), arbSmallCore, fc.integer({ min: 0, max: 12 }), (src, core, memLatency) => {
        const { unitWaits, severalPieces, ...ref } = referenceModel(src, core, memLatency);
        count(core, { ...ref, unitWaits, severalPieces });
        for (const [engine, options] of Object.entries(ENGINES)) {
          expect({ engine, ...engineResult(options, src, core, memLatency) }).toEqual({ engine, ...ref });
        }
      }),
      { numRuns: RUNS },
    );
    // Each situation in at least 3% of the cases.
    for (const k of REACH) expect(reached[k] ?? 0, `cases reaching ${k}: ${JSON.stringify(reached)}`).toBeGreaterThanOrEqual(0.03 * RUNS);
  });
});
