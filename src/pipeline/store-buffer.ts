/**
 * The store buffer's drain: retired stores are written to memory in program order, each piece once the
 * memory accepts it, one cycle later after each refusal; a store's entry is free from the cycle its last piece
 * was accepted. Both cores use it. The cycle-by-cycle core asks, every cycle, for the attempts due at that
 * cycle (`until(now)`). The in-order core asks lazily, only when time must move past them: before an access
 * at a later cycle (so the memory sees every access in cycle order, the buffer's after the accesses issued in
 * the same cycle), when a store needs an older store's entry (`freedAt`), and at the end.
 *
 * It also counts the cycles with a refused access for the whole memory stage (`noteRetry`), since its
 * refusals and the loads' can fall in the same cycle.
 *
 * @module
 */
import { ACCESS_WRITE, RETRY, type MemoryPort } from '../memory/port.js';
import { ringSize } from './ring.js';

const INF = Number.POSITIVE_INFINITY;

/** The drain of one core's store buffer. */
export class StoreDrain {
  private readonly addr: Float64Array;
  private readonly bytes: Int32Array;
  private readonly stride: Int32Array;
  private readonly pieces: Int32Array;
  private readonly pc: Int32Array;
  private readonly ret: Float64Array;
  private readonly freed: Float64Array;
  private readonly mask: number;
  /** Stores added so far. */
  n = 0;
  /** Stores fully written so far (the next to write is number `written`). */
  written = 0;
  private piece = 0; // its next piece
  private cursor = 0; // earliest cycle of the next attempt
  private lastRetry = -1;
  accesses = 0;
  retries = 0;
  /** Cycles with at least one refused access, the cores' loads included (see noteRetry). */
  retryCycles = 0;

  constructor(
    private readonly mem: MemoryPort,
    capacity: number,
    private readonly stuck: number,
  ) {
    const size = ringSize(capacity);
    this.addr = new Float64Array(size);
    this.bytes = new Int32Array(size);
    this.stride = new Int32Array(size);
    this.pieces = new Int32Array(size);
    this.pc = new Int32Array(size);
    this.ret = new Float64Array(size);
    this.freed = new Float64Array(size);
    this.mask = size - 1;
  }

  /** A store that retires at cycle `retire` (stores are added in program order; at most `capacity` unwritten). */
  add(addr: number, bytes: number, stride: number, pieces: number, pc: number, retire: number): void {
    const e = this.n++ & this.mask;
    this.addr[e] = addr; this.bytes[e] = bytes; this.stride[e] = stride; this.pieces[e] = pieces; this.pc[e] = pc; this.ret[e] = retire;
  }

  /** Counts `cycle` as one with a refused access (once, however many were refused in it). */
  noteRetry(cycle: number): void {
    if (cycle !== this.lastRetry) { this.retryCycles++; this.lastRetry = cycle; }
  }

  /** The cycle store number `idx` was fully written (its entry free from then on), writing up to it if needed. */
  freedAt(idx: number): number {
    if (this.written <= idx) this.run(INF, idx);
    return this.freed[idx & this.mask]!;
  }

  /** Stores retired and not yet fully written. */
  get pending(): number {
    return this.n - this.written;
  }

  /** Makes every write attempt due at cycles up to `limit`. */
  until(limit: number): void {
    if (this.written < this.n) this.run(limit, INF);
  }

  private run(limit: number, lastIdx: number): void {
    const m = this.mask, mem = this.mem;
    while (this.written < this.n && this.written <= lastIdx) {
      const e = this.written & m;
      const ret = this.ret[e]!;
      let c = this.cursor > ret ? this.cursor : ret;
      if (c > limit) return;
      const n = this.pieces[e]!;
      while (this.piece < n) {
        const r = mem.access(this.addr[e]! + this.piece * this.stride[e]!, this.bytes[e]!, ACCESS_WRITE, c, this.pc[e]!);
        if (r === RETRY) {
          this.retries++;
          this.noteRetry(c);
          c++;
          if (c - ret > this.stuck) throw new Error(`core timing model stuck: the store buffer could not write the store at pc ${this.pc[e]} for ${this.stuck} cycles (cycle ${c})`);
          if (c > limit) { this.cursor = c; return; }
          continue;
        }
        this.accesses++;
        this.piece++;
      }
      this.piece = 0;
      this.freed[e] = c;
      this.cursor = c;
      this.written++;
    }
  }
}
