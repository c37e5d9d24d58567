/**
 * Energy and area: per-action energy tables (defaults from Horowitz ISSCC 2014, 45 nm, with a documented
 * width-scaling rule), pricing of a run's action counts, and a first-order area model of SIMD features.
 *
 * @module
 */
export {
  ADD8_PJ,
  ADD32_PJ,
  MUL8_PJ,
  MUL32_PJ,
  FADD32_PJ,
  FMUL32_PJ,
  SRAM8K_READ64_PJ,
  addPj,
  mulPj,
  sramPj,
  EnergyParamsSchema,
  defaultOpPj,
  buildEnergyTable,
  type EnergyParams,
  type EnergyParamsInput,
  type EnergyTable,
} from './table.js';
export { energyOf, type EnergyBreakdown } from './model.js';
export { simdArea, AreaInputSchema, type AreaInput, type AreaBreakdown } from './area.js';
