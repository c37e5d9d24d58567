/**
 * Trace replay speed: accesses per second of `runTrace` on a Lackey trace file (parse + replay), measured with
 * benchmark.js. Run: `npm run bench`, or after it `node build/bench/trace.bench.js [--quick] [--trace file]`.
 *
 * The trace: with `--trace FILE` a real Lackey trace (`valgrind --tool=lackey --trace-mem=yes`); otherwise a
 * synthetic one in Lackey's format written to a temporary file, made to look like a program's: per
 * "instruction" an `I` record walking a small loop body, and every other one a data record (loads, stores,
 * modifies) over a few arrays and a stack, seeded, 400 000 `I` lines. Cases: the default replay (3C on), 3C
 * off, and cachegrind mode; all with an L1I, an L1D and an L2 of cachegrind's geometry (32 KiB 8-way each,
 * 1 MiB 16-way, 64-byte lines).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Benchmark from 'benchmark';
// Imports the built package (npm run build) so the figures are those of the code users run.
import { MemoryHierarchy, resolveMemoryConfig, runTrace, SeededRandom, StatsRegistry } from 'mpsimd';

const quick = process.argv.includes('--quick');
const traceAt = process.argv.indexOf('--trace');
const given = traceAt >= 0 ? process.argv[traceAt + 1] : undefined;

function syntheticTrace(lines: number): string {
  const rng = new SeededRandom(11);
  const out: string[] = ['==1== Lackey, an example Valgrind tool'];
  let pc = 0x401000;
  let i = 0;
  for (let n = 0; n < lines; n++) {
    out.push(`I  ${pc.toString(16).padStart(8, '0')},${3 + (n % 4)}`);
    pc = pc >= 0x401400 ? 0x401000 : pc + 4;
    if (n % 2 === 0) {
      const r = rng.nextInt(10);
      const a = r < 4 ? 0x600000 + ((i++ * 8) % (256 << 10)) : r < 7 ? 0x1ffefff000 + rng.nextInt(512) * 8 : 0x800000 + rng.nextInt(1 << 20) * 8;
      const op = r < 6 ? ' L' : r < 9 ? ' S' : ' M';
      out.push(`${op} ${a.toString(16).padStart(8, '0')},8`);
    }
  }
  return out.join('\n') + '\n';
}

const dir = mkdtempSync(join(tmpdir(), 'mpsimd-trace-bench-'));
const file = given ?? join(dir, 'synthetic.lackey');
if (given === undefined) writeFileSync(file, syntheticTrace(quick ? 100_000 : 400_000));

function hierarchy(classifyMisses: boolean, cachegrind: boolean): MemoryHierarchy {
  const level = (sizeBytes: number, ways: number) => ({ sizeBytes, ways, lineBytes: 64, classifyMisses });
  const cfg = resolveMemoryConfig({ levels: [level(32768, 8), level(1 << 20, 16)], l1i: level(32768, 8) });
  return new MemoryHierarchy(cfg, new StatsRegistry(), { cachegrind });
}

let accesses = 0;
const cases: [string, () => MemoryHierarchy][] = [
  ['replay, 3C on (default)', () => hierarchy(true, false)],
  ['replay, 3C off', () => hierarchy(false, false)],
  ['replay, cachegrind mode', () => hierarchy(false, true)],
];
const suite = new Benchmark.Suite();
for (const [name, make] of cases) {
  suite.add(name, {
    defer: true,
    minSamples: quick ? 3 : 8,
    fn: (deferred: { resolve(): void }) => {
      void runTrace(make(), file, 'lackey').then((s) => {
        accesses = s.accesses;
        deferred.resolve();
      });
    },
  });
}
suite
  .on('cycle', (e: { target: Benchmark }) => {
    const t = e.target;
    console.log(`${String(t.name).padEnd(28)} ${((accesses * t.hz) / 1e6).toFixed(2).padStart(6)} M accesses/s  (±${t.stats.rme.toFixed(1)}%, ${t.stats.sample.length} runs of ${accesses} accesses)`);
  })
  .on('complete', () => rmSync(dir, { recursive: true, force: true }))
  .run({ async: false });
