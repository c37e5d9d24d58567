#!/usr/bin/env node
/**
 * The `mpsimd` command. It only parses arguments and calls the library; each group of commands lives in
 * `commands/`. Errors are printed as one clear message (never a stack trace for bad input) with exit code 1.
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

const version = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;

const program = new Command();
program.name('mpsimd').description('Simulate SIMD cores with mixed-precision (1/2/4-bit) lanes').version(version);
registerIsaCommands(program);
registerRunCommand(program);
registerCacheCommand(program);
registerNetworkCommands(program);
registerSweepCommands(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(`mpsimd: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
