# int16 dot product, 2 int32 accumulators: vwmacc.s16 multiplies the low (part 0) or high (part 1) half of the
# s16 elements and adds into int32 lanes (Neon's smlal/smlal2; on x86 it stands for vpmaddwd + vpaddd).
# INNER, OUTER and VBn (n times VLEN in bytes) are defined by the validation script (scripts/validate/mpsimd.ts).
        li    x9, OUTER
outer:  li    x1, 0x10000
        li    x2, 0x20000
        li    x3, INNER
loop:   vld   v1, 0(x1)
        vld   v2, 0(x2)
        vwmacc.s16 v0, v1, v2, 0
        vwmacc.s16 v3, v1, v2, 1
        vld   v4, VB1(x1)
        vld   v5, VB1(x2)
        vwmacc.s16 v0, v4, v5, 0
        vwmacc.s16 v3, v4, v5, 1
        addi  x1, x1, VB2
        addi  x2, x2, VB2
        addi  x3, x3, -1
        bne   x3, x0, loop
        addi  x9, x9, -1
        bne   x9, x0, outer
        halt
