// Functional execution speed, in simulated instructions per second, on a kernel-like loop: the inner loop of
// an output-stationary mixed-precision layer (loads, vmdot under a 3-run pattern, pointer bumps, a branch).
// Run: npm run build && npx tsx bench/isa.bench.ts   (numbers go in the README with the machine they came from)
import Benchmark from 'benchmark';
import os from 'node:os';
// Imports the built package (npm run build), so the numbers are those of the code users run.
import { assemble, Executor, TraceBuffer } from 'mpsimd';

const ITER = 20_000;
const kernel = (vlen: number) => `
        li    x5, %pp(4x${vlen / 16}, 2x${vlen / 8}, 1x${vlen / 2})
        setpp pp0, x5, x0
        li    x3, ${ITER}
loop:   li    x1, 0x1000
        li    x2, 0x2000
        vld   v1, 0(x1)
        vld   v2, 0(x2)
        vld   v3, 64(x2)
        vld   v4, 128(x2)
        vld   v5, 192(x2)
        vmdot.pp0 v8, v1, v2, 0
        vmdot.pp0 v8, v1, v3, 1
        vmdot.pp0 v8, v1, v4, 2
        vmdot.pp0 v8, v1, v5, 3
        addi  x3, x3, -1
        bne   x3, x0, loop
        halt`;

// A small memory keeps reset() (which clears memory) out of the measurement.
// The per-width pattern above is 4x(V/16) = V/4 bits, 2x(V/8) = V/4 bits, 1x(V/2) = V/2 bits: it tiles VLEN.
const suite = new Benchmark.Suite();
const results: string[] = [];
for (const vlen of [128, 256, 512] as const) {
  const exe = new Executor(assemble(kernel(vlen)), { vlenBits: vlen, memoryBytes: 1 << 16 });
  let count = 0;
  suite.add(`run, VLEN ${vlen}`, () => {
    exe.reset();
    count = exe.run().instructions;
  });
  const buf = new TraceBuffer(4096);
  const exe2 = new Executor(assemble(kernel(vlen)), { vlenBits: vlen, memoryBytes: 1 << 16 });
  suite.add(`runBatch (trace records), VLEN ${vlen}`, () => {
    exe2.reset();
    while (exe2.runBatch(buf) > 0);
  });
  void count;
}
const perRun = ITER * 11 + 4;
suite
  .on('cycle', (e: Benchmark.Event) => {
    const t = e.target as unknown as Benchmark;
    const ips = (perRun * (t.hz ?? 0)) / 1e6;
    results.push(`${String(t.name).padEnd(36)} ${ips.toFixed(1).padStart(7)} M instructions/s  (±${t.stats?.rme.toFixed(1)}%, ${t.stats?.sample.length} samples)`);
  })
  .on('complete', () => {
    console.log(`functional execution, ${perRun} instructions per run; ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`);
    for (const r of results) console.log(r);
  })
  .run({ async: false });
