import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/validate.js';
import { DEFAULT_SPACE_FILE } from '../../src/sweep/defaults.js';
import { spaceFileJsonSchema, spaceFromFile } from '../../src/sweep/space-file.js';

describe('space files', () => {
  it('the default space validates and prunes runs beyond the number of widths', () => {
    const { space, strategy, workload } = spaceFromFile(DEFAULT_SPACE_FILE);
    expect(strategy.name).toBe('grid');
    expect(workload.evaluator).toBe('simulate-layer');
    const pts = [...space.grid()];
    // Per VLEN (3) and pattern-register count (4): maxRuns 1..len(widths) for widths of length 3, 4, 2, 2, 1, 1.
    expect(pts.length).toBe(3 * 4 * (3 + 4 + 2 + 2 + 1 + 1));
    for (const p of pts) expect(p['isa.maxRuns'] as number).toBeLessThanOrEqual((p['isa.mixedWidths'] as number[]).length);
  });

  it('reports every problem with its location', () => {
    try {
      spaceFromFile({
        dimensions: { 'isa.vlenBits': [], 'core.x': { from: 1, to: 4, step: -1 } },
        constraints: [{ left: 'nope', op: '<=', right: { lengthOf: 'also.nope' } }],
        strategy: { kind: 'random' },
        extra: 1,
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const paths = (e as ConfigError).problems.map((p) => p.path);
      expect(paths).toEqual(expect.arrayContaining(['space.dimensions.isa.vlenBits', 'space.strategy.samples', 'space']));
    }
    try {
      spaceFromFile({ dimensions: { a: [1] }, constraints: [{ left: 'nope', op: '<=', right: { lengthOf: 'also' } }] });
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([
        { path: 'space.constraints[0].left', message: "unknown dimension 'nope' (dimensions: a)" },
        { path: 'space.constraints[0].right', message: "unknown dimension 'also' (dimensions: a)" },
      ]);
    }
  });

  it('declarative constraints', () => {
    const { space } = spaceFromFile({
      dimensions: { w: [[1, 2], [4]], n: [1, 2, 3] },
      constraints: [
        { left: 'n', op: '<=', right: { lengthOf: 'w' } },
        { left: 'w', op: 'excludes', right: 4 },
      ],
    });
    expect([...space.grid()]).toEqual([
      { w: [1, 2], n: 1 },
      { w: [1, 2], n: 2 },
    ]);
  });

  it('publishes a JSON Schema that knows the fields', () => {
    const s = spaceFileJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(s.properties)).toEqual(expect.arrayContaining(['dimensions', 'constraints', 'strategy', 'objectives', 'base', 'workload']));
    expect(s.required).toContain('dimensions');
  });
});

// The CLI runs in a temporary folder, where the bare name 'tsx' would not resolve.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

describe('CLI', () => {
  it('mpsimd sweep on a space file writes the store, tables, CSV and plots; merge and plot work on shards', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpsimd-cli-'));
    const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
    const cli = (...args: string[]) => execFileSync(process.execPath, ['--import', TSX, main, ...args], { encoding: 'utf8', cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const space = join(dir, 'space.json');
    writeFileSync(
      space,
      JSON.stringify({ dimensions: { 'isa.vlenBits': [128, 256, 512], 'core.mixedUnits': [1, 2] }, objectives: ['cycles', 'areaMm2'] }),
    );
    const out = cli('sweep', space, '--workers', '0', '--out', 'res');
    expect(out).toMatch(/Pareto front over cycles, areaMm2: \d+ of 6 designs/);
    for (const f of ['store.jsonl', 'rows.csv', 'front.csv', 'front.json', 'front.txt', 'pareto-cycles-areaMm2.svg', 'pareto-cycles-areaMm2.png', 'breakdown-cpi.png', 'report.html']) {
      expect(existsSync(join(dir, 'res', f)), f).toBe(true);
    }
    expect(readFileSync(join(dir, 'res', 'pareto-cycles-areaMm2.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(join(dir, 'res', 'rows.csv'), 'utf8').split('\n')[0]).toMatch(/^index,key,status,isa\.vlenBits,core\.mixedUnits,cycles,/);
    // Two shards, merged, equal the single run.
    cli('sweep', space, '--workers', '0', '--out', 'sh', '--shard', '0/2', '-q');
    execFileSync(process.execPath, ['--import', TSX, main, 'sweep', space, '--workers', '0', '--out', 'sh', '-q'], {
      cwd: dir, env: { ...process.env, SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '2' },
    });
    cli('merge', 'sh/store.shard-0-of-2.jsonl', 'sh/store.shard-1-of-2.jsonl', '-o', 'merged.jsonl');
    const strip = (f: string) => readFileSync(join(dir, f), 'utf8').trim().split('\n').map((l) => {
      const { elapsedMs: _, ...rest } = JSON.parse(l) as { elapsedMs: number };
      return rest;
    }).sort((a, b) => (a as { index: number }).index - (b as { index: number }).index);
    expect(strip('merged.jsonl')).toEqual(strip('res/store.jsonl'));
    expect(cli('plot', 'merged.jsonl', '--out', 'plots', '--objectives', 'cycles,areaMm2', '--no-png')).toMatch(/Pareto front/);
    expect(existsSync(join(dir, 'plots', 'pareto-cycles-areaMm2.svg'))).toBe(true);
    expect(() => cli('sweep', join(dir, 'nope.json'))).toThrow();
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ dimensions: { 'isa.vlenBits': [100] } }));
    expect(() => cli('sweep', join(dir, 'bad.json'), '--workers', '0', '--out', 'bad')).toThrow(/space\.dimensions\.isa\.vlenBits: given 100: must be 128, 256 or 512/);
  });
});
