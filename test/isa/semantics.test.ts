// Fast path = reference, for every opcode: random configurations, register contents, patterns and operands
// (register aliasing included). Faults must agree too: both fault or neither does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Effects, ExecFault } from '../../src/isa/instr.js';
import { referenceStep } from '../../src/isa/reference.js';
import type { MachineState } from '../../src/isa/state.js';
import { OPS } from '../../src/isa/table.js';
import { arbConfig, arbInstr, arbState } from './arbitraries.js';

function runFast(st: MachineState, op: number, ins: Parameters<(typeof OPS)[number]['exec']>[1]) {
  const fx = new Effects();
  fx.clear();
  st.pc = st.pc + 1;
  try {
    OPS[op]!.exec(st, ins, fx);
  } catch (e) {
    if (e instanceof ExecFault) return 'fault' as const;
    throw e;
  }
  st.x[0] = 0;
  const touched: number[] = [];
  if (fx.size > 0) for (let k = 0; k < fx.pieces; k++) for (let j = 0; j < fx.size; j++) touched.push(fx.addr + k * fx.stride + j);
  return { touched, taken: fx.taken === 1 };
}

function runRef(st: MachineState, ins: Parameters<typeof referenceStep>[1]) {
  try {
    return referenceStep(st, ins);
  } catch (e) {
    if (e instanceof ExecFault) return 'fault' as const;
    throw e;
  }
}

const NUM_RUNS = 200;

describe('fast semantics equal the reference', () => {
  for (let op = 0; op < OPS.length; op++) {
    const row = OPS[op]!;
    it(`${row.mnemonic}`, () => {
      let executed = 0;
      fc.assert(
        fc.property(
          arbConfig.chain((cfg) => fc.tuple(arbState(cfg), arbInstr(op, cfg))),
          ([st, ins]) => {
            const a = st.clone();
            const b = st.clone();
            const fa = runFast(a, op, ins);
            const fb = runRef(b, ins);
            if (fa === 'fault' || fb === 'fault') {
              expect(fa === 'fault', `fast ${fa === 'fault' ? 'faulted' : 'did not fault'}, reference ${fb === 'fault' ? 'faulted' : 'did not'}`).toBe(fb === 'fault');
              return;
            }
            executed++;
            expect(Array.from(a.v)).toEqual(Array.from(b.v));
            expect(Array.from(a.x)).toEqual(Array.from(b.x));
            expect(Array.from(a.ppWords)).toEqual(Array.from(b.ppWords));
            expect(a.pc).toBe(b.pc);
            expect(a.halted).toBe(b.halted);
            expect(fa.taken).toBe(fb.taken);
            expect(fa.touched).toEqual(fb.touched);
            expect(Buffer.from(a.mem).equals(Buffer.from(b.mem))).toBe(true);
          },
        ),
        { numRuns: NUM_RUNS },
      );
      // Guard against a vacuous property: most generated cases must execute rather than fault.
      expect(executed).toBeGreaterThan(NUM_RUNS * 0.1);
    });
  }
});
