/**
 * Example: replay one din trace through L1 data caches of several sizes and associativities and print the
 * miss rate of each, with its 3C split. Run with `npm run build && npx tsx examples/caches/trace-sweep.ts [trace.din]`.
 */
import { fileURLToPath } from 'node:url';
import { MemoryHierarchy, resolveMemoryConfig, runTrace, StatsRegistry } from 'mpsimd';

const trace = process.argv[2] ?? fileURLToPath(new URL('./matvec.din', import.meta.url));
console.log('size_bytes ways miss_rate compulsory capacity conflict');
for (const sizeBytes of [1024, 2048, 4096, 8192]) {
  for (const ways of [1, 2, 4]) {
    const stats = new StatsRegistry();
    const memory = new MemoryHierarchy(resolveMemoryConfig({ levels: [{ sizeBytes, ways, lineBytes: 64 }] }), stats);
    await runTrace(memory, trace, 'din');
    const g = (n: string) => stats.get(`l1d.${n}`);
    console.log(sizeBytes, ways, g('missRate').toFixed(4), g('misses.compulsory'), g('misses.capacity'), g('misses.conflict'));
  }
}
