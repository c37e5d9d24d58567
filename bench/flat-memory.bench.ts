// Memory use as the stream grows: executor + timing core + two-level caches on the kernel-like loop
// (bench/kernel-loop.ts), 1 M and 100 M simulated instructions, both core models. The simulator keeps
// everything per instruction in fixed rings and reads records through one reused buffer, so the live heap
// should not grow with the stream. Prints the peak of live heapUsed + arrayBuffers, sampled after a full
// garbage collection every 256 batches (so uncollected garbage does not count; run with --expose-gc, which
// `npm run bench` does; without it the figures include garbage).
// Run: npm run bench, or after it `node --expose-gc build/bench/flat-memory.bench.js [--quick]`.
// (--quick: 1 M and 10 M instead of 1 M and 100 M).
import os from 'node:os';
import { assemble, Executor, MemoryHierarchy, presetByName, resolveMemoryConfig, StatsRegistry, TimingCore } from 'mpsimd';
import { mixedDotLoop } from './kernel-loop.js';

if (!import.meta.resolve('mpsimd').includes('/dist/')) throw new Error(`bench must import the built package; got ${import.meta.resolve('mpsimd')} (run it with npm run bench, which builds the package and compiles the benchmarks)`);

const quick = process.argv.includes('--quick');
const sizes = quick ? [1e6, 1e7] : [1e6, 1e8];
const PER_ITER = 13;

function peakOf(model: 'inOrder' | 'outOfOrder', instructions: number): { peakMiB: number; ran: number; seconds: number } {
  const prog = assemble(mixedDotLoop(256, Math.ceil(instructions / PER_ITER), true));
  const exe = new Executor(prog, { memoryBytes: 1 << 16 });
  const stats = new StatsRegistry();
  const core = new TimingCore({ ...presetByName('sysmol').core, model }, new MemoryHierarchy(resolveMemoryConfig({}), stats), stats);
  globalThis.gc?.();
  let peak = 0;
  let batches = 0;
  const sample = () => {
    globalThis.gc?.();
    const m = process.memoryUsage();
    const used = m.heapUsed + m.arrayBuffers;
    if (used > peak) peak = used;
  };
  const t0 = performance.now();
  const r = core.run(prog.static, (b) => {
    if ((batches++ & 255) === 0) sample();
    return exe.runBatch(b);
  });
  sample();
  return { peakMiB: peak / 2 ** 20, ran: r.instructions, seconds: (performance.now() - t0) / 1000 };
}

if (globalThis.gc === undefined) console.log('(no --expose-gc: figures include uncollected garbage)');
console.log(`peak live heap + array buffers while simulating (executor + timing + caches); ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
for (const model of ['inOrder', 'outOfOrder'] as const) {
  for (const n of sizes) {
    const { peakMiB, ran, seconds } = peakOf(model, n);
    console.log(`${model.padEnd(10)} ${(ran / 1e6).toFixed(0).padStart(5)} M instructions: peak ${peakMiB.toFixed(1)} MiB (${seconds.toFixed(1)} s)`);
  }
}
