// The example kernel in examples/ is assembled from its file, run, and checked against a plain computation
// written here independently of the simulator (its own bit extraction and decoding).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemble } from '../src/isa/assembler.js';
import { Executor } from '../src/isa/executor.js';

/** Channel values of one 32-byte register under the pattern 4x16 | 2x32 | 1x128. */
function channels(bytes: Uint8Array, weights: boolean): number[] {
  const bit = (i: number) => (bytes[i >> 3]! >> (i & 7)) & 1;
  const field = (start: number, w: number) => {
    let v = 0;
    for (let j = w - 1; j >= 0; j--) v = 2 * v + bit(start + j);
    return v;
  };
  const out: number[] = [];
  const widths = [...Array(16).fill(4), ...Array(32).fill(2), ...Array(128).fill(1)] as number[];
  let pos = 0;
  for (const w of widths) {
    const raw = field(pos, w);
    pos += w;
    if (!weights) out.push(raw);
    else if (w === 1) out.push(raw ? 1 : -1);
    else out.push(raw >= 1 << (w - 1) ? raw - (1 << w) : raw);
  }
  return out;
}

describe('examples/mixed-dot.s', () => {
  it('computes the 8 output channels of the plain mixed-precision dot product', () => {
    const program = assemble(readFileSync(new URL('../examples/mixed-dot.s', import.meta.url), 'utf8'));
    const exe = new Executor(program, { vlenBits: 256 });
    exe.run();
    const mem = exe.state.mem;
    const act = program.dataLabels.get('act')!;
    const wts = program.dataLabels.get('wts')!;
    const out = program.dataLabels.get('out')!;
    const expected: number[] = [];
    for (let n = 0; n < 8; n++) {
      let s = 0;
      for (let k = 0; k < 2; k++) {
        const a = channels(mem.slice(act + 32 * k, act + 32 * k + 32), false);
        const w = channels(mem.slice(wts + 256 * k + 32 * n, wts + 256 * k + 32 * n + 32), true);
        a.forEach((x, i) => (s += x * w[i]!));
      }
      expected.push(s);
    }
    const got = Array.from({ length: 8 }, (_, n) => exe.state.memView.getInt32(out + 4 * n, true));
    expect(got).toEqual(expected);
    // The data are not degenerate: outputs differ from each other.
    expect(new Set(got).size).toBeGreaterThan(4);
  });
});
