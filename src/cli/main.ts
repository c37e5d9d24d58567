#!/usr/bin/env node
/**
 * The `mpsimd` command. It only parses arguments and calls the library; each group of commands lives in
 * `commands/`. Errors are printed as one clear message (never a stack trace for bad input) with exit code 1.
 *
 * @module
 */
import { buildProgram } from './program.js';

buildProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    console.error(`mpsimd: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
