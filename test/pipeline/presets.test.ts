// Every preset validates, runs a real mixed-precision kernel, and orders as its hardware would.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveCoreConfig } from '../../src/pipeline/config.js';
import { PRESETS, presetByName } from '../../src/presets/index.js';
import { run } from './helpers.js';

describe('presets', () => {
  it('each preset validates', () => {
    for (const [name, make] of Object.entries(PRESETS)) expect(resolveCoreConfig(make().core).name).toBe(name);
    expect(() => presetByName('m1')).toThrow(/unknown preset 'm1'; presets are sysmol, neonA76, avx2Skylake, vnniSkylake/);
  });

  it('sysmol runs the example mixed-precision kernel; its vmdot latency and accumulate latency show on dependent chains', () => {
    const src = readFileSync(new URL('../../examples/mixed-dot.s', import.meta.url), 'utf8');
    const { report } = run(src, presetByName('sysmol').core, 4);
    expect(report.instructions).toBe(51);
    expect(report.actions().ops.find((o) => o.cls === 'vec-mdot')!.count).toBe(16);
    // through the accumulator: the accumulate latency, 1; through an activation operand (v1 is vs1 and vd): 3
    const chain = (line: string, n: number) => `setppi pp0, 4\n${`${line}\n`.repeat(n)}halt`;
    const core = presetByName('sysmol').core;
    const per = (line: string) => (run(chain(line, 40), core).report.cycles - run(chain(line, 20), core).report.cycles) / 20;
    expect(per('vmdot.pp0 v1, v2, v3, 0')).toBe(1);
    expect(per('vmdot.pp0 v1, v1, v3, 0')).toBe(3);
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

describe('the sourced figures of the presets (docs/presets.md)', () => {
  const per = (preset: string, line: string) => {
    const core = presetByName(preset).core;
    const body = (n: number) => `setppi pp0, 4\n${`${line}\n`.repeat(n)}halt`;
    return (run(body(60), core).report.cycles - run(body(30), core).report.cycles) / 30;
  };
  it('accumulator chains cost the accumulate latency, other chains the full latency', () => {
    // Skylake: vdotus is vpmaddubsw + vpmaddwd + vpaddd, only the add on the accumulator chain; the
    // throughput of 2 cycles a port over ports 0 and 1 then bounds the chain at 1 per cycle
    expect(per('avx2Skylake', 'vdotus v1, v2, v3')).toBe(1);
    expect(per('avx2Skylake', 'vdotus v1, v1, v3')).toBe(11);
    // VNNI: one vpdpbusd, latency 5 through every operand
    expect(per('vnniSkylake', 'vdotus v1, v2, v3')).toBe(5);
    // A76: FMLA 4(2), SMLAL 4(1)
    expect(per('neonA76', 'vfma.f32 v1, v2, v3')).toBe(2);
    expect(per('neonA76', 'vfma.f32 v1, v1, v3')).toBe(4);
    expect(per('neonA76', 'vwmacc.s8 v1, v2, v3, 0')).toBe(1);
  });
  it('the XNOR-popcount dot product is bound by port 5 on Skylake', () => {
    // independent vxdot: 3 cycles of port 5 each
    const core = presetByName('avx2Skylake').core;
    const body = (n: number) => `${Array.from({ length: n }, (_, i) => `vxdot v${i % 8}, v10, v11, 0`).join('\n')}\nhalt`;
    expect((run(body(60), core).report.cycles - run(body(30), core).report.cycles) / 30).toBe(3);
  });
});
