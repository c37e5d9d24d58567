/**
 * Option parsing shared by the commands: enumerated values and counts are checked when the command line is
 * parsed, so a typo (`--dataflow diagonal`, `--vlen 300`) stops with the allowed values listed instead of
 * running something else.
 *
 * @module
 */
import { InvalidArgumentError } from 'commander';
import { formatInstr } from '../isa/disassembler.js';
import type { Program } from '../isa/program.js';

/** Vector lengths a core may have (isa.vlenBits), as command-line strings. */
export const VLEN_CHOICES: readonly string[] = ['128', '256', '512'];

/** A commander parser of an integer option >= `min`; accepts `1e6` and `1_000_000`. */
export function countOption(name: string, min: number): (v: string) => number {
  return (v: string) => {
    const n = Number(v.replace(/_/g, ''));
    if (v.trim() === '' || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} takes an integer >= ${min}, got '${v}'.`);
    return n;
  };
}

/** Where a run stopped at an instruction limit, for the warning and for JSON reports. */
export interface StopLocation {
  readonly message: string;
  readonly at: { readonly reason: 'instruction limit'; readonly limit: string; readonly instructions: number; readonly pc: number; readonly line?: number; readonly instruction: string };
}

/** Describes a run that stopped at the instruction limit `limitName` before the program halted. */
export function stopLocation(program: Program, pc: number, instructions: number, limitName: string): StopLocation {
  const line = program.lines?.[pc];
  const ins = program.instrs[pc];
  const instruction = ins === undefined ? '<end of program>' : formatInstr(ins);
  return {
    message:
      `the program had not halted after ${instructions} instructions (${limitName}); the report covers those. ` +
      `The next instruction was pc ${pc}${line !== undefined ? ` (line ${line})` : ''} '${instruction}'.`,
    at: { reason: 'instruction limit', limit: limitName, instructions, pc, ...(line !== undefined ? { line } : {}), instruction },
  };
}
