# Horizontal sum of a vector of int32 to a scalar (vredsum), added to a running scalar sum.
# INNER, OUTER and VBn (n times VLEN in bytes) are defined by the validation script (scripts/validate/mpsimd.ts).
        li    x9, OUTER
outer:  li    x1, 0x10000
        li    x3, INNER
loop:   vld   v1, 0(x1)
        vredsum.u32 x5, v1
        add   x6, x6, x5
        addi  x1, x1, VB1
        addi  x3, x3, -1
        bne   x3, x0, loop
        addi  x9, x9, -1
        bne   x9, x0, outer
        halt
