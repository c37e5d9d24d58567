// Hand-worked mixed-precision dot products: each of the four pattern registers, the largest and smallest
// value of every width, and int32 wrap/saturation at the accumulator's edges. Worked sums are in comments.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/isa/assembler.js';
import { Executor } from '../../src/isa/executor.js';

const VLEN = 128; // four 32-bit words per register

function run(src: string, regs: Record<number, number[]>, acc: number[] = [0, 0, 0, 0]): Int32Array {
  const exe = new Executor(assemble(src), { vlenBits: VLEN });
  for (const [r, words] of Object.entries(regs)) exe.state.v.set(words, Number(r) * 4);
  exe.state.vi.set(acc, 8 * 4);
  exe.run();
  return exe.state.vi.slice(8 * 4, 8 * 4 + 4);
}

const ONES = [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff];

describe('vmdot, hand-worked', () => {
  it('pp0, 1-bit: a = 1 everywhere, 32 weights +1 and 96 weights -1 -> 32 - 96 = -64', () => {
    const r = run('setppi pp0, 1\nvmdot.pp0 v8, v1, v2, 0\nhalt', { 1: ONES, 2: [0xffffffff, 0, 0, 0] });
    expect(Array.from(r)).toEqual([-64, 0, 0, 0]);
  });

  it('pp1, 2-bit: a = 3 (max) times w = -2 (min) over 64 elements -> -384', () => {
    const r = run('setppi pp1, 2\nvmdot.pp1 v8, v1, v2, 1\nhalt', { 1: ONES, 2: Array(4).fill(0xaaaaaaaa) });
    expect(Array.from(r)).toEqual([0, -384, 0, 0]);
  });

  it('pp2, 4-bit: a = 15 times w = +7 -> 32 * 105 = 3360; times w = -8 -> -3840', () => {
    expect(Array.from(run('setppi pp2, 4\nvmdot.pp2 v8, v1, v2, 2\nhalt', { 1: ONES, 2: Array(4).fill(0x77777777) }))).toEqual([0, 0, 3360, 0]);
    expect(Array.from(run('setppi pp2, 4\nvmdot.pp2 v8, v1, v2, 3\nhalt', { 1: ONES, 2: Array(4).fill(0x88888888) }))).toEqual([0, 0, 0, -3840]);
  });

  it('pp3, mixed 4x8 | 2x16 | 1x64: 8*15*(-8) + 16*3*1 + (32 - 32) = -912', () => {
    const src = 'li x1, %pp(4x8, 2x16, 1x64)\nsetpp pp3, x1, x0\nvmdot.pp3 v8, v1, v2, 0\nhalt';
    const r = run(src, { 1: ONES, 2: [0x88888888, 0x55555555, 0xffffffff, 0] });
    expect(Array.from(r)).toEqual([-912, 0, 0, 0]);
  });

  it('zero activations give zero whatever the weights', () => {
    const r = run('li x1, %pp(4x8, 2x16, 1x64)\nsetpp pp3, x1, x0\nvmdot.pp3 v8, v1, v2, 1\nhalt', { 1: [0, 0, 0, 0], 2: ONES });
    expect(Array.from(r)).toEqual([0, 0, 0, 0]);
  });

  it('accumulates into the existing lane value', () => {
    const r = run('setppi pp2, 4\nvmdot.pp2 v8, v1, v2, 2\nvmdot.pp2 v8, v1, v2, 2\nhalt', { 1: ONES, 2: Array(4).fill(0x77777777) }, [1, 2, 100, 4]);
    expect(Array.from(r)).toEqual([1, 2, 100 + 2 * 3360, 4]);
  });

  it('wraps at int32 (vmdot) and saturates (vmdots)', () => {
    const max = 2147483647;
    const regs = { 1: ONES, 2: Array(4).fill(0x77777777) };
    const wrapped = run('setppi pp2, 4\nvmdot.pp2 v8, v1, v2, 0\nhalt', regs, [max - 10, 0, 0, 0]);
    expect(wrapped[0]).toBe(max - 10 + 3360 - 2 ** 32);
    const sat = run('setppi pp2, 4\nvmdots.pp2 v8, v1, v2, 0\nhalt', regs, [max - 10, 0, 0, 0]);
    expect(sat[0]).toBe(max);
    const satLow = run('setppi pp2, 4\nvmdots.pp2 v8, v1, v2, 0\nhalt', { 1: ONES, 2: Array(4).fill(0x88888888) }, [-max, 0, 0, 0]);
    expect(satLow[0]).toBe(-max - 1);
  });

  it('8-bit elements when the mixed unit supports them: 255 * -128 * 16 = -522240', () => {
    const exe = new Executor(assemble('setppi pp0, 8\nvmdot.pp0 v8, v1, v2, 0\nhalt'), { vlenBits: VLEN, mixedWidths: [1, 2, 4, 8] });
    exe.state.v.set(ONES, 4);
    exe.state.v.set(Array(4).fill(0x80808080), 8);
    exe.run();
    expect(exe.state.vi[32]).toBe(-522240);
  });

  it('the binary XNOR dot product: equal bits count +1, others -1', () => {
    const r = run('vxdot v8, v1, v2, 1\nhalt', { 1: ONES, 2: [0xffffffff, 0xffffffff, 0xffffffff, 0] });
    expect(Array.from(r)).toEqual([0, 96 - 32, 0, 0]);
  });
});
