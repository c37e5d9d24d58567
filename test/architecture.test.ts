// Module structure: the import graph of src (value, type and dynamic imports and re-exports) has no cycle,
// neither between files nor between the top-level modules (src/isa, src/memory, src/pipeline, src/energy,
// ...), so each module can be read, tested and replaced from the bottom up (docs/architecture.md).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(new URL(import.meta.url).pathname), '../src');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.as.ts')) out.push(p);
  }
  return out;
}

/** file -> files it imports (relative imports of existing files; `.js` specifiers name `.ts` sources). */
function importGraph(): Map<string, string[]> {
  const files = sourceFiles(SRC);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const specs = [...text.matchAll(/\b(?:import|export)\s[^'";]*?\bfrom\s+'(\.[^']+)'/g), ...text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g)].map((m) => m[1]!);
    const deps = specs.map((s) => resolve(dirname(f), s).replace(/\.js$/, '.ts')).filter((t) => known.has(t));
    graph.set(f, [...new Set(deps)]);
  }
  return graph;
}

/** Strongly connected components with more than one node (Tarjan), each as sorted names. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** The top-level module of a source file: its folder under src (or the file, for src/index.ts). */
const moduleOf = (f: string) => relative(SRC, f).split('/')[0]!.replace(/\.ts$/, '');

describe('module structure', () => {
  const files = importGraph();

  it('finds the imports it should (the scanner is not blind)', () => {
    const deps = (f: string) => (files.get(join(SRC, f)) ?? []).map((t) => relative(SRC, t));
    expect(deps('energy/table.ts')).toContain('isa/width-keys.ts');
    expect(deps('energy/model.ts')).toContain('pipeline/report.ts'); // a type-only import
    expect(deps('kernels/network.ts')).toContain('kernels/network/layer-kinds.ts');
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
  });

  it('has no import cycle between files', () => {
    expect(cycles(files).map((c) => c.map((f) => relative(SRC, f)))).toEqual([]);
  });

  it('has no import cycle between modules (energy -> pipeline -> memory -> energy was one)', () => {
    const mods = new Map<string, string[]>();
    for (const [f, deps] of files) {
      const m = moduleOf(f);
      mods.set(m, [...new Set([...(mods.get(m) ?? []), ...deps.map(moduleOf).filter((d) => d !== m)])]);
    }
    expect(cycles(mods)).toEqual([]);
  });
});
