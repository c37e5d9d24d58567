/**
 * The built-in sweep `mpsimd sweep` runs with no space file: SySMOL-style design choices (vector length,
 * which widths the mixed unit supports, runs per pattern, pattern registers) for a mixed-precision fully
 * connected layer run on the cycle-approximate simulator (`simulate-layer`). The closed-form `analytic`
 * evaluator remains available for quick what-ifs on whole networks.
 *
 * @module
 */
import type { SpaceFileInput } from './space-file.js';

/** The default space, as a space file (`mpsimd sweep --print-default` writes it out to start from). */
export const DEFAULT_SPACE_FILE: SpaceFileInput = {
  description:
    'SySMOL-style design space on the cycle-approximate simulator: which supported widths, runs per pattern and pattern registers are worth their area for a 512 -> 64 fully connected layer with 1/2/4-bit input channels (35/35/30%).',
  evaluator: 'simulate-layer',
  base: { core: { model: 'outOfOrder' } },
  workload: { inChannels: 512, outChannels: 64, precision: { w1: 0.35, w2: 0.35, w4: 0.3, w8: 0 }, seed: 1 },
  dimensions: {
    'isa.vlenBits': [128, 256, 512],
    'isa.mixedWidths': [[1, 2, 4], [1, 2, 4, 8], [2, 4], [1, 4], [4], [8]],
    'isa.maxRuns': { from: 1, to: 4 },
    'isa.patternRegs': [1, 2, 4, 8],
  },
  constraints: [{ name: 'no more runs than widths', left: 'isa.maxRuns', op: '<=', right: { lengthOf: 'isa.mixedWidths' } }],
  objectives: ['cycles', 'energyUj', 'areaMm2', 'modelKiB'],
  strategy: { kind: 'grid' },
  seed: 1,
};
