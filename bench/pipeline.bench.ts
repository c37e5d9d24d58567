// Timing-model speed, in simulated instructions per second, measured with benchmark.js on a kernel-like
// stream: the inner loop of an output-stationary mixed-precision layer (5 vector loads, 4 vmdot under a 3-run
// pattern, pointer bumps, a branch; bench/kernel-loop.ts), sysmol preset.
//
// Cases: the timing core alone on a recorded (replayed) stream, so only the core and its memory are measured,
// with the default two-level cache hierarchy (32 KiB L1D, 1 MiB L2, DRAM; the target case), with a
// fixed 4-cycle memory, and with a fixed 100-cycle memory (every load a miss); and executor + timing + caches
// together (what `simulate` costs). Both core models.
//
// Run: npm run bench, or after it `node build/bench/pipeline.bench.js [--fresh [--repeat N]] [--only <text>]`.
// Cases run in one process share the JIT's state (one case's feedback can slow another's code), so `--fresh`
// runs each case in a process of its own: those are the figures the README quotes.
import Benchmark from 'benchmark';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { assemble, DescriptorTable, Executor, FixedLatencyMemory, MemoryHierarchy, type MemoryPort, presetByName, resolveCoreConfig, resolveMemoryConfig, StatsRegistry, TimingCore, TraceBuffer } from 'mpsimd';
import { mixedDotLoop } from './kernel-loop.js';

// The figures must be those of the code users run: the built package, not the TypeScript sources.
if (!import.meta.resolve('mpsimd').includes('/dist/')) throw new Error(`bench must import the built package; got ${import.meta.resolve('mpsimd')} (run it with npm run bench, which builds the package and compiles the benchmarks)`);

const ITER = 20_000;
const prog = assemble(mixedDotLoop(256, ITER, true));
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;

const models = ['outOfOrder', 'inOrder'] as const;
const memories = {
  'two-level cache': () => new MemoryHierarchy(resolveMemoryConfig({}), new StatsRegistry()),
  '4-cycle memory': () => new FixedLatencyMemory(4),
  '100-cycle memory': () => new FixedLatencyMemory(100),
} satisfies Record<string, () => MemoryPort>;
const caseNames: string[] = [];
for (const model of models) {
  for (const m of Object.keys(memories)) caseNames.push(`timing only, ${m}, ${model}`);
  caseNames.push(`executor + timing, two-level cache, ${model}`);
}

if (process.argv.includes('--fresh')) {
  // --repeat N: N processes per case, reported as the median and range of their figures. One process's figure
  // depends on how V8 happened to compile the core (two processes of the same build differ by up to 15% here),
  // and on which of this machine's vCPUs it ran (they differ by up to 2x).
  const repeatAt = process.argv.indexOf('--repeat');
  const repeat = repeatAt >= 0 ? Number(process.argv[repeatAt + 1]) : 1;
  if (!(Number.isInteger(repeat) && repeat >= 1)) throw new Error(`--repeat needs a whole number of processes >= 1, got '${process.argv[repeatAt + 1]}'`);
  let header = '';
  for (const name of caseNames) {
    if (only !== undefined && !name.includes(only)) continue;
    const figures: number[] = [];
    let line = '';
    for (let i = 0; i < repeat; i++) {
      const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, '--only', name], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`case '${name}' failed:\n${r.stderr}`);
      const out = r.stdout.split('\n');
      header = out.find((l) => l.startsWith('timing model')) ?? header;
      line = out.find((l) => l.startsWith(name)) ?? '';
      const m = / ([0-9.]+) M instructions\/s/.exec(line);
      if (m === null) throw new Error(`case '${name}' printed no figure:\n${r.stdout}`);
      figures.push(Number(m[1]));
    }
    if (name === caseNames.find((n) => only === undefined || n.includes(only))) console.log(header);
    if (repeat === 1) console.log(line);
    else {
      figures.sort((x, y) => x - y);
      const median = figures[Math.floor(figures.length / 2)]!;
      console.log(`${name.padEnd(46)} ${median.toFixed(1).padStart(7)} M instructions/s  (median of ${repeat} processes, ${figures[0]!.toFixed(1)}-${figures[figures.length - 1]!.toFixed(1)})`);
    }
  }
  process.exit(0);
}

// Record the stream once, so the replay cases measure the timing core only.
const rec = new Executor(prog, { memoryBytes: 1 << 16 });
const recorded: TraceBuffer[] = [];
for (;;) {
  const b = new TraceBuffer(4096);
  if (rec.runBatch(b) === 0) break;
  recorded.push(b);
}
const perRun = recorded.reduce((n, b) => n + b.count, 0);
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
for (const model of models) {
  const core = resolveCoreConfig({ ...presetByName('sysmol').core, model });
  const table = new DescriptorTable(core); // built once per configuration, shared by every run
  for (const [m, mk] of Object.entries(memories)) {
    const name = `timing only, ${m}, ${model}`;
    if (only !== undefined && !name.includes(only)) continue;
    suite.add(name, () => {
      const r = new TimingCore(core, mk(), new StatsRegistry(), {}, table).run(prog.static, replay());
      if (r.instructions !== perRun) throw new Error(`ran ${r.instructions} instructions, expected ${perRun}`);
    });
    const r = new TimingCore(core, mk(), new StatsRegistry(), {}, table).run(prog.static, replay());
    ipcs.push(`${model}, ${m}: ${r.cycles} cycles, IPC ${r.ipc.toFixed(3)}`);
  }
  const name = `executor + timing, two-level cache, ${model}`;
  if (only !== undefined && !name.includes(only)) continue;
  const exe = new Executor(prog, { memoryBytes: 1 << 16 });
  suite.add(name, () => {
    exe.reset();
    const r = new TimingCore(core, memories['two-level cache'](), new StatsRegistry(), {}, table).run(prog.static, (b) => exe.runBatch(b));
    if (r.instructions !== perRun) throw new Error('wrong instruction count');
  });
}
suite
  .on('cycle', (e: Benchmark.Event) => {
    const t = e.target as unknown as Benchmark;
    const ips = (perRun * (t.hz ?? 0)) / 1e6;
    results.push(`${String(t.name).padEnd(46)} ${ips.toFixed(1).padStart(7)} M instructions/s  (±${t.stats?.rme.toFixed(1)}%, ${t.stats?.sample.length} samples)`);
  })
  .on('complete', () => {
    console.log(`timing model (sysmol preset), ${perRun} instructions per run; ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`);
    for (const r of results) console.log(r);
    if (only === undefined) for (const r of ipcs) console.log(`simulated ${r}`);
  })
  .run({ async: false });
