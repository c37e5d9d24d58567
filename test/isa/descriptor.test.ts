// Pattern descriptors worked out by hand from docs/isa.md ("Descriptor"), bit by bit, independently of
// encodePattern: run i (0..5) is the 10-bit field at bit 10*(i mod 3) of word i div 3 (xA, then xB), a 3-bit
// width code (0 none, 1 = 1-bit, 2 = 2-bit, 3 = 4-bit, 4 = 8-bit) under a 7-bit length in bytes; bits 30-31
// are zero. Each vector is decoded by the reference's own decoder and by the fast path (the machine state's
// setPattern), and executed as `setpp` by both; all must give the worked runs, or all must fault.
//
//  vector               VLEN widths   maxRuns  xA          xB          fields (code, bytes)                    runs
//  docs example         256  1/2/4    3        0x08110843  0           (3,8) (2,8) (1,16)                      4x16 | 2x32 | 1x128
//  uniform 4-bit        128  1/2/4    3        0x00000083  0           (3,16): 16<<3|3 = 0x83                  4x32
//  uniform 1-bit        512  1/2/4    3        0x00000201  0           (1,64): 64<<3|1 = 0x201                 1x512
//  8-bit, unit has it   128  1/2/4/8  3        0x00000084  0           (4,16): 16<<3|4 = 0x84                  8x16
//  four runs, xB used   256  1/2/4    4        0x04108823  0x00000083  (3,4)=0x23 (2,4)=0x22 (1,8)=0x41 | (3,16)   4x8 | 2x16 | 1x64 | 4x32
//  faults:
//  8-bit, unit lacks it 128  1/2/4    3        0x00000084  0           width 8 not in the unit
//  four runs, max 3     256  1/2/4    3        0x04108823  0x00000083  4 runs > maxRuns
//  bit 30 set           128  1/2/4    3        0x40000083  0
//  bit 31 set in xB     128  1/2/4    3        0x00000083  0x80000000
//  width code 5         128  1/2/4    3        0x00000085  0           (5,16)
//  width code 7         128  1/2/4    3        0x00000087  0           (7,16)
//  empty with length    128  1/2/4    3        0x00002083  0           (3,16) then (0,1): 1<<3 = 8, at bit 10 = 0x2000
//  run after empty      128  1/2/4    3        0x04300043  0           (3,8) (0,0) (3,8): 8+8 bytes would tile
//  ... across the words 128  1/2/4    6        0x00000043  0x00000043  (3,8) (0,0) (0,0) | (3,8)
//  zero length          128  1/2/4    3        0x00000003  0           (3,0)
//  no runs              128  1/2/4    3        0           0
//  does not tile        256  1/2/4    3        0x00000083  0           128 bits of 256
//  longer than VLEN     512  1/2/4    3        0x000003f9  0           (1,127): 127<<3|1 = 0x3f9 = 1016 bits
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/isa/assembler.js';
import { resolveIsaConfig } from '../../src/isa/config.js';
import { Executor, SimError } from '../../src/isa/executor.js';
import { etypeCode } from '../../src/isa/etypes.js';
import { ExecFault } from '../../src/isa/instr.js';
import { referenceDescriptor, referenceStep } from '../../src/isa/reference.js';
import { MachineState } from '../../src/isa/state.js';
import { OPS } from '../../src/isa/table.js';

type Runs = [number, number][]; // [widthBits, count]
interface Vector {
  readonly name: string;
  readonly vlen: 128 | 256 | 512;
  readonly widths?: (1 | 2 | 4 | 8)[];
  readonly maxRuns?: number;
  readonly lo: number;
  readonly hi: number;
  readonly runs: Runs | 'fault';
}

const VECTORS: Vector[] = [
  { name: 'docs example', vlen: 256, lo: 0x08110843, hi: 0, runs: [[4, 16], [2, 32], [1, 128]] },
  { name: 'uniform 4-bit', vlen: 128, lo: 0x83, hi: 0, runs: [[4, 32]] },
  { name: 'uniform 1-bit', vlen: 512, lo: 0x201, hi: 0, runs: [[1, 512]] },
  { name: '8-bit, unit has it', vlen: 128, widths: [1, 2, 4, 8], lo: 0x84, hi: 0, runs: [[8, 16]] },
  { name: 'four runs, xB used', vlen: 256, maxRuns: 4, lo: 0x04108823, hi: 0x83, runs: [[4, 8], [2, 16], [1, 64], [4, 32]] },
  { name: '8-bit, unit lacks it', vlen: 128, lo: 0x84, hi: 0, runs: 'fault' },
  { name: 'four runs, max 3', vlen: 256, lo: 0x04108823, hi: 0x83, runs: 'fault' },
  { name: 'bit 30 set', vlen: 128, lo: 0x40000083, hi: 0, runs: 'fault' },
  { name: 'bit 31 set in xB', vlen: 128, lo: 0x83, hi: 0x80000000, runs: 'fault' },
  { name: 'width code 5', vlen: 128, lo: 0x85, hi: 0, runs: 'fault' },
  { name: 'width code 7', vlen: 128, lo: 0x87, hi: 0, runs: 'fault' },
  { name: 'empty with length', vlen: 128, lo: 0x2083, hi: 0, runs: 'fault' },
  { name: 'run after empty', vlen: 128, lo: 0x04300043, hi: 0, runs: 'fault' },
  { name: 'run after empty, across the words', vlen: 128, maxRuns: 6, lo: 0x43, hi: 0x43, runs: 'fault' },
  { name: 'zero length', vlen: 128, lo: 0x3, hi: 0, runs: 'fault' },
  { name: 'no runs', vlen: 128, lo: 0, hi: 0, runs: 'fault' },
  { name: 'does not tile', vlen: 256, lo: 0x83, hi: 0, runs: 'fault' },
  { name: 'longer than VLEN', vlen: 512, lo: 0x3f9, hi: 0, runs: 'fault' },
];

const cfgOf = (v: Vector) => resolveIsaConfig({ vlenBits: v.vlen, mixedWidths: v.widths ?? [1, 2, 4], maxRuns: v.maxRuns ?? 3, memoryBytes: 4096 });
const asPairs = (runs: readonly { widthBits: number; count: number }[]): Runs => runs.map((r) => [r.widthBits, r.count]);

describe('pattern descriptors, worked by hand', () => {
  it.each(VECTORS.map((v) => [v.name, v] as const))('%s', (_, v) => {
    const cfg = cfgOf(v);
    // The reference's own decoder.
    if (v.runs === 'fault') expect(() => referenceDescriptor(v.lo, v.hi, cfg)).toThrow(ExecFault);
    else expect(asPairs(referenceDescriptor(v.lo, v.hi, cfg))).toEqual(v.runs);
    // The fast path's decoder and checks, as setpp uses them.
    const st = new MachineState(cfg);
    const err = st.setPattern(0, v.lo, v.hi);
    if (v.runs === 'fault') expect(err).not.toBeNull();
    else {
      expect(err).toBeNull();
      expect(asPairs(st.pp[0]!.runs)).toEqual(v.runs);
    }
    // setpp executed by the executor and by the reference.
    const prog = assemble(`li x1, ${v.lo}\nli x2, ${v.hi}\nsetpp pp0, x1, x2\nhalt`);
    const ex = new Executor(prog, cfg);
    let fault: unknown = null;
    try {
      ex.run();
    } catch (e) {
      fault = e;
    }
    const ref = new MachineState(cfg);
    ref.x[1] = v.lo | 0;
    ref.x[2] = v.hi | 0;
    const refRun = () => referenceStep(ref, prog.instrs[2]!);
    if (v.runs === 'fault') {
      expect(fault).toBeInstanceOf(SimError);
      expect(refRun).toThrow(ExecFault);
    } else {
      expect(fault).toBeNull();
      refRun();
      expect(asPairs(ex.state.pp[0]!.runs)).toEqual(v.runs);
      expect(Array.from(ref.ppWords.subarray(0, 2))).toEqual([v.lo, v.hi]);
    }
  });

  it('the docs example places its elements where the table says: element 16 at bit 64, element 48 at bit 128', () => {
    const st = new MachineState(resolveIsaConfig({ vlenBits: 256 }));
    expect(st.setPattern(0, 0x08110843, 0)).toBeNull();
    const p = st.pp[0]!;
    const bitOf = (e: number) => 32 * p.elemWord[e]! + p.elemShift[e]!;
    expect([bitOf(0), bitOf(15), bitOf(16), bitOf(47), bitOf(48), bitOf(175)]).toEqual([0, 60, 64, 126, 128, 255]);
    expect(p.count).toBe(176);
  });
});

describe('the reference covers the instruction table', () => {
  it('every opcode has reference semantics (a new table row needs its semantics in src/isa/reference.ts)', () => {
    const cfg = resolveIsaConfig({ vlenBits: 128, memoryBytes: 4096 });
    for (const [op, row] of OPS.entries()) {
      const et = row.etypes.length > 0 ? etypeCode(row.etypes[0]!) : -1;
      try {
        referenceStep(new MachineState(cfg), { op, d: 1, s1: 2, s2: 3, et, pp: row.needsPattern ? 0 : -1, imm: 0, imm2: 0 });
      } catch (e) {
        // A fault (an unwritten pattern register, say) means the reference has semantics for the row.
        if (!(e instanceof ExecFault)) throw new Error(`${row.mnemonic}: ${(e as Error).message}`);
      }
    }
  });
});
