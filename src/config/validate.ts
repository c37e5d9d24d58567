/**
 * Configuration is declared once, as a zod schema whose fields carry their unit, default, range and doc string
 * (`.meta({ unit, description })`). The same schema validates JSON files, fills in defaults, emits a JSON
 * Schema for editors, and feeds the docs. This module turns zod's issues into one error that lists every
 * problem with its path, e.g. `core.units[2].latencyCycles: must be >= 1`.
 *
 * @module
 */
import { z } from 'zod';

/** One problem found in a configuration, located by its path. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/** Thrown when a configuration does not validate; lists every problem, not only the first. */
export class ConfigError extends Error {
  constructor(
    readonly what: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(`invalid ${what}:\n` + problems.map((p) => `  ${p.path}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Formats a zod path as `a.b[2].c` under a root name. */
export function formatPath(root: string, path: readonly PropertyKey[]): string {
  let s = root;
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s === '' ? String(k) : `.${String(k)}`;
  return s === '' ? '(root)' : s;
}

/**
 * Validates `input` against `schema`, returning the parsed value with defaults filled in (frozen deeply), or
 * throwing a {@link ConfigError} whose paths start at `root`.
 */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, root: string): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new ConfigError(root, issueProblems(r.error.issues, input, root));
  return deepFreeze(r.data);
}

/**
 * Zod's issues as problems located under `root`, each saying what was given where the schema checks one
 * value (`must be 128, 256 or 512; given "256" (a string)`).
 */
export function issueProblems(issues: readonly z.core.$ZodIssue[], input: unknown, root: string): ConfigProblem[] {
  return issues.map((i) => {
    const at = valueAt(input, i.path);
    // Unions say what they were given themselves (see space-file.ts); key and cross-field issues have no one value.
    const given = i.code !== 'unrecognized_keys' && i.code !== 'custom' && i.code !== 'invalid_union' && at.found ? `; given ${describeValue(at.value)}` : '';
    return { path: formatPath(root, i.path), message: i.message + given };
  });
}

/** The value at a zod path in `input`, if there is one. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): { found: boolean; value?: unknown } {
  let v = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, k)) return { found: false };
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return { found: true, value: v };
}

/** A value as a user wrote it, with its JSON type: `"256" (a string)`, `[1, 2] (a list)`, `512`. */
export function describeValue(v: unknown): string {
  const json = JSON.stringify(v) ?? String(v);
  const text = json.length > 60 ? json.slice(0, 57) + '...' : json;
  if (typeof v === 'string') return `${text} (a string)`;
  if (Array.isArray(v)) return `${text} (a list)`;
  if (v !== null && typeof v === 'object') return `${text} (an object)`;
  if (v === undefined) return 'nothing';
  return text;
}

/** Freezes an object graph so a resolved configuration cannot be changed behind a simulation's back. */
export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v as object)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

/** The JSON Schema of a configuration schema, for editors and `mpsimd schema`. */
export function jsonSchemaOf(schema: z.ZodType): object {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}
