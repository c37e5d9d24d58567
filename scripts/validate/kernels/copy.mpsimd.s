# Copy: two vector loads and two vector stores per iteration.
# INNER, OUTER and VBn (n times VLEN in bytes) are defined by the validation script (scripts/validate/mpsimd.ts).
        li    x9, OUTER
outer:  li    x1, 0x10000
        li    x2, 0x20000
        li    x3, INNER
loop:   vld   v0, 0(x1)
        vld   v1, VB1(x1)
        vst   v0, 0(x2)
        vst   v1, VB1(x2)
        addi  x1, x1, VB2
        addi  x2, x2, VB2
        addi  x3, x3, -1
        bne   x3, x0, loop
        addi  x9, x9, -1
        bne   x9, x0, outer
        halt
