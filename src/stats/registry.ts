/**
 * Statistics are data: every counter a simulation keeps is declared here once with a hierarchical name
 * (`l1d.misses.conflict`), a unit and a description, and lives in one registry per simulation. Hot loops hold
 * a {@link Counter} object and bump `counter.value` directly, so counting costs no lookup; derived figures
 * (miss rate, IPC) are {@link StatsRegistry.formula | formulas} evaluated only when a report is made.
 *
 * @module
 */

/** Units a statistic may carry. Keep the list short so reports stay comparable across modules. */
export type StatUnit =
  | 'count'
  | 'cycles'
  | 'instructions'
  | 'bytes'
  | 'bits'
  | 'accesses'
  | 'pJ'
  | 'ratio'
  | 'percent'
  | 'instructions/cycle'
  | 'cycles/instruction';

/** What a statistic is: its name, unit and one-sentence description. */
export interface StatDef {
  readonly name: string;
  readonly unit: StatUnit;
  readonly description: string;
}

/** A mutable counter. The simulator's hot paths write `value` directly. */
export class Counter implements StatDef {
  value = 0;
  constructor(
    readonly name: string,
    readonly unit: StatUnit,
    readonly description: string,
  ) {}
}

/** A statistic computed from others when it is read (for example a miss rate). */
export interface Formula extends StatDef {
  readonly compute: () => number;
}

/** One statistic as it appears in a report. */
export interface StatValue extends StatDef {
  readonly value: number;
}

const NAME = /^[a-z][a-zA-Z0-9_]*(\.[a-zA-Z0-9_]+)*$/;

/** The statistics of one simulation, in declaration order. */
export class StatsRegistry {
  private readonly entries = new Map<string, Counter | Formula>();

  /** Declares a counter; a second declaration of the same name is a programming error and throws. */
  counter(name: string, unit: StatUnit, description: string): Counter {
    this.checkNew(name);
    const c = new Counter(name, unit, description);
    this.entries.set(name, c);
    return c;
  }

  /** Declares a derived statistic, evaluated each time it is read. */
  formula(name: string, unit: StatUnit, description: string, compute: () => number): Formula {
    this.checkNew(name);
    const f: Formula = { name, unit, description, compute };
    this.entries.set(name, f);
    return f;
  }

  /** Whether a statistic of that name exists. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The current value of a statistic; throws for an unknown name so a typo never reads as zero. */
  get(name: string): number {
    const e = this.entries.get(name);
    if (e === undefined) throw new Error(`unknown statistic '${name}'`);
    return e instanceof Counter ? e.value : e.compute();
  }

  /** Every statistic with its value, in declaration order; `prefix` keeps only names under it. */
  list(prefix = ''): StatValue[] {
    const out: StatValue[] = [];
    for (const e of this.entries.values()) {
      if (prefix !== '' && e.name !== prefix && !e.name.startsWith(prefix + '.')) continue;
      out.push({ name: e.name, unit: e.unit, description: e.description, value: this.get(e.name) });
    }
    return out;
  }

  /** Sets every counter back to zero (formulas follow). */
  reset(): void {
    for (const e of this.entries.values()) if (e instanceof Counter) e.value = 0;
  }

  /** `{ name: { value, unit, description } }` for JSON reports. */
  toJSON(): Record<string, { value: number; unit: StatUnit; description: string }> {
    const out: Record<string, { value: number; unit: StatUnit; description: string }> = {};
    for (const s of this.list()) out[s.name] = { value: s.value, unit: s.unit, description: s.description };
    return out;
  }

  /** A plain-text table: name, value, unit, description. */
  table(prefix = ''): string {
    const rows = this.list(prefix).map((s) => [s.name, formatNumber(s.value), s.unit, s.description]);
    return formatTable(['statistic', 'value', 'unit', 'description'], rows, [false, true, false, false]);
  }

  private checkNew(name: string): void {
    if (!NAME.test(name)) throw new Error(`statistic name '${name}' must be dotted identifiers, e.g. l1d.misses`);
    if (this.entries.has(name)) throw new Error(`statistic '${name}' is declared twice`);
  }
}

/** Integers as they are; other numbers with four significant digits (NaN from 0/0 shown as '-'). */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return '-';
  if (Number.isInteger(v)) return String(v);
  return Number(v.toPrecision(4)).toString();
}

/**
 * One column of numbers in one format, so that a table can be read down a column: integers as they are;
 * otherwise the same number of decimals for every row, at least `minSignificant` significant digits for the
 * smallest magnitude, in scientific notation for all rows when the column spans six orders of magnitude or
 * more (or holds very large or very small values). More digits are added until distinct values print
 * distinctly, so rows that differ never look equal. NaN prints as `-`.
 */
export function formatColumn(values: readonly number[], minSignificant = 4): string[] {
  const finite = values.filter((v) => Number.isFinite(v));
  const show = (f: (v: number) => string) => values.map((v) => (Number.isNaN(v) ? '-' : Number.isFinite(v) ? f(v) : String(v)));
  if (finite.every((v) => Number.isInteger(v) && Math.abs(v) < 1e15)) return show(String);
  const mags = finite.filter((v) => v !== 0).map(Math.abs);
  const lo = Math.min(...mags);
  const hi = Math.max(...mags);
  const sci = hi >= 1e12 || lo < 1e-4 || hi / lo >= 1e6;
  const distinct = [...new Set(finite)];
  const separates = (f: (v: number) => string) => new Set(distinct.map(f)).size === distinct.length;
  if (sci) {
    let p = minSignificant - 1;
    while (p < 16 && !separates((v) => v.toExponential(p))) p++;
    return show((v) => v.toExponential(p));
  }
  let d = Math.max(0, minSignificant - 1 - Math.floor(Math.log10(lo)));
  while (d < 20 && !separates((v) => v.toFixed(d))) d++;
  return show((v) => v.toFixed(d));
}

/** A left/right aligned text table; `right[i]` right-aligns column i. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
