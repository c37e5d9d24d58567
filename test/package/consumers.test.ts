// The package as its users get it: built from these sources, packed by `npm pack`, installed into new
// projects of each kind (ESM, CommonJS, TypeScript compiled to ESM and to CommonJS, and a .ts file run by
// tsx in a CommonJS project), and run there. No network: the tarball is unpacked into the consumer's
// node_modules and the package's runtime dependencies are linked from this repository's node_modules (the
// ones package-lock.json does not mark as dev-only), so a dependency missing from "dependencies" fails here.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE_MODULES = join(ROOT, 'node_modules');
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
// require() of an ES module works without a flag from Node 20.19 and 22.12.
const requireEsm = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 23;

let tarball = '';
let files: string[] = [];
const work = mkdtempSync(join(tmpdir(), 'mpsimd-package-'));

/** A new project in `work/<name>` with the packed mpsimd installed and the runtime dependencies linked. */
function project(name: string, pkg: object, extraLinks: string[] = []): string {
  const dir = join(work, name);
  const nm = join(dir, 'node_modules');
  mkdirSync(join(nm, 'mpsimd'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, ...pkg }, null, 2));
  run('tar', ['xzf', tarball, '-C', join(nm, 'mpsimd'), '--strip-components=1'], dir);
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const runtime = Object.entries(lock.packages)
    .filter(([path, info]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && !info.dev)
    .map(([path]) => path.slice('node_modules/'.length));
  // A Set: a runtime dependency may also be asked for as an extra link (protobufjs, under onnx-proto, depends on @types/node).
  for (const dep of new Set([...runtime, ...extraLinks])) {
    if (!existsSync(join(NODE_MODULES, dep))) continue; // an optional dependency for another platform
    mkdirSync(dirname(join(nm, dep)), { recursive: true });
    symlinkSync(join(NODE_MODULES, dep), join(nm, dep), 'dir');
  }
  return dir;
}

const USE = `
  const program = assemble('li x1, 6\\nli x2, 7\\nmul x3, x1, x2\\nhalt');
  const exe = new Executor(program, { vlenBits: 256 });
  exe.run();
  const timed = simulate(sysmol(), program);
  console.log(JSON.stringify({ x3: exe.state.x[3], cycles: timed.report.cycles, pj: timed.energyPj > 0 }));
`;
const check = (out: string) => {
  const j = JSON.parse(out.trim().split('\n').at(-1)!) as { x3: number; cycles: number; pj: boolean };
  expect(j.x3).toBe(42);
  expect(j.cycles).toBeGreaterThan(0);
  expect(j.pj).toBe(true);
};

describe('the packed package', () => {
  beforeAll(() => {
    // Build these sources into a copy of the package, as `npm run build` does, and pack it.
    const pkgDir = join(work, 'package');
    mkdirSync(pkgDir);
    for (const f of ['package.json', 'README.md']) cpSync(join(ROOT, f), join(pkgDir, f));
    cpSync(join(ROOT, 'examples'), join(pkgDir, 'examples'), { recursive: true });
    mkdirSync(join(pkgDir, 'docs'));
    for (const f of readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'))) cpSync(join(ROOT, 'docs', f), join(pkgDir, 'docs', f));
    run(process.execPath, [join(NODE_MODULES, 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(pkgDir, 'dist'), '--sourceMap', 'false'], ROOT);
    for (const m of ['inorder', 'ooo']) cpSync(join(ROOT, 'src', 'pipeline', 'wasm', `${m}.wasm`), join(pkgDir, 'dist', 'pipeline', 'wasm', `${m}.wasm`));
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work, '--ignore-scripts'], pkgDir)) as { filename: string; files: { path: string }[] }[];
    tarball = join(work, packed[0]!.filename);
    files = packed[0]!.files.map((f) => f.path);
  }, 300_000);

  it('holds the built code, its WebAssembly, the examples and docs, and no sources or tests', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/pipeline/wasm/ooo.wasm', 'examples/mixed-dot.s', 'docs/getting-started.md']));
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });

  it('an ES module project imports it, runs a sweep on worker threads and its CLI', () => {
    const dir = project('esm', { type: 'module' });
    writeFileSync(
      join(dir, 'index.js'),
      `import { assemble, Executor, simulate, sysmol, sweep, defineSpace } from 'mpsimd';\n${USE}\n` +
        `const r = await sweep({ space: defineSpace({ dimensions: { 'isa.vlenBits': [128, 256] } }), workload: { evaluator: 'analytic' }, workers: 1 });\n` +
        `console.error('sweep rows', r.rows.filter((x) => x.status === 'ok').length);\n`,
    );
    const out = execFileSync(process.execPath, ['index.js'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    check(out);
    const demo = run(process.execPath, [join(dir, 'node_modules', 'mpsimd', 'dist', 'cli', 'main.js'), 'demo'], dir);
    expect(demo).toContain('all outputs equal the plain computation');
  });

  it.skipIf(!requireEsm)('a CommonJS project requires it (Node 20.19+, through the exports map\'s "default")', () => {
    const dir = project('cjs', {});
    writeFileSync(join(dir, 'index.js'), `'use strict';\nconst { assemble, Executor, simulate, sysmol } = require('mpsimd');\nconsole.error(require('mpsimd/package.json').version);\n${USE}`);
    check(run(process.execPath, ['index.js'], dir));
  });

  it('TypeScript projects type-check against its declarations and run, compiled to ESM and to CommonJS', () => {
    const tsc = join(NODE_MODULES, 'typescript', 'bin', 'tsc');
    const source = `import { assemble, Executor, simulate, sysmol, type SimulationResult } from 'mpsimd';\n${USE}\nconst typed: SimulationResult | undefined = undefined;\nvoid typed;\n`;
    for (const [name, pkg] of [['ts-esm', { type: 'module' }], ...(requireEsm ? [['ts-cjs', {}]] : [])] as [string, object][]) {
      const dir = project(name, pkg, ['@types/node']);
      writeFileSync(join(dir, 'index.ts'), source);
      // What `tsc --init` sets today: nodenext modules, strict, skipLibCheck.
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, skipLibCheck: true, types: ['node'], outDir: 'out' }, files: ['index.ts'] }));
      run(process.execPath, [tsc, '-p', '.'], dir);
      const emitted = readFileSync(join(dir, 'out', 'index.js'), 'utf8');
      expect(emitted.includes('require("mpsimd")')).toBe(name === 'ts-cjs');
      check(run(process.execPath, [join('out', 'index.js')], dir));
    }
  }, 180_000);

  it.skipIf(!requireEsm)('a .ts file in a CommonJS project runs with tsx', () => {
    const dir = project('tsx-cjs', {});
    writeFileSync(join(dir, 'index.ts'), `import { assemble, Executor, simulate, sysmol } from 'mpsimd';\n${USE}`);
    check(run(process.execPath, [join(NODE_MODULES, 'tsx', 'dist', 'cli.mjs'), 'index.ts'], dir));
  });
});
