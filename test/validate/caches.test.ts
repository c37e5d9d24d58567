// The cachegrind comparison (scripts/validate/caches.ts) on a small program: mpsimd's cache model in
// cachegrind mode, replaying valgrind Lackey's trace of a run, equals cachegrind's own simulation of a run of
// the same program, count for count. Skipped, with the reason, where valgrind or gcc is not installed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingTools, validateProgram } from '../../scripts/validate/caches.js';

const missing = missingTools();

// Column walks of a matrix (a line per access) and a few misaligned 8-byte loads and stores across line
// boundaries, so the two-line rule is exercised.
const PROGRAM = `
#include <stdio.h>
#include <string.h>
#define N 96
static int a[N][N];
static unsigned char buf[4096];
int main(void) {
  long s = 0;
  for (int j = 0; j < N; j++) for (int i = 0; i < N; i++) a[i][j] = i + j;
  for (int j = 0; j < N; j++) for (int i = 0; i < N; i++) s += a[i][j];
  for (int k = 0; k < 60; k++) { long v; memcpy(&v, buf + 64 * k + 60, 8); s += v; memcpy(buf + 64 * k + 61, &s, 8); }
  printf("%ld\\n", s);
  return 0;
}
`;

describe('mpsimd cache --cachegrind against cachegrind', () => {
  it('equals cachegrind exactly on a small program', async (ctx) => {
    if (missing !== null) ctx.skip(`${missing}: the cachegrind comparison is skipped`);
    const dir = mkdtempSync(join(tmpdir(), 'mpsimd-cg-test-'));
    try {
      const src = join(dir, 'walk.c');
      writeFileSync(src, PROGRAM);
      const r = await validateProgram(src, 'walk');
      expect(r.mpsimdCachegrind).toEqual(r.cachegrind);
      // The comparison is not vacuous: there are misses at both levels, and the default mode counts differently.
      expect(r.cachegrind.D1mr).toBeGreaterThan(1000);
      expect(r.cachegrind.DLmr).toBeGreaterThan(100);
      expect(r.mpsimdDefault).not.toEqual(r.cachegrind);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
