// Worker-pool speed-up: one sweep of CPU-bound points (the functional executor running a mixed-precision
// dot-product loop, ~0.15 s a point) run in this thread, then on 1 and 2 worker threads. A plain timed run:
// each configuration once after a warm-up, reporting points/s and the speed-up over the in-thread run.
// Run: npm run bench, or after it `node build/bench/sweep.bench.js`
import os from 'node:os';
// Imports the built package (npm run build), so workers load dist/ as users' do.
import { defineSpace, sweep } from 'mpsimd';

const space = defineSpace({ dimensions: { 'isa.vlenBits': [128, 256, 512], 'isa.maxRuns': [1, 2, 3, 4], 'isa.patternRegs': [4, 8] } });
const points = [...space.grid()].length;
const workload = { evaluator: 'functional-kernel', params: { iterations: 300_000 } };

/** Wall time of the sweep, and the mean time one point took inside its thread (grows when cores are shared). */
async function timed(workers: number): Promise<[number, number]> {
  const t0 = performance.now();
  const r = await sweep({ space, workload, workers });
  const s = (performance.now() - t0) / 1000;
  if (r.rows.some((x) => x.status !== 'ok')) throw new Error(`failed points: ${r.rows.find((x) => x.status !== 'ok')?.error}`);
  return [s, r.rows.reduce((t, x) => t + x.elapsedMs, 0) / r.rows.length];
}

await timed(0); // warm-up: JIT, module loading
const load = os.loadavg()[0]!;
const results: [string, [number, number]][] = [];
for (const workers of [0, 1, 2]) results.push([workers === 0 ? 'in this thread' : `${workers} worker thread${workers > 1 ? 's' : ''}`, await timed(workers)]);
const base = results[0]![1][0];
console.log(`sweep worker pool: ${points} points of functional-kernel (300k loop iterations, ~4M instructions each), ${os.cpus()[0]?.model ?? 'cpu'} x ${os.availableParallelism()}, Node ${process.version}`);
console.log(`  load average before the runs: ${load.toFixed(2)} (other processes on these cores slow the parallel runs)`);
for (const [name, [s, per]] of results) {
  console.log(`  ${name.padEnd(16)} ${s.toFixed(2).padStart(6)} s  ${(points / s).toFixed(1).padStart(6)} points/s  speed-up x${(base / s).toFixed(2)}  (${per.toFixed(0)} ms per point in its thread)`);
}
