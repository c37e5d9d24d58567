// Using mpsimd as a library: pack mixed-precision channels under a precision pattern, generate a small
// program, run it on two vector lengths, and check the result against plain arithmetic.
// Run: npm run build && npx tsx examples/api-mixed-dot.ts
import { assemble, encodePattern, Executor, formatPattern, packPattern, type PatternRun } from 'mpsimd';

// 256-bit register: 8 four-bit channels, 48 two-bit channels, 128 one-bit channels (32 + 96 + 128 bits).
const runs: PatternRun[] = [
  { widthBits: 4, count: 8 },
  { widthBits: 2, count: 48 },
  { widthBits: 1, count: 128 },
];
const n = runs.reduce((s, r) => s + r.count, 0);

// Deterministic data: activations in range for their width, weights too (1-bit weights are -1/+1).
let seed = 7;
const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
const widths = runs.flatMap((r) => Array<number>(r.count).fill(r.widthBits));
const acts = widths.map((w) => next() % 2 ** w);
const wts = widths.map((w) => (w === 1 ? (next() & 1 ? 1 : -1) : (next() % 2 ** w) - 2 ** (w - 1)));

const [lo, hi] = encodePattern(runs);
const program = assemble(`
    li    x1, ${lo}
    li    x2, ${hi}
    setpp pp1, x1, x2
    li    x3, 0x100
    vld   v1, 0(x3)          # activations
    vld   v2, 32(x3)         # weights
    vmdot.pp1 v4, v1, v2, 0  # int32 lane 0 of v4 += sum of a[i] * w[i]
    vext.s32 x10, v4, 0
    halt
  .data 0x100
    .space 64
`);

const exe = new Executor(program, { vlenBits: 256 });
exe.state.writeBytes(0x100, packPattern(acts, runs, false));
exe.state.writeBytes(0x120, packPattern(wts, runs, true));
exe.run();

const expected = acts.reduce((s, a, i) => s + a * wts[i]!, 0);
console.log(`pattern ${formatPattern(runs)} (${n} channels): simulated ${exe.state.x[10]}, plain ${expected}`);
if (exe.state.x[10] !== expected) {
  console.error('mismatch');
  process.exit(1);
}
