# Binary dot product with the accumulator chain broken, as the x86 and Neon code do: vxnor, a popcount per
# 32-bit lane (vpopc.u32), then only the vadd on the chain.
# INNER, OUTER and VBn (n times VLEN in bytes) are defined by the validation script (scripts/validate/mpsimd.ts).
        li    x9, OUTER
outer:  li    x1, 0x10000
        li    x2, 0x20000
        li    x3, INNER
loop:   vld   v1, 0(x1)
        vld   v2, 0(x2)
        vxnor v3, v1, v2
        vpopc.u32 v3, v3
        vadd.u32 v0, v0, v3
        addi  x1, x1, VB1
        addi  x2, x2, VB1
        addi  x3, x3, -1
        bne   x3, x0, loop
        addi  x9, x9, -1
        bne   x9, x0, outer
        halt
