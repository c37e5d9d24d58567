// Functional execution speed, in simulated instructions per second, on a kernel-like loop: the inner loop of
// an output-stationary mixed-precision layer (loads, vmdot under a 3-run pattern, pointer bumps, a branch).
// Run: npm run bench, or after it `node build/bench/isa.bench.js` (numbers go in the README with the machine they came from)
import Benchmark from 'benchmark';
import os from 'node:os';
// Imports the built package (npm run build), so the numbers are those of the code users run.
import { assemble, Executor, TraceBuffer } from 'mpsimd';
import { mixedDotLoop } from './kernel-loop.js';

const ITER = 20_000;
const kernel = (vlen: number) => mixedDotLoop(vlen, ITER);

// A small memory keeps reset() (which clears memory) out of the measurement.
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
// Counted by the executor, not by hand.
const perRun = (() => {
  const e = new Executor(assemble(kernel(128)), { vlenBits: 128, memoryBytes: 1 << 16 });
  return e.run().instructions;
})();
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
