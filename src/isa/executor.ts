/**
 * The functional executor: runs a program on a {@link MachineState} and is the only place where values are
 * computed. It hands the timing model a stream of dynamic records written into a reused
 * {@link TraceBuffer} (`runBatch`), so any run length takes bounded memory; `run` executes without
 * recording, `trace` yields plain records for users and tests.
 *
 * Faults (bad memory access, unwritten pattern register, an invalid pattern, running past the end, the
 * instruction limit) are thrown as {@link SimError}, naming the PC, the source line and the instruction.
 *
 * @module
 */
import { INSTR_CLASSES } from './classes.js';
import { resolveIsaConfig, type IsaConfig, type IsaConfigInput } from './config.js';
import { formatInstr } from './disassembler.js';
import { usesPattern } from './encoding.js';
import { Effects, ExecFault, type ExecFn, type Instr } from './instr.js';
import type { Program } from './program.js';
import { MachineState } from './state.js';
import { OPS } from './table.js';
import { MAX_READS, MEM_LOAD, MEM_STORE, TraceBuffer, type DynRecord } from './trace.js';

/** An error raised while running a program, located at an instruction. */
export class SimError extends Error {
  constructor(
    message: string,
    /** Instruction index at fault. */
    readonly pc: number,
    /** Source line, when the program came from text. */
    readonly line: number | undefined,
    /** The instruction as text. */
    readonly instruction: string,
  ) {
    super(`pc ${pc}${line !== undefined ? ` (line ${line})` : ''} '${instruction}': ${message}`);
    this.name = 'SimError';
  }
}

/** What a run did. */
export interface RunSummary {
  /** Instructions executed by this call. */
  readonly instructions: number;
  readonly halted: boolean;
}

/** Runs one program on one core configuration. */
export class Executor {
  readonly config: IsaConfig;
  readonly state: MachineState;
  /** Instructions executed since the last reset. */
  executed = 0;
  private readonly instrs: readonly Instr[];
  private readonly fns: readonly ExecFn[];
  private readonly fx = new Effects();

  constructor(
    readonly program: Program,
    config: IsaConfigInput | IsaConfig = {},
  ) {
    this.config = resolveIsaConfig(config as IsaConfigInput);
    this.instrs = program.instrs;
    this.fns = program.instrs.map((ins) => OPS[ins.op]!.exec);
    program.instrs.forEach((ins, pc) => {
      if (usesPattern(ins) && ins.pp >= this.config.patternRegs) {
        throw this.fault(`pp${ins.pp} does not exist: the core has ${this.config.patternRegs} pattern registers (isa.patternRegs)`, pc);
      }
    });
    this.state = new MachineState(this.config);
    this.reset();
  }

  /** Clears registers and memory, places the program's data and sets the PC to 0. */
  reset(): void {
    const st = this.state;
    st.v.fill(0);
    st.x.fill(0);
    st.pp.fill(null);
    st.ppWords.fill(0);
    st.mem.fill(0);
    for (const b of this.program.data) {
      if (b.addr + b.bytes.length > st.mem.length) {
        throw new RangeError(`data block at ${b.addr} (${b.bytes.length} bytes) does not fit memory of ${st.mem.length} bytes (isa.memoryBytes)`);
      }
      st.mem.set(b.bytes, b.addr);
    }
    st.pc = 0;
    st.halted = false;
    this.executed = 0;
  }

  /**
   * Runs until halt, without recording, or until `limit` instructions of this call have run (then `halted` is
   * false and a later call continues); throws SimError on a fault.
   */
  run(limit = Infinity): RunSummary {
    const start = this.executed;
    for (let left = limit; !this.state.halted && left > 0; left = limit - (this.executed - start)) this.loop(null, left < 1 << 30 ? left : 1 << 30);
    return { instructions: this.executed - start, halted: this.state.halted };
  }

  /**
   * Runs up to `max` (default and at most `buf.capacity`) instructions, writing one record each into `buf`;
   * returns the number written (also `buf.count`), 0 once the program has halted.
   */
  runBatch(buf: TraceBuffer, max = buf.capacity): number {
    const n = this.loop(buf, max < buf.capacity ? max : buf.capacity);
    buf.count = n;
    return n;
  }

  /** Yields a plain record per executed instruction (convenient, slower than runBatch). */
  *trace(batch = 1024): Generator<DynRecord> {
    const buf = new TraceBuffer(batch);
    const s = this.program.static;
    for (let n = this.runBatch(buf); n > 0; n = this.runBatch(buf)) {
      for (let k = 0; k < n; k++) {
        const pc = buf.pc[k]!;
        const reads: number[] = [];
        for (let r = 0; r < MAX_READS; r++) if (s.reads[pc * MAX_READS + r]! >= 0) reads.push(s.reads[pc * MAX_READS + r]!);
        yield {
          pc,
          op: OPS[s.op[pc]!]!.mnemonic,
          cls: INSTR_CLASSES[s.cls[pc]!]!,
          reads,
          writes: s.writes[pc]!,
          etype: s.etype[pc]!,
          pattern: s.pattern[pc]!,
          mem: s.mem[pc] === MEM_LOAD ? 'load' : s.mem[pc] === MEM_STORE ? 'store' : 'none',
          addr: buf.addr[k]!,
          size: buf.size[k]!,
          stride: buf.stride[k]!,
          pieces: buf.pieces[k]!,
          taken: buf.taken[k] === 1,
        };
      }
    }
  }

  /**
   * The hot loop: executes up to `max` instructions (recording each in `buf` when given) and returns how many
   * ran. Everything it touches per instruction is a local or a typed array; faults are rare, so one try
   * around the loop costs nothing per instruction.
   */
  private loop(buf: TraceBuffer | null, max: number): number {
    const st = this.state;
    const instrs = this.instrs;
    const fns = this.fns;
    const fx = this.fx;
    const x = st.x;
    const len = instrs.length;
    const room = this.config.maxInstructions - this.executed;
    const limit = max < room ? max : room;
    let n = 0;
    let pc = st.pc;
    try {
      while (n < limit && !st.halted) {
        pc = st.pc;
        if (pc >= len) throw new ExecFault(`ran past the end of the program (${len} instructions): missing halt?`);
        fx.size = 0;
        fx.taken = 0;
        st.pc = pc + 1;
        fns[pc]!(st, instrs[pc]!, fx);
        x[0] = 0;
        if (buf !== null) {
          buf.pc[n] = pc;
          buf.size[n] = fx.size;
          buf.taken[n] = fx.taken;
          if (fx.size !== 0) {
            buf.addr[n] = fx.addr;
            buf.stride[n] = fx.stride;
            buf.pieces[n] = fx.pieces;
          }
        }
        n++;
      }
    } catch (e) {
      this.executed += n;
      st.pc = pc;
      if (e instanceof ExecFault) throw this.fault(e.message, pc);
      throw e;
    }
    this.executed += n;
    if (n < max && !st.halted) {
      throw this.fault(`instruction limit of ${this.config.maxInstructions} reached (raise isa.maxInstructions if the program is meant to run longer)`, st.pc);
    }
    return n;
  }

  private fault(message: string, pc: number): SimError {
    const ins = this.instrs[pc];
    return new SimError(message, pc, this.program.lines?.[pc], ins === undefined ? '<end of program>' : formatInstr(ins));
  }
}
