/**
 * The loop kernels of the llvm-mca validation and the processor models they run on. Each kernel is a file
 * per instruction set in `kernels/`: `NAME.avx2.s` (x86-64 AVX2, Intel syntax), `NAME.avx512.s` (AVX-512 VNNI
 * or VPOPCNTDQ on 256-bit registers, where it changes the code), `NAME.neon.s` (AArch64 Neon with the
 * dot-product extension) and `NAME.mpsimd.s` (mpsimd assembly, the closest equivalent; see mpsimd.ts for its
 * frame). A kernel may share another's files for one ISA (`fma-4acc-vlds0` differs only in its mpsimd code).
 *
 * Causes are stated per kernel and processor model where mpsimd's figure is more than 10% away from
 * llvm-mca's; the script prints "cause not stated" for any other such row, so a timing change that moves a
 * figure shows up.
 *
 * @module
 */
import type { MachineState } from '../../src/isa/state.js';

/** Instruction sets a kernel is written in. */
export type KernelIsa = 'avx2' | 'avx512' | 'neon';

/** A processor model: the llvm-mca model and the mpsimd preset it is set beside. */
export interface Target {
  /** Short name used in tables and in {@link Kernel.causes}. */
  readonly key: string;
  /** Which kernel file it runs. */
  readonly isa: KernelIsa;
  readonly triple: string;
  readonly mcpu: string;
  /** mpsimd preset name (see src/presets); a name not (yet) defined leaves the mpsimd column empty. */
  readonly preset: string;
}

/**
 * The VNNI Skylake-like preset's name: the slot for the Ice Lake / Cascade Lake core with `vpdpbusd`. Until
 * src/presets defines it, the icelake rows show llvm-mca's figure only.
 */
export const VNNI_PRESET = 'vnniSkylake';

/** Every processor model, in table order. */
export const TARGETS: readonly Target[] = [
  { key: 'skylake', isa: 'avx2', triple: 'x86_64-unknown-linux-gnu', mcpu: 'skylake', preset: 'avx2Skylake' },
  { key: 'icelake', isa: 'avx512', triple: 'x86_64-unknown-linux-gnu', mcpu: 'icelake-server', preset: VNNI_PRESET },
  { key: 'n1', isa: 'neon', triple: 'aarch64-unknown-linux-gnu', mcpu: 'neoverse-n1', preset: 'neonA76' },
  { key: 'a76', isa: 'neon', triple: 'aarch64-unknown-linux-gnu', mcpu: 'cortex-a76', preset: 'neonA76' },
];

/** Another way to fill an mpsimd kernel's data, reported beside the main figure (llvm-mca has no data). */
export interface DataVariant {
  readonly label: string;
  readonly prepare: (st: MachineState) => void;
}

/** One loop kernel. */
export interface Kernel {
  readonly name: string;
  /** One line: what the loop does. */
  readonly title: string;
  /** File base name per ISA when it is not `name` (shared files). */
  readonly files?: Partial<Record<KernelIsa | 'mpsimd', string>>;
  /** ISAs it has no file for (besides avx512, which is only written where it changes the code). */
  readonly isas: readonly KernelIsa[];
  /** Fills the mpsimd kernel's data for the main figure (the path llvm-mca times). */
  readonly prepare?: (st: MachineState) => void;
  /** Other data, mpsimd only. */
  readonly variants?: readonly DataVariant[];
  /** Why mpsimd is off, by target key. */
  readonly causes?: Readonly<Record<string, string>>;
}

/** Fills `words` 32-bit flags from 0x10000 with `f(k)`. */
function flags(words: number, f: (k: number) => number): (st: MachineState) => void {
  return (st) => {
    for (let k = 0; k < words; k++) st.memView.setUint32(0x10000 + 4 * k, f(k), true);
  };
}

/** A fixed pseudo-random sequence of bits (xorshift32), so the random variant is reproducible. */
function randomBit(seed: number): (k: number) => number {
  let s = seed;
  const bits: number[] = [];
  return (k) => {
    while (bits.length <= k) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      bits.push((s >>> 0) & 1);
    }
    return bits[k]!;
  };
}

const ALL: readonly KernelIsa[] = ['avx2', 'neon'];

// Causes that recur.
const CHAIN_DOT8 = 'the whole 11-cycle `vec-dot8` latency (the 3-instruction AVX2 sequence) sits on the accumulator chain; on Skylake only the final `vpaddd` (1 cycle) is on it';
const FRONT_END = 'mpsimd dispatches 4 instructions per cycle';
const MCA_N1_WIDTH = "LLVM's N1 model dispatches 8 µops per cycle and models no decoder, where the Neoverse N1 and Cortex-A76 software optimization guides give a 4-instruction decode";
const N1_STORE = "the preset lets both L pipes take a 128-bit store per cycle; LLVM's N1 model issues `str q` as 2 µops on an L pipe and 2 on a V pipe, one store per cycle";
const WITH_AVX512: readonly KernelIsa[] = ['avx2', 'avx512', 'neon'];

/** The kernels, in table order. */
export const KERNELS: readonly Kernel[] = [
  {
    name: 'i8dot-2acc',
    title: 'int8 dot product, 2 accumulators',
    isas: WITH_AVX512,
    causes: { skylake: CHAIN_DOT8 },
  },
  { name: 'i8dot-4acc', title: 'int8 dot product, 4 accumulators', isas: WITH_AVX512, causes: { skylake: CHAIN_DOT8 } },
  {
    name: 'i16dot-2acc',
    title: 'int16 dot product, 2 accumulators',
    isas: WITH_AVX512,
    causes: { skylake: 'each `vwmacc` puts the whole 5-cycle `vec-mac` latency on its accumulator (2 per accumulator per iteration: 10 cycles); on Skylake `vpmaddwd` is off the chain and only `vpaddd` (1 cycle) is on it' },
  },
  { name: 'fma-1acc', title: 'fp32 FMA x4, 1 accumulator', isas: ALL },
  { name: 'fma-2acc', title: 'fp32 FMA x4, 2 accumulators', isas: ALL },
  { name: 'fma-4acc', title: 'fp32 FMA x4, 4 accumulators, broadcast load', isas: ALL },
  {
    name: 'fma-4acc-vlds0',
    title: 'the same, broadcast by a stride-0 `vlds`',
    files: { avx2: 'fma-4acc', neon: 'fma-4acc' },
    isas: ALL,
    causes: { skylake: 'a strided load makes one cache access per element: 8 accesses for the broadcast plus 4 vector loads over 2 L1 ports (6 cycles); `vbroadcastss` is one access (row fma-4acc)' },
  },
  {
    name: 'xnor-popc',
    title: 'binary XNOR-popcount, `vxdot` into the accumulator',
    isas: WITH_AVX512,
    causes: {
      skylake: 'the whole 8-cycle `vec-xdot` latency is on the accumulator chain; in the AVX2 code only `vpaddq` (1 cycle) is',
      n1: 'the whole 10-cycle `vec-xdot` latency is on the accumulator chain; in the Neon code only `uadalp` (4 cycles in LLVM\'s N1 model) is',
    },
  },
  {
    name: 'xnor-popc-split',
    title: 'binary XNOR-popcount, `vxnor` + `vpopc` + `vadd`',
    files: { avx2: 'xnor-popc', avx512: 'xnor-popc', neon: 'xnor-popc' },
    isas: WITH_AVX512,
    causes: {
      skylake: 'one `vpopc` stands for 7 µops (`vpand`, `vpsrlw`, `vpand`, 2 `vpshufb`, `vpaddb`, `vpsadbw`, three of them port 5 only) but is priced as one operation holding any of p0/p1/p5 for 2 cycles: llvm-mca is bound by 13 ALU µops on 4 ports',
      n1: 'the Neon chain is `uadalp` (4 cycles in LLVM\'s N1 model, which models no late accumulate forwarding), mpsimd\'s is `vadd` (2 cycles); mpsimd is bound by 9 instructions at 4 per cycle',
    },
  },
  {
    name: 'hsum-i32',
    title: 'horizontal sum of int32 to a scalar',
    isas: ALL,
    causes: { skylake: '`vec-reduce` holds port 5 for 2 cycles; the tree it stands for has three port-5 shuffles (`vextracti128`, 2 `vpshufd`), so port 5 bounds llvm-mca at 3 cycles' },
  },
  {
    name: 'hmax-u8',
    title: 'horizontal maximum of u8 to a scalar',
    isas: ALL,
    causes: {
      skylake: '`vec-reduce` holds port 5 for 2 cycles; the byte tree it stands for has six port-5 µops (`vextracti128`, 4 `vpsrldq`, the shuffle µop of `vpextrb`)',
      n1: 'the Neon code needs `fmov` (V1) to move the result to a general register after `umaxv` (V1, 2 cycles): V1 bounds it at 3; `vredmax` writes the scalar register itself',
    },
  },
  {
    name: 'load-stream',
    title: 'load-bound stream, 4 loads + 4 adds',
    isas: ALL,
    causes: {
      skylake: `${FRONT_END}: 11 instructions (mpsimd has no load-op form) against Skylake's 6 fused µops, bound by its 2 loads per cycle`,
      n1: `${FRONT_END}: 11 instructions, which a 4-wide A76/N1 decoder also takes 2.75 cycles for; ${MCA_N1_WIDTH}`,
    },
  },
  { name: 'store-stream', title: 'store-bound stream, 4 stores', isas: ALL, causes: { n1: N1_STORE } },
  { name: 'copy', title: 'copy, 2 loads + 2 stores', isas: ALL, causes: { n1: `${N1_STORE}; with the 2 loads, the L pipes bound it at 3 cycles` } },
  {
    name: 'scalar-mix',
    title: 'scalar-vector mix (load, multiply, broadcast, add)',
    isas: ALL,
    causes: {
      skylake: `${FRONT_END}: 11 instructions against 10 µops in llvm-mca, which dispatches 6 per cycle and is bound by 10 ALU µops on 4 ports`,
      n1: `${FRONT_END}: 11 instructions; ${MCA_N1_WIDTH}, so its bound is 7 integer µops on 3 integer pipes (2.33)`,
    },
  },
  {
    name: 'branchy',
    title: 'data-dependent branch (flag tested, vector added when set)',
    isas: ALL,
    prepare: flags(64, () => 1),
    causes: { skylake: `${FRONT_END}: 8 instructions (no load-op form); llvm-mca, dispatching 6 per cycle without macro-fusion, is bound by 7 ALU µops on 4 ports` },
    variants: [{ label: 'random flags (half taken)', prepare: flags(64, randomBit(0x9e3779b9)) }],
  },
];

/** The file of `kernel` for `isa`, relative to the kernels folder. */
export function kernelFile(kernel: Kernel, isa: KernelIsa | 'mpsimd'): string {
  return `${kernel.files?.[isa] ?? kernel.name}.${isa}.s`;
}
