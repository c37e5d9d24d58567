# A loop with a data-dependent branch: a flag is loaded; when it is non-zero a vector is loaded and added into
# the accumulator. The flags are set by the validation script: all non-zero (the path llvm-mca times), or
# random.
# INNER, OUTER and VBn (n times VLEN in bytes) are defined by the validation script (scripts/validate/mpsimd.ts).
        li    x9, OUTER
outer:  li    x1, 0x10000
        li    x2, 0x20000
        li    x3, INNER
loop:   lw    x4, 0(x1)
        beq   x4, x0, skip
        vld   v1, 0(x2)
        vadd.u32 v0, v0, v1
skip:   addi  x1, x1, 4
        addi  x2, x2, VB1
        addi  x3, x3, -1
        bne   x3, x0, loop
        addi  x9, x9, -1
        bne   x9, x0, outer
        halt
