/**
 * JSON values, canonical serialisation and content hashes. A point's identity in a results store is the hash
 * of the canonical JSON of what it evaluates (evaluator, resolved configuration, resolved workload), so the
 * same design gets the same key in every process, shard and run.
 *
 * @module
 */
import { createHash } from 'node:crypto';

/** A value that survives a JSON round trip unchanged. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { readonly [key: string]: JsonValue };

/** Whether `v` is a plain object (not an array, not null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** JSON with object keys sorted at every level, so equal values always serialise to equal strings. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  if (isPlainObject(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(v[k])).join(',') + '}';
  }
  return JSON.stringify(v) ?? 'null';
}

/** The first 20 hex digits (80 bits) of the SHA-256 of `v`'s canonical JSON. */
export function contentHash(v: unknown): string {
  return createHash('sha256').update(canonicalJson(v)).digest('hex').slice(0, 20);
}

/**
 * Merges `overrides` into `base`: objects merge key by key, recursively; arrays and scalars replace. Neither
 * input is changed.
 */
export function deepMerge(base: unknown, overrides: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(overrides)) return overrides;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overrides)) out[k] = k in base ? deepMerge(base[k], v) : v;
  return out;
}

/** Sets `value` at a dotted `path` (`core.units.count`) in `target`, creating objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let o = target;
  for (const p of parts.slice(0, -1)) {
    const next = o[p];
    if (!isPlainObject(next)) o[p] = {};
    o = o[p] as Record<string, unknown>;
  }
  o[parts[parts.length - 1]!] = value;
}

/**
 * A value as a user wrote it in a space file, for tables, CSV and plot labels: strings bare, everything else
 * as compact JSON (`[1,2,4]`, `{"kind":"lru"}`), never `[object Object]`.
 */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return JSON.stringify(v) ?? String(v);
}
