/**
 * Accesses per second through a two-level hierarchy (32 KiB 8-way L1D, 1 MiB 16-way L2, fixed-latency DRAM),
 * measured with benchmark.js. Run: `npm run bench`, or after it `node build/bench/memory.bench.js` (add `--quick` for a short run, and
 * `--only <text>` to run only the cases whose name contains it, e.g. `--only "l1-hits   timed"`: cases run in
 * one process share the JIT's state, so a case measured alone in a fresh process is the more faithful figure).
 *
 * Traces (addresses precomputed, so only the memory system is measured):
 * - l1-hits: 8-byte loads cycling over 16 KiB (fits in L1): every access is an L1 hit after warm-up;
 * - streaming: 8-byte loads walking 64 MiB sequentially: one L1 and L2 miss per 64-byte line (1 in 8);
 * - random: 8-byte loads at random addresses in 64 MiB: nearly every access misses both levels.
 * Each is run timed (`access`, the MemoryPort the pipeline uses) and untimed (`reference`, trace-driven),
 * with the 3C miss classifier on (the default) and off.
 */
import Benchmark from 'benchmark';
// Imports the built package (npm run build) so the figures are those of the code users run.
import { ACCESS_READ, MemoryHierarchy, resolveMemoryConfig, RETRY, SeededRandom, StatsRegistry } from 'mpsimd';

const N = 1 << 20; // accesses per benchmark call
const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? (process.argv[onlyAt + 1] ?? '') : '';

function addresses(kind: 'l1-hits' | 'streaming' | 'random'): Float64Array {
  const a = new Float64Array(N);
  const rng = new SeededRandom(7);
  for (let i = 0; i < N; i++) {
    a[i] = kind === 'l1-hits' ? (i * 8) % 16384 : kind === 'streaming' ? (i * 8) % (64 << 20) : rng.nextInt(64 << 20) & ~7;
  }
  return a;
}

function hierarchy(classifyMisses: boolean): MemoryHierarchy {
  const cfg = resolveMemoryConfig({
    levels: [
      { sizeBytes: 32768, ways: 8, lineBytes: 64, classifyMisses, mshrs: 64, portsPerCycle: 2 },
      { sizeBytes: 1 << 20, ways: 16, lineBytes: 64, hitLatencyCycles: 14, classifyMisses, mshrs: 64 },
    ],
  });
  return new MemoryHierarchy(cfg, new StatsRegistry());
}

const suite = new Benchmark.Suite('memory');
for (const trace of ['l1-hits', 'streaming', 'random'] as const) {
  const addrs = addresses(trace);
  for (const classify of [true, false]) {
    for (const timed of [true, false]) {
      const h = hierarchy(classify);
      let cycle = 0;
      const name = `${trace.padEnd(9)} ${timed ? 'timed  ' : 'untimed'} 3C ${classify ? 'on ' : 'off'}`;
      if (!name.includes(only)) continue;
      suite.add(
        name,
        timed
          ? () => {
              for (let i = 0; i < N; i++) {
                // one access per cycle; a refused access is retried next cycle (as a core would)
                while (h.access(addrs[i]!, 8, ACCESS_READ, cycle, -1) === RETRY) cycle++;
                cycle++;
              }
            }
          : () => {
              for (let i = 0; i < N; i++) h.reference(addrs[i]!, 8, ACCESS_READ);
            },
        { minSamples: quick ? 3 : 8, maxTime: quick ? 1 : 3 },
      );
    }
  }
}

suite
  .on('cycle', (e: Benchmark.Event) => {
    const b = e.target as unknown as Benchmark;
    const perSec = (b.hz ?? 0) * N;
    console.log(`${String(b.name)}  ${(perSec / 1e6).toFixed(1).padStart(6)} M accesses/s  (±${b.stats!.rme.toFixed(1)}%, ${b.stats!.sample.length} samples)`);
  })
  .run({ async: false });
