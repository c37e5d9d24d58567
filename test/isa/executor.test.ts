// The executor: faults name the PC, the source line and the instruction; the trace stream is bounded and
// carries what the timing model needs.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/isa/assembler.js';
import { Executor, SimError } from '../../src/isa/executor.js';
import { TraceBuffer } from '../../src/isa/trace.js';

function faultOf(src: string, cfg = {}): SimError {
  const exe = new Executor(assemble(src), cfg);
  try {
    exe.run();
  } catch (e) {
    if (e instanceof SimError) return e;
    throw e;
  }
  throw new Error('expected a fault');
}

describe('executor faults', () => {
  it('an unwritten pattern register', () => {
    const e = faultOf('nop\nvmdot.pp1 v1, v2, v3, 0\nhalt');
    expect(e.pc).toBe(1);
    expect(e.line).toBe(2);
    expect(e.message).toBe("pc 1 (line 2) 'vmdot.pp1 v1, v2, v3, 0': pattern register pp1 is used before it was written (setpp)");
  });

  it('a pattern that does not tile VLEN, or uses a width the unit lacks, or has too many runs', () => {
    expect(faultOf('li x1, %pp(4x16, 2x32)\nsetpp pp0, x1, x0\nhalt').message).toMatch(/covers 128 bits, VLEN is 256: it does not tile the register/);
    expect(faultOf('setppi pp0, 8\nhalt').message).toMatch(/uses 8-bit elements, the mixed unit supports 1\/2\/4-bit/);
    expect(faultOf('li x1, %pp(4x16, 2x32, 1x128)\nsetpp pp0, x1, x0\nhalt', { maxRuns: 2 }).message).toMatch(/3 runs, the core allows at most 2/);
  });

  it('a pattern register the core does not have is refused before running', () => {
    expect(() => new Executor(assemble('vmdot.pp5 v1, v2, v3, 0\nhalt'))).toThrow(/pc 0 .*pp5 does not exist: the core has 4 pattern registers/);
  });

  it('out-of-bounds and misaligned accesses', () => {
    expect(faultOf('li x1, 4096\nvld v1, 0(x1)\nhalt', { memoryBytes: 4096 }).message).toMatch(/pc 1 .*vld of 32 bytes at address 4096 is outside memory \[0, 4096\)/);
    expect(faultOf('li x1, 2\nlw x2, 0(x1)\nhalt').message).toMatch(/lw at address 2 is not 4-byte aligned/);
    expect(faultOf('li x1, 2\nli x2, 4\nvlds.u32 v1, 0(x1), x2\nhalt').message).toMatch(/vlds element 0 at address 2 is not 4-byte aligned/);
    expect(faultOf('li x2, 33\nvldt v1, 0(x0), x2\nhalt').message).toMatch(/vldt: length x2 = 33 bytes is outside 0\.\.32/);
  });

  it('running past the end and the instruction limit', () => {
    expect(faultOf('nop').message).toMatch(/pc 1 '<end of program>': ran past the end of the program \(1 instructions\): missing halt\?/);
    expect(faultOf('loop: beq x0, x0, loop', { maxInstructions: 1000 }).message).toMatch(/instruction limit of 1000 reached/);
  });

  it('vmdot without a mixed-precision unit', () => {
    expect(faultOf('setppi pp0, 4\nvmdot.pp0 v1, v2, v3, 0\nhalt', { mixedUnit: false }).message).toMatch(/needs the mixed-precision unit/);
  });

  it('a bad configuration names the field', () => {
    expect(() => new Executor(assemble('halt'), { vlenBits: 100 as 128 })).toThrow(/isa\.vlenBits: must be 128, 256 or 512/);
  });
});

describe('trace stream', () => {
  const src = `
      li x1, 0x100
      li x2, 3
  loop:
      vld v1, 0(x1)
      addi x1, x1, 32
      addi x2, x2, -1
      bne x2, x0, loop
      li x3, 8
      vlds.u16 v2, 0(x0), x3
      halt`;

  it('records PCs, memory pieces and branch outcomes in order', () => {
    const recs = [...new Executor(assemble(src)).trace()];
    expect(recs.map((r) => r.pc)).toEqual([0, 1, 2, 3, 4, 5, 2, 3, 4, 5, 2, 3, 4, 5, 6, 7, 8]);
    expect(recs.filter((r) => r.op === 'vld').map((r) => [r.addr, r.size, r.pieces])).toEqual([
      [0x100, 32, 1],
      [0x120, 32, 1],
      [0x140, 32, 1],
    ]);
    expect(recs.filter((r) => r.op === 'bne').map((r) => r.taken)).toEqual([true, true, false]);
    const s = recs.find((r) => r.op === 'vlds')!;
    expect([s.addr, s.size, s.stride, s.pieces, s.mem]).toEqual([0, 2, 8, 16, 'load']);
    expect(recs[2]!.cls).toBe('vec-load');
  });

  it('fills a small buffer batch by batch with the same records', () => {
    const exe = new Executor(assemble(src));
    const buf = new TraceBuffer(4);
    const pcs: number[] = [];
    for (let n = exe.runBatch(buf); n > 0; n = exe.runBatch(buf)) {
      expect(n).toBeLessThanOrEqual(4);
      pcs.push(...buf.pc.subarray(0, n));
    }
    expect(pcs).toEqual([0, 1, 2, 3, 4, 5, 2, 3, 4, 5, 2, 3, 4, 5, 6, 7, 8]);
    expect(exe.executed).toBe(17);
  });

  it('writes records into arrays it is given, and refuses arrays shorter than the capacity', () => {
    const back = new ArrayBuffer(1024);
    const arrays = { pc: new Int32Array(back, 0, 4), addr: new Int32Array(back, 16, 4), size: new Int32Array(back, 32, 4), stride: new Int32Array(back, 48, 4), pieces: new Int32Array(back, 64, 4), taken: new Uint8Array(back, 80, 4) };
    const buf = new TraceBuffer(4, arrays);
    const n = new Executor(assemble(src)).runBatch(buf);
    expect(n).toBe(4);
    expect([...arrays.pc]).toEqual([0, 1, 2, 3]);
    expect([arrays.addr[2], arrays.size[2], arrays.pieces[2]]).toEqual([0x100, 32, 1]);
    expect(() => new TraceBuffer(8, arrays)).toThrow(/arrays\.pc holds 4 records, capacity is 8/);
  });

  it('x0 stays zero', () => {
    const exe = new Executor(assemble('addi x0, x0, 5\nadd x1, x0, x0\nhalt'));
    exe.run();
    expect(exe.state.x[0]).toBe(0);
    expect(exe.state.x[1]).toBe(0);
  });

  it('reset restores the data image and clears state', () => {
    const exe = new Executor(assemble('li x1, 7\nsw x1, 0x10(x0)\nhalt\n.data 0x10\n.word 99'));
    exe.run();
    expect(exe.state.memView.getInt32(0x10, true)).toBe(7);
    exe.reset();
    expect(exe.state.memView.getInt32(0x10, true)).toBe(99);
    expect(exe.state.x[1]).toBe(0);
  });
});
