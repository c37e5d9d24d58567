// The kernel-like loop the ISA and pipeline benchmarks run: the inner loop of an output-stationary
// mixed-precision layer, per iteration 2 pointer loads (li), 5 vector loads, 4 vmdot under a 3-run
// 4/2/1-bit pattern, a counter update and a branch (13 instructions).

/**
 * Assembly of the loop for a VLEN. The pattern 4x(V/16) | 2x(V/8) | 1x(V/2) covers V/4 + V/4 + V/2 = V bits.
 * `separateAccumulators` gives each vmdot its own register, so the timing model sees independent work
 * rather than a chain through one accumulator.
 */
export function mixedDotLoop(vlenBits: number, iterations: number, separateAccumulators = false): string {
  const acc = (k: number) => `v${separateAccumulators ? 8 + k : 8}`;
  const stride = vlenBits / 4;
  return `
        li    x5, %pp(4x${vlenBits / 16}, 2x${vlenBits / 8}, 1x${vlenBits / 2})
        setpp pp0, x5, x0
        li    x3, ${iterations}
loop:   li    x1, 0x1000
        li    x2, 0x2000
        vld   v1, 0(x1)
        vld   v2, 0(x2)
        vld   v3, ${stride}(x2)
        vld   v4, ${2 * stride}(x2)
        vld   v5, ${3 * stride}(x2)
        vmdot.pp0 ${acc(0)}, v1, v2, 0
        vmdot.pp0 ${acc(1)}, v1, v3, 1
        vmdot.pp0 ${acc(2)}, v1, v4, 2
        vmdot.pp0 ${acc(3)}, v1, v5, 3
        addi  x3, x3, -1
        bne   x3, x0, loop
        halt`;
}
