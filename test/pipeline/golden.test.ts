// Golden reports: the full report (cycles, CPI stack, utilisation, every statistic) of a few kernels on the
// presets, compared with the stored JSON; a change shows as a diff. Regenerate after an intended change:
// npx tsx test/pipeline/golden/regenerate.ts
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CASES, reportOf } from './golden/kernels.js';

describe('golden reports', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const stored: unknown = JSON.parse(readFileSync(new URL(`./golden/${c.name}.json`, import.meta.url), 'utf8'));
      expect(reportOf(c)).toEqual(stored);
    });
  }
});
