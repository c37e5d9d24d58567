/**
 * CLI commands of the functional model: `demo` (the README's first command until sweeps exist), `exec` (run
 * a program and show registers or memory), `asm`/`disasm` (text <-> binary words) and `isa-doc`.
 *
 * @module
 */
import { type Command, Option } from 'commander';
import { readBytesFile, readJsonFile, readTextFile, writeOutputFile } from '../../config/files.js';
import { assemble } from '../../isa/assembler.js';
import { disassemble } from '../../isa/disassembler.js';
import { isaReferenceMarkdown } from '../../isa/docgen.js';
import { decodeProgram, encodeProgram } from '../../isa/encoding.js';
import { resolveIsaConfig, type IsaConfigInput } from '../../isa/config.js';
import { Executor } from '../../isa/executor.js';
import { makeProgram } from '../../isa/program.js';
import { decodePattern, formatPattern, unpackPattern } from '../../isa/pattern.js';
import { formatTable } from '../../stats/registry.js';
import { countOption, stopLocation, VLEN_CHOICES } from '../options.js';
import { packagePath } from '../paths.js';
import { RunProgress } from '../progress.js';

function loadProgram(file: string) {
  return assemble(readTextFile(file, 'program'), { source: file });
}

/** Runs examples/mixed-dot.s and checks its 8 outputs against the plain computation; returns the report. */
export function runDemo(): { text: string; ok: boolean } {
  const file = packagePath('examples', 'mixed-dot.s');
  const program = loadProgram(file);
  const exe = new Executor(program, { vlenBits: 256 });
  const t0 = performance.now();
  const summary = exe.run();
  const ms = performance.now() - t0;
  const st = exe.state;
  const out = program.dataLabels.get('out')!;
  const act = program.dataLabels.get('act')!;
  const wts = program.dataLabels.get('wts')!;
  const runs = decodePattern(st.ppWords[0]!, st.ppWords[1]!);
  const rows: string[][] = [];
  let ok = true;
  for (let n = 0; n < 8; n++) {
    let expected = 0;
    for (let k = 0; k < 2; k++) {
      const a = unpackPattern(st.mem.subarray(act + 32 * k, act + 32 * k + 32), runs, false);
      const w = unpackPattern(st.mem.subarray(wts + 256 * k + 32 * n, wts + 256 * k + 32 * n + 32), runs, true);
      for (let i = 0; i < a.length; i++) expected += a[i]! * w[i]!;
    }
    const got = st.memView.getInt32(out + 4 * n, true);
    ok &&= got === expected;
    rows.push([String(n), String(got), String(expected), got === expected ? 'yes' : 'NO']);
  }
  const text = [
    `mpsimd demo: ${file}`,
    `precision pattern pp0: ${formatPattern(runs)}  (VLEN 256, 352 input channels in 2 registers, 8 outputs)`,
    `executed ${summary.instructions} instructions functionally in ${ms.toFixed(2)} ms`,
    '',
    formatTable(['output channel', 'simulated', 'plain computation', 'equal'], rows, [true, true, true, false]),
    '',
    ok ? 'all outputs equal the plain computation' : 'MISMATCH between the simulator and the plain computation',
  ].join('\n');
  return { text, ok };
}

/** Adds the functional-model commands to the CLI. */
export function registerIsaCommands(program: Command): void {
  program
    .command('demo')
    .description('assemble and run the example mixed-precision kernel, and check it against a plain computation')
    .action(() => {
      const { text, ok } = runDemo();
      console.log(text);
      if (!ok) process.exitCode = 1;
    });

  program
    .command('exec <program.s>')
    .description('run a program functionally and show registers or memory')
    .addOption(new Option('--vlen <bits>', 'vector length').choices(VLEN_CHOICES).default('256'))
    .option('--isa <file.json>', 'ISA configuration file (IsaConfig); --vlen is ignored then')
    .option('--regs <list>', 'registers to print, e.g. x1,v8 (vector registers as int32 lanes)', '')
    .option('--mem <addr:bytes>', 'memory to print as int32 words, e.g. out:32 or 0x3000:32')
    .option('--max-instructions <n>', 'stop after this many instructions and print the state reached (default isa.maxInstructions, 1e9)', countOption('--max-instructions', 1))
    .action((file: string, opts: { vlen: string; isa?: string; regs: string; mem?: string; maxInstructions?: number }) => {
      const p = loadProgram(file);
      const isaIn = (opts.isa ? readJsonFile(opts.isa, 'ISA configuration file') : { vlenBits: Number(opts.vlen) }) as IsaConfigInput;
      const isa = resolveIsaConfig(isaIn, opts.isa !== undefined ? `${opts.isa}: isa` : 'isa');
      const limit = opts.maxInstructions ?? isa.maxInstructions;
      const exe = new Executor(p, { ...isa, maxInstructions: limit });
      const progress = new RunProgress('exec', limit);
      try {
        // Slices of a million instructions (tens of ms) keep the progress line current.
        while (!exe.state.halted && exe.executed < limit) {
          exe.run(Math.min(1_000_000, limit - exe.executed));
          progress.update(exe.executed);
        }
      } finally {
        progress.done();
      }
      if (exe.state.halted) console.log(`${file}: ${exe.executed} instructions executed, halted`);
      else {
        const stop = stopLocation(p, exe.state.pc, exe.executed, opts.maxInstructions !== undefined ? '--max-instructions' : 'isa.maxInstructions');
        console.error(`warning: ${stop.message}`);
        console.log(`${file}: ${exe.executed} instructions executed, NOT halted (stopped at the instruction limit); the state below is the state reached`);
      }
      for (const r of opts.regs.split(',').filter((x) => x !== '')) {
        const m = /^([xv])(\d+)$/.exec(r.trim());
        if (!m || Number(m[2]) > 31) throw new Error(`--regs: '${r}' is not a register x0..x31 or v0..v31`);
        const n = Number(m[2]);
        if (m[1] === 'x') console.log(`x${n} = ${exe.state.x[n]}`);
        else console.log(`v${n} = [${Array.from(exe.state.vi.subarray(n * exe.state.vwords, (n + 1) * exe.state.vwords)).join(', ')}]`);
      }
      if (opts.mem !== undefined) {
        const [a, len] = opts.mem.split(':');
        const addr = p.dataLabels.get(a ?? '') ?? Number(a);
        const n = Number(len);
        if (!Number.isInteger(addr) || !Number.isInteger(n) || n <= 0) throw new Error(`--mem: expected ADDR:BYTES (a data label or number), got '${opts.mem}'`);
        const words: number[] = [];
        for (let k = 0; k + 4 <= n; k += 4) words.push(exe.state.memView.getInt32(addr + k, true));
        console.log(`mem[${addr}..${addr + n}) as int32 = [${words.join(', ')}]`);
      }
    });

  program
    .command('asm <program.s>')
    .description('assemble to binary words (little-endian); prints hex words without -o')
    .option('-o, --out <file.bin>', 'write the encoded words here')
    .action((file: string, opts: { out?: string }) => {
      const words = encodeProgram(loadProgram(file).instrs);
      if (opts.out) writeOutputFile(opts.out, new Uint8Array(words.buffer), 'binary program');
      else for (const w of words) console.log(w.toString(16).padStart(8, '0'));
    });

  program
    .command('disasm <program.bin>')
    .description('disassemble binary words written by `asm -o`')
    .action((file: string) => {
      const bytes = readBytesFile(file, 'binary program');
      if (bytes.length % 4 !== 0) throw new Error(`${file}: ${bytes.length} bytes is not a whole number of 32-bit words`);
      const words = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
      process.stdout.write(disassemble(makeProgram(decodeProgram(words))));
    });

  program
    .command('isa-doc')
    .description('print the instruction reference generated from the instruction table (Markdown)')
    .action(() => {
      process.stdout.write(isaReferenceMarkdown());
    });
}
