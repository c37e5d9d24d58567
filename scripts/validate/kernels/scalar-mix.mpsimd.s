# Scalar-vector mix: a scalar is loaded, scaled and summed on the integer side, and broadcast (vbcast) into a
# vector accumulator, beside a vector load-and-add.
# INNER, OUTER and VBn (n times VLEN in bytes) are defined by the validation script (scripts/validate/mpsimd.ts).
        li    x8, 3
        li    x9, OUTER
outer:  li    x1, 0x10000
        li    x2, 0x20000
        li    x3, INNER
loop:   lw    x4, 0(x1)
        mul   x6, x4, x8
        add   x5, x5, x6
        vbcast.u32 v1, x4
        vadd.u32 v0, v0, v1
        vld   v2, 0(x2)
        vadd.u32 v3, v3, v2
        addi  x1, x1, 4
        addi  x2, x2, VB1
        addi  x3, x3, -1
        bne   x3, x0, loop
        addi  x9, x9, -1
        bne   x9, x0, outer
        halt
