// test/setup.ts is loaded and fixes fast-check's seed: properties without a seed of their own are repeatable.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('test setup', () => {
  it('runs fast-check properties from a fixed seed', () => {
    const seed = fc.readConfigureGlobal().seed;
    const env = process.env.FC_SEED;
    if (env === undefined || env === '') expect(seed).toBe(20261201);
    else if (env !== 'random') expect(seed).toBe(Number(env));
    expect(Number.isSafeInteger(seed)).toBe(true);
    // A property that names no seed runs from the configured one (what makes a failure reproducible).
    expect(fc.check(fc.property(fc.integer(), () => true)).seed).toBe(seed);
  });
});
