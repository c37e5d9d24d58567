/**
 * The built-in sweep `mpsimd sweep` runs with no space file: SySMOL-style design choices (vector length,
 * which widths the mixed unit supports, runs per pattern, pattern registers, number of units) for ResNet-20
 * with a 1/2/4-bit precision map, on the `analytic` stand-in evaluator until the cycle-level simulator is
 * connected. 468 points after pruning; seconds on two cores.
 *
 * @module
 */
import type { SpaceFileInput } from './space-file.js';

/** The default space, as a space file (`mpsimd sweep --print-default` writes it out to start from). */
export const DEFAULT_SPACE_FILE: SpaceFileInput = {
  description:
    'SySMOL-style design space on the analytic stand-in model: which precisions and patterns are worth their area for ResNet-20 at 1/2/4 bits.',
  evaluator: 'analytic',
  base: { core: { clockGHz: 1, memBytesPerCycle: 16 } },
  workload: { network: 'resnet20', precision: { w1: 0.35, w2: 0.35, w4: 0.3, w8: 0 }, patterns: 6 },
  dimensions: {
    'isa.vlenBits': [128, 256, 512],
    'isa.mixedWidths': [[1, 2, 4], [1, 2, 4, 8], [2, 4], [1, 4], [4], [8]],
    'isa.maxRuns': { from: 1, to: 4 },
    'isa.patternRegs': { from: 1, to: 8, factor: 2 },
    'core.mixedUnits': [1, 2, 4],
  },
  constraints: [{ name: 'no more runs than widths', left: 'isa.maxRuns', op: '<=', right: { lengthOf: 'isa.mixedWidths' } }],
  objectives: ['cycles', 'energyUj', 'areaMm2', 'modelKiB'],
  strategy: { kind: 'grid' },
  seed: 1,
};
