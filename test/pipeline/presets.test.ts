// Every preset validates, runs a real mixed-precision kernel, and orders as its hardware would.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveCoreConfig } from '../../src/pipeline/config.js';
import { PRESETS, presetByName } from '../../src/presets/index.js';
import { run } from './helpers.js';

describe('presets', () => {
  it('each preset validates', () => {
    for (const [name, make] of Object.entries(PRESETS)) expect(resolveCoreConfig(make().core).name).toBe(name);
    expect(() => presetByName('m1')).toThrow(/unknown preset 'm1'; presets are sysmol, neonA76, avx2Skylake/);
  });

  it('sysmol runs the example mixed-precision kernel; its vmdot latency shows on a dependent chain', () => {
    const src = readFileSync(new URL('../../examples/mixed-dot.s', import.meta.url), 'utf8');
    const { report } = run(src, presetByName('sysmol').core, 4);
    expect(report.instructions).toBe(51);
    expect(report.actions().ops.find((o) => o.cls === 'vec-mdot')!.count).toBe(16);
    const chain = (n: number) => `setppi pp0, 4\n${'vmdot.pp0 v1, v2, v3, 0\n'.repeat(n)}halt`;
    const core = presetByName('sysmol').core;
    expect(run(chain(40), core).report.cycles - run(chain(20), core).report.cycles).toBe(20 * 3);
  });

  it('Skylake ports: independent vector adds run three per cycle (ports 0, 1 and 5)', () => {
    const body = (n: number) => `${Array.from({ length: n }, (_, i) => `vadd.s8 v${i % 8}, v10, v11`).join('\n')}\nhalt`;
    const core = presetByName('avx2Skylake').core;
    const per = (run(body(600), core).report.cycles - run(body(300), core).report.cycles) / 300;
    expect(per).toBeCloseTo(1 / 3, 1);
  });
});

describe('resolving a core configuration', () => {
  it('returns a configuration it resolved itself unchanged, and still checks any other object', () => {
    const c = resolveCoreConfig({ robSize: 64 });
    expect(resolveCoreConfig(c)).toBe(c);
    expect(() => resolveCoreConfig(Object.freeze({ ...c, robSize: 0 }))).toThrow(/robSize/);
    expect(() => resolveCoreConfig(Object.freeze({ robSize: 8, schedulerSize: 9 }))).toThrow(/schedulerSize/);
  });
});
