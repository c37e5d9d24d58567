/**
 * Public API of the memory system: configuration, the hierarchy (a {@link MemoryPort} for the core and a
 * trace-driven simulator), its building blocks (replacement policies, prefetchers, DRAM models, the 3C
 * classifier) and the trace readers and report.
 *
 * @module
 */
export { ACCESS_IFETCH, ACCESS_MISC, ACCESS_READ, ACCESS_WRITE, FixedLatencyMemory, type MemoryPort, type PortFastPath, RETRY } from './port.js';
export {
  CacheConfigSchema,
  type CacheConfig,
  defaultLevelName,
  DramConfigSchema,
  type DramConfig,
  MemoryConfigSchema,
  type MemoryConfig,
  type MemoryConfigInput,
  PrefetcherConfigSchema,
  type PrefetcherConfig,
  resolveMemoryConfig,
  setsOf,
  waysOf,
} from './config.js';
export { type CacheView } from './cache.js';
export { createMemoryHierarchy, MemoryHierarchy, type HierarchyOptions } from './hierarchy.js';
export { HIT_BLOCK, type HitArraySpec, type HitPathArrays, type HitPathGeometry, HitPathLoan } from './hit-path.js';
export {
  createReplacementPolicy,
  FifoPolicy,
  LruPolicy,
  RandomPolicy,
  type ReplacementName,
  type ReplacementPolicy,
  TreePlruPolicy,
} from './replacement.js';
export { createPrefetcher, MAX_PREFETCH_DEGREE, NextLinePrefetcher, type Prefetcher, StridePrefetcher } from './prefetch.js';
export { BankedDram, createDram, type Dram, FixedLatencyDram } from './dram.js';
export {
  MISS_CAPACITY,
  MISS_COMPULSORY,
  MISS_CONFLICT,
  MissClassifier,
  NOT_A_MISS,
  type ShadowPolicy,
} from './classifier.js';
export { SeededRandom } from './random.js';
export {
  parseTrace,
  parseTraceBytes,
  parseTraceLine,
  runTrace,
  runTraceRecords,
  TRACE_COPYBACK,
  TRACE_FORMATS,
  TRACE_INVALIDATE,
  TRACE_MODIFY,
  type TraceFormat,
  type TraceRecord,
  type TraceRunOptions,
  TraceParseError,
  TraceRunner,
  type TraceSummary,
} from './trace.js';
export { formatMemoryReport, type MemoryReportOptions } from './report.js';
export { memoryConfigReference } from './config-doc.js';
