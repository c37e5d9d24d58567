/**
 * Space files: a whole sweep described in JSON (evaluator, base configuration, workload, dimensions,
 * declarative constraints, objectives, strategy, seed), validated by {@link SpaceFileSchema} with every
 * problem located (`space.dimensions.isa.vlenBits: ...`). `mpsimd schema` prints its JSON Schema for editors.
 * Dimensions that are functions of other dimensions exist only in the TypeScript API (`choices()`,
 * `derive()`); a file expresses dependencies as constraints.
 *
 * @module
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { readJsonFile } from '../config/files.js';
import { ConfigError, describeValue, issueProblems, jsonSchemaOf, parseConfig, type ConfigProblem } from '../config/validate.js';
import type { WorkloadSpec } from './evaluator.js';
import { isPlainObject, type JsonObject, type JsonValue } from './json.js';
import type { Objective } from './pareto.js';
import { defineSpace, geometric, range, type Constraint, type DimensionSpec, type PointValues, type Space } from './space.js';
import { grid, nsga2, randomSampling, type Strategy } from './strategy.js';

const Json: z.ZodType<JsonValue> = z.lazy(() => z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(Json), z.record(z.string(), Json)]));

const DIMENSION_FORMS = 'a list of values ([128, 256]), {"values": [...]}, {"from", "to", "step"} or {"from", "to", "factor"}';

const DimensionFileSchema = z.union(
  [
    z.array(Json).min(1).meta({ description: 'The values, in order.' }),
    z.object({ values: z.array(Json).min(1) }).strict(),
    z.object({ from: z.number(), to: z.number(), step: z.number().positive().default(1) }).strict().meta({ description: 'from, from+step, ... <= to.' }),
    z.object({ from: z.number().positive(), to: z.number(), factor: z.number().gt(1) }).strict().meta({ description: 'from, from*factor, ... <= to.' }),
  ],
  {
    // Zod says only "Invalid input" when no form matches: say which form the value looks like and what is
    // wrong with it, or which forms there are.
    error: (iss) => {
      const v = iss.input;
      const form = Array.isArray(v) ? 0 : isPlainObject(v) ? ('values' in v ? 1 : 'factor' in v ? 3 : 'from' in v || 'to' in v || 'step' in v ? 2 : -1) : -1;
      const sub = form >= 0 && 'errors' in iss ? (iss.errors as z.core.$ZodIssue[][])[form] : undefined;
      if (sub && sub.length > 0) return issueProblems(sub, v, '').map((p) => (p.path === '(root)' ? p.message : `${p.path}: ${p.message}`)).join('; ');
      return `must be ${DIMENSION_FORMS}; given ${describeValue(v)}`;
    },
  },
);

const Operand = z.union([
  z.number(),
  z.string(),
  z.boolean(),
  z.object({ dim: z.string() }).strict().meta({ description: 'The value of another dimension.' }),
  z.object({ lengthOf: z.string() }).strict().meta({ description: 'The length of a list-valued dimension.' }),
]);

const ConstraintFileSchema = z
  .object({
    name: z.string().optional(),
    left: z.union([z.string().meta({ description: 'A dimension name.' }), z.object({ lengthOf: z.string() }).strict()]),
    op: z.enum(['==', '!=', '<', '<=', '>', '>=', 'includes', 'excludes']),
    right: Operand,
  })
  .strict()
  .meta({ description: 'Keeps the points where `left op right` holds; `includes` tests a list-valued left side.' });

const StrategyFileSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('grid') }).strict(),
  z.object({ kind: z.literal('random'), samples: z.number().int().positive() }).strict(),
  z
    .object({
      kind: z.literal('nsga2'),
      population: z.number().int().min(4).optional(),
      generations: z.number().int().min(0).optional(),
      crossoverRate: z.number().min(0).max(1).optional(),
      mutationRate: z.number().min(0).max(1).optional(),
    })
    .strict(),
]);

/** Schema of a space file. */
export const SpaceFileSchema = z
  .object({
    $schema: z.string().optional(),
    description: z.string().optional(),
    evaluator: z.string().default('analytic').meta({ description: 'Name of a registered evaluator.' }),
    module: z.string().optional().meta({ description: 'Module registering the evaluator (path relative to this file, or a package); default the built-in ones.' }),
    base: z.record(z.string(), Json).default({}).meta({ description: 'Base design configuration that every point overrides.' }),
    workload: z.record(z.string(), Json).default({}).meta({ description: 'Workload parameters; workload.* dimensions override them.' }),
    dimensions: z.record(z.string(), DimensionFileSchema).refine((d) => Object.keys(d).length > 0, { message: 'needs at least one dimension' }),
    constraints: z.array(ConstraintFileSchema).default([]),
    objectives: z
      .array(z.union([z.string(), z.object({ metric: z.string(), goal: z.enum(['min', 'max']) }).strict()]))
      .min(1)
      .optional()
      .meta({ description: 'Metrics to optimise (strings are minimised); default the evaluator\'s.' }),
    strategy: StrategyFileSchema.default({ kind: 'grid' }),
    seed: z.number().int().default(1),
  })
  .strict();

/** A space file as written (optional fields may be missing). */
export type SpaceFileInput = z.input<typeof SpaceFileSchema>;

/** A validated space file with defaults. */
export type SpaceFile = z.output<typeof SpaceFileSchema>;

/** Everything a space file defines, ready for `sweep()`. */
export interface LoadedSpace {
  readonly space: Space;
  readonly workload: WorkloadSpec;
  readonly objectives?: readonly Objective[];
  readonly strategy: Strategy;
  readonly seed: number;
  readonly file: SpaceFile;
}

/** The JSON Schema of space files. */
export function spaceFileJsonSchema(): object {
  return jsonSchemaOf(SpaceFileSchema);
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return JSON.stringify(a) === JSON.stringify(b);
    case '!=':
      return JSON.stringify(a) !== JSON.stringify(b);
    case '<':
      return (a as number) < (b as number);
    case '<=':
      return (a as number) <= (b as number);
    case '>':
      return (a as number) > (b as number);
    case '>=':
      return (a as number) >= (b as number);
    case 'includes':
      return Array.isArray(a) && a.some((x) => JSON.stringify(x) === JSON.stringify(b));
    case 'excludes':
      return !(Array.isArray(a) && a.some((x) => JSON.stringify(x) === JSON.stringify(b)));
    default:
      throw new Error(`unknown operator ${op}`);
  }
}

/**
 * Builds a sweep from a parsed space file (validated here; relative `module` paths resolve against `baseDir`).
 * Throws a ConfigError listing every problem, located under `space`.
 */
export function spaceFromFile(input: unknown, baseDir = process.cwd()): LoadedSpace {
  const file = parseConfig(SpaceFileSchema, input, 'space');
  const names = Object.keys(file.dimensions);
  const problems: ConfigProblem[] = [];
  const operand = (o: z.infer<typeof Operand> | { lengthOf: string } | string, path: string, isLeft: boolean): ((p: PointValues) => unknown) => {
    const dimRef = (name: string) => {
      if (!names.includes(name)) problems.push({ path, message: `unknown dimension '${name}' (dimensions: ${names.join(', ')})` });
    };
    if (isLeft && typeof o === 'string') {
      dimRef(o);
      return (p) => p[o];
    }
    if (typeof o === 'object' && 'dim' in o) {
      dimRef(o.dim);
      return (p) => p[o.dim];
    }
    if (typeof o === 'object' && 'lengthOf' in o) {
      dimRef(o.lengthOf);
      return (p) => (Array.isArray(p[o.lengthOf]) ? (p[o.lengthOf] as unknown[]).length : NaN);
    }
    return () => o;
  };
  const constraints: Constraint[] = file.constraints.map((c, i) => {
    const left = operand(c.left, `space.constraints[${i}].left`, true);
    const right = operand(c.right, `space.constraints[${i}].right`, false);
    const show = (o: unknown) => (typeof o === 'object' ? JSON.stringify(o) : String(o));
    return { name: c.name ?? `${show(c.left)} ${c.op} ${show(c.right)}`, test: (p) => compare(left(p), c.op, right(p)) };
  });
  const dimensions: Record<string, DimensionSpec> = {};
  for (const [name, d] of Object.entries(file.dimensions)) {
    try {
      if (Array.isArray(d)) dimensions[name] = d;
      else if ('values' in d) dimensions[name] = d.values;
      else if ('factor' in d) dimensions[name] = geometric(d.from, d.to, d.factor);
      else dimensions[name] = range(d.from, d.to, d.step);
    } catch (e) {
      problems.push({ path: `space.dimensions.${name}`, message: e instanceof Error ? e.message : String(e) });
    }
  }
  let space: Space | undefined;
  try {
    space = defineSpace({ dimensions, constraints, base: file.base as JsonObject });
  } catch (e) {
    if (problems.length === 0) problems.push({ path: 'space.dimensions', message: e instanceof Error ? e.message : String(e) });
  }
  if (problems.length > 0 || space === undefined) throw new ConfigError('space', problems);
  const s = file.strategy;
  const strategy = s.kind === 'grid' ? grid() : s.kind === 'random' ? randomSampling({ samples: s.samples }) : nsga2(s);
  const module = file.module === undefined ? undefined : file.module.startsWith('.') || isAbsolute(file.module) ? resolve(baseDir, file.module) : file.module;
  return {
    space,
    workload: { evaluator: file.evaluator, ...(module !== undefined ? { module } : {}), params: file.workload as JsonObject },
    ...(file.objectives ? { objectives: file.objectives } : {}),
    strategy,
    seed: file.seed,
    file,
  };
}

/** Reads, parses and validates a space file; a file that cannot be read or parsed is a FileError naming it. */
export function loadSpaceFile(path: string): LoadedSpace {
  return spaceFromFile(readJsonFile(path, 'space file'), dirname(resolve(path)));
}
