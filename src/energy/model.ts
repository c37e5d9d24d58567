/**
 * Energy = action counts x energy table. The counts come from a timing run (`Report.actions()`); the table
 * from {@link buildEnergyTable} or any replacement. Linear in the counts by construction.
 *
 * @module
 */
import type { ActionCounts } from '../pipeline/report.js';
import type { InstrClassName } from '../isa/classes.js';
import type { WidthKey } from '../isa/width-keys.js';
import type { EnergyTable } from './table.js';

/** Energy of a run, by component (pJ). */
export interface EnergyBreakdown {
  readonly totalPj: number;
  /** Datapath energy per instruction class. */
  readonly byClassPj: Readonly<Record<string, number>>;
  readonly datapathPj: number;
  readonly registerFilePj: number;
  readonly lsuPj: number;
  readonly overheadPj: number;
  readonly leakagePj: number;
  /** Energy per retired instruction. */
  readonly pjPerInstruction: number;
}

/** Prices a run's action counts with an energy table. */
export function energyOf(a: ActionCounts, t: EnergyTable): EnergyBreakdown {
  const byClass: Record<string, number> = {};
  let datapath = 0;
  let instructions = 0;
  for (const o of a.ops) {
    const e = o.count * t.opPj[o.cls as InstrClassName][o.width as WidthKey];
    byClass[o.cls] = (byClass[o.cls] ?? 0) + e;
    datapath += e;
    instructions += o.count;
  }
  const rf =
    a.scalarRegReads * t.scalarRegReadPj + a.scalarRegWrites * t.scalarRegWritePj + a.vectorRegReads * t.vectorRegReadPj + a.vectorRegWrites * t.vectorRegWritePj;
  const lsu = a.memAccesses * t.lsuAccessPj;
  const overhead = instructions * t.instructionOverheadPj;
  const leakage = a.cycles * t.leakagePjPerCycle;
  const total = datapath + rf + lsu + overhead + leakage;
  return { totalPj: total, byClassPj: byClass, datapathPj: datapath, registerFilePj: rf, lsuPj: lsu, overheadPj: overhead, leakagePj: leakage, pjPerInstruction: total / instructions };
}
