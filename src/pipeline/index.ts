/**
 * The cycle-approximate core timing model: configuration, descriptor table, branch predictors, the
 * in-order and out-of-order core (their timing rules written once, in AssemblyScript compiled to WebAssembly:
 * wasm/*.as.ts), its statistics and report.
 *
 * @module
 */
export {
  CoreConfigSchema,
  ClassTimingSchema,
  TimingOverrideSchema,
  UnitPoolSchema,
  BranchPredictorSchema,
  DEFAULT_UNITS,
  DEFAULT_TIMING,
  WIDTH_KEYS,
  NUM_WIDTH_KEYS,
  widthKeyIndex,
  resolveCoreConfig,
  type CoreConfig,
  type CoreConfigInput,
  type WidthKey,
} from './config.js';
export { DescriptorTable, PC_BRANCH, PC_LOAD, PC_MEM, PC_WRITES_V, PC_WRITES_X, programFacts, type ProgramFacts } from './descriptors.js';
export { BranchPredictor, createPredictor, type PredictorState } from './predictor.js';
export { TimingCore, simulateTiming, STUCK_CYCLES, type TimingOptions } from './core.js';
export { stuckError, type RecordSource, type RetireObserver, type EngineContext, type EngineRunInfo } from './engine.js';
export { CoreStats, classStatName, CPI_BASE, CPI_DEPENDENCY, CPI_MEMORY, CPI_FRONTEND, CPI_BRANCH, CPI_UNIT0, type RunTotals } from './stats.js';
export { Report, type ReportJSON, type ActionCounts, type OpCount } from './report.js';
export { TraceRecorder, toKanata, toChromeTrace, toTextTimeline, type InstrTiming, type LabelOf, type TraceEvent } from './trace.js';
