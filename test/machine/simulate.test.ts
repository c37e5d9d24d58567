// simulate(): the executor, the core and the memory hierarchy wired together on a real program.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/isa/assembler.js';
import { Executor } from '../../src/isa/executor.js';
import { resolveMachineConfig } from '../../src/machine/config.js';
import { simulate } from '../../src/machine/simulate.js';

const program = assemble(readFileSync(new URL('../../examples/mixed-dot.s', import.meta.url), 'utf8'));
const outputs = (mem: DataView) => Array.from({ length: 8 }, (_, n) => mem.getInt32(0x3000 + 4 * n, true));

describe('simulate', () => {
  it('computes the same values as the functional executor alone', () => {
    const ref = new Executor(program, { vlenBits: 256 });
    ref.run();
    const r = simulate({ isa: { vlenBits: 256 } }, program);
    expect(outputs(r.state.memView)).toEqual(outputs(ref.state.memView));
    expect(r.report.instructions).toBe(ref.executed);
  });

  it('counts cache accesses for every load and store the program makes', () => {
    const r = simulate({ isa: { vlenBits: 256 } }, program);
    // 2 iterations x 9 vector loads, 1 vector store, all 32-byte aligned: one L1D access each.
    expect(r.stats.get('l1d.accesses.read')).toBe(2 * 9);
    expect(r.stats.get('l1d.accesses.write')).toBe(1);
    // The kernel touches about 600 bytes, far less than L1D: every miss is compulsory.
    expect(r.stats.get('l1d.misses.capacity') + r.stats.get('l1d.misses.conflict')).toBe(0);
    expect(r.report.cycles).toBeGreaterThan(0);
    const stack = Object.values(r.report.cpiStack).reduce((a, b) => a + b, 0);
    expect(stack).toBeCloseTo(r.report.cycles, 6);
  });

  it('the in-order core is never faster than the out-of-order core on the same program', () => {
    const ooo = simulate({ isa: { vlenBits: 256 }, core: { model: 'outOfOrder' } }, program);
    const ino = simulate({ isa: { vlenBits: 256 }, core: { model: 'inOrder' } }, program);
    expect(ino.report.cycles).toBeGreaterThanOrEqual(ooo.report.cycles);
  });

  it('a slower DRAM never makes the run faster', () => {
    const fast = simulate({ isa: { vlenBits: 256 }, memory: { dram: { model: 'fixed', latencyCycles: 50 } } } as never, program);
    const slow = simulate({ isa: { vlenBits: 256 }, memory: { dram: { model: 'fixed', latencyCycles: 400 } } } as never, program);
    expect(slow.report.cycles).toBeGreaterThan(fast.report.cycles);
  });

  it('prices the run: total energy is the core part plus the memory part, and both are positive', () => {
    const r = simulate({ isa: { vlenBits: 256 } }, program);
    expect(r.coreEnergy.totalPj).toBeGreaterThan(0);
    expect(r.memoryEnergy.totalPj).toBeGreaterThan(0);
    expect(r.energyPj).toBeCloseTo(r.coreEnergy.totalPj + r.memoryEnergy.totalPj, 9);
    // The mixed dot products are priced under their class.
    expect(r.coreEnergy.byClassPj['vec-mdot']).toBeGreaterThan(0);
  });

  it('names every bad field of a machine description', () => {
    expect(() => resolveMachineConfig({ isa: { vlenBits: 64 as 128 }, core: { robSize: 0 }, bogus: 1 } as never)).toThrow(
      /machine\.isa\.vlenBits: must be 128, 256 or 512[\s\S]*machine\.core\.robSize[\s\S]*Unrecognized key: "bogus"/,
    );
  });
});
