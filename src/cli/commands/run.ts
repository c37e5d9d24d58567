/**
 * `mpsimd run program.s`: assemble a program and simulate it on a machine (functional + timed + caches),
 * printing the report as a table or JSON. Only parses options and prints; the work is `simulate`.
 *
 * @module
 */
import { type Command, Option } from 'commander';
import { readJsonFile, readTextFile, writeOutputFile } from '../../config/files.js';
import { assemble } from '../../isa/assembler.js';
import { formatInstr } from '../../isa/disassembler.js';
import { resolveMachineConfig, type MachineConfigInput } from '../../machine/config.js';
import { simulate } from '../../machine/simulate.js';
import { TraceRecorder, toChromeTrace, toKanata, toTextTimeline } from '../../pipeline/trace.js';
import { PRESETS, presetByName } from '../../presets/index.js';
import { formatColumn, formatTable } from '../../stats/registry.js';
import { countOption, stopLocation, VLEN_CHOICES } from '../options.js';
import { RunProgress } from '../progress.js';

interface RunOptions {
  machine?: string;
  preset?: string;
  core?: string;
  model?: 'inOrder' | 'outOfOrder';
  vlen?: string;
  maxInstructions?: number;
  json?: boolean;
  stats?: boolean;
  traceOut?: string;
  traceFrom: number;
  traceCount: number;
  timeline?: boolean;
}

/** Adds `mpsimd run` to the CLI. */
export function registerRunCommand(program: Command): void {
  program
    .command('run <program.s>')
    .description('simulate a program on a machine (ISA + core timing + caches) and print the report')
    .option('--machine <file.json>', 'machine description: { isa, core, memory, energy, memoryEnergy } (defaults otherwise)')
    .option('--core <preset|file.json>', `the core: a preset name (${Object.keys(PRESETS).join(', ')}), or a CoreConfig JSON file (overrides the machine file)`)
    .option('--preset <name>', `start from a preset core: ${Object.keys(PRESETS).join(', ')} (the machine file overrides it)`)
    .addOption(new Option('--model <model>', 'core model (overrides the machine file)').choices(['inOrder', 'outOfOrder']))
    .addOption(new Option('--vlen <bits>', 'vector length (overrides the machine file)').choices(VLEN_CHOICES))
    .option('--max-instructions <n>', 'stop after this many instructions and report what ran (default isa.maxInstructions, 1e9)', countOption('--max-instructions', 1))
    .option('--json', 'print the report as JSON')
    .option('--stats', 'also print every statistic with its unit')
    .option('--trace-out <prefix>', 'write a pipeline trace of a window of instructions: PREFIX.kanata.log (Konata) and PREFIX.trace.json (Chrome trace events, opens in Perfetto)')
    .option('--trace-from <n>', 'first dynamic instruction of the trace window', countOption('--trace-from', 0), 0)
    .option('--trace-count <n>', 'instructions in the trace window', countOption('--trace-count', 1), 200)
    .option('--timeline', 'print an llvm-mca-like timeline of the trace window')
    .action((file: string, opts: RunOptions) => {
      const fromFile = (opts.machine ? readJsonFile(opts.machine, 'machine file') : {}) as MachineConfigInput;
      const coreIsFile = opts.core !== undefined && opts.core.endsWith('.json');
      const presetName = opts.preset ?? (opts.core !== undefined && !coreIsFile ? opts.core : undefined);
      const preset = presetName !== undefined ? presetByName(presetName) : undefined;
      const base: MachineConfigInput = {
        ...(presetName !== undefined ? { name: presetName } : {}),
        ...fromFile,
        isa: { ...preset?.isa, ...fromFile.isa },
        core: { ...preset?.core, ...fromFile.core, ...(coreIsFile ? (readJsonFile(opts.core!, 'core file') as object) : {}) },
      };
      const resolved = resolveMachineConfig(
        {
          ...base,
          isa: { ...base.isa, ...(opts.vlen !== undefined ? { vlenBits: Number(opts.vlen) as 128 } : {}) },
          core: { ...base.core, ...(opts.model !== undefined ? { model: opts.model } : {}) },
        },
        opts.machine !== undefined ? `${opts.machine}: machine` : 'machine',
      );
      // The limit ends the run with a partial report (simulate's maxInstructions) instead of the executor's fault.
      const limit = opts.maxInstructions ?? resolved.isa.maxInstructions;
      const machine = { ...resolved, isa: { ...resolved.isa, maxInstructions: limit } };
      const prog = assemble(readTextFile(file, 'program'), { source: file });
      const tracing = opts.traceOut !== undefined || opts.timeline === true;
      const recorder = tracing ? new TraceRecorder(opts.traceFrom, opts.traceCount) : undefined;
      const progress = new RunProgress('run', limit);
      let r;
      try {
        r = simulate(machine, prog, { maxInstructions: limit, onProgress: (n) => progress.update(n), ...(recorder ? { observer: recorder } : {}) });
      } finally {
        progress.done();
      }
      const stopped = r.halted ? undefined : stopLocation(prog, r.state.pc, r.report.instructions, opts.maxInstructions !== undefined ? '--max-instructions' : 'isa.maxInstructions');
      if (stopped) console.error(`warning: ${stopped.message}`);
      const label = (pc: number) => formatInstr(prog.instrs[pc]!);
      if (recorder && opts.traceOut !== undefined) {
        writeOutputFile(`${opts.traceOut}.kanata.log`, toKanata(recorder.records, label), 'pipeline trace');
        writeOutputFile(`${opts.traceOut}.trace.json`, JSON.stringify(toChromeTrace(recorder.records, label)), 'pipeline trace');
        console.error(`wrote ${opts.traceOut}.kanata.log and ${opts.traceOut}.trace.json (${recorder.records.length} instructions)`);
      }
      if (opts.json) {
        const energy = { totalPj: r.energyPj, core: r.coreEnergy, memory: r.memoryEnergy };
        const end = stopped ? { halted: false, stoppedAt: stopped.at } : { halted: true };
        console.log(JSON.stringify({ machine: r.machine, ...end, report: r.report.toJSON(), energy, stats: opts.stats ? r.stats.toJSON() : undefined }, null, 1));
        return;
      }
      console.log(`${file} on ${r.machine.name} (${r.machine.core.model}, VLEN ${r.machine.isa.vlenBits})${stopped ? `: PARTIAL, stopped after ${r.report.instructions} instructions` : ''}`);
      console.log(r.report.toTable());
      const e = r.coreEnergy;
      const parts: [string, number][] = [
        ['core datapath', e.datapathPj],
        ['core register file', e.registerFilePj],
        ['core load/store unit', e.lsuPj],
        ['core overhead', e.overheadPj],
        ['core leakage', e.leakagePj],
        ['caches and DRAM, dynamic', r.memoryEnergy.dynamicPj],
        ['caches and DRAM, leakage', r.memoryEnergy.leakagePj],
        ['total', r.energyPj],
      ];
      const pj = formatColumn(parts.map(([, v]) => v));
      console.log('\n' + formatTable(['energy', 'pJ'], parts.map(([k], i) => [k, pj[i]!]), [false, true]));
      if (opts.stats) console.log('\n' + r.stats.table());
      if (recorder && opts.timeline) console.log('\n' + toTextTimeline(recorder.records, label));
    });
}
