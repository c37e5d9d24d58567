/**
 * `mpsimd network <name|file.json>`: generates a zoo network (or one from a JSON spec) for a core and
 * prints per-layer and total instruction counts, MACs, model size and compression; `--compare` runs fp32,
 * int8, binary and mixed precision side by side. With `--timed` cycles and energy come from the core timing
 * model of `--core` (a preset) with caches: by default sampled (exact instruction counts, each layer's
 * timing extrapolated from two timed prefixes, see `sampleCuts` in src/kernels/network.ts), with `--full`
 * every instruction runs functionally and is timed. `--json` prints the comparison as JSON. An `.onnx` file goes
 * through the importer (see onnx.ts).
 *
 * @module
 */
import { type Command, Option } from 'commander';
import { readJsonFile } from '../../config/files.js';
import { fractionsProblem, simulateNetwork, ZOO, type NetworkReport, type NetworkSpecInput, type PrecisionScheme } from '../../kernels/index.js';
import { networkTiming } from '../../machine/network.js';
import { PRESETS, presetByName } from '../../presets/index.js';
import { formatTable } from '../../stats/registry.js';
import { runOnnxNetwork } from './onnx.js';
import { countOption, VLEN_CHOICES } from '../options.js';

const DATAFLOWS = ['output-stationary', 'weight-stationary', 'input-stationary'] as const;
const PRECISION_HELP = 'fp32, int8, binary, uint8, uint4, uint2, uint1 or mixed:4=0.25,2=0.25,1=0.5[@seed] (shares summing to 1)';

/** Parses `--precision`; every problem names the option, the value and what is accepted. */
export function schemeOf(s: string): PrecisionScheme {
  const bad = (why: string) => new Error(`--precision '${s}': ${why}`);
  if (s === 'fp32' || s === 'int8' || s === 'binary') return s;
  const u = /^uint([1248])$/.exec(s);
  if (u) return { uniform: Number(u[1]) };
  const m = /^mixed:(.*?)(?:@(.*))?$/.exec(s);
  if (!m) throw bad(`unknown precision; use ${PRECISION_HELP}`);
  const fr: Record<number, number> = {};
  for (const kv of m[1]!.split(',')) {
    const [w, f, extra] = kv.split('=');
    if (!/^[1248]$/.test(w ?? '') || f === undefined || extra !== undefined || f.trim() === '' || !Number.isFinite(Number(f))) {
      throw bad(`'${kv}' is not WIDTH=SHARE with a width of 1, 2, 4 or 8 and a number share; use ${PRECISION_HELP}`);
    }
    if (fr[Number(w)] !== undefined) throw bad(`width ${w} is given twice`);
    fr[Number(w)] = Number(f);
  }
  const problem = fractionsProblem(fr);
  if (problem !== undefined) throw bad(problem);
  if (m[2] !== undefined && !/^\d+$/.test(m[2])) throw bad(`the seed after '@' must be a non-negative integer, got '${m[2]}'`);
  return { mixed: fr, seed: m[2] !== undefined ? Number(m[2]) : 1 };
}

/** A zoo network by name, or a JSON spec file; an unknown name that is not a file lists the zoo. */
function loadNetwork(net: string): NetworkSpecInput {
  const zoo = ZOO[net];
  if (zoo) return zoo();
  const looksLikeFile = /[./\\]/.test(net);
  try {
    return readJsonFile(net, 'network spec') as NetworkSpecInput;
  } catch (e) {
    if (looksLikeFile) throw e;
    throw new Error(`unknown network '${net}': the zoo has ${Object.keys(ZOO).join(', ')}; or give a JSON spec file (see docs/kernels.md)`);
  }
}

/** One precision's row of the comparison report (`--compare --json`). */
export interface ComparisonRow {
  readonly precision: string;
  readonly instructions: number;
  readonly usefulMacs: number;
  /** Timed runs only. */
  readonly cycles?: number;
  /** Timed runs only: core + memory energy, pJ. */
  readonly energyPj?: number;
  /** fp32 cycles / these cycles (instructions when untimed). */
  readonly speedupVsFp32: number;
  /** int8 cycles / these cycles (instructions when untimed). */
  readonly speedupVsInt8: number;
  readonly energyGainVsFp32?: number;
  readonly energyGainVsInt8?: number;
  readonly modelBytes: number;
  readonly compressionVsFp32: number;
  readonly compressionVsInt8: number;
}

/**
 * The comparison report as JSON: one row per precision, ratios against the first (fp32) and second (int8)
 * reports. Speedups are cycle ratios when the reports are timed, instruction ratios otherwise.
 */
export function comparisonJson(names: readonly string[], reps: readonly NetworkReport[], meta: { core: string; vlenBits: number; dataflow: string; mode: string; seconds: number }): { network: string; core: string; vlenBits: number; dataflow: string; mode: string; seconds: number; timed: boolean; rows: ComparisonRow[] } {
  const timed = reps.every((r) => r.total.timing?.['cycles'] !== undefined);
  const cyc = (r: NetworkReport) => (timed ? r.total.timing!['cycles']! : r.total.instructions);
  const pj = (r: NetworkReport) => r.total.timing!['energyPj']!;
  const [fp, i8] = [reps[0]!, reps[1]!];
  const rows = reps.map((r, i): ComparisonRow => ({
    precision: names[i]!,
    instructions: r.total.instructions,
    usefulMacs: r.total.usefulMacs,
    ...(timed ? { cycles: cyc(r), energyPj: pj(r) } : {}),
    speedupVsFp32: cyc(fp) / cyc(r),
    speedupVsInt8: cyc(i8) / cyc(r),
    ...(timed ? { energyGainVsFp32: pj(fp) / pj(r), energyGainVsInt8: pj(i8) / pj(r) } : {}),
    modelBytes: r.total.modelBytes,
    compressionVsFp32: r.total.compressionVsFp32,
    compressionVsInt8: i8.total.modelBytes / r.total.modelBytes,
  }));
  return { network: reps[0]!.network, ...meta, timed, rows };
}

/** Registers `network`. */
export function registerNetworkCommands(program: Command): void {
  program
    .command('network <net>')
    .description('generate a network (zoo name or JSON spec) for a core and report instructions, MACs and model size')
    .addOption(new Option('--vlen <bits>', 'vector length').choices(VLEN_CHOICES).default('256'))
    .option('--precision <p>', PRECISION_HELP, 'mixed:4=0.25,2=0.25,1=0.5')
    .addOption(new Option('--dataflow <d>', 'register-level dataflow').choices(DATAFLOWS).default('output-stationary'))
    .option('--compare', 'fp32, int8, binary and the chosen mixed precision side by side')
    .option('--full', 'run every instruction functionally (slow for ImageNet networks); with --timed, time every instruction')
    .option('--timed', 'time every layer on --core with caches: sampled unless --full')
    .option('--sample <k>', 'sampled timing: prefix length in instructions', countOption('--sample', 1), 100000)
    .addOption(new Option('--core <preset>', 'core preset for --timed').choices(Object.keys(PRESETS)).default('sysmol'))
    .option('--json', 'print JSON')
    .option('--mnist <images>', 'an .onnx model: top-1 accuracy on this many MNIST test images per precision (avg:<bits>, mix:... budgets too)')
    .option('--input-shape <n,c,h,w>', 'an .onnx model: the input shape, where the model leaves more than the batch symbolic')
    .action((net: string, o: { vlen: string; precision: string; dataflow: (typeof DATAFLOWS)[number]; compare?: boolean; full?: boolean; timed?: boolean; sample: number; core: string; json?: boolean; mnist?: string; inputShape?: string }) => {
      if (net.endsWith('.onnx')) return runOnnxNetwork(net, { ...o, vlen: String(o.vlen) });
      const scheme = schemeOf(o.precision);
      const spec = loadNetwork(net);
      const preset = presetByName(o.core);
      // The preset's ISA with the requested VLEN, but the mixed unit always present: the comparison runs
      // fp32, int8 and binary kernels on the same core as the mixed-precision one.
      const isa = { ...preset.isa, vlenBits: Number(o.vlen) as 256, mixedUnit: true };
      const timing = o.timed ? networkTiming({ name: o.core, isa, core: preset.core }) : undefined;
      const mode = o.full ? 'full' : o.timed ? 'sampled' : 'fast';
      const run = (s: string): NetworkReport =>
        simulateNetwork(spec, s === o.precision ? scheme : schemeOf(s), isa, { mode, sampleInstructions: o.sample, dataflow: o.dataflow, ...(timing ? { timing } : {}) });
      if (o.compare) {
        const names = ['fp32', 'int8', 'binary', o.precision];
        const t0 = Date.now();
        const reps = names.map(run);
        const seconds = (Date.now() - t0) / 1000;
        if (o.json) {
          console.log(JSON.stringify(comparisonJson(names, reps, { core: o.core, vlenBits: Number(o.vlen), dataflow: o.dataflow, mode, seconds }), null, 2));
          return;
        }
        const [fp, i8] = reps;
        if (timing) {
          const cyc = (r: NetworkReport) => r.total.timing!['cycles']!;
          const pj = (r: NetworkReport) => r.total.timing!['energyPj']!;
          const rows = reps.map((r, i) => [
            names[i]!,
            (r.total.instructions / 1e6).toFixed(2),
            (cyc(r) / 1e6).toFixed(2),
            (cyc(fp!) / cyc(r)).toFixed(2),
            (cyc(i8!) / cyc(r)).toFixed(2),
            (pj(r) / 1e6).toFixed(1),
            (pj(fp!) / pj(r)).toFixed(2),
            (r.total.modelBytes / 1e6).toFixed(3),
            r.total.compressionVsFp32.toFixed(1),
          ]);
          console.log(`${reps[0]!.network} on ${o.core}, VLEN ${o.vlen}, ${o.dataflow}; ${mode === 'full' ? 'every instruction' : `sampled (prefixes of ${o.sample} instructions)`} timed, cold caches per layer; ${seconds.toFixed(1)} s`);
          console.log(formatTable(['precision', 'Minstr', 'Mcycles', 'speedup vs fp32', 'vs int8', 'energy uJ', 'energy gain vs fp32', 'model MB', 'compression'], rows, [false, true, true, true, true, true, true, true, true]));
          return;
        }
        const rows = reps.map((r, i) => [
          names[i]!,
          (r.total.instructions / 1e6).toFixed(2),
          (fp!.total.instructions / r.total.instructions).toFixed(2),
          (i8!.total.instructions / r.total.instructions).toFixed(2),
          (r.total.modelBytes / 1e6).toFixed(3),
          r.total.compressionVsFp32.toFixed(1),
        ]);
        console.log(`${reps[0]!.network}, VLEN ${o.vlen}, ${o.dataflow}; instruction counts (add --timed for cycles and energy)`);
        console.log(formatTable(['precision', 'Minstr', 'x vs fp32', 'x vs int8', 'model MB', 'compression'], rows));
        return;
      }
      const r = run(o.precision);
      if (o.json) {
        console.log(JSON.stringify(r, null, 2));
        return;
      }
      console.log(
        formatTable(
          ['layer', 'kind', 'precision', 'Minstr', 'MMAC', 'weights B', 'model B'],
          [...r.layers.map((l) => [l.name, l.kind, l.precision, (l.instructions / 1e6).toFixed(3), (l.usefulMacs / 1e6).toFixed(2), String(l.weightStreamBytes), l.modelBytes.toFixed(0)]), ['total', '', '', (r.total.instructions / 1e6).toFixed(3), (r.total.usefulMacs / 1e6).toFixed(2), '', r.total.modelBytes.toFixed(0)]],
        ),
      );
      console.log(`compression vs fp32: ${r.total.compressionVsFp32.toFixed(2)}x`);
    });
}
