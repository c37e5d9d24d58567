// The broadcast load vldbc: every element gets the one element read from memory, and its record (what the
// timing model sees) is one access of one element, so a timed run makes one cache access per vldbc where a
// stride-0 vlds makes one per element when the load/store unit splits accesses by element (lsuBlockBytes 0). (Equality with the reference semantics is in semantics.test.ts.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/isa/assembler.js';
import { etypeCode } from '../../src/isa/etypes.js';
import { Executor } from '../../src/isa/executor.js';
import { Effects } from '../../src/isa/instr.js';
import { OPCODE, OPS } from '../../src/isa/table.js';
import { simulate } from '../../src/machine/simulate.js';
import { avx2Skylake, neonA76 } from '../../src/presets/index.js';
import { arbConfig, arbState } from './arbitraries.js';

const VLDBC = OPCODE.get('vldbc')!;

describe('vldbc', () => {
  it('writes the element at the address to every element, and records one access of that element', () => {
    fc.assert(
      fc.property(
        arbConfig.chain((cfg) => fc.tuple(arbState(cfg), fc.constantFrom('u8', 'u16', 'u32', 'f32'), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 31 }))),
        ([st, et, slot, d]) => {
          const bytes = et === 'u8' ? 1 : et === 'u16' ? 2 : 4;
          const addr = slot * bytes;
          st.x[5] = addr;
          const fx = new Effects();
          OPS[VLDBC]!.exec(st, { op: VLDBC, d, s1: 5, s2: 0, et: etypeCode(et), pp: -1, imm: 0, imm2: 0 }, fx);
          expect([fx.addr, fx.size, fx.pieces]).toEqual([addr, bytes, 1]);
          let elem = 0;
          for (let j = bytes - 1; j >= 0; j--) elem = elem * 256 + st.mem[addr + j]!;
          const per = st.vlenBits / (8 * bytes);
          for (let k = 0; k < per; k++) {
            const bit = k * bytes * 8;
            const got = (st.v[d * st.vwords + (bit >> 5)]! >>> (bit & 31)) % 2 ** (8 * bytes);
            expect(got).toBe(elem);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('faults on a misaligned or out-of-memory element', () => {
    const run = (src: string) => () => new Executor(assemble(src), { memoryBytes: 4096 }).run();
    expect(run('li x1, 2\nvldbc.u32 v1, 0(x1)\nhalt')).toThrow(/vldbc at address 2 is not 4-byte aligned/);
    expect(run('li x1, 4094\nvldbc.u32 v1, 0(x1)\nhalt')).toThrow(/vldbc of 4 bytes at address 4094 is outside memory/);
    expect(run('li x1, 4095\nvldbc.u8 v1, 0(x1)\nhalt')).not.toThrow();
  });

  it('is one cache access in a timed run, where a stride-0 vlds is one per element unless the load/store unit merges it', () => {
    const loop = (load: string) => `
        li x1, 0x400
        li x2, 50
    l:  ${load}
        vfma.f32 v2, v1, v1
        addi x2, x2, -1
        bne x2, x0, l
        halt`;
    for (const p of [avx2Skylake(), neonA76()]) {
      const elems = (p.isa.vlenBits ?? 256) / 32;
      const reads = (load: string, lsuBlockBytes?: number) => simulate({ ...p, core: { ...p.core, ...(lsuBlockBytes === undefined ? {} : { lsuBlockBytes }) } }, assemble(loop(load))).stats.get('l1d.accesses.read');
      expect(reads('vldbc.f32 v1, 0(x1)')).toBe(50);
      expect(reads('vlds.u32 v1, 0(x1), x0', 0)).toBe(50 * elems);
      expect(reads('vlds.u32 v1, 0(x1), x0')).toBe(50); // elements in one 64-byte block are one access
    }
  });
});
