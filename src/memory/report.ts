/**
 * A Dinero-IV-like text report of a memory hierarchy's statistics: per level, demand fetches and misses by
 * kind (Total, Instrn, Data, Read, Write, Misc), the 3C breakdown, multi-block references and the bytes moved
 * to and from the next level, followed by what Dinero does not print (writebacks, prefetch accuracy, MSHR
 * and port behaviour, DRAM). Every number comes from a named counter of the registry, so it can be traced.
 *
 * @module
 */
import type { StatsRegistry } from '../stats/registry.js';
import { waysOf } from './config.js';
import type { MemoryHierarchy } from './hierarchy.js';

const COL = 12;

function fmtCount(v: number): string {
  return String(Math.round(v)).padStart(COL);
}
function fmtRatio(v: number): string {
  return (Number.isFinite(v) ? v.toFixed(4) : '0.0000').padStart(COL);
}
function row(label: string, cells: string[]): string {
  return ' ' + label.padEnd(22) + cells.join('  ');
}
/** Dinero's NONZERO: divide by 1 instead of 0. */
function nz(v: number): number {
  return v === 0 ? 1 : v;
}

/** Options of {@link formatMemoryReport}. */
export interface MemoryReportOptions {
  /** A title line printed first (for example the trace file name). */
  readonly title?: string;
}

/** The Dinero-like report of every level of `memory`, read from `stats`. */
export function formatMemoryReport(memory: MemoryHierarchy, stats: StatsRegistry, options: MemoryReportOptions = {}): string {
  const out: string[] = [];
  if (options.title) out.push(options.title, '');
  const g = (name: string) => (stats.has(name) ? stats.get(name) : 0);
  for (const c of memory.levels()) {
    const n = c.name;
    const cfg = c.config;
    out.push(
      `${n}: ${cfg.sizeBytes} bytes, ${cfg.ways === 'full' ? 'fully associative' : waysOf(cfg) === 1 ? 'direct-mapped' : `${waysOf(cfg)}-way`}, ` +
        `${cfg.lineBytes}-byte lines, ${c.sets} sets, ${cfg.replacement.toUpperCase()}, ${cfg.writePolicy === 'write-back' ? 'write-back + write-allocate' : 'write-through + no-write-allocate'}, ${cfg.inclusion}`,
    );
    out.push(row('Metrics', ['Total', 'Instrn', 'Data', 'Read', 'Write', 'Misc'].map((h) => h.padStart(COL))));
    out.push(row('-----------------', Array(6).fill('------'.padStart(COL))));
    const by = (what: string) => ({
      read: g(`${n}.${what}.read`),
      write: g(`${n}.${what}.write`),
      ifetch: g(`${n}.${what}.ifetch`),
      misc: g(`${n}.${what}.misc`),
    });
    const f = by('accesses');
    const m = by('misses');
    const fData = f.read + f.write + f.misc;
    const fAll = fData + f.ifetch;
    const mData = m.read + m.write + m.misc;
    const mAll = mData + m.ifetch;
    out.push(row('Demand Fetches', [fAll, f.ifetch, fData, f.read, f.write, f.misc].map(fmtCount)));
    out.push(row(' Fraction of total', [fAll, f.ifetch, fData, f.read, f.write, f.misc].map((v) => fmtRatio(v / nz(fAll)))));
    const pf = g(`${n}.accesses.prefetch`);
    if (pf > 0) out.push(row('Prefetch Fetches', [fmtCount(pf)]));
    out.push('');
    out.push(row('Demand Misses', [mAll, m.ifetch, mData, m.read, m.write, m.misc].map(fmtCount)));
    out.push(
      row(' Demand miss rate', [
        fmtRatio(mAll / nz(fAll)),
        fmtRatio(m.ifetch / nz(f.ifetch)),
        fmtRatio(mData / nz(fData)),
        fmtRatio(m.read / nz(f.read)),
        fmtRatio(m.write / nz(f.write)),
        fmtRatio(m.misc / nz(f.misc)),
      ]),
    );
    if (stats.has(`${n}.misses.compulsory`)) {
      const comp = g(`${n}.misses.compulsory`);
      const cap = g(`${n}.misses.capacity`);
      const conf = g(`${n}.misses.conflict`);
      out.push(row('  Compulsory misses', [fmtCount(comp)]));
      out.push(row('  Capacity misses', [fmtCount(cap)]));
      out.push(row('  Conflict misses', [fmtCount(conf)]));
      out.push(row('  Compulsory fraction', [fmtRatio(comp / nz(mAll))]));
      out.push(row('  Capacity fraction', [fmtRatio(cap / nz(mAll))]));
      out.push(row('  Conflict fraction', [fmtRatio(conf / nz(mAll))]));
    }
    const pfm = g(`${n}.misses.prefetch`);
    if (pf > 0) out.push(row('Prefetch Misses', [fmtCount(pfm)]));
    out.push('');
    const from = g(`${n}.bytesFromBelow`);
    const to = g(`${n}.bytesToBelow`);
    out.push(row('Multi-block refs', [fmtCount(g(`${n}.multiLineAccesses`))]));
    out.push(row('Bytes From Memory', [fmtCount(from)]));
    out.push(row('( / Demand Fetches)', [fmtRatio(from / nz(fAll))]));
    out.push(row('Bytes To Memory', [fmtCount(to)]));
    out.push(row('( / Demand Writes)', [fmtRatio(to / nz(f.write))]));
    out.push(row('Total Bytes r/w Mem', [fmtCount(from + to)]));
    out.push(row('( / Demand Fetches)', [fmtRatio((from + to) / nz(fAll))]));
    out.push('');
    const extra: [string, string][] = [
      ['Evictions', `${n}.evictions`],
      ['Writebacks', `${n}.writebacks`],
      ['Write-throughs', `${n}.writeThroughs`],
      ['Victim inserts', `${n}.victimInserts`],
      ['Back-invalidations', `${n}.backInvalidations`],
      ['Prefetches issued', `${n}.prefetch.issued`],
      ['Prefetches useful', `${n}.prefetch.useful`],
      ['Prefetches late', `${n}.prefetch.late`],
      ['Prefetches useless', `${n}.prefetch.useless`],
      ['Prefetches dropped', `${n}.prefetch.dropped`],
      ['Delayed hits', `${n}.delayedHits`],
      ['Retries (ports)', `${n}.retries.port`],
      ['Retries (MSHRs)', `${n}.retries.mshr`],
      ['Retries (targets)', `${n}.retries.targets`],
      ['Avg miss latency', `${n}.avgMissLatency`],
    ];
    for (const [label, name] of extra) {
      if (!stats.has(name)) continue;
      const v = stats.get(name);
      if (v === 0 || Number.isNaN(v)) continue;
      out.push(row(label, [Number.isInteger(v) ? fmtCount(v) : fmtRatio(v)]));
    }
    out.push('');
  }
  const d = memory.config.dram;
  out.push(d.model === 'fixed' ? `dram: fixed latency ${d.latencyCycles} cycles, ${d.bytesPerCycle} bytes/cycle` : `dram: ${d.banks} banks, ${d.rowBytes}-byte rows, open page, tRCD/tRP/tCAS ${d.tRcdCycles}/${d.tRpCycles}/${d.tCasCycles} cycles, ${d.bytesPerCycle} bytes/cycle`);
  for (const s of stats.list('dram')) {
    if (s.value === 0) continue;
    out.push(row(s.name.slice(5), [Number.isInteger(s.value) ? fmtCount(s.value) : fmtRatio(s.value)]) + '  ' + s.unit);
  }
  return out.join('\n') + '\n';
}
