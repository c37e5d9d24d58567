/**
 * The pluggable timing interface of network simulation: what a timing model is given per layer and what it
 * returns.
 *
 * @module
 */
import type { StaticInfo, TraceBuffer } from '../../isa/trace.js';

/** What a timing model returns for one layer (cycles and any other named figures). */
export type TimingReport = Readonly<Record<string, number>>;

/**
 * A pluggable timing model: given a layer program's static facts and its dynamic record stream (batches of
 * a reused TraceBuffer), returns named figures such as `cycles`. The buffer is overwritten between batches.
 */
export type TimingModel = (info: StaticInfo, trace: Iterable<TraceBuffer>) => TimingReport;
