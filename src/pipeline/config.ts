/**
 * The timing parameters of a core, declared once as a zod schema: each field carries its unit, default and
 * description, and the same schema validates JSON files, fills in defaults and emits a JSON Schema. What a
 * program computes is fixed by the ISA configuration (`IsaConfig`); everything here only changes *when* it is
 * computed.
 *
 * Latency and throughput are given per instruction class, with optional overrides per element width
 * (`w1`..`w32`, `f32`) or for pattern-typed (`pattern`) operations, so a 1-bit, 4-bit or mixed-pattern
 * operation can cost differently from the class default.
 *
 * @module
 */
import { z } from 'zod';
import { INSTR_CLASSES, type InstrClassName } from '../isa/classes.js';
import { WIDTH_KEYS } from '../isa/width-keys.js';
import { OPERAND_ROLES } from '../isa/trace.js';
import { parseConfig } from '../config/validate.js';

// Width keys are a fact of the instruction, declared in src/isa (energy tables use them too).
export { WIDTH_KEYS, NUM_WIDTH_KEYS, widthKeyIndex, type WidthKey } from '../isa/width-keys.js';

const ClassNameSchema = z.enum(INSTR_CLASSES);
const WidthKeySchema = z.enum(WIDTH_KEYS);

/**
 * Cycles before the end of its producer's latency an operand of this role can be read (LLVM's ReadAdvance): a
 * dependant may issue once `producer issue + max(1, producer latency - advance)` has come. Only results of
 * non-memory instructions are read early: a loaded value is ready when the load's data is.
 */
const ReadAdvanceSchema = z
  .partialRecord(z.enum(OPERAND_ROLES), z.number().int().min(0).max(1000).meta({ unit: 'cycles' }))
  .meta({ description: `Per source operand role (${OPERAND_ROLES.join(', ')}): cycles before the end of its producer's latency the operand can be read (LLVM's ReadAdvance). A dependant issues at producer issue + max(1, latency - advance). Results of loads are not read early.` });

const cycles = (min: number, description: string) =>
  z.number().int().min(min).meta({ unit: 'cycles', description });

/** Schema of a per-width override of a class's timing. */
export const TimingOverrideSchema = z
  .object({
    latencyCycles: cycles(1, 'Cycles from issue until a dependant may issue, for this width.').optional(),
    reciprocalThroughputCycles: cycles(1, 'Cycles one unit is occupied per operation of this width.').optional(),
    readAdvanceCycles: ReadAdvanceSchema.optional(),
  })
  .strict();

/** Schema of the timing of one instruction class. */
export const ClassTimingSchema = z
  .object({
    latencyCycles: cycles(1, 'Cycles from issue until a dependant may issue. For loads and stores it is added to the memory system\'s answer (address generation and write-back).').default(1),
    reciprocalThroughputCycles: cycles(1, 'Cycles one unit of a pipelined pool is occupied per operation (1 = a new operation every cycle). A non-pipelined unit is occupied for max(latency, this).').default(1),
    readAdvanceCycles: ReadAdvanceSchema.default({}),
    byWidth: z
      .partialRecord(WidthKeySchema, TimingOverrideSchema)
      .default({})
      .meta({ description: 'Overrides for particular element widths (w1, w2, w4, w8, w16, w32, f32) or pattern-typed operations (pattern).' }),
  })
  .strict();

/** Schema of a late-forwarding rule. */
export const ForwardingSchema = z
  .object({
    from: z.array(ClassNameSchema).min(1).meta({ description: 'Classes whose result is forwarded early.' }),
    to: z.array(ClassNameSchema).min(1).meta({ description: 'Classes whose accumulator operand takes it early.' }),
    latencyCycles: cycles(1, "Cycles from the producer's issue until a dependant reading the result as its accumulator may issue (Arm's accumulate latency)."),
  })
  .strict();

/** Schema of one functional-unit pool. */
export const UnitPoolSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, 'must be an identifier (letters, digits, _)')
      .meta({ description: 'Name of the pool, used in statistics (core.units.<name>.busy).' }),
    count: z.number().int().min(1).max(64).default(1).meta({ unit: 'count', description: 'Identical units in the pool.' }),
    classes: z.array(ClassNameSchema).min(1).meta({ description: 'Instruction classes the units execute.' }),
    pipelined: z.boolean().default(true).meta({ description: 'Whether a unit accepts a new operation every reciprocal-throughput cycles (true) or only when the previous one has finished (false).' }),
  })
  .strict();

/** Schema of the branch predictor. */
export const BranchPredictorSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('static'),
      policy: z.enum(['taken', 'notTaken']).default('notTaken').meta({ description: 'The direction always predicted.' }),
    })
    .strict(),
  z
    .object({
      kind: z.literal('bimodal'),
      entries: z.number().int().min(1).max(1 << 20).default(2048).meta({ unit: 'count', description: 'Two-bit saturating counters, indexed by PC modulo entries.' }),
    })
    .strict(),
  z
    .object({
      kind: z.literal('loop'),
      entries: z.number().int().min(1).max(1 << 16).default(64).meta({ unit: 'count', description: 'Loop-predictor entries (trip-count learners), indexed by PC modulo entries.' }),
      bimodalEntries: z.number().int().min(1).max(1 << 20).default(2048).meta({ unit: 'count', description: 'Two-bit counters of the bimodal predictor used while a loop entry is not confident.' }),
    })
    .strict(),
]);

const ALL_VECTOR_COMPUTE: InstrClassName[] = [
  'vec-logic', 'vec-shift', 'vec-popcnt', 'vec-alu', 'vec-mul', 'vec-mac', 'vec-dot8', 'vec-xdot', 'vec-mdot',
  'vec-fp', 'vec-fma', 'vec-permute', 'vec-reduce', 'vec-requant',
];

/** Default functional units: a generic 2-wide integer, 2-wide memory and 2-wide vector core. */
export const DEFAULT_UNITS = [
  { name: 'int', count: 2, classes: ['scalar-alu', 'scalar-mul', 'branch', 'pattern', 'misc'], pipelined: true },
  { name: 'mem', count: 2, classes: ['scalar-load', 'scalar-store', 'vec-load', 'vec-store'], pipelined: true },
  { name: 'vec', count: 2, classes: ALL_VECTOR_COMPUTE, pipelined: true },
] satisfies z.input<typeof UnitPoolSchema>[];

/** Default latencies (cycles); classes not listed take latency 1, throughput 1. */
export const DEFAULT_TIMING: Partial<Record<InstrClassName, z.input<typeof ClassTimingSchema>>> = {
  'scalar-mul': { latencyCycles: 3 },
  'vec-popcnt': { latencyCycles: 2 },
  'vec-alu': { latencyCycles: 1, byWidth: { f32: { latencyCycles: 4 } } },
  'vec-mul': { latencyCycles: 4 },
  'vec-mac': { latencyCycles: 4 },
  'vec-dot8': { latencyCycles: 4 },
  'vec-xdot': { latencyCycles: 3 },
  'vec-mdot': { latencyCycles: 4 },
  'vec-fp': { latencyCycles: 4 },
  'vec-fma': { latencyCycles: 4 },
  'vec-permute': { latencyCycles: 2 },
  'vec-reduce': { latencyCycles: 3 },
  'vec-requant': { latencyCycles: 3 },
};

const int = (min: number, max: number, def: number, unit: string, description: string) =>
  z.number().int().min(min).max(max).default(def).meta({ unit, description });

/** Schema of {@link CoreConfig}. */
export const CoreConfigSchema = z
  .object({
    name: z.string().default('core').meta({ description: 'Name shown in reports.' }),
    clockGHz: z.number().positive().max(20).default(2).meta({ unit: 'GHz', description: 'Core clock, to turn cycles into seconds.' }),
    model: z.enum(['inOrder', 'outOfOrder']).default('outOfOrder').meta({ description: 'inOrder issues in program order and stops at the first instruction that cannot issue; outOfOrder issues the oldest ready instructions from the scheduler.' }),
    fetchWidth: int(1, 64, 4, 'instructions/cycle', 'Instructions the front end delivers per cycle.'),
    frontEndStages: int(0, 64, 3, 'cycles', 'Cycles from fetch until an instruction may dispatch (decode and rename depth); also the refill time after a mispredict.'),
    fetchQueueSize: int(1, 1024, 32, 'instructions', 'Fetched instructions waiting for dispatch.'),
    dispatchWidth: int(1, 64, 4, 'instructions/cycle', 'Instructions renamed and dispatched into the window per cycle.'),
    issueWidth: int(1, 64, 4, 'instructions/cycle', 'Instructions issued to functional units per cycle.'),
    retireWidth: int(1, 64, 4, 'instructions/cycle', 'Instructions retired per cycle.'),
    robSize: int(1, 4096, 128, 'instructions', 'Reorder buffer entries: instructions dispatched and not yet retired.'),
    schedulerSize: int(1, 1024, 64, 'instructions', 'Scheduler (reservation station) entries: instructions dispatched and not yet issued.'),
    lsqSize: int(1, 1024, 48, 'instructions', 'Load/store queue entries: memory instructions dispatched and not yet retired.'),
    lsuBlockBytes: z
      .union([z.literal(0), z.number().int().min(4).max(4096).refine((n) => (n & (n - 1)) === 0, 'must be a power of two')])
      .default(64)
      .meta({ unit: 'bytes', description: 'Aligned block the load/store unit reads or writes in one access: the elements of a strided access (a broadcast is stride 0) that lie in one block are one access, as caches serve a line at a time (never more than the memory\'s first-level line, MemoryPort.lineBytes). 0: one access per element (as a gather that splits into element loads).' }),
    storeBufferSize: int(0, 1024, 0, 'entries', 'Store-buffer entries. 0: a store writes memory when it issues and completes when memory accepts it. Otherwise a store takes an entry at dispatch (dispatch stalls while none is free), completes like an ALU operation, and after retirement the buffer writes it to memory in program order; the entry frees once memory has accepted every piece. Loads do not search the buffer (no store-to-load forwarding is modelled).'),
    physScalarRegs: int(33, 4096, 128, 'count', 'Physical scalar registers; 32 hold architectural state, the rest bound in-flight scalar results.'),
    physVectorRegs: int(33, 4096, 128, 'count', 'Physical vector registers; 32 hold architectural state, the rest bound in-flight vector results.'),
    units: z.array(UnitPoolSchema).min(1).prefault(DEFAULT_UNITS).meta({ description: 'Functional-unit pools; every instruction class must be executed by at least one pool.' }),
    timing: z
      .partialRecord(ClassNameSchema, ClassTimingSchema)
      .prefault(DEFAULT_TIMING)
      .meta({ description: 'Latency and reciprocal throughput per instruction class (missing classes: 1 and 1).' }),
    branchPredictor: BranchPredictorSchema.prefault({ kind: 'bimodal' }).meta({ description: 'Direction predictor: static, bimodal or loop.' }),
    mispredictPenaltyCycles: int(0, 1000, 10, 'cycles', 'Cycles after a mispredicted branch executes before fetch restarts on the right path (the refill of frontEndStages comes on top).'),
    forwarding: z
      .array(ForwardingSchema)
      .default([])
      .meta({ description: 'Late forwarding of accumulators (Arm\'s multiply-accumulate forwarding): a result of a `from` class read as the accumulator operand of a `to` class is ready `latencyCycles` after the producer issues, when that is earlier than its latency (and any read advance) gives.' }),
    laneWrites: z
      .enum(['merge', 'lane'])
      .default('merge')
      .meta({ description: 'How an instruction that writes one int32 lane of vd (vmdot, vmdots, vxdot with a lane) is timed. merge: it reads and writes the whole register, so a chain of writes to different lanes of one register is serial. lane: it depends only on the last write of its own lane; an instruction reading the whole register waits for every lane written since its last whole write.' }),
  })
  .strict()
  .superRefine((c, ctx) => {
    const names = new Set<string>();
    c.units.forEach((u, i) => {
      if (names.has(u.name)) ctx.addIssue({ code: 'custom', path: ['units', i, 'name'], message: `unit pool name '${u.name}' is used twice` });
      names.add(u.name);
    });
    for (const cls of INSTR_CLASSES) {
      if (!c.units.some((u) => u.classes.includes(cls))) {
        ctx.addIssue({ code: 'custom', path: ['units'], message: `no unit pool executes class '${cls}'` });
      }
    }
    if (c.schedulerSize > c.robSize) ctx.addIssue({ code: 'custom', path: ['schedulerSize'], message: `must be <= robSize (${c.robSize})` });
    if (c.lsqSize > c.robSize) ctx.addIssue({ code: 'custom', path: ['lsqSize'], message: `must be <= robSize (${c.robSize})` });
  });

/** Timing parameters of a core (resolved: every field present, frozen). */
export type CoreConfig = z.output<typeof CoreConfigSchema>;
/** What a user may write: every field optional. */
export type CoreConfigInput = z.input<typeof CoreConfigSchema>;

// Configurations this module produced. They are deep-frozen, so one seen here is still valid, and resolving it
// again (a full schema parse per simulation, which a sweep of short runs would feel) can be skipped.
const resolved = new WeakSet<object>();

/** Validates and completes a core configuration; throws a ConfigError naming every bad field. */
export function resolveCoreConfig(input: CoreConfigInput = {}, root = 'core'): CoreConfig {
  if (resolved.has(input)) return input as CoreConfig;
  const c = parseConfig(CoreConfigSchema, input, root);
  resolved.add(c);
  return c;
}
