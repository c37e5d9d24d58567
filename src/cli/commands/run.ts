/**
 * `mpsimd run program.s`: assemble a program and simulate it on a machine (functional + timed + caches),
 * printing the report as a table or JSON. Only parses options and prints; the work is `simulate`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { assemble } from '../../isa/assembler.js';
import type { MachineConfigInput } from '../../machine/config.js';
import { simulate } from '../../machine/simulate.js';

interface RunOptions {
  machine?: string;
  model?: 'inOrder' | 'outOfOrder';
  vlen?: string;
  json?: boolean;
  stats?: boolean;
}

/** Adds `mpsimd run` to the CLI. */
export function registerRunCommand(program: Command): void {
  program
    .command('run <program.s>')
    .description('simulate a program on a machine (ISA + core timing + caches) and print the report')
    .option('--machine <file.json>', 'machine description: { isa, core, memory } (defaults otherwise)')
    .option('--model <model>', 'core model: inOrder or outOfOrder (overrides the machine file)')
    .option('--vlen <bits>', 'vector length 128, 256 or 512 (overrides the machine file)')
    .option('--json', 'print the report as JSON')
    .option('--stats', 'also print every statistic with its unit')
    .action((file: string, opts: RunOptions) => {
      const base = (opts.machine ? JSON.parse(readFileSync(opts.machine, 'utf8')) : {}) as MachineConfigInput;
      const machine: MachineConfigInput = {
        ...base,
        isa: { ...base.isa, ...(opts.vlen !== undefined ? { vlenBits: Number(opts.vlen) as 128 } : {}) },
        core: { ...base.core, ...(opts.model !== undefined ? { model: opts.model } : {}) },
      };
      const r = simulate(machine, assemble(readFileSync(file, 'utf8'), { source: file }));
      if (opts.json) {
        console.log(JSON.stringify({ report: r.report.toJSON(), stats: opts.stats ? r.stats.toJSON() : undefined }, null, 1));
        return;
      }
      console.log(`${file} on ${r.machine.name} (${r.machine.core.model}, VLEN ${r.machine.isa.vlenBits})`);
      console.log(r.report.toTable());
      if (opts.stats) console.log('\n' + r.stats.table());
    });
}
