/**
 * The timing model that `simulateNetwork` calls per layer in full mode, built from a machine: each layer's
 * record stream goes through the core timing model and a memory hierarchy, and the counted events are
 * priced. Per layer it reports `cycles`, `instructions`, `energyPj` (core + memory) with its parts as
 * `energy.*Pj` and `memoryEnergyPj`, the CPI-stack parts as `cpi.<part>` (cycles), and the bytes moved between
 * levels as `traffic.<level>.bytesFromBelow` / `bytesToBelow` and `traffic.dram.bytes`. Caches start cold at every layer (a fresh hierarchy per layer, because each
 * layer's timing starts at cycle 0): pessimistic for a layer whose input the previous layer left in the
 * caches, which matters for small layers and is stated wherever these numbers are shown.
 *
 * @module
 */
import { memoryEnergyTable, priceMemoryEnergy } from '../energy/memory.js';
import { energyOf } from '../energy/model.js';
import { buildEnergyTable } from '../energy/table.js';
import type { StaticInfo, TraceBuffer } from '../isa/trace.js';
import type { TimingModel, TimingReport } from '../kernels/network.js';
import { MemoryHierarchy } from '../memory/hierarchy.js';
import { simulateTiming } from '../pipeline/core.js';
import { StatsRegistry } from '../stats/registry.js';
import { resolveMachineConfig, type MachineConfig, type MachineConfigInput } from './config.js';

/** A {@link TimingModel} for `simulateNetwork` that times every layer on `machine`. */
export function networkTiming(machine: MachineConfigInput | MachineConfig): TimingModel {
  const m = resolveMachineConfig(machine as MachineConfigInput);
  const coreTable = buildEnergyTable(m.isa.vlenBits, m.energy);
  const memTable = memoryEnergyTable(m.memory, m.memoryEnergy);
  return (info: StaticInfo, trace: Iterable<TraceBuffer>): TimingReport => {
    const stats = new StatsRegistry();
    const memory = new MemoryHierarchy(m.memory, stats);
    const it = trace[Symbol.iterator]();
    // The network's executor fills its own buffer; copy each batch into the one the core asks to fill.
    let pending: TraceBuffer | null = null;
    let from = 0;
    const source = (buf: TraceBuffer): number => {
      if (pending === null || from >= pending.count) {
        const r = it.next();
        if (r.done) return 0;
        pending = r.value;
        from = 0;
      }
      const n = Math.min(buf.capacity, pending.count - from);
      buf.pc.set(pending.pc.subarray(from, from + n));
      buf.addr.set(pending.addr.subarray(from, from + n));
      buf.size.set(pending.size.subarray(from, from + n));
      buf.stride.set(pending.stride.subarray(from, from + n));
      buf.pieces.set(pending.pieces.subarray(from, from + n));
      buf.taken.set(pending.taken.subarray(from, from + n));
      buf.count = n;
      from += n;
      return n;
    };
    const report = simulateTiming(info, source, m.core, memory, stats);
    const core = energyOf(report.actions(), coreTable);
    const mem = priceMemoryEnergy(stats, memTable, report.cycles);
    const out: Record<string, number> = {
      cycles: report.cycles,
      instructions: report.instructions,
      energyPj: core.totalPj + mem.totalPj,
      'energy.datapathPj': core.datapathPj,
      'energy.registerFilePj': core.registerFilePj,
      'energy.lsuPj': core.lsuPj + core.overheadPj,
      'energy.coreLeakagePj': core.leakagePj,
      memoryEnergyPj: mem.totalPj,
    };
    for (const [k, v] of Object.entries(report.cpiStack)) out[`cpi.${k}`] = v;
    // Traffic between levels (bytes), by the level that fetched or wrote them, and DRAM's total.
    for (const l of m.memory.levels) {
      const name = l.name ?? '';
      if (name === '' || !stats.has(`${name}.bytesFromBelow`)) continue;
      out[`traffic.${name}.bytesFromBelow`] = stats.get(`${name}.bytesFromBelow`);
      out[`traffic.${name}.bytesToBelow`] = stats.get(`${name}.bytesToBelow`);
    }
    if (stats.has('dram.bytes')) out['traffic.dram.bytes'] = stats.get('dram.bytes');
    return out;
  };
}
