// Rewrites the golden reports from the current model: npx tsx test/pipeline/golden/regenerate.ts
// Review the diff (git diff test/pipeline/golden) before committing: every changed number needs a reason.
import { writeFileSync } from 'node:fs';
import { CASES, reportOf } from './kernels.js';

for (const c of CASES) {
  const file = new URL(`./${c.name}.json`, import.meta.url);
  writeFileSync(file, JSON.stringify(reportOf(c), null, 2) + '\n');
  console.log(`wrote ${c.name}.json`);
}
