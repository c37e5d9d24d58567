/**
 * The `mpsimd` command tree: every command group registered on one commander program. `main.ts` runs it on
 * the process's arguments; tests build it to run commands in-process.
 *
 * @module
 */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { registerCacheCommand } from './commands/cache.js';
import { registerIsaCommands } from './commands/isa.js';
import { registerNetworkCommands } from './commands/network.js';
import { registerRunCommand } from './commands/run.js';
import { registerSweepCommands } from './commands/sweep.js';
import { packagePath } from './paths.js';

/** A new `mpsimd` program with every command. */
export function buildProgram(): Command {
  const version = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  const program = new Command();
  program.name('mpsimd').description('Simulate SIMD cores with mixed-precision (1/2/4-bit) lanes').version(version);
  registerIsaCommands(program);
  registerRunCommand(program);
  registerCacheCommand(program);
  registerNetworkCommands(program);
  registerSweepCommands(program);
  return program;
}
