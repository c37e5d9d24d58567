/**
 * Architectural state of one core: vector registers, scalar registers, precision-pattern registers, data
 * memory and the PC. Vector registers live in one `Uint32Array` (register r is words r*W .. r*W+W-1 with
 * W = VLEN/32; element bits are numbered from bit 0 of word 0, little-endian like memory), so instructions
 * work on 32-bit words and `Float32Array`/`Int8Array` views alias the same bytes.
 *
 * @module
 */
import type { IsaConfig } from './config.js';
import { compilePattern, decodePattern, patternProblem, uniformPattern, type CompiledPattern } from './pattern.js';

/** Number of vector registers. */
export const NUM_VREGS = 32;
/** Number of scalar registers (x0 always reads 0). */
export const NUM_XREGS = 32;

/** The state an instruction reads and writes. */
export class MachineState {
  readonly vlenBits: number;
  /** 32-bit words per vector register. */
  readonly vwords: number;
  /** All vector registers, `vwords` words each. */
  readonly v: Uint32Array;
  /** Same bytes as `v`, as IEEE binary32 lanes. */
  readonly vf: Float32Array;
  /** Same bytes as `v`, as signed int32 lanes. */
  readonly vi: Int32Array;
  /** Scalar registers; x0 is rewritten to 0 after every instruction. */
  readonly x: Int32Array;
  /** Pattern registers: compiled pattern, or null while unwritten. */
  readonly pp: (CompiledPattern | null)[];
  /** Raw descriptor words last written to each pattern register (lo, hi). */
  readonly ppWords: Uint32Array;
  /** Data memory. */
  readonly mem: Uint8Array;
  readonly memView: DataView;
  /** Data memory as little-endian 32-bit words, for aligned word-sized moves. */
  readonly mem32: Uint32Array;
  /** Layouts of the uniform widths 1, 2, 4, 8, 16, 32 (index log2 of the width), for the fast path. */
  readonly uniform: readonly CompiledPattern[];
  /** Temporary values of one instruction (results computed before any is written, for aliased operands). */
  readonly scratch = new Float64Array(512);
  /** Index of the next instruction. */
  pc = 0;
  halted = false;

  constructor(readonly config: IsaConfig) {
    // Typed-array views read memory in the host's byte order; the model is little-endian.
    if (new Uint8Array(Uint32Array.of(1).buffer)[0] !== 1) throw new Error('mpsimd needs a little-endian host');
    this.vlenBits = config.vlenBits;
    this.vwords = config.vlenBits / 32;
    const buf = new ArrayBuffer(NUM_VREGS * this.vwords * 4);
    this.v = new Uint32Array(buf);
    this.vf = new Float32Array(buf);
    this.vi = new Int32Array(buf);
    this.x = new Int32Array(NUM_XREGS);
    this.pp = new Array<CompiledPattern | null>(config.patternRegs).fill(null);
    this.ppWords = new Uint32Array(config.patternRegs * 2);
    this.mem = new Uint8Array(config.memoryBytes);
    this.memView = new DataView(this.mem.buffer);
    this.mem32 = new Uint32Array(this.mem.buffer, 0, config.memoryBytes >> 2);
    this.uniform = [1, 2, 4, 8, 16, 32].map((w) => compilePattern(uniformPattern(w, this.vlenBits), this.vlenBits));
  }

  /**
   * Writes pattern register `k` from descriptor words; returns an error message instead of throwing so the
   * executor can name the instruction at fault.
   */
  setPattern(k: number, lo: number, hi: number): string | null {
    let runs;
    try {
      runs = decodePattern(lo, hi);
    } catch (e) {
      return (e as Error).message;
    }
    const problem = patternProblem(runs, this.vlenBits, this.config.mixedWidths, this.config.maxRuns);
    if (problem !== null) return problem;
    this.pp[k] = compilePattern(runs, this.vlenBits);
    this.ppWords[2 * k] = lo;
    this.ppWords[2 * k + 1] = hi;
    return null;
  }

  /** A deep copy (for reference checks and what-if runs). */
  clone(): MachineState {
    const s = new MachineState(this.config);
    s.v.set(this.v);
    s.x.set(this.x);
    for (let k = 0; k < this.pp.length; k++) s.pp[k] = this.pp[k]!;
    s.ppWords.set(this.ppWords);
    s.mem.set(this.mem);
    s.pc = this.pc;
    s.halted = this.halted;
    return s;
  }

  /** Copies `bytes` into data memory at `addr` (bounds-checked). */
  writeBytes(addr: number, bytes: Uint8Array): void {
    if (addr < 0 || addr + bytes.length > this.mem.length) {
      throw new RangeError(`writeBytes: [${addr}, ${addr + bytes.length}) is outside memory of ${this.mem.length} bytes`);
    }
    this.mem.set(bytes, addr);
  }

  /** A copy of `length` bytes of data memory at `addr` (bounds-checked). */
  readBytes(addr: number, length: number): Uint8Array {
    if (addr < 0 || addr + length > this.mem.length) {
      throw new RangeError(`readBytes: [${addr}, ${addr + length}) is outside memory of ${this.mem.length} bytes`);
    }
    return this.mem.slice(addr, addr + length);
  }

  /** Vector register `r` as a copy of its words. */
  vreg(r: number): Uint32Array {
    return this.v.slice(r * this.vwords, (r + 1) * this.vwords);
  }
}
