/**
 * `MemoryConfig`: every parameter of the memory hierarchy (cache levels, DRAM, prefetchers), declared once as
 * a zod schema whose fields carry their unit, default and description. The same schema validates JSON files,
 * fills in defaults, emits a JSON Schema (`jsonSchemaOf(MemoryConfigSchema)`), and feeds docs/memory.md.
 * Cross-field rules (geometry, power-of-two constraints, inclusion between neighbouring levels) are checked
 * here and reported with the path of the offending field, e.g. `memory.levels[1].sizeBytes: ...`.
 *
 * @module
 */
import { z } from 'zod';
import { parseConfig } from '../config/validate.js';

/** No prefetching. */
const NoPrefetcherSchema = z
  .object({ kind: z.literal('none').describe('No prefetching.') })
  .strict();

/** Next-line (tagged) prefetcher. */
const NextLinePrefetcherSchema = z
  .object({
    kind: z.literal('next-line').describe('On a demand miss, and on the first demand hit to a prefetched line, prefetch the next `degree` lines.'),
    degree: z.number().int().min(1).max(64).default(1).meta({ unit: 'lines', description: 'Lines prefetched per trigger.' }),
  })
  .strict();

/** Per-PC stride prefetcher (reference prediction table). */
const StridePrefetcherSchema = z
  .object({
    kind: z.literal('stride').describe('Per-PC stride prefetcher: a table indexed by PC learns the address stride of each load.'),
    tableEntries: z.number().int().min(1).default(64).meta({ unit: 'entries', description: 'Entries of the PC-indexed table (power of two).' }),
    degree: z.number().int().min(1).max(64).default(2).meta({ unit: 'lines', description: 'Prefetches issued per trigger.' }),
    distance: z.number().int().min(1).max(1024).default(1).meta({ unit: 'strides', description: 'How many strides ahead the first prefetch is.' }),
    confidenceThreshold: z.number().int().min(1).max(3).default(2).meta({ unit: 'count', description: 'Consecutive repeats of the same stride needed before prefetching (confidence saturates at 3).' }),
  })
  .strict();

/** Prefetcher attached to one cache level. */
export const PrefetcherConfigSchema = z
  .discriminatedUnion('kind', [NoPrefetcherSchema, NextLinePrefetcherSchema, StridePrefetcherSchema])
  .describe('Prefetcher of this level; trained by demand reads and instruction fetches reaching the level.');

/** One cache level. */
export const CacheConfigSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, 'must be lower-case letters, digits or _ (it prefixes statistic names)')
      .optional()
      .describe('Name used in statistics (`l1d.misses`). Default: l1d for levels[0], l2, l3, ... below it, l1i for the instruction cache.'),
    sizeBytes: z.number().int().min(1).default(32768).meta({ unit: 'bytes', description: 'Data capacity; at most 2^24 lines (sizeBytes / lineBytes), the state the simulator can hold per level.' }),
    ways: z
      .union([z.number().int().min(1), z.literal('full')])
      .default(8)
      .meta({ unit: 'ways', description: "Associativity: 1 = direct-mapped, 'full' = fully associative (one set)." }),
    lineBytes: z.number().int().min(1).default(64).meta({ unit: 'bytes', description: 'Line (block) size, a power of two.' }),
    hitLatencyCycles: z.number().int().min(0).default(4).meta({ unit: 'cycles', description: 'Tag + data access time; a miss pays it before going to the next level.' }),
    portsPerCycle: z.number().int().min(1).default(2).meta({ unit: 'accesses/cycle', description: 'Requests the level accepts per cycle.' }),
    mshrs: z.number().int().min(1).default(8).meta({ unit: 'entries', description: 'Miss status holding registers: outstanding line misses.' }),
    targetsPerMshr: z.number().int().min(1).default(8).meta({ unit: 'accesses', description: 'Accesses one MSHR can hold (the first miss plus merged ones); checked at the level facing the core.' }),
    replacement: z.enum(['lru', 'plru', 'fifo', 'random']).default('lru').meta({ description: 'Replacement policy: LRU, tree pseudo-LRU (ways a power of two), FIFO, or random (seeded).' }),
    seed: z.number().int().min(0).max(0xffffffff).default(1).meta({ unit: 'count', description: 'Seed of the random replacement policy (same seed, same result).' }),
    writePolicy: z
      .enum(['write-back', 'write-through'])
      .default('write-back')
      .meta({ description: 'write-back = write-back + write-allocate; write-through = write-through + no-write-allocate.' }),
    inclusion: z
      .enum(['non-inclusive', 'inclusive', 'exclusive'])
      .default('non-inclusive')
      .meta({ description: 'Relation of this level to the level(s) just above it. inclusive: evicting here back-invalidates above; exclusive: holds only lines evicted from above.' }),
    classifyMisses: z.boolean().default(true).meta({ description: 'Classify misses as compulsory/capacity/conflict (3C, as Dinero IV): costs a fully associative shadow directory.' }),
    prefetcher: PrefetcherConfigSchema.prefault({ kind: 'none' }),
  })
  .strict();

/** DRAM with one fixed latency and a bandwidth limit. */
const FixedDramSchema = z
  .object({
    model: z.literal('fixed').describe('Fixed latency plus a bandwidth limit.'),
    latencyCycles: z.number().int().min(0).default(100).meta({ unit: 'cycles', description: 'Unloaded latency of a read, transfer included.' }),
    bytesPerCycle: z.number().positive().default(16).meta({ unit: 'bytes/cycle', description: 'Peak bandwidth in bytes per core cycle; requests queue first-come first-served.' }),
  })
  .strict();

/** DRAM with banks and open-page row buffers. */
const BankedDramSchema = z
  .object({
    model: z.literal('banked').describe('Banks with open-page row buffers and tRCD/tRP/tCAS timing.'),
    bytesPerCycle: z.number().positive().default(16).meta({ unit: 'bytes/cycle', description: 'Peak data-bus bandwidth in bytes per core cycle.' }),
    controllerLatencyCycles: z.number().int().min(0).default(40).meta({ unit: 'cycles', description: 'Fixed controller + interconnect time added to every read.' }),
    banks: z.number().int().min(1).default(8).meta({ unit: 'count', description: 'Banks (power of two); consecutive rows map to consecutive banks.' }),
    rowBytes: z.number().int().min(1).default(8192).meta({ unit: 'bytes', description: 'Row (page) size, a power of two >= every line size.' }),
    tRcdCycles: z.number().int().min(0).default(28).meta({ unit: 'cycles', description: 'Activate to column command (core cycles).' }),
    tRpCycles: z.number().int().min(0).default(28).meta({ unit: 'cycles', description: 'Precharge time (core cycles).' }),
    tCasCycles: z.number().int().min(0).default(28).meta({ unit: 'cycles', description: 'Column command to first data (core cycles).' }),
  })
  .strict();

/** Main memory model. */
export const DramConfigSchema = z
  .discriminatedUnion('model', [FixedDramSchema, BankedDramSchema])
  .describe('Main memory behind the last cache level.');

const isPow2 = (n: number): boolean => Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0 && n <= 2 ** 30;

/** Default statistic name of levels[i]. */
export function defaultLevelName(i: number): string {
  return i === 0 ? 'l1d' : `l${i + 1}`;
}

type CacheIn = z.output<typeof CacheConfigSchema>;

/**
 * Most lines one cache level may have: 2^24 (1 GiB of 64-byte lines). The simulator keeps about 100 bytes
 * of state per line (tags, fill times, replacement, the 3C classifier's shadow cache), allocated when the
 * level is built, so a level this large already takes about 1.6 GiB; a typo such as a 64 GiB L1 would
 * exhaust the machine's memory before the first access.
 */
export const MAX_CACHE_LINES = 2 ** 24;

function checkCache(c: CacheIn, path: (string | number)[], ctx: z.RefinementCtx): void {
  const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [...path, field], message });
  if (!isPow2(c.lineBytes)) issue('lineBytes', `must be a power of two, got ${c.lineBytes}`);
  const ways = c.ways === 'full' ? c.sizeBytes / c.lineBytes : c.ways;
  const lines = c.sizeBytes / c.lineBytes;
  if (lines > MAX_CACHE_LINES) {
    issue('sizeBytes', `${c.sizeBytes} bytes of ${c.lineBytes}-byte lines is ${Math.floor(lines)} lines; a level may have at most ${MAX_CACHE_LINES} (2^24; about 100 bytes of simulator state each)`);
    return;
  }
  if (c.ways === 'full') {
    if (!Number.isInteger(ways)) issue('sizeBytes', `must be a multiple of lineBytes (${c.lineBytes}) for a fully associative cache, got ${c.sizeBytes}`);
  } else if (c.sizeBytes % (c.lineBytes * c.ways) !== 0) {
    issue('sizeBytes', `must be a multiple of lineBytes x ways = ${c.lineBytes} x ${c.ways} = ${c.lineBytes * c.ways}, got ${c.sizeBytes}`);
  } else {
    const sets = c.sizeBytes / (c.lineBytes * c.ways);
    if (!isPow2(sets)) issue('sizeBytes', `gives ${sets} sets (sizeBytes / (lineBytes x ways)); the number of sets must be a power of two`);
  }
  if (c.replacement === 'plru' && Number.isInteger(ways) && !isPow2(ways)) {
    issue('replacement', `tree-PLRU needs a power-of-two number of ways, got ${ways}`);
  }
  if (c.prefetcher.kind === 'stride' && !isPow2(c.prefetcher.tableEntries)) {
    ctx.addIssue({ code: 'custom', path: [...path, 'prefetcher', 'tableEntries'], message: `must be a power of two, got ${c.prefetcher.tableEntries}` });
  }
}

/** The whole memory system of one core. */
export const MemoryConfigSchema = z
  .object({
    levels: z
      .array(CacheConfigSchema)
      .min(1)
      .prefault([{}, { sizeBytes: 1048576, ways: 16, hitLatencyCycles: 14, portsPerCycle: 1, mshrs: 16 }])
      .describe('Data (or unified) cache levels, closest to the core first: levels[0] is the L1 data cache. Default: 32 KiB 8-way L1D, 1 MiB 16-way L2.'),
    l1i: CacheConfigSchema.nullable()
      .default(null)
      .describe('Optional L1 instruction cache beside levels[0], in front of levels[1]; null: instruction fetches use levels[0].'),
    dram: DramConfigSchema.prefault({ model: 'fixed' }),
  })
  .strict()
  .superRefine((m, ctx) => {
    const names = new Map<string, string>();
    const claim = (name: string, where: (string | number)[]) => {
      const p = where.join('.');
      if (name === 'dram') ctx.addIssue({ code: 'custom', path: [...where, 'name'], message: "'dram' is reserved for main memory" });
      const prev = names.get(name);
      if (prev !== undefined) ctx.addIssue({ code: 'custom', path: [...where, 'name'], message: `'${name}' is already the name of ${prev}` });
      names.set(name, p);
    };
    m.levels.forEach((c, i) => {
      checkCache(c, ['levels', i], ctx);
      claim(c.name ?? defaultLevelName(i), ['levels', i]);
    });
    if (m.l1i !== null) {
      checkCache(m.l1i, ['l1i'], ctx);
      claim(m.l1i.name ?? 'l1i', ['l1i']);
      if (m.l1i.inclusion !== 'non-inclusive') ctx.addIssue({ code: 'custom', path: ['l1i', 'inclusion'], message: 'the L1 instruction cache has no level above it: only non-inclusive applies' });
    }
    // levels.min(1) has already reported an empty list; zod runs this refinement all the same.
    if (m.levels.length === 0) return;
    if (m.levels[0]!.inclusion !== 'non-inclusive') {
      ctx.addIssue({ code: 'custom', path: ['levels', 0, 'inclusion'], message: 'levels[0] has no level above it: only non-inclusive applies' });
    }
    for (let i = 1; i < m.levels.length; i++) {
      const c = m.levels[i]!;
      const uppers = i === 1 && m.l1i !== null ? [m.levels[0]!, m.l1i] : [m.levels[i - 1]!];
      for (const u of uppers) {
        const un = u === m.l1i ? 'l1i' : `levels[${i - 1}]`;
        if (c.inclusion === 'inclusive' && c.lineBytes < u.lineBytes) {
          ctx.addIssue({ code: 'custom', path: ['levels', i, 'lineBytes'], message: `an inclusive level needs lines at least as large as ${un}'s (${u.lineBytes}), got ${c.lineBytes}` });
        }
        if (c.inclusion === 'exclusive') {
          if (c.lineBytes !== u.lineBytes) ctx.addIssue({ code: 'custom', path: ['levels', i, 'lineBytes'], message: `an exclusive level needs the same line size as ${un} (${u.lineBytes}), got ${c.lineBytes}` });
          if (u !== m.l1i && u.writePolicy !== 'write-back') ctx.addIssue({ code: 'custom', path: ['levels', i, 'inclusion'], message: `exclusive needs a write-back level above it; ${un} is ${u.writePolicy}` });
        }
      }
    }
    if (m.dram.model === 'banked') {
      if (!isPow2(m.dram.banks)) ctx.addIssue({ code: 'custom', path: ['dram', 'banks'], message: `must be a power of two, got ${m.dram.banks}` });
      if (!isPow2(m.dram.rowBytes)) ctx.addIssue({ code: 'custom', path: ['dram', 'rowBytes'], message: `must be a power of two, got ${m.dram.rowBytes}` });
      const last = m.levels[m.levels.length - 1]!;
      const maxLine = Math.max(last.lineBytes, m.levels.length === 1 && m.l1i ? m.l1i.lineBytes : 0);
      if (m.dram.rowBytes < maxLine) ctx.addIssue({ code: 'custom', path: ['dram', 'rowBytes'], message: `must be >= the last level's line size (${maxLine}), got ${m.dram.rowBytes}` });
    }
  })
  .transform((m) => ({
    ...m,
    levels: m.levels.map((c, i) => ({ ...c, name: c.name ?? defaultLevelName(i) })),
    l1i: m.l1i === null ? null : { ...m.l1i, name: m.l1i.name ?? 'l1i' },
  }));

/** A resolved memory configuration: every default filled in, frozen. */
export type MemoryConfig = z.output<typeof MemoryConfigSchema>;
/** What a JSON file or an options object may say (every field optional). */
export type MemoryConfigInput = z.input<typeof MemoryConfigSchema>;
/** A resolved cache level (its `name` filled in). */
export type CacheConfig = MemoryConfig['levels'][number];
/** A resolved DRAM configuration. */
export type DramConfig = MemoryConfig['dram'];
/** A resolved prefetcher configuration. */
export type PrefetcherConfig = CacheConfig['prefetcher'];

/**
 * Validates a memory configuration and fills in its defaults; throws a `ConfigError` listing every problem
 * with its path under `root` (default `memory`).
 */
export function resolveMemoryConfig(input: unknown = {}, root = 'memory'): MemoryConfig {
  return parseConfig(MemoryConfigSchema, input, root);
}

/** Number of ways of a resolved level (`'full'` becomes sizeBytes / lineBytes). */
export function waysOf(c: CacheConfig): number {
  return c.ways === 'full' ? c.sizeBytes / c.lineBytes : c.ways;
}

/** Number of sets of a resolved level. */
export function setsOf(c: CacheConfig): number {
  return c.sizeBytes / (c.lineBytes * waysOf(c));
}
