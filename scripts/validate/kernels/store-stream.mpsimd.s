# Store-bound stream: four vector stores per iteration (a fill).
# INNER, OUTER and VBn (n times VLEN in bytes) are defined by the validation script (scripts/validate/mpsimd.ts).
        li    x9, OUTER
outer:  li    x1, 0x10000
        li    x3, INNER
loop:   vst   v0, 0(x1)
        vst   v0, VB1(x1)
        vst   v0, VB2(x1)
        vst   v0, VB3(x1)
        addi  x1, x1, VB4
        addi  x3, x3, -1
        bne   x3, x0, loop
        addi  x9, x9, -1
        bne   x9, x0, outer
        halt
