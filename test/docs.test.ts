// What the guides show a user must be what the simulator does: the program of docs/getting-started.md is
// assembled and run with the two mistakes the guide describes, and the messages must be the ones quoted.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemble } from '../src/isa/assembler.js';
import { Executor } from '../src/isa/executor.js';

const guide = readFileSync(new URL('../docs/getting-started.md', import.meta.url), 'utf8');
const program = /```asm\n([\s\S]*?)```/.exec(guide)![1]!;
const flat = guide.replace(/\s+/g, ' ');
const messageOf = (f: () => void) => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe('docs/getting-started.md', () => {
  it('the program runs as shown', () => {
    const exe = new Executor(assemble(program, { source: 'dot.s' }));
    expect(exe.run().halted).toBe(true);
  });

  it('quotes the assembler error of vld v32 as the assembler gives it', () => {
    const bad = program.replace('vld   v2, 32(x2)', 'vld   v32, 32(x2)');
    expect(bad).not.toBe(program);
    const msg = messageOf(() => assemble(bad, { source: 'dot.s' }));
    expect(guide).toContain('```\n' + msg + '\n```');
  });

  it('quotes the fault of a load outside memory as the executor gives it (pc and line)', () => {
    const bad = program.replace('li    x2, data', 'li    x2, 16777216');
    expect(bad).not.toBe(program);
    const msg = messageOf(() => new Executor(assemble(bad, { source: 'dot.s' })).run());
    expect(flat).toContain('`' + msg + '`');
  });
});

describe('examples/', () => {
  // The README says every example runs in CI: `npm run examples` must reach every .ts file under examples/,
  // and each must use the package as users do ('mpsimd'), not the sources.
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
  const root = new URL('../examples/', import.meta.url);
  const all = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => `examples/${f}`).sort();

  it('npm run examples runs every TypeScript example', () => {
    const globs = [...pkg.scripts['examples']!.matchAll(/(examples\/[^\s;]*\.ts)/g)].map((m) => m[1]!);
    const matches = (f: string) => globs.some((g) => new RegExp('^' + g.replace(/\./g, '\\.').replace(/\*/g, '[^/]*') + '$').test(f));
    expect(all.length).toBeGreaterThan(2);
    expect(all.filter((f) => !matches(f))).toEqual([]);
  });

  it('every example imports the package, not its sources', () => {
    for (const f of all) {
      const text = readFileSync(new URL(`../${f}`, import.meta.url), 'utf8');
      expect(text, f).not.toMatch(/from '\.\.?\/.*src\//);
      expect(text, f).toMatch(/from 'mpsimd'/);
    }
  });
});
