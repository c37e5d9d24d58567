/**
 * The `functional-kernel` evaluator: runs the inner loop of an output-stationary mixed-precision layer on the
 * bit-exact functional executor (`isa/`) and reports instruction counts and a checksum of the outputs. It
 * models no timing; it exists to exercise the real simulator code on worker threads (the worker-pool benchmark
 * uses it) and as an example of an evaluator built on the library.
 *
 * The kernel's precision pattern has one run per supported width (widest first, as many as `maxRuns` allows,
 * rounded down to 1, 2 or 4 runs so each run covers an equal share of VLEN).
 *
 * @module
 */
import { z } from 'zod';
import { assemble } from '../../isa/assembler.js';
import { IsaConfigSchema } from '../../isa/config.js';
import { Executor } from '../../isa/executor.js';
import type { Evaluator } from '../evaluator.js';

/** Design configuration: the ISA parameters. */
export const FunctionalDesignSchema = z.object({ isa: IsaConfigSchema.prefault({}) }).strict();

/** Workload: how many loop iterations to execute. */
export const FunctionalWorkloadSchema = z
  .object({
    iterations: z.number().int().min(1).max(10_000_000).default(2000).meta({ unit: 'count', description: 'Loop iterations (4 vmdot each).' }),
  })
  .strict();

/** The kernel's assembly for a VLEN and pattern runs. */
export function functionalKernel(vlenBits: number, widths: readonly number[], iterations: number): string {
  const runs = widths.map((w) => `${w}x${vlenBits / widths.length / w}`).join(', ');
  const stride = vlenBits / 8;
  return `
        li    x5, %pp(${runs})
        setpp pp0, x5, x0
        li    x3, ${iterations}
loop:   li    x1, 0x1000
        li    x2, 0x2000
        vld   v1, 0(x1)
        vld   v2, 0(x2)
        vld   v3, ${stride}(x2)
        vld   v4, ${2 * stride}(x2)
        vld   v5, ${3 * stride}(x2)
        vmdot.pp0 v8, v1, v2, 0
        vmdot.pp0 v8, v1, v3, 1
        vmdot.pp0 v8, v1, v4, 2
        vmdot.pp0 v8, v1, v5, 3
        addi  x3, x3, -1
        bne   x3, x0, loop
        vext.s32 x10, v8, 0
        halt`;
}

/** The `functional-kernel` evaluator (see the module comment). */
export const functionalKernelEvaluator: Evaluator<z.output<typeof FunctionalDesignSchema>, z.output<typeof FunctionalWorkloadSchema>> = {
  name: 'functional-kernel',
  description: 'Runs a mixed-precision dot-product loop on the functional executor; instruction counts only, no timing.',
  configSchema: FunctionalDesignSchema,
  workloadSchema: FunctionalWorkloadSchema,
  metrics: [
    { name: 'instructions', label: 'instructions', unit: 'instructions', description: 'Dynamic instructions executed.' },
    { name: 'macsPerInstruction', label: 'MACs per instruction', unit: 'MACs/instruction', description: 'Multiply-accumulates per executed instruction.' },
    { name: 'checksum', label: 'checksum', unit: 'count', description: 'Lane 0 of the accumulator, to check runs agree.' },
  ],
  defaultObjectives: ['instructions'],
  evaluate(config, workload) {
    const { isa } = config;
    const n = [4, 2, 1].filter((r) => r <= Math.min(isa.maxRuns, isa.mixedWidths.length))[0]!;
    const widths = [...isa.mixedWidths].sort((a, b) => b - a).slice(0, n);
    const exe = new Executor(assemble(functionalKernel(isa.vlenBits, widths, workload.iterations)), { ...isa, memoryBytes: 1 << 16 });
    // Deterministic non-zero data.
    for (let i = 0; i < 0x2000; i++) exe.state.mem[0x1000 + i] = (i * 37 + 11) & 0xff;
    const { instructions } = exe.run();
    const elements = widths.reduce((s, w) => s + isa.vlenBits / widths.length / w, 0);
    return { metrics: { instructions, macsPerInstruction: (4 * elements * workload.iterations) / instructions, checksum: exe.state.x[10]! } };
  },
};
