// Timing-model speed, in simulated instructions per second, on a kernel-like stream: the inner loop of an
// output-stationary mixed-precision layer (loads, vmdot under a 3-run pattern, pointer bumps, a branch).
// Measured two ways: the timing core alone on a recorded (replayed) stream, and executor + timing core
// together (what `simulate` costs). Memory is a fixed-latency port: the cache model is benchmarked apart.
// Run: npx tsx bench/pipeline.bench.ts
import Benchmark from 'benchmark';
import os from 'node:os';
// Imports the built package (npm run build) so the figures are those of the code users run.
import { assemble, DescriptorTable, Executor, FixedLatencyMemory, presetByName, resolveCoreConfig, StatsRegistry, TimingCore, TraceBuffer } from 'mpsimd';
import { mixedDotLoop } from './kernel-loop.js';

const ITER = 20_000;
const src = mixedDotLoop(256, ITER, true);
const prog = assemble(src);
const perRun = ITER * 13 + 4;

// Record the stream once, so the replay benchmark measures the timing core only.
const rec = new Executor(prog, { memoryBytes: 1 << 16 });
const recorded: TraceBuffer[] = [];
for (;;) {
  const b = new TraceBuffer(4096);
  if (rec.runBatch(b) === 0) break;
  recorded.push(b);
}
function replay(): (buf: TraceBuffer) => number {
  let i = 0;
  return (buf) => {
    const r = recorded[i++];
    if (r === undefined) return 0;
    buf.pc.set(r.pc.subarray(0, r.count));
    buf.addr.set(r.addr.subarray(0, r.count));
    buf.size.set(r.size.subarray(0, r.count));
    buf.stride.set(r.stride.subarray(0, r.count));
    buf.pieces.set(r.pieces.subarray(0, r.count));
    buf.taken.set(r.taken.subarray(0, r.count));
    return r.count;
  };
}

const suite = new Benchmark.Suite();
const results: string[] = [];
const ipcs: string[] = [];
for (const model of ['outOfOrder', 'inOrder'] as const) {
  const core = resolveCoreConfig({ ...presetByName('sysmol').core, model });
  const table = new DescriptorTable(core); // built once per configuration, shared by every run
  const mem = new FixedLatencyMemory(4);
  suite.add(`timing only (replayed stream), ${model}`, () => {
    const r = new TimingCore(core, mem, new StatsRegistry(), {}, table).run(prog.static, replay());
    if (r.instructions !== perRun) throw new Error(`ran ${r.instructions} instructions, expected ${perRun}`);
  });
  const exe = new Executor(prog, { memoryBytes: 1 << 16 });
  suite.add(`executor + timing, ${model}`, () => {
    exe.reset();
    const r = new TimingCore(core, mem, new StatsRegistry(), {}, table).run(prog.static, (b) => exe.runBatch(b));
    if (r.instructions !== perRun) throw new Error('wrong instruction count');
  });
  const slow = new FixedLatencyMemory(100);
  suite.add(`timing only, 100-cycle memory, ${model}`, () => {
    new TimingCore(core, slow, new StatsRegistry(), {}, table).run(prog.static, replay());
  });
  const r = new TimingCore(core, mem, new StatsRegistry(), {}, table).run(prog.static, replay());
  ipcs.push(`${model}: ${r.cycles} cycles, IPC ${r.ipc.toFixed(3)}`);
}
suite
  .on('cycle', (e: Benchmark.Event) => {
    const t = e.target as unknown as Benchmark;
    const ips = (perRun * (t.hz ?? 0)) / 1e6;
    results.push(`${String(t.name).padEnd(44)} ${ips.toFixed(1).padStart(7)} M instructions/s  (±${t.stats?.rme.toFixed(1)}%, ${t.stats?.sample.length} samples)`);
  })
  .on('complete', () => {
    console.log(`timing model (sysmol preset), ${perRun} instructions per run; ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`);
    for (const r of results) console.log(r);
    for (const r of ipcs) console.log(`simulated ${r}`);
  })
  .run({ async: false });
