// A design-space sweep from the API: vector length x supported widths x units on the analytic stand-in
// model, constraints pruning pointless designs, rows streamed as they finish, the Pareto front of cycles and
// area printed as a table. Runs in about a second.
// Run: npm run build && npx tsx examples/sweep-api.ts
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { choices, defineSpace, frontTable, sweep } from 'mpsimd';

const space = defineSpace({
  base: { core: { memBytesPerCycle: 32 } },
  dimensions: {
    'isa.vlenBits': [128, 256, 512],
    'isa.mixedWidths': [[1, 2, 4], [2, 4], [4]],
    // A dimension that depends on an earlier one: no more runs per pattern than supported widths.
    'isa.maxRuns': choices((p) => Array.from({ length: (p['isa.mixedWidths'] as number[]).length }, (_, i) => i + 1)),
    'core.mixedUnits': [1, 2, 4],
    'workload.network': ['resnet20'],
  },
  constraints: [{ name: 'wide designs need more than one unit', test: (p) => p['isa.vlenBits'] !== 512 || p['core.mixedUnits'] !== 1 }],
});

const store = join(mkdtempSync(join(tmpdir(), 'mpsimd-example-')), 'store.jsonl');
const run = sweep({ space, workload: { evaluator: 'analytic' }, objectives: ['cycles', 'areaMm2'], workers: 2, store, seed: 1 });
let n = 0;
for await (const row of run) if (row.status !== 'ok') console.log(`point ${row.index} ${row.status}: ${row.error}`);
else n++;
const result = await run;
console.log(`${n} designs evaluated (${result.counts.pruned} pruned), ${result.front.length} on the cycles/area front; store ${store}\n`);
console.log(frontTable(result.front, result.objectives));
if (result.front.length === 0 || result.rows.some((r) => r.status !== 'ok')) process.exit(1);

// Running it again on the same store evaluates nothing: every point is already there.
const again = await sweep({ space, workload: { evaluator: 'analytic' }, objectives: ['cycles', 'areaMm2'], workers: 0, store });
console.log(`\nsecond run on the same store: ${again.counts.reused} points reused, ${again.counts.evaluated} evaluated`);
if (again.counts.evaluated !== 0) process.exit(1);
