/**
 * Test helpers: build a hierarchy from a compact description, and a deliberately naive reference model of
 * Dinero IV's d4ref semantics (lists of lines per set, MRU first) to compare against. The reference is
 * written from Dinero's source behaviour, independently of src/memory: block-split references, LRU or FIFO
 * per set, write-back + write-allocate (no fetch when a write covers the whole block) or write-through +
 * no-write-allocate, downstream order fetch -> write-through -> victim writeback, 3C with a fully associative
 * shadow of the same policy and an infinite cache.
 */
import { resolveMemoryConfig, type MemoryConfigInput } from '../../src/memory/config.js';
import { MemoryHierarchy } from '../../src/memory/hierarchy.js';
import { StatsRegistry } from '../../src/stats/registry.js';

export function build(input: MemoryConfigInput): { h: MemoryHierarchy; stats: StatsRegistry } {
  const stats = new StatsRegistry();
  return { h: new MemoryHierarchy(resolveMemoryConfig(input), stats), stats };
}

/** One cache level: sizeBytes, ways, lineBytes; everything else defaults. */
export function level(sizeBytes: number, ways: number | 'full', lineBytes: number, extra: Record<string, unknown> = {}) {
  return { sizeBytes, ways, lineBytes, ...extra };
}

export interface RefLevelSpec {
  sizeBytes: number;
  ways: number;
  lineBytes: number;
  policy: 'lru' | 'fifo';
  writeBack: boolean;
}

export interface RefCounts {
  accesses: number[]; // by kind 0..3
  misses: number[];
  comp: number;
  cap: number;
  conf: number;
  writebacks: number;
  bytesFrom: number;
  bytesTo: number;
  multi: number;
}

class RefLevel {
  sets: { line: number; dirty: boolean }[][];
  nsets: number;
  fa: number[] = []; // shadow, MRU first
  seen = new Set<number>();
  n: RefCounts = { accesses: [0, 0, 0, 0], misses: [0, 0, 0, 0], comp: 0, cap: 0, conf: 0, writebacks: 0, bytesFrom: 0, bytesTo: 0, multi: 0 };
  constructor(
    readonly spec: RefLevelSpec,
    readonly next: RefLevel | null,
    readonly memory: { reads: number; writes: number },
  ) {
    this.nsets = spec.sizeBytes / (spec.lineBytes * spec.ways);
    this.sets = Array.from({ length: this.nsets }, () => []);
  }
  ref(addr: number, size: number, kind: number): void {
    const lb = this.spec.lineBytes;
    const first = Math.floor(addr / lb);
    const last = Math.floor((addr + size - 1) / lb);
    for (let l = first; l <= last; l++) {
      const a = Math.max(addr, l * lb);
      const e = Math.min(addr + size, (l + 1) * lb);
      if (l > first) this.n.multi++;
      this.one(a, e - a, kind);
    }
  }
  private down(addr: number, size: number, kind: number): void {
    if (kind === 1) this.n.bytesTo += size;
    else this.n.bytesFrom += size;
    if (this.next) this.next.ref(addr, size, kind);
    else if (kind === 1) this.memory.writes++;
    else this.memory.reads++;
  }
  private one(addr: number, size: number, kind: number): void {
    const { lineBytes: lb, ways, policy, writeBack } = this.spec;
    const line = Math.floor(addr / lb);
    const set = this.sets[line % this.nsets]!;
    const pos = set.findIndex((x) => x.line === line);
    const miss = pos < 0;
    const isWrite = kind === 1;
    const alloc = !(isWrite && miss && !writeBack);
    this.n.accesses[kind]!++;
    if (miss) this.n.misses[kind]!++;
    // 3C (looked up before update)
    const fpos = this.fa.indexOf(line);
    if (miss) {
      if (fpos >= 0) this.n.conf++;
      else if (!this.seen.has(line)) this.n.comp++;
      else this.n.cap++;
    }
    this.seen.add(line);
    if (fpos >= 0) {
      if (policy === 'lru') this.fa.unshift(...this.fa.splice(fpos, 1));
    } else if (!(isWrite && !writeBack)) {
      this.fa.unshift(line);
      if (this.fa.length > this.spec.sizeBytes / lb) this.fa.pop();
    }
    let victim: { line: number; dirty: boolean } | undefined;
    if (!miss) {
      const e = set[pos]!;
      if (policy === 'lru') set.unshift(...set.splice(pos, 1));
      if (isWrite && writeBack) e.dirty = true;
    } else if (alloc) {
      set.unshift({ line, dirty: isWrite && writeBack });
      if (set.length > ways) victim = set.pop();
    }
    // downstream, Dinero order: fetch, write-through, writeback
    if (miss && alloc && !(isWrite && size === lb)) this.down(line * lb, lb, isWrite ? 0 : kind);
    if (isWrite && !writeBack) this.down(addr, size, 1);
    if (victim?.dirty) {
      this.n.writebacks++;
      this.down(victim.line * lb, lb, 1);
    }
  }
}

/** A reference hierarchy of non-inclusive levels; `ref` takes kind 0 read, 1 write, 2 ifetch, 3 misc. */
export function referenceHierarchy(specs: RefLevelSpec[]) {
  const memory = { reads: 0, writes: 0 };
  const levels: RefLevel[] = [];
  let next: RefLevel | null = null;
  for (let i = specs.length - 1; i >= 0; i--) {
    next = new RefLevel(specs[i]!, next, memory);
    levels.unshift(next);
  }
  return { levels, memory, ref: (addr: number, size: number, kind: number) => levels[0]!.ref(addr, size, kind) };
}

/** Misses of a fully associative LRU cache of `capacity` lines, by LRU stack distance (Mattson et al. 1970). */
export function stackDistanceMisses(lines: readonly number[], capacity: number): number {
  const stack: number[] = [];
  let misses = 0;
  for (const l of lines) {
    const d = stack.indexOf(l); // stack distance - 1, or -1 for infinite
    if (d < 0 || d >= capacity) misses++;
    if (d >= 0) stack.splice(d, 1);
    stack.unshift(l);
  }
  return misses;
}
