/**
 * `npm run validate`: mpsimd beside independent references, each section of docs/validation.md regenerated
 * from what this run measured.
 *
 * - timing: the loop kernels of kernels.ts through llvm-mca (Debian package `llvm`, or `llvm-19` for the
 *   Neoverse N1 model) and through mpsimd on the matching presets;
 * - preset figures: what LLVM's scheduling models say of the instructions each class stands for
 *   (docs/presets.md);
 * - caches: small C programs compiled with gcc, their memory traces (valgrind's lackey) replayed by
 *   `mpsimd cache` beside cachegrind's simulation of the same run.
 *
 * A reference that is not installed is reported and its section skipped, never failed: the suite is not on
 * CI's path. Options: `--only timing|caches`, `--kernels a,b`, `--no-write` (print, leave the docs alone).
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cachesMarkdown, EVENTS, missingTools, PROGRAMS, runCaches } from './caches.js';
import { replaceSection } from './doc.js';
import { presetsMarkdown } from './presets.js';
import { KERNELS } from './kernels.js';
import { findMca } from './mca.js';
import { runTiming, timingMarkdown } from './timing.js';

const DOC = join(import.meta.dirname, '..', '..', 'docs', 'validation.md');
const PRESETS_DOC = join(import.meta.dirname, '..', '..', 'docs', 'presets.md');

function args(argv: string[]): { only: string | null; kernels: string[] | null; write: boolean } {
  const o = { only: null as string | null, kernels: null as string[] | null, write: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--only') o.only = argv[++i] ?? '';
    else if (a === '--kernels') o.kernels = (argv[++i] ?? '').split(',');
    else if (a === '--no-write') o.write = false;
    else throw new Error(`unknown option '${a}' (options: --only timing|caches, --kernels a,b, --no-write)`);
  }
  if (o.only !== null && o.only !== 'timing' && o.only !== 'caches') throw new Error(`--only takes timing or caches, got '${o.only}'`);
  return o;
}

async function main(): Promise<void> {
  const opts = args(process.argv.slice(2));
  let doc = readFileSync(DOC, 'utf8');
  let presets = readFileSync(PRESETS_DOC, 'utf8');
  if (opts.only !== 'caches') {
    const found = findMca();
    if (found.length === 0) {
      console.log('timing: skipped, llvm-mca is not installed (Debian: apt-get install llvm, or llvm-19 for the Neoverse N1 model)');
    } else {
      const mca = found[0]!;
      const kernels = opts.kernels === null ? KERNELS : KERNELS.filter((k) => opts.kernels!.includes(k.name));
      if (kernels.length === 0) throw new Error(`--kernels: none of ${opts.kernels!.join(', ')} is a kernel (${KERNELS.map((k) => k.name).join(', ')})`);
      console.log(`timing: llvm-mca ${mca.version} (${mca.path}), ${kernels.length} kernels`);
      const rows = runTiming(mca, kernels, undefined, (r) =>
        console.log(`  ${r.kernel.name.padEnd(16)} ${r.target.mcpu.padEnd(15)} llvm-mca ${r.mca.cyclesPerIteration.toFixed(2).padStart(6)}  mpsimd ${r.mpsimd === null ? '     -' : r.mpsimd.cyclesPerIteration.toFixed(2).padStart(6)}  ratio ${r.ratio === null ? '-' : r.ratio.toFixed(2)}`),
      );
      const md = timingMarkdown(rows, mca);
      if (opts.kernels === null) {
        doc = replaceSection(doc, 'LLVM-MCA TABLE', md);
        presets = replaceSection(presets, 'PRESET FIGURES', presetsMarkdown(mca));
      } else console.log('(a subset of the kernels: the docs are left as they are)');
    }
  }
  if (opts.only !== 'timing') {
    const missing = missingTools();
    if (missing !== null) {
      console.log(`caches: skipped, ${missing}`);
    } else {
      const version = execFileSync('valgrind', ['--version'], { encoding: 'utf8' }).trim();
      console.log(`caches: ${version}, ${PROGRAMS.length} programs`);
      const rows = await runCaches((r) => console.log(`  ${r.name.padEnd(10)} cachegrind ${EVENTS.map((e) => r.cachegrind[e]).join(' ')}\n  ${''.padEnd(10)} mpsimd     ${EVENTS.map((e) => r.mpsimdCachegrind[e]).join(' ')}`));
      doc = replaceSection(doc, 'CACHEGRIND TABLE', cachesMarkdown(rows, version));
    }
  }
  if (opts.write) {
    writeFileSync(DOC, doc);
    writeFileSync(PRESETS_DOC, presets);
  }
}

await main();
