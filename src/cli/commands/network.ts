/**
 * `mpsimd network <name|file.json>`: generates a zoo network (or one from a JSON spec) for a core and
 * prints per-layer and total instruction counts, MACs, model size and compression; `--compare` runs fp32,
 * int8, binary and mixed precision side by side. With `--timed` every instruction runs functionally and
 * through the core timing model of `--core` (a preset) with caches, so cycles and energy are reported too.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { simulateNetwork, ZOO, type NetworkReport, type PrecisionScheme } from '../../kernels/index.js';
import { networkTiming } from '../../machine/network.js';
import { presetByName } from '../../presets/index.js';
import { formatTable } from '../../stats/registry.js';

function schemeOf(s: string): PrecisionScheme {
  if (s === 'fp32' || s === 'int8' || s === 'binary') return s;
  const u = /^uint([1248])$/.exec(s);
  if (u) return { uniform: Number(u[1]) };
  // mixed:4=0.25,2=0.25,1=0.5[@seed]
  const m = /^mixed:([0-9.=,]+)(?:@(\d+))?$/.exec(s);
  if (!m) throw new Error(`unknown precision '${s}': use fp32, int8, binary, uint4, uint2 or mixed:4=0.25,2=0.25,1=0.5@seed`);
  const fr: Record<number, number> = {};
  for (const kv of m[1]!.split(',')) {
    const [w, f] = kv.split('=');
    fr[Number(w)] = Number(f);
  }
  return { mixed: fr, seed: m[2] ? Number(m[2]) : 1 };
}

/** Registers `network`. */
export function registerNetworkCommands(program: Command): void {
  program
    .command('network <net>')
    .description('generate a network (zoo name or JSON spec) for a core and report instructions, MACs and model size')
    .option('--vlen <bits>', 'vector length', '256')
    .option('--precision <p>', 'fp32 | int8 | binary | uint4 | uint2 | mixed:4=0.25,2=0.25,1=0.5@seed', 'mixed:4=0.25,2=0.25,1=0.5')
    .option('--dataflow <d>', 'output-stationary | weight-stationary | input-stationary', 'output-stationary')
    .option('--compare', 'fp32, int8, binary and the chosen mixed precision side by side')
    .option('--full', 'run every instruction functionally (slow for ImageNet networks)')
    .option('--timed', 'run functionally and time every layer on --core with caches (implies --full)')
    .option('--core <preset>', 'core preset for --timed: sysmol, neonA76 or avx2Skylake', 'sysmol')
    .option('--json', 'print JSON')
    .action((net: string, o: { vlen: string; precision: string; dataflow: string; compare?: boolean; full?: boolean; timed?: boolean; core: string; json?: boolean }) => {
      const spec = ZOO[net] ? ZOO[net]() : JSON.parse(readFileSync(net, 'utf8'));
      const preset = presetByName(o.core);
      // The preset's ISA with the requested VLEN, but the mixed unit always present: the comparison runs
      // fp32, int8 and binary kernels on the same core as the mixed-precision one.
      const isa = { ...preset.isa, vlenBits: Number(o.vlen) as 256, mixedUnit: true };
      const timing = o.timed ? networkTiming({ name: o.core, isa, core: preset.core }) : undefined;
      const run = (s: string): NetworkReport =>
        simulateNetwork(spec, schemeOf(s), isa, { mode: o.full || o.timed ? 'full' : 'fast', dataflow: o.dataflow as 'output-stationary', ...(timing ? { timing } : {}) });
      if (o.compare) {
        const names = ['fp32', 'int8', 'binary', o.precision];
        const reps = names.map(run);
        if (o.json) {
          console.log(JSON.stringify(Object.fromEntries(names.map((n, i) => [n, reps[i]!.total])), null, 2));
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
          console.log(`${reps[0]!.network} on ${o.core}, VLEN ${o.vlen}, ${o.dataflow}; every layer timed with cold caches`);
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
