# int8 dot product, 2 int32 accumulators: vdotus (u8 x s8, groups of four into int32 lanes, vpdpbusd's
# semantics; on the Neon core it stands for sdot, same class) straight into the accumulator.
# INNER, OUTER and VBn (n times VLEN in bytes) are defined by the validation script (scripts/validate/mpsimd.ts).
# Per iteration: 2 vectors of each operand.
        li    x9, OUTER
outer:  li    x1, 0x10000
        li    x2, 0x20000
        li    x3, INNER
loop:   vld   v1, 0(x1)
        vld   v2, 0(x2)
        vdotus v0, v1, v2
        vld   v4, VB1(x1)
        vld   v5, VB1(x2)
        vdotus v3, v4, v5
        addi  x1, x1, VB2
        addi  x2, x2, VB2
        addi  x3, x3, -1
        bne   x3, x0, loop
        addi  x9, x9, -1
        bne   x9, x0, outer
        halt
