/**
 * `mpsimd run program.s`: assemble a program and simulate it on a machine (functional + timed + caches),
 * printing the report as a table or JSON. Only parses options and prints; the work is `simulate`.
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { assemble } from '../../isa/assembler.js';
import { formatInstr } from '../../isa/disassembler.js';
import type { MachineConfigInput } from '../../machine/config.js';
import { simulate } from '../../machine/simulate.js';
import { TraceRecorder, toChromeTrace, toKanata, toTextTimeline } from '../../pipeline/trace.js';
import { PRESETS, presetByName } from '../../presets/index.js';
import { formatTable } from '../../stats/registry.js';

interface RunOptions {
  machine?: string;
  preset?: string;
  core?: string;
  model?: 'inOrder' | 'outOfOrder';
  vlen?: string;
  json?: boolean;
  stats?: boolean;
  traceOut?: string;
  traceFrom: string;
  traceCount: string;
  timeline?: boolean;
}

/** Adds `mpsimd run` to the CLI. */
export function registerRunCommand(program: Command): void {
  program
    .command('run <program.s>')
    .description('simulate a program on a machine (ISA + core timing + caches) and print the report')
    .option('--machine <file.json>', 'machine description: { isa, core, memory, energy, memoryEnergy } (defaults otherwise)')
    .option('--core <preset|file.json>', 'the core: a preset name, or a CoreConfig JSON file (overrides the machine file)')
    .option('--preset <name>', `start from a preset core: ${Object.keys(PRESETS).join(', ')} (the machine file overrides it)`)
    .option('--model <model>', 'core model: inOrder or outOfOrder (overrides the machine file)')
    .option('--vlen <bits>', 'vector length 128, 256 or 512 (overrides the machine file)')
    .option('--json', 'print the report as JSON')
    .option('--stats', 'also print every statistic with its unit')
    .option('--trace-out <prefix>', 'write a pipeline trace of a window of instructions: PREFIX.kanata.log (Konata) and PREFIX.trace.json (Chrome trace events, opens in Perfetto)')
    .option('--trace-from <n>', 'first dynamic instruction of the trace window', '0')
    .option('--trace-count <n>', 'instructions in the trace window', '200')
    .option('--timeline', 'print an llvm-mca-like timeline of the trace window')
    .action((file: string, opts: RunOptions) => {
      const fromFile = (opts.machine ? JSON.parse(readFileSync(opts.machine, 'utf8')) : {}) as MachineConfigInput;
      const coreIsFile = opts.core !== undefined && opts.core.endsWith('.json');
      const presetName = opts.preset ?? (opts.core !== undefined && !coreIsFile ? opts.core : undefined);
      const preset = presetName !== undefined ? presetByName(presetName) : undefined;
      const base: MachineConfigInput = {
        ...(presetName !== undefined ? { name: presetName } : {}),
        ...fromFile,
        isa: { ...preset?.isa, ...fromFile.isa },
        core: { ...preset?.core, ...fromFile.core, ...(coreIsFile ? (JSON.parse(readFileSync(opts.core!, 'utf8')) as object) : {}) },
      };
      const machine: MachineConfigInput = {
        ...base,
        isa: { ...base.isa, ...(opts.vlen !== undefined ? { vlenBits: Number(opts.vlen) as 128 } : {}) },
        core: { ...base.core, ...(opts.model !== undefined ? { model: opts.model } : {}) },
      };
      const prog = assemble(readFileSync(file, 'utf8'), { source: file });
      const tracing = opts.traceOut !== undefined || opts.timeline === true;
      const from = Number(opts.traceFrom);
      const count = Number(opts.traceCount);
      if (!Number.isInteger(from) || from < 0 || !Number.isInteger(count) || count < 1) {
        throw new Error(`--trace-from must be an integer >= 0 and --trace-count >= 1, got ${opts.traceFrom} and ${opts.traceCount}`);
      }
      const recorder = tracing ? new TraceRecorder(from, count) : undefined;
      const r = simulate(machine, prog, recorder ? { observer: recorder } : {});
      const label = (pc: number) => formatInstr(prog.instrs[pc]!);
      if (recorder && opts.traceOut !== undefined) {
        writeFileSync(`${opts.traceOut}.kanata.log`, toKanata(recorder.records, label));
        writeFileSync(`${opts.traceOut}.trace.json`, JSON.stringify(toChromeTrace(recorder.records, label)));
        console.error(`wrote ${opts.traceOut}.kanata.log and ${opts.traceOut}.trace.json (${recorder.records.length} instructions)`);
      }
      if (opts.json) {
        const energy = { totalPj: r.energyPj, core: r.coreEnergy, memory: r.memoryEnergy };
        console.log(JSON.stringify({ machine: r.machine, report: r.report.toJSON(), energy, stats: opts.stats ? r.stats.toJSON() : undefined }, null, 1));
        return;
      }
      console.log(`${file} on ${r.machine.name} (${r.machine.core.model}, VLEN ${r.machine.isa.vlenBits})`);
      console.log(r.report.toTable());
      const e = r.coreEnergy;
      const rows = [
        ['core datapath', e.datapathPj],
        ['core register file', e.registerFilePj],
        ['core load/store unit', e.lsuPj],
        ['core overhead', e.overheadPj],
        ['core leakage', e.leakagePj],
        ['caches and DRAM, dynamic', r.memoryEnergy.dynamicPj],
        ['caches and DRAM, leakage', r.memoryEnergy.leakagePj],
        ['total', r.energyPj],
      ].map(([k, v]) => [k as string, (v as number).toPrecision(5)]);
      console.log('\n' + formatTable(['energy', 'pJ'], rows, [false, true]));
      if (opts.stats) console.log('\n' + r.stats.table());
      if (recorder && opts.timeline) console.log('\n' + toTextTimeline(recorder.records, label));
    });
}
