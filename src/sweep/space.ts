/**
 * Design spaces. A space has named dimensions, each a list of values, a range, or a function of the
 * dimensions declared before it; constraints prune points that make no sense; every point is a set of partial
 * overrides applied to a base configuration (and, for dimensions named `workload.*`, to the workload
 * parameters). A dimension's name is the dotted path it overrides, e.g. `isa.vlenBits` or `workload.network`.
 *
 * | dimension spec | values |
 * |---|---|
 * | `[128, 256, 512]` | the list, in order |
 * | `range(1, 4)` | 1, 2, 3, 4 (`step` default 1) |
 * | `geometric(1, 8)` | 1, 2, 4, 8 (`factor` default 2) |
 * | `choices(p => ...)` | a list computed from earlier dimensions |
 * | `derive(p => ...)` | one value computed from earlier dimensions |
 *
 * Points are enumerated like nested loops in declaration order (the last dimension varies fastest).
 *
 * @module
 */
import { isPlainObject, setPath, type JsonObject, type JsonValue } from './json.js';

/** The values a point gives its dimensions, by dimension name. */
export type PointValues = Readonly<Record<string, JsonValue>>;

/** `from, from+step, ... <= to`. */
export interface RangeSpec {
  readonly kind: 'range';
  readonly from: number;
  readonly to: number;
  readonly step: number;
}

/** `from, from*factor, ... <= to`. */
export interface GeometricSpec {
  readonly kind: 'geometric';
  readonly from: number;
  readonly to: number;
  readonly factor: number;
}

/** A list of values computed from the dimensions declared before this one. */
export interface ChoicesSpec {
  readonly kind: 'choices';
  readonly fn: (p: PointValues) => readonly JsonValue[];
}

/** One value computed from the dimensions declared before this one. */
export interface DeriveSpec {
  readonly kind: 'derive';
  readonly fn: (p: PointValues) => JsonValue;
}

/** How a dimension gets its values: a plain list or one of the specs built by {@link range} and friends. */
export type DimensionSpec = readonly JsonValue[] | RangeSpec | GeometricSpec | ChoicesSpec | DeriveSpec;

/** A dimension of a defined space, with its name and normalised spec. */
export interface Dimension {
  readonly name: string;
  readonly spec: { readonly kind: 'list'; readonly values: readonly JsonValue[] } | ChoicesSpec | DeriveSpec;
}

/** A named predicate over complete points; a point for which it returns false is pruned. */
export interface Constraint {
  readonly name: string;
  readonly test: (p: PointValues) => boolean;
}

/** What {@link defineSpace} takes. */
export interface SpaceDefinition {
  /** Dimensions by name (the dotted path each overrides), in the order they are enumerated. */
  readonly dimensions: Readonly<Record<string, DimensionSpec>>;
  /** Constraints; a bare function is named after its position (`constraint[2]`). Default none. */
  readonly constraints?: ReadonlyArray<Constraint | ((p: PointValues) => boolean)>;
  /** Base design configuration the points override. Default `{}` (the evaluator's defaults). */
  readonly base?: JsonObject;
}

/** A point as enumerated: its values, or the constraint that pruned it. */
export interface EnumeratedPoint {
  readonly values: PointValues;
  readonly prunedBy?: string;
}

/** The split of a point's values into configuration and workload overrides. */
export interface PointOverrides {
  readonly config: JsonObject;
  readonly workload: JsonObject;
}

/** A defined design space (see the module comment); build one with {@link defineSpace}. */
export interface Space {
  readonly dimensions: readonly Dimension[];
  readonly constraints: readonly Constraint[];
  readonly base: JsonObject;
  /** Every point of the grid in order, pruned ones marked with the constraint that pruned them. */
  enumerate(): Generator<EnumeratedPoint>;
  /** The admitted points of the grid in order. */
  grid(): Generator<PointValues>;
  /** The name of the first constraint `p` violates, or undefined when it is admitted. */
  violated(p: PointValues): string | undefined;
  /**
   * The point chosen by genes in [0, 1), one per dimension: dimension i takes value
   * `floor(genes[i] * count)` of its (possibly dependent) list. Every gene vector decodes to a grid point,
   * admitted or not. Used by random sampling and NSGA-II.
   */
  decode(genes: readonly number[]): EnumeratedPoint;
  /** A point's configuration and workload overrides. */
  overrides(p: PointValues): PointOverrides;
}

/** Integers or decimals from `from` to `to` inclusive by `step` (default 1). */
export function range(from: number, to: number, step = 1): RangeSpec {
  return { kind: 'range', from, to, step };
}

/** `from`, `from * factor`, ... up to `to` inclusive (default factor 2). */
export function geometric(from: number, to: number, factor = 2): GeometricSpec {
  return { kind: 'geometric', from, to, factor };
}

/** A dimension whose list of values depends on the dimensions declared before it. */
export function choices(fn: (p: PointValues) => readonly JsonValue[]): ChoicesSpec {
  return { kind: 'choices', fn };
}

/** A dimension with one value computed from the dimensions declared before it. */
export function derive(fn: (p: PointValues) => JsonValue): DeriveSpec {
  return { kind: 'derive', fn };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const tidy = (x: number) => Number(x.toPrecision(12));

/** The values of a range or geometric spec; throws on an empty or endless one. */
export function expandSpec(name: string, spec: RangeSpec | GeometricSpec): number[] {
  const { from, to } = spec;
  if (!Number.isFinite(from) || !Number.isFinite(to) || from > to) throw new Error(`dimension '${name}': need finite from <= to`);
  const out: number[] = [];
  if (spec.kind === 'range') {
    if (!(spec.step > 0)) throw new Error(`dimension '${name}': step must be > 0`);
    const n = Math.floor((to - from) / spec.step + 1e-9) + 1;
    for (let i = 0; i < n; i++) out.push(tidy(from + i * spec.step));
  } else {
    if (!(spec.factor > 1) || !(from > 0)) throw new Error(`dimension '${name}': need factor > 1 and from > 0`);
    for (let v = from; v <= to * (1 + 1e-12); v *= spec.factor) out.push(tidy(v));
  }
  if (out.length > 1_000_000) throw new Error(`dimension '${name}' has more than a million values`);
  return out;
}

function normalise(name: string, spec: DimensionSpec): Dimension['spec'] {
  if (Array.isArray(spec)) {
    if (spec.length === 0) throw new Error(`dimension '${name}' has no values`);
    return { kind: 'list', values: spec as readonly JsonValue[] };
  }
  const s = spec as RangeSpec | GeometricSpec | ChoicesSpec | DeriveSpec;
  switch (s.kind) {
    case 'range':
    case 'geometric':
      return { kind: 'list', values: expandSpec(name, s) };
    case 'choices':
    case 'derive':
      return s;
    default: {
      const never: never = s;
      throw new Error(`dimension '${name}': unknown spec ${JSON.stringify(never)}`);
    }
  }
}

/** Defines a design space; throws on a badly named or empty dimension. */
export function defineSpace(def: SpaceDefinition): Space {
  const dimensions: Dimension[] = Object.entries(def.dimensions).map(([name, spec]) => {
    if (!NAME.test(name)) throw new Error(`dimension name '${name}' must be a dotted path such as isa.vlenBits`);
    if (name === 'workload') throw new Error(`dimension 'workload' must name a parameter: workload.<name>`);
    return { name, spec: normalise(name, spec) };
  });
  const constraints: Constraint[] = (def.constraints ?? []).map((c, i) =>
    typeof c === 'function' ? { name: `constraint[${i}]`, test: c } : c,
  );
  const base = def.base ?? {};
  if (!isPlainObject(base)) throw new Error('space base must be an object');

  const valuesOf = (d: Dimension, prefix: PointValues): readonly JsonValue[] => {
    switch (d.spec.kind) {
      case 'list':
        return d.spec.values;
      case 'choices': {
        const v = d.spec.fn(prefix);
        if (!Array.isArray(v) || v.length === 0) throw new Error(`dimension '${d.name}': choices() gave no values at ${JSON.stringify(prefix)}`);
        return v;
      }
      case 'derive': {
        const v = d.spec.fn(prefix);
        if (v === undefined) throw new Error(`dimension '${d.name}': derive() gave undefined at ${JSON.stringify(prefix)}`);
        return [v];
      }
    }
  };

  const violated = (p: PointValues): string | undefined => constraints.find((c) => !c.test(p))?.name;

  function* enumerate(): Generator<EnumeratedPoint> {
    const current: Record<string, JsonValue> = {};
    function* rec(i: number): Generator<EnumeratedPoint> {
      if (i === dimensions.length) {
        const values = { ...current };
        const prunedBy = violated(values);
        yield prunedBy === undefined ? { values } : { values, prunedBy };
        return;
      }
      const d = dimensions[i]!;
      for (const v of valuesOf(d, current)) {
        current[d.name] = v;
        yield* rec(i + 1);
      }
      delete current[d.name];
    }
    yield* rec(0);
  }

  return Object.freeze({
    dimensions,
    constraints,
    base,
    enumerate,
    *grid() {
      for (const e of enumerate()) if (e.prunedBy === undefined) yield e.values;
    },
    violated,
    decode(genes: readonly number[]): EnumeratedPoint {
      const values: Record<string, JsonValue> = {};
      dimensions.forEach((d, i) => {
        const vs = valuesOf(d, values);
        const g = Math.min(Math.max(genes[i] ?? 0, 0), 1 - 1e-12);
        values[d.name] = vs[Math.floor(g * vs.length)]!;
      });
      const prunedBy = violated(values);
      return prunedBy === undefined ? { values } : { values, prunedBy };
    },
    overrides(p: PointValues): PointOverrides {
      const config: Record<string, unknown> = {};
      const workload: Record<string, unknown> = {};
      for (const d of dimensions) {
        const v = p[d.name];
        if (v === undefined) continue;
        if (d.name.startsWith('workload.')) setPath(workload, d.name.slice('workload.'.length), v);
        else setPath(config, d.name, v);
      }
      return { config: config as JsonObject, workload: workload as JsonObject };
    },
  });
}
