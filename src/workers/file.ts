/**
 * Worker-thread plumbing shared by the sweep's pool and the accuracy runs (src/quant): which file piscina
 * loads for a worker module, from the built package or from the TypeScript sources.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The file piscina loads for a worker module given as the URL of its `.js` form beside the caller. From dist/
 * that is the module itself. From the TypeScript sources (tests, tsx) it is the `.ts` file, and on Node 20 a
 * worker thread does not inherit the parent's module hooks (nor does `--import tsx` in its execArgv reach
 * dynamic imports), so the thread starts from a small module that registers tsx's hooks in itself and then
 * imports the worker.
 */
export function workerFile(jsUrl: URL, callerUrl: string): string {
  if (!callerUrl.endsWith('.ts')) return jsUrl.href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = jsUrl.href.replace(/\.js$/, '.ts');
  const code = `import { register } from ${JSON.stringify(tsx)};\nregister();\nexport default (await import(${JSON.stringify(worker)})).default;\n`;
  // Piscina takes a file, so the bootstrap is written to the temporary folder, named after its content.
  const file = join(tmpdir(), `mpsimd-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) writeFileSync(file, code);
  return file;
}

