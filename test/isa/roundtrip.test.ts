// Encoding and assembly round trips over random programs: decode(encode(p)) = p and
// assemble(disassemble(p)) = p (instructions and data image).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/isa/assembler.js';
import { resolveIsaConfig } from '../../src/isa/config.js';
import { disassemble } from '../../src/isa/disassembler.js';
import { decodeProgram, encodeProgram, LAYOUTS } from '../../src/isa/encoding.js';
import { makeProgram, type DataBlock, type Program } from '../../src/isa/program.js';
import { OPS } from '../../src/isa/table.js';
import { arbInstr } from './arbitraries.js';

const cfg = resolveIsaConfig({ patternRegs: 8 });
const arbAnyInstr = fc.integer({ min: 0, max: OPS.length - 1 }).chain((op) => arbInstr(op, cfg));
const arbProgramInstrs = fc.array(arbAnyInstr, { minLength: 1, maxLength: 60 });

function image(p: Program): Map<number, number> {
  const m = new Map<number, number>();
  for (const b of p.data) b.bytes.forEach((v, k) => m.set(b.addr + k, v));
  return m;
}

describe('encoding', () => {
  it('decode(encode(p)) = p for random programs', () => {
    fc.assert(
      fc.property(arbProgramInstrs, (instrs) => {
        const words = encodeProgram(instrs);
        expect(decodeProgram(words)).toEqual(instrs);
      }),
      { numRuns: 300 },
    );
  });

  it('uses one word unless a field needs the second', () => {
    const two = OPS.filter((_, i) => LAYOUTS[i]!.words === 2).map((o) => o.mnemonic);
    // Exactly the forms docs/isa.md names: the 32-bit immediate, strided, tail and broadcast memory (base,
    // offset, stride, length or type), element insert/extract (9-bit index) and requantisation (shift and part).
    expect(two.sort()).toEqual(['li', 'vext', 'vins', 'vldbc', 'vldt', 'vlds', 'vrequant', 'vrequantv', 'vstt', 'vsts'].sort());
  });

  it('places vmdot fields as documented', () => {
    const op = OPS.findIndex((o) => o.mnemonic === 'vmdot');
    const [w] = encodeProgram([{ op, d: 3, s1: 1, s2: 2, et: -1, pp: 2, imm: 5, imm2: 0 }]);
    expect(w).toBe((op | (3 << 7) | (1 << 12) | (2 << 17) | (5 << 22) | (2 << 26)) >>> 0);
  });

  it('rejects a field that does not fit, naming it', () => {
    const op = OPS.findIndex((o) => o.mnemonic === 'addi');
    expect(() => encodeProgram([{ op, d: 1, s1: 1, s2: 0, et: -1, pp: -1, imm: 5000, imm2: 0 }])).toThrow(/addi: imm = 5000 does not fit signed 12 bits/);
  });

  it('rejects an unknown opcode word', () => {
    expect(() => decodeProgram(Uint32Array.of(127))).toThrow(/unknown opcode 127/);
  });
});

describe('assembler and disassembler', () => {
  const arbData = fc.array(
    fc.record({ addr: fc.integer({ min: 0, max: 1 << 20 }), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
    { maxLength: 4 },
  );

  it('assemble(disassemble(p)) = p for random programs and data', () => {
    fc.assert(
      fc.property(arbProgramInstrs, arbData, (instrs, data) => {
        const p = makeProgram(instrs, data as DataBlock[]);
        const q = assemble(disassemble(p));
        expect(q.instrs).toEqual(instrs);
        expect(image(q)).toEqual(image(p));
      }),
      { numRuns: 200 },
    );
  });

  it('reads labels, comments, number bases, directives and pattern descriptors', () => {
    const p = assemble(`
      .equ N, 0b101            # a constant
      start: li x1, buf + 4    ; data label plus offset
             li x2, %pp(4x16, 2x32, 1x128)
             addi x3, x0, -0x10 // hex, negative
             beq x1, x2, start
             halt
      .data 0x200
      buf:  .word 0xdeadbeef, N
      pat:  .pattern 4x16, 2x32, 1x128
            .align 16
      tail: .byte 1, 2
    `);
    expect(p.instrs.map((i) => i.imm)).toEqual([0x204, 0x08110843, -16, 0, 0]);
    expect(p.dataLabels.get('buf')).toBe(0x200);
    expect(p.dataLabels.get('pat')).toBe(0x208);
    expect(p.dataLabels.get('tail')).toBe(0x210);
    const img = image(p);
    expect([0, 1, 2, 3].map((k) => img.get(0x200 + k))).toEqual([0xef, 0xbe, 0xad, 0xde]);
    expect(img.get(0x204)).toBe(5);
    expect([0, 1, 2, 3].map((k) => img.get(0x208 + k))).toEqual([0x43, 0x08, 0x11, 0x08]);
    expect(img.get(0x211)).toBe(2);
  });

  it('collects every error with its line, column, text and what was expected', () => {
    const src = ['  vadd v1, v2, v3', '  vmdot.pp1 v1, v2, v99, 0', '  frob x1', '  addi x1, x1, 4096', '  bne x1, x0, nowhere', '.data', '  .word 1, zork'].join('\n');
    let err: unknown;
    try {
      assemble(src, { source: 'k.s' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    const msg = (err as Error).message.split('\n');
    expect(msg).toHaveLength(6);
    expect(msg[0]).toMatch(/^k\.s:1:3: vadd needs an element type suffix/);
    expect(msg[1]).toMatch(/^k\.s:2:3: expected a vector register v0\.\.v31 \(at 'v99'\)/);
    expect(msg[2]).toMatch(/^k\.s:3:3: unknown mnemonic 'frob'/);
    expect(msg[3]).toMatch(/^k\.s:4:3: value 4096 is outside -2048\.\.2047/);
    expect(msg[4]).toMatch(/^k\.s:5:3: unknown label 'nowhere'/);
    expect(msg[5]).toMatch(/^k\.s:7:\d+: unknown symbol 'zork'/);
  });

  it('rejects suffixes that do not fit the opcode', () => {
    expect(() => assemble('vadd.s4.pp1 v1, v2, v3')).toThrow(/uniform element type takes no pattern register/);
    expect(() => assemble('vadd.u v1, v2, v3')).toThrow(/needs a pattern register suffix/);
    expect(() => assemble('vdot.s4 v1, v2, v3')).toThrow(/vdot takes element types s8, u8, not s4/);
    expect(() => assemble('vand.u8 v1, v2, v3')).toThrow(/vand takes no element type/);
  });
});

describe('static facts derived from the table', () => {
  it('names registers read and written, the class and the memory behaviour', () => {
    const p = assemble(['vmdot.pp2 v8, v1, v2, 3', 'sw x5, 8(x6)', 'addi x0, x0, 1', 'vld v4, 0(x0)', 'setpp pp1, x3, x0', 'vadd.s.pp3 v1, v2, v3'].join('\n'));
    const s = p.static;
    const reads = (pc: number) => Array.from(s.reads.subarray(pc * 4, pc * 4 + 4)).filter((r) => r >= 0);
    expect(reads(0)).toEqual([32 + 8, 32 + 1, 32 + 2, 64 + 2]);
    expect(s.writes[0]).toBe(32 + 8);
    expect(s.pattern[0]).toBe(2);
    expect(reads(1)).toEqual([5, 6]);
    expect(s.writes[1]).toBe(-1);
    expect(s.mem[1]).toBe(2);
    // x0 is neither a dependency nor a destination.
    expect(reads(2)).toEqual([]);
    expect(s.writes[2]).toBe(-1);
    expect(reads(3)).toEqual([]);
    expect(s.writes[3]).toBe(32 + 4);
    expect(s.mem[3]).toBe(1);
    expect(s.writes[4]).toBe(64 + 1);
    expect(reads(5)).toEqual([34, 35, 67]);
    expect(s.widthBits[5]).toBe(0);
    expect(Array.from(s.words)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('has one row per mnemonic', () => {
    const names = OPS.map((o) => o.mnemonic);
    expect(new Set(names).size).toBe(names.length);
  });
});
