// Timing-model speed, in simulated instructions per second, measured with benchmark.js on a kernel-like
// stream: the inner loop of an output-stationary mixed-precision layer (5 vector loads, 4 vmdot under a 3-run
// pattern, pointer bumps, a branch; bench/kernel-loop.ts), sysmol preset.
//
// Cases: the timing core alone on a recorded (replayed) stream, so only the core and its memory are measured,
// with the default two-level cache hierarchy (32 KiB L1D, 1 MiB L2, DRAM; the target case), with a
// fixed 4-cycle memory, and with a fixed 100-cycle memory (every load a miss); and executor + timing + caches
// together (what `simulate` costs). Both core models. And, beside the hand-written loop, the timing core alone
// with the caches on a whole layer from the kernel generator (a 3x3 mixed-precision convolution): real
// generated code has more dependences and a lower IPC than the loop, so users see how far the loop's figure
// carries.
//
// Run: npm run bench, or after it `node build/bench/pipeline.bench.js [--fresh [--repeat N]] [--only <text>]`.
// Cases run in one process share the JIT's state (one case's feedback can slow another's code), so `--fresh`
// runs each case in a process of its own: those are the figures the README quotes.
import Benchmark from 'benchmark';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { assemble, convShapeOf, type Conv2dSpec, DescriptorTable, Executor, FixedLatencyMemory, generate, type LayerPrecision, MemoryHierarchy, type MemoryPort, type Program, presetByName, randomConvData, resolveCoreConfig, resolveMemoryConfig, StatsRegistry, TimingCore, TraceBuffer } from 'mpsimd';
import { mixedDotLoop } from './kernel-loop.js';

// The figures must be those of the code users run: the built package, not the TypeScript sources.
if (!import.meta.resolve('mpsimd').includes('/dist/')) throw new Error(`bench must import the built package; got ${import.meta.resolve('mpsimd')} (run it with npm run bench, which builds the package and compiles the benchmarks)`);

const ITER = 20_000;
const prog = assemble(mixedDotLoop(256, ITER, true));
// The generated layer: 3x3 convolution, 64 -> 64 channels over 16x16 pixels, input channels at 1, 2 and 4 bits
// in turn, output-stationary, VLEN 256 (about 200 k instructions; 95 KB of data, so the L2 is used too).
const CONV_NAME = 'generated 3x3 conv';
const convProg = ((): Program => {
  const C = 64;
  const layer: Conv2dSpec = { kind: 'conv2d', batch: 1, inChannels: C, outChannels: C, inHeight: 16, inWidth: 16, kernel: 3, stride: 1, padding: 1, dilation: 1, groups: 1 };
  const precision: LayerPrecision = { kind: 'mixed', widths: Array.from({ length: C }, (_, i) => [1, 2, 4][i % 3]!) };
  return generate(layer, precision, randomConvData(convShapeOf(layer), precision, 1), {}, { vlenBits: 256, mixedWidths: [1, 2, 4], memoryBytes: 1 << 20 }).program;
})();
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
for (const model of models) caseNames.push(`${CONV_NAME}, two-level cache, ${model}`);

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
      console.log(`${name.padEnd(48)} ${median.toFixed(1).padStart(7)} M instructions/s  (median of ${repeat} processes, ${figures[0]!.toFixed(1)}-${figures[figures.length - 1]!.toFixed(1)})`);
    }
  }
  process.exit(0);
}

// Record each stream once, so the replay cases measure the timing core only.
function record(p: Program, memoryBytes: number): TraceBuffer[] {
  const rec = new Executor(p, { memoryBytes });
  const out: TraceBuffer[] = [];
  for (;;) {
    const b = new TraceBuffer(4096);
    if (rec.runBatch(b) === 0) break;
    out.push(b);
  }
  return out;
}
const count = (bs: TraceBuffer[]) => bs.reduce((n, b) => n + b.count, 0);
const recorded = record(prog, 1 << 16);
const perRun = count(recorded);
const convRecorded = record(convProg, 1 << 20);
const convPerRun = count(convRecorded);
/** Instructions per run of each case (the loop's unless named otherwise). */
const instructionsOf = (name: string) => (name.startsWith(CONV_NAME) ? convPerRun : perRun);
function replay(recorded: TraceBuffer[]): (buf: TraceBuffer) => number {
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
      const r = new TimingCore(core, mk(), new StatsRegistry(), {}, table).run(prog.static, replay(recorded));
      if (r.instructions !== perRun) throw new Error(`ran ${r.instructions} instructions, expected ${perRun}`);
    });
    const r = new TimingCore(core, mk(), new StatsRegistry(), {}, table).run(prog.static, replay(recorded));
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
for (const model of models) {
  const name = `${CONV_NAME}, two-level cache, ${model}`;
  if (only !== undefined && !name.includes(only)) continue;
  const core = resolveCoreConfig({ ...presetByName('sysmol').core, model });
  const table = new DescriptorTable(core);
  suite.add(name, () => {
    const r = new TimingCore(core, memories['two-level cache'](), new StatsRegistry(), {}, table).run(convProg.static, replay(convRecorded));
    if (r.instructions !== convPerRun) throw new Error(`ran ${r.instructions} instructions, expected ${convPerRun}`);
  });
  const r = new TimingCore(core, memories['two-level cache'](), new StatsRegistry(), {}, table).run(convProg.static, replay(convRecorded));
  ipcs.push(`${model}, ${CONV_NAME}, two-level cache: ${r.cycles} cycles, IPC ${r.ipc.toFixed(3)}`);
}
suite
  .on('cycle', (e: Benchmark.Event) => {
    const t = e.target as unknown as Benchmark;
    const ips = (instructionsOf(String(t.name)) * (t.hz ?? 0)) / 1e6;
    results.push(`${String(t.name).padEnd(48)} ${ips.toFixed(1).padStart(7)} M instructions/s  (±${t.stats?.rme.toFixed(1)}%, ${t.stats?.sample.length} samples)`);
  })
  .on('complete', () => {
    console.log(`timing model (sysmol preset), ${perRun} instructions per run of the loop, ${convPerRun} of the ${CONV_NAME}; ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`);
    for (const r of results) console.log(r);
    if (only === undefined) for (const r of ipcs) console.log(`simulated ${r}`);
  })
  .run({ async: false });
