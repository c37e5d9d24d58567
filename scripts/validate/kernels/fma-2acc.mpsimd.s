# fp32 FMA, 4 per iteration into 2 accumulators: a broadcast load (vldbc: vbroadcastss, ld1r)
# times four vectors.
# INNER, OUTER and VBn (n times VLEN in bytes) are defined by the validation script (scripts/validate/mpsimd.ts).
        li    x9, OUTER
outer:  li    x1, 0x10000
        li    x2, 0x20000
        li    x3, INNER
loop:   vldbc.f32 v1, 0(x1)
        vld   v2, 0(x2)
        vld   v3, VB1(x2)
        vld   v4, VB2(x2)
        vld   v5, VB3(x2)
        vfma.f32 v0, v2, v1
        vfma.f32 v8, v3, v1
        vfma.f32 v0, v4, v1
        vfma.f32 v8, v5, v1
        addi  x1, x1, 4
        addi  x2, x2, VB4
        addi  x3, x3, -1
        bne   x3, x0, loop
        addi  x9, x9, -1
        bne   x9, x0, outer
        halt
