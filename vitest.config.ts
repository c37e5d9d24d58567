import { defineConfig } from 'vitest/config';

// The JSON report is always written so that .ci/run can print CI's `N passed, N failed` line from the same
// `npm test` a developer runs.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fixes fast-check's seed for every property that does not name its own (test/setup.ts).
    setupFiles: ['test/setup.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    testTimeout: 60_000,
  },
});
