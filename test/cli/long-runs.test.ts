// Long work is never silent: `run` and `exec` stop at --max-instructions with a report of what ran, show
// progress on a terminal after a second, and Ctrl-C on a sweep says how to resume.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_EVALUATORS } from '../sweep/fixtures/paths.js';
import { RunProgress } from '../../src/cli/progress.js';
import { CLI_NODE_ARGS, runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'mpsimd-long-'));
// Never halts: x1 counts loop iterations.
const LOOP = join(dir, 'loop.s');
writeFileSync(LOOP, 'loop:\n    addi x1, x1, 1\n    beq x0, x0, loop\n    halt\n');

describe('instruction limits end with a partial report', () => {
  it('run --max-instructions: the report covers exactly the instructions run, with a warning naming where it stopped', async () => {
    const r = await runCli('run', LOOP, '--max-instructions', '10001', '--core', 'sysmol');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: the program had not halted after 10001 instructions \(--max-instructions\); the report covers those\. The next instruction was pc 1 \(line 3\) 'beq/);
    expect(r.out).toMatch(/PARTIAL, stopped after 10001 instructions/);
    expect(r.out).toMatch(/instructions\s+10001\b/);
    const j = JSON.parse((await runCli('run', LOOP, '--max-instructions', '5000', '--json')).out) as { halted: boolean; stoppedAt: { instructions: number; pc: number }; report: { instructions: number; cycles: number } };
    expect(j.halted).toBe(false);
    expect(j.report.instructions).toBe(5000);
    expect(j.stoppedAt).toMatchObject({ instructions: 5000, pc: 0, limit: '--max-instructions' });
    expect(j.report.cycles).toBeGreaterThan(0);
  });

  it('the machine file\'s isa.maxInstructions is a limit with a partial report too, not a fault', async () => {
    const m = join(dir, 'm.json');
    writeFileSync(m, JSON.stringify({ isa: { maxInstructions: 3000 } }));
    const r = await runCli('run', LOOP, '--machine', m);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/had not halted after 3000 instructions \(isa\.maxInstructions\)/);
  });

  it('exec --max-instructions prints the state reached', async () => {
    const r = await runCli('exec', LOOP, '--max-instructions', '2001', '--regs', 'x1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/2001 instructions executed, NOT halted/);
    expect(r.out).toMatch(/^x1 = 1001$/m); // addi ran first: 1001 additions in 2001 instructions
    expect(r.err).toMatch(/had not halted after 2001 instructions \(--max-instructions\)/);
  });

  it('a program that halts before the limit is reported as usual', async () => {
    const prog = join(dir, 'short.s');
    writeFileSync(prog, 'addi x1, x1, 3\nhalt\n');
    const r = await runCli('run', prog, '--max-instructions', '10');
    expect(r.err).toBe('');
    expect(r.out).not.toMatch(/PARTIAL/);
  });
});

describe('progress on a terminal', () => {
  it('is shown only on a TTY, after the delay, and erased at the end', () => {
    const writes = (isTTY: boolean) => {
      const out: string[] = [];
      const p = new RunProgress('run', 1e9, { isTTY, write: (t: string) => out.push(t) }, 0, 0);
      p.update(12_345_678);
      p.done();
      return out;
    };
    expect(writes(true)[0]).toMatch(/^\r\x1b\[Krun: 12\.3 M of at most 1000\.0 M instructions, [\d.]+ s, [\d.]+ [Mk]?\/s$/);
    expect(writes(true).at(-1)).toBe('\r\x1b[K');
    expect(writes(false)).toEqual([]);
    const late: string[] = [];
    const p = new RunProgress('run', undefined, { isTTY: true, write: (t: string) => late.push(t) }, 60_000);
    p.update(5);
    p.done();
    expect(late).toEqual([]); // nothing within the first second (here, minute)
  });

  // `script` (util-linux) runs the command on a pseudo-terminal, as a person at a terminal would.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('exec on a real terminal shows the instructions executed once the run passes a second', () => {
    const cmd = [process.execPath, ...CLI_NODE_ARGS, 'exec', LOOP, '--max-instructions', '100000000'].map((a) => `'${a}'`).join(' ');
    const tty = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
    expect(tty.stdout).toMatch(/exec: [\d.]+ M of at most 100\.0 M instructions, [\d.]+ s, [\d.]+ [Mk]\/s/);
    expect(tty.stdout).toMatch(/100000000 instructions executed, NOT halted/);
  });
});

describe('Ctrl-C on a sweep', () => {
  it('says how many points are stored and how to resume; the same command then resumes', async () => {
    const space = join(dir, 'slow.json');
    writeFileSync(space, JSON.stringify({ evaluator: 'test-slow', module: TEST_EVALUATORS, workload: { ms: 100, failOn7: false }, dimensions: { a: { from: 1, to: 20 }, b: [1] } }));
    const out = join(dir, 'res');
    const store = join(out, 'store.jsonl');
    const lines = () => (existsSync(store) ? readFileSync(store, 'utf8').split('\n').filter((l) => l !== '').length : 0);
    const args = [...CLI_NODE_ARGS, 'sweep', space, '--out', out, '--workers', '1'];
    const first = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setInterval(() => {
        if (lines() >= 3) {
          clearInterval(timer);
          child.kill('SIGINT');
        }
      }, 20);
      child.on('exit', (code) => {
        clearInterval(timer);
        resolve({ code, stderr });
      });
    });
    expect(first.code).toBe(130);
    const stored = lines();
    expect(stored).toBeLessThan(20);
    expect(first.stderr).toMatch(new RegExp(`sweep interrupted \\(SIGINT\\): \\d+ points of this run are in ${store.replace(/[.]/g, '\\.')}`));
    expect(first.stderr).toContain('Run the same command again to resume: points already in the store are not evaluated again:');
    expect(first.stderr).toContain(`mpsimd sweep ${space} --out ${out} --workers 1`);
    const again = spawnSync(process.execPath, [...CLI_NODE_ARGS, 'sweep', space, '--out', out, '--workers', '1', '-q'], { encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(lines()).toBe(20);
    const rows = readFileSync(store, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { key: string });
    expect(new Set(rows.map((r) => r.key)).size).toBe(20);
  });
});
