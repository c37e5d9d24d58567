// Runs `mpsimd` commands in this process (no child process per call): output captured from console and
// process.stdout/stderr, errors turned into the message and exit code the real command would give.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { vi } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';

export interface CliResult {
  out: string;
  err: string;
  code: number;
}

/** Runs `mpsimd ...args` in-process. */
export async function runCli(...args: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const program = buildProgram();
  for (const c of [program, ...program.commands]) c.exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  const spies = [
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += a.join(' ') + '\n')),
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += a.join(' ') + '\n')),
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true)),
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true)),
  ];
  const before = process.exitCode;
  process.exitCode = undefined;
  let code = 0;
  try {
    await program.parseAsync(['node', 'mpsimd', ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    const ce = e as { exitCode?: number; code?: string; message?: string };
    if (typeof ce.code === 'string' && ce.code.startsWith('commander.')) code = ce.exitCode ?? 1;
    else {
      // What main.ts prints for an error thrown by a command.
      err += `mpsimd: ${ce.message ?? String(e)}\n`;
      code = 1;
    }
  } finally {
    for (const s of spies) s.mockRestore();
    process.exitCode = before;
  }
  return { out, err, code };
}

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** The CLI's entry point in the sources. */
export const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** Runs `mpsimd ...args` as a child process through tsx (for signals, TTYs and process exit codes). */
export function spawnCli(args: string[], options: { cwd?: string; input?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], { encoding: 'utf8', ...options });
}

/** The node arguments that run the CLI's sources (for spawn with options of one's own). */
export const CLI_NODE_ARGS: readonly string[] = ['--import', TSX, MAIN];
