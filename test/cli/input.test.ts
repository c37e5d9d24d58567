// Bad input to the CLI: every enumerated option is checked against its list (and the list is in the error),
// every file that cannot be read or parsed is named with the reason, and inputs that cannot be meant
// (shares not summing to 1, a missing store, constraints that prune everything) stop with an error.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'mpsimd-input-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const EXAMPLE = fileURLToPath(new URL('../../examples/mixed-dot.s', import.meta.url));

describe('enumerated options list their values', () => {
  it.each([
    [['network', 'resnet20', '--dataflow', 'diagonal'], /'diagonal' is invalid.*output-stationary, weight-stationary, input-stationary/],
    [['network', 'resnet20', '--dataflow', ''], /'' is invalid.*output-stationary, weight-stationary, input-stationary/],
    [['network', 'resnet20', '--vlen', '300'], /'300' is invalid.*128, 256, 512/],
    [['network', 'resnet20', '--core', 'a76'], /'a76' is invalid.*sysmol, neonA76, avx2Skylake/],
    [['run', EXAMPLE, '--model', 'fast'], /'fast' is invalid.*inOrder, outOfOrder/],
    [['run', EXAMPLE, '--vlen', '64'], /'64' is invalid.*128, 256, 512/],
    [['exec', EXAMPLE, '--vlen', '1024'], /'1024' is invalid.*128, 256, 512/],
    [['run', EXAMPLE, '--max-instructions', '-5'], /--max-instructions takes an integer >= 1, got '-5'/],
    [['cache', '-', '--format', 'pixie'], /'pixie' is invalid.*auto, din, xdin, lackey/],
  ])('%j', async (args, message) => {
    const r = await runCli(...args);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
  });

  it('an unknown network name lists the zoo; precisions are checked before anything runs', async () => {
    const zoo = await runCli('network', 'resnet21');
    expect(zoo.err).toMatch(/unknown network 'resnet21': the zoo has resnet18, resnet20, vgg-small, mobilenetv2; or give a JSON spec file/);
    const bad = await runCli('network', 'resnet20', '--precision', 'mixed:4=0.5,2=0.6');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--precision 'mixed:4=0\.5,2=0\.6': the shares must sum to 1 \(within 1e-6\), they sum to 1\.1: 2=0\.6, 4=0\.5/);
    expect((await runCli('network', 'resnet20', '--precision', 'mixed:3=1')).err).toMatch(/'3=1' is not WIDTH=SHARE with a width of 1, 2, 4 or 8/);
    expect((await runCli('network', 'resnet20', '--precision', 'uint3')).err).toMatch(/unknown precision; use fp32, int8, binary/);
  });
});

describe('files that cannot be used are named, with the reason', () => {
  it('missing files', async () => {
    expect((await runCli('run', join(dir, 'nope.s'))).err).toMatch(/program '.*nope\.s': cannot read it: no such file or directory/);
    expect((await runCli('exec', join(dir, 'nope.s'))).err).toMatch(/program '.*nope\.s': cannot read it: no such file or directory/);
    expect((await runCli('disasm', dir)).err).toMatch(/binary program '.*': cannot read it: is a directory, not a file/);
    expect((await runCli('network', join(dir, 'net.json'))).err).toMatch(/network spec '.*net\.json': cannot read it: no such file or directory/);
    expect((await runCli('sweep', join(dir, 'space.json'))).err).toMatch(/space file '.*space\.json': cannot read it: no such file or directory/);
    const out = join(dir, 'merged.jsonl');
    const merge = await runCli('merge', join(dir, 'shard-0.jsonl'), '-o', out);
    expect(merge.code).toBe(1);
    expect(merge.err).toMatch(/store '.*shard-0\.jsonl': cannot read it: no such file or directory/);
    expect(existsSync(out)).toBe(false);
    expect((await runCli('plot', join(dir, 'store.jsonl'))).err).toMatch(/store '.*store\.jsonl': cannot read it: no such file or directory/);
  });

  it('files that are not JSON: the file, the line and the column', async () => {
    const m = file('machine.json', '{\n  "isa": { vlenBits: 128 }\n}');
    const r = await runCli('run', EXAMPLE, '--machine', m);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/machine file '.*machine\.json': not valid JSON: line 2, column 12: Expected property name or '\}'/);
    const isa = file('isa.json', '{"vlenBits": 128,}');
    expect((await runCli('exec', EXAMPLE, '--isa', isa)).err).toMatch(/ISA configuration file '.*isa\.json': not valid JSON: line 1, column 18/);
  });

  it('a machine file with a value of the wrong type names the file, the field and the value given', async () => {
    const m = file('machine2.json', JSON.stringify({ isa: { vlenBits: '256' } }));
    expect((await runCli('run', EXAMPLE, '--machine', m)).err).toMatch(/machine2\.json: machine\.isa\.vlenBits: must be 128, 256 or 512; given "256" \(a string\)/);
  });

  it('output files that cannot be written are named', async () => {
    expect((await runCli('asm', EXAMPLE, '-o', join(dir, 'no', 'such', 'dir', 'x.bin'))).err).toMatch(/binary program '.*x\.bin': cannot write it: no such file or directory/);
    expect((await runCli('run', EXAMPLE, '--trace-out', join(dir, 'nowhere', 't'))).err).toMatch(/pipeline trace '.*nowhere\/t\.kanata\.log': cannot write it: no such file or directory/);
  });

  it('plot: objectives the store does not hold are named with the metrics it does hold', async () => {
    const store = file('one.jsonl', JSON.stringify({ index: 0, key: 'k', point: { a: 1 }, status: 'ok', metrics: { cycles: 10, areaMm2: 1 }, evaluator: 'analytic', simulatorVersion: 'v', elapsedMs: 1 }) + '\n');
    const r = await runCli('plot', store, '--objectives', 'cycles,energy', '--out', join(dir, 'plot-out'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/objective\(s\) energy not in store '.*one\.jsonl' \(its metrics: cycles, areaMm2\)/);
  });

  it('a store that holds no rows is not merged', async () => {
    const junk = file('junk.jsonl', 'hello\nworld\n');
    const r = await runCli('merge', junk, '-o', join(dir, 'm2.jsonl'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/warning: .*junk\.jsonl holds no rows \(2 unreadable lines\): is it a sweep store\?/);
    expect(r.err).toMatch(/no rows: nothing to merge/);
    expect(existsSync(join(dir, 'm2.jsonl'))).toBe(false);
  });
});

describe('space files', () => {
  it('are validated whole before the first point runs: every bad value, its type and what is expected', async () => {
    const space = file(
      'bad-space.json',
      JSON.stringify({
        evaluator: 'simulate-layer',
        dimensions: { 'isa.vlenBits': ['256', '128'], 'isa.vlenBit': [128], 'core.model': ['inOrder', 'outofOrder'], 'workload.inChannels': [64, -1] },
      }),
    );
    const out = join(dir, 'bad-out');
    const r = await runCli('sweep', space, '--workers', '0', '--out', out, '-q');
    expect(r.code).toBe(1);
    expect(r.err).toContain('space.dimensions.isa.vlenBits[0]: given "256" (a string): must be 128, 256 or 512');
    expect(r.err).toContain('space.dimensions.isa.vlenBits[1]: given "128" (a string): must be 128, 256 or 512');
    expect(r.err).toMatch(/space\.dimensions\.isa\.vlenBit: no such setting: 'isa' of evaluator 'simulate-layer' has no field 'vlenBit' \(its fields: vlenBits, /);
    expect(r.err).toMatch(/space\.dimensions\.core\.model\[1\]: given "outofOrder" \(a string\): Invalid option: expected one of "inOrder"\|"outOfOrder"/);
    expect(r.err).toMatch(/space\.dimensions\.workload\.inChannels\[1\]: given -1: Too small/);
    expect(existsSync(join(out, 'store.jsonl'))).toBe(false); // stopped before the store was opened
  });

  it('a dimension written in no known form says which forms there are', async () => {
    const space = file('form.json', JSON.stringify({ dimensions: { 'isa.vlenBits': '256', 'core.x': { from: '1', to: 3 } } }));
    const r = await runCli('sweep', space, '--workers', '0', '-q');
    expect(r.err).toContain(`space.dimensions.isa.vlenBits: must be a list of values ([128, 256]), {"values": [...]}, {"from", "to", "step"} or {"from", "to", "factor"}; given "256" (a string)`);
    expect(r.err).toContain('space.dimensions.core.x: from: Invalid input: expected number, received string; given "1" (a string)');
  });

  it('constraints that prune every point are an error naming them', async () => {
    const space = file('pruned.json', JSON.stringify({ dimensions: { 'isa.vlenBits': [128, 256] }, constraints: [{ left: 'isa.vlenBits', op: '>', right: 1000 }] }));
    const r = await runCli('sweep', space, '--workers', '0', '--out', join(dir, 'pruned'), '-q');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the constraints pruned every one of the 2 points the strategy drew \('isa\.vlenBits > 1000' pruned 2\)/);
  });
});
