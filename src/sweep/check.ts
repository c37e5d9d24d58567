/**
 * Checking a space against its evaluator before the first point runs: every value of every listed dimension
 * is put alone into the base configuration (or workload) and validated by the evaluator's schema, so a
 * misspelt dimension or a value of the wrong type stops the sweep at once, with what was given and what is
 * expected, instead of surfacing as invalid rows after the sweep has started.
 *
 * Only problems of the value itself count here (its type, range, allowed values, unknown fields): a rule
 * between fields (a cache size that must be a multiple of line size x ways) may hold for the combinations a
 * sweep runs and not for one value on the base, so such points are still judged one by one, as `invalid`
 * rows.
 *
 * @module
 */
import type { z } from 'zod';
import { describeValue, formatPath, jsonSchemaOf, valueAt, type ConfigProblem } from '../config/validate.js';
import type { Evaluator, WorkloadSpec } from './evaluator.js';
import { deepMerge, type JsonValue } from './json.js';
import type { Space } from './space.js';

/** Zod issue codes that concern one value alone (not rules between fields). */
const VALUE_CODES = new Set(['invalid_type', 'invalid_value', 'too_small', 'too_big', 'invalid_format', 'not_multiple_of', 'unrecognized_keys', 'invalid_union', 'invalid_key', 'invalid_element']);

const startsWith = (a: readonly PropertyKey[], b: readonly PropertyKey[]) => b.length <= a.length && b.every((k, i) => String(a[i]) === String(k));

/** The field names the schema's JSON Schema allows at `path` (none when it cannot tell). */
function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node = jsonSchemaOf(schema) as { properties?: Record<string, unknown> };
  for (const k of path) {
    const next = node.properties?.[String(k)] as typeof node | undefined;
    if (next === undefined) return [];
    node = next;
  }
  return Object.keys(node.properties ?? {});
}

/**
 * Problems of the space's listed dimension values under the evaluator's schemas (empty when there are none),
 * located as `<root>.dimensions.<name>[<value index>]`.
 */
export function dimensionProblems(space: Space, workload: WorkloadSpec, ev: Evaluator<unknown, unknown>, root = 'space'): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const dim of space.dimensions) {
    if (dim.spec.kind !== 'list') continue;
    const isWorkload = dim.name.startsWith('workload.');
    const schema = isWorkload ? ev.workloadSchema : ev.configSchema;
    const dimPath = (isWorkload ? dim.name.slice('workload.'.length) : dim.name).split('.');
    const seen = new Set<string>();
    dim.spec.values.forEach((value: JsonValue, i) => {
      const key = JSON.stringify(value);
      if (seen.has(key)) return;
      seen.add(key);
      const o = space.overrides({ [dim.name]: value });
      const input = isWorkload ? deepMerge(workload.params ?? {}, o.workload) : deepMerge(space.base, o.config);
      const r = schema.safeParse(input);
      if (r.success) return;
      const where = `${root}.dimensions.${dim.name}${dim.spec.kind === 'list' && dim.spec.values.length > 1 ? `[${i}]` : ''}`;
      for (const iss of r.error.issues) {
        if (!VALUE_CODES.has(iss.code)) continue;
        if (iss.code === 'unrecognized_keys') {
          // A key the schema does not know, on the way to (or inside) this dimension: a misspelt name.
          for (const k of iss.keys) {
            const full = [...iss.path, k];
            if (!startsWith(dimPath, full) && !startsWith(full, dimPath)) continue;
            const fields = fieldsAt(schema, iss.path);
            const parent = iss.path.length > 0 ? `'${iss.path.join('.')}'` : isWorkload ? 'the workload' : 'the configuration';
            problems.push({
              path: `${root}.dimensions.${dim.name}`,
              message: `no such setting: ${parent} of evaluator '${ev.name}' has no field '${k}'${fields.length > 0 ? ` (its fields: ${fields.join(', ')})` : ''}`,
            });
          }
          continue;
        }
        // Issues at this dimension's path or inside its value; an issue above it (a parent that is not an
        // object) is reported too, since the dimension cannot be set there.
        if (!startsWith(iss.path, dimPath) && !(iss.path.length > 0 && startsWith(dimPath, iss.path))) continue;
        const inner = startsWith(iss.path, dimPath) ? iss.path.slice(dimPath.length) : [];
        const at = valueAt(input, iss.path);
        const given = at.found ? describeValue(at.value) : 'nothing';
        problems.push({ path: formatPath(where, inner), message: `given ${given}: ${iss.message.replace(/^Invalid input: /, '')}` });
      }
    });
  }
  // One problem per place and message (two values can fail the same way at a parent).
  const unique = new Map(problems.map((p) => [`${p.path}\u0000${p.message}`, p]));
  return [...unique.values()];
}
