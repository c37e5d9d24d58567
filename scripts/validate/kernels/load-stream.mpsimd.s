# Load-bound stream: four vector loads per iteration, each added into its own accumulator.
# INNER, OUTER and VBn (n times VLEN in bytes) are defined by the validation script (scripts/validate/mpsimd.ts).
        li    x9, OUTER
outer:  li    x1, 0x10000
        li    x3, INNER
loop:   vld   v4, 0(x1)
        vld   v5, VB1(x1)
        vld   v6, VB2(x1)
        vld   v7, VB3(x1)
        vadd.u32 v0, v0, v4
        vadd.u32 v1, v1, v5
        vadd.u32 v2, v2, v6
        vadd.u32 v3, v3, v7
        addi  x1, x1, VB4
        addi  x3, x3, -1
        bne   x3, x0, loop
        addi  x9, x9, -1
        bne   x9, x0, outer
        halt
