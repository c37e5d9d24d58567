/**
 * `simulate(machine, program)`: the whole data flow of one run. The functional executor computes values and
 * streams dynamic records; the core timing model consumes them and asks the memory hierarchy for every
 * load and store; all counters go into one statistics registry, from which the report reads; the energy
 * tables then price the counted actions (core) and events (caches, DRAM). Nothing here computes a number of its own: it wires the parts together.
 *
 * @module
 */
import { memoryEnergyTable, priceMemoryEnergy, type MemoryEnergyReport } from '../energy/memory.js';
import { energyOf, type EnergyBreakdown } from '../energy/model.js';
import { buildEnergyTable } from '../energy/table.js';
import { Executor } from '../isa/executor.js';
import type { Program } from '../isa/program.js';
import type { MachineState } from '../isa/state.js';
import type { TraceBuffer } from '../isa/trace.js';
import { MemoryHierarchy } from '../memory/hierarchy.js';
import { simulateTiming } from '../pipeline/core.js';
import type { RetireObserver } from '../pipeline/engine.js';
import type { Report } from '../pipeline/report.js';
import { StatsRegistry } from '../stats/registry.js';
import { resolveMachineConfig, type MachineConfig, type MachineConfigInput } from './config.js';

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** Called once the program's data is in memory and before it runs: place inputs, set registers. */
  readonly prepare?: (state: MachineState) => void;
  /** Dynamic records per batch between the executor and the core (default 4096). */
  readonly batch?: number;
  /** Sees every retired instruction's timeline (for pipeline traces; slows the run). */
  readonly observer?: RetireObserver;
  /**
   * Stop feeding the core after this many instructions and report what ran (the result's `halted` is then
   * false). Unlike `isa.maxInstructions`, whose limit is a fault, this ends the run with a partial report.
   */
  readonly maxInstructions?: number;
  /** Called after every batch with the instructions executed so far (cheap: a batch is thousands). */
  readonly onProgress?: (instructions: number) => void;
}

/** What one run produced. */
export interface SimulationResult {
  readonly machine: MachineConfig;
  /** Cycles, instructions, CPI stack, utilisation, action counts. */
  readonly report: Report;
  /** Every counter of the run (core, caches, DRAM), with units and descriptions. */
  readonly stats: StatsRegistry;
  /** Energy of the core's actions (datapath, register file, load/store unit, leakage), in pJ. */
  readonly coreEnergy: EnergyBreakdown;
  /** Energy of the caches and DRAM, itemised by the counter each figure comes from, in pJ. */
  readonly memoryEnergy: MemoryEnergyReport;
  /** coreEnergy.totalPj + memoryEnergy.totalPj. */
  readonly energyPj: number;
  /** The memory hierarchy after the run (its levels' contents and counters). */
  readonly memory: MemoryHierarchy;
  /** Architectural state after the run (registers, memory): read outputs from here. */
  readonly state: MachineState;
  /** Whether the program halted; false when the run stopped at `options.maxInstructions`. */
  readonly halted: boolean;
}

/** Runs `program` on `machine`, functionally and timed, and returns the report and every statistic. */
export function simulate(machine: MachineConfigInput | MachineConfig, program: Program, options: SimulateOptions = {}): SimulationResult {
  const m = resolveMachineConfig(machine as MachineConfigInput);
  const stats = new StatsRegistry();
  const exe = new Executor(program, m.isa);
  options.prepare?.(exe.state);
  const memory = new MemoryHierarchy(m.memory, stats);
  const limit = options.maxInstructions ?? Infinity;
  if (!(limit >= 1)) throw new RangeError(`maxInstructions must be at least 1, got ${options.maxInstructions}`);
  const progress = options.onProgress;
  const next = (buf: TraceBuffer): number => {
    const n = exe.executed < limit ? exe.runBatch(buf, limit - exe.executed) : 0;
    progress?.(exe.executed);
    return n;
  };
  const report = simulateTiming(program.static, next, m.core, memory, stats, {
    ...(options.batch !== undefined ? { batch: options.batch } : {}),
    ...(options.observer !== undefined ? { observer: options.observer } : {}),
  });
  const coreEnergy = energyOf(report.actions(), buildEnergyTable(m.isa.vlenBits, m.energy));
  const memoryEnergy = priceMemoryEnergy(stats, memoryEnergyTable(m.memory, m.memoryEnergy), report.cycles);
  return { machine: m, report, stats, memory, state: exe.state, coreEnergy, memoryEnergy, energyPj: coreEnergy.totalPj + memoryEnergy.totalPj, halted: exe.state.halted };
}
