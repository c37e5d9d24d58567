// The CLI end to end (through tsx on the sources): `run` prints a report and writes pipeline traces;
// `network --compare` prints the precision comparison; bad input gives one clear message and exit code 1.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../examples/mixed-dot.s', import.meta.url));
const cli = (...args: string[]) => execFileSync(process.execPath, ['--import', TSX, MAIN, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('mpsimd CLI', () => {
  it('run: report, energy, and Konata/Perfetto traces of a window', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpsimd-run-'));
    const out = cli('run', EXAMPLE, '--core', 'sysmol', '--trace-out', join(dir, 't'), '--trace-count', '20', '--json');
    const j = JSON.parse(out) as { report: { instructions: number; cycles: number }; energy: { totalPj: number } };
    expect(j.report.instructions).toBe(51);
    expect(j.report.cycles).toBeGreaterThan(0);
    expect(j.energy.totalPj).toBeGreaterThan(0);
    const kanata = readFileSync(join(dir, 't.kanata.log'), 'utf8');
    expect(kanata.startsWith('Kanata\t0004')).toBe(true);
    expect(kanata).toContain('vmdot.pp0');
    const chrome = JSON.parse(readFileSync(join(dir, 't.trace.json'), 'utf8')) as { traceEvents: unknown[] };
    expect(chrome.traceEvents.length).toBeGreaterThan(20);
  });

  it('network --compare: fp32, int8, binary and mixed side by side', () => {
    const out = cli('network', 'resnet20', '--compare');
    expect(out).toMatch(/^fp32 .*\n/m);
    expect(out).toMatch(/^int8 /m);
    expect(out).toMatch(/^binary /m);
    expect(out).toMatch(/^mixed:/m);
  });

  it('network --compare --timed --json: cycles, energy and ratios vs fp32 and int8 (sampled timing)', () => {
    const spec = join(mkdtempSync(join(tmpdir(), 'mpsimd-net-')), 'net.json');
    writeFileSync(spec, JSON.stringify({ name: 'small', input: { channels: 16, height: 12, width: 12 }, layers: [{ name: 'c1', kind: 'conv', out: 32, kernel: 3, padding: 1 }, { name: 'fc', kind: 'fc', out: 10 }] }));
    const j = JSON.parse(cli('network', spec, '--compare', '--timed', '--sample', '5000', '--json')) as { mode: string; timed: boolean; rows: { precision: string; cycles: number; energyPj: number; speedupVsFp32: number; speedupVsInt8: number; energyGainVsFp32: number; energyGainVsInt8: number; compressionVsFp32: number; compressionVsInt8: number }[] };
    expect(j.mode).toBe('sampled');
    expect(j.timed).toBe(true);
    expect(j.rows.map((r) => r.precision)).toEqual(['fp32', 'int8', 'binary', 'mixed:4=0.25,2=0.25,1=0.5']);
    expect(j.rows[0]!.speedupVsFp32).toBe(1);
    expect(j.rows[1]!.speedupVsInt8).toBe(1);
    expect(j.rows[1]!.energyGainVsInt8).toBe(1);
    for (const r of j.rows) {
      expect(r.cycles).toBeGreaterThan(0);
      expect(r.energyPj).toBeGreaterThan(0);
      expect(r.compressionVsFp32).toBeGreaterThanOrEqual(1);
    }
  });

  it('bad input: one message naming what is wrong, exit code 1', () => {
    const r = spawnSync(process.execPath, ['--import', TSX, MAIN, 'run', EXAMPLE, '--core', 'nope'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe("mpsimd: unknown preset 'nope'; presets are sysmol, neonA76, avx2Skylake, vnniSkylake");
  });
});
