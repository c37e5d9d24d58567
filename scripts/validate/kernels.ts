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
const N1_FORWARDING = "LLVM's N1 model declares no late forwarding of accumulators; Arm's Cortex-A76 and Neoverse N1 software optimization guides give it (the preset follows them, docs/presets.md)";
const FRONT_END = 'mpsimd dispatches 4 instructions per cycle';
const MCA_N1_WIDTH = "LLVM's N1 model dispatches 8 µops per cycle and models no decoder, where the Neoverse N1 and Cortex-A76 software optimization guides give a 4-instruction decode";
const N1_STORE = "the preset's vector stores take its store pipe (one per cycle) and no L pipe; LLVM's N1 model issues `str q` as 2 µops on an L pipe and 2 on a V pipe, so with the 2 loads the L pipes bound it at 3 cycles";
const WITH_AVX512: readonly KernelIsa[] = ['avx2', 'avx512', 'neon'];

/** The kernels, in table order. */
export const KERNELS: readonly Kernel[] = [
  {
    name: 'i8dot-2acc',
    title: 'int8 dot product, 2 accumulators',
    isas: WITH_AVX512,
  },
  { name: 'i8dot-4acc', title: 'int8 dot product, 4 accumulators', isas: WITH_AVX512 },
  {
    name: 'i16dot-2acc',
    title: 'int16 dot product, 2 accumulators',
    isas: WITH_AVX512,
    causes: {
      skylake: `${FRONT_END}: 12 instructions, where AVX2 has 10 (its \`vpmaddwd\` multiplies s16 pairs and takes its load as an operand; \`vwmacc\` multiplies one element per int32 lane, so the low and high halves take 2)`,
      icelake: 'two `vwmacc` per accumulator per iteration (one element per int32 lane) where one `vpdpwssd` sums the pairs: 2 x 5 cycles on each accumulator chain',
      n1: `\`smlal\` forwards its accumulator after 1 cycle (4(1)): 1 cycle per \`vwmacc\` on the chain; ${N1_FORWARDING}`,
    },
  },
  { name: 'fma-1acc', title: 'fp32 FMA x4, 1 accumulator', isas: ALL, causes: { n1: `\`fmla\` forwards its accumulator after 2 cycles (4(2)); ${N1_FORWARDING}` } },
  { name: 'fma-2acc', title: 'fp32 FMA x4, 2 accumulators', isas: ALL, causes: { n1: `\`fmla\` forwards its accumulator after 2 cycles (4(2)); ${N1_FORWARDING}` } },
  {
    name: 'fma-4acc',
    title: 'fp32 FMA x4, 4 accumulators, broadcast load',
    isas: ALL,
    causes: { n1: `with \`fmla\` 4(2) the four chains take 2 cycles an iteration, and 13 instructions at 4 per cycle (3.25) bound it; ${N1_FORWARDING}, so each chain's 4 cycles bound llvm-mca` },
  },
  {
    name: 'fma-4acc-vlds0',
    title: 'the same, broadcast by a stride-0 `vlds`',
    files: { avx2: 'fma-4acc', neon: 'fma-4acc' },
    isas: ALL,
    causes: { n1: 'as fma-4acc (the stride-0 `vlds` is one access, as the broadcast load)' },
  },
  {
    name: 'xnor-popc',
    title: 'binary XNOR-popcount, `vxdot` into the accumulator',
    isas: WITH_AVX512,
    causes: {
      icelake: 'the preset prices popcount as the AVX2 sequence (its port-5 shuffles); Ice Lake has `vpopcntq` (VPOPCNTDQ), one µop, which the VNNI preset does not model',
      n1: `the accumulation into the lane is one 2-cycle \`add\` (the preset reads the accumulator 8 cycles into \`vxdot\`'s 10); the Neon code's chain is \`uadalp\`, 4(1) in the guides, 4 in LLVM's model: ${N1_FORWARDING}`,
    },
  },
  {
    name: 'xnor-popc-split',
    title: 'binary XNOR-popcount, `vxnor` + `vpopc` + `vadd`',
    files: { avx2: 'xnor-popc', avx512: 'xnor-popc', neon: 'xnor-popc' },
    isas: WITH_AVX512,
    causes: {
      skylake: 'one `vpopc` stands for 7 µops (`vpand`, `vpsrlw`, `vpand`, 2 `vpshufb`, `vpaddb`, `vpsadbw`, three of them port 5 only) but is priced as one operation holding port 5 for 2 cycles: llvm-mca is bound by 13 ALU µops on 4 ports',
      icelake: 'as xnor-popc: Ice Lake has `vpopcntq`, which the VNNI preset does not model',
      n1: 'the Neon chain is `uadalp` (4 cycles in LLVM\'s N1 model, which models no late accumulate forwarding), mpsimd\'s is `vadd` (2 cycles); mpsimd is bound by 9 instructions at 4 per cycle',
    },
  },
  {
    name: 'hsum-i32',
    title: 'horizontal sum of int32 to a scalar',
    isas: ALL,
  },
  {
    name: 'hmax-u8',
    title: 'horizontal maximum of u8 to a scalar',
    isas: ALL,
    causes: {
      skylake: '`vec-reduce` is priced as the int32 sum (3 cycles of port 5); the byte tree of the maximum has six port-5 µops (`vextracti128`, 4 `vpsrldq`, the shuffle µop of `vpextrb`)',
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
  { name: 'store-stream', title: 'store-bound stream, 4 stores', isas: ALL },
  { name: 'copy', title: 'copy, 2 loads + 2 stores', isas: ALL, causes: { n1: N1_STORE } },
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
