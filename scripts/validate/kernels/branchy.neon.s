// A loop with a data-dependent branch: a flag is loaded; when it is non-zero (cbz not taken) a vector is
// loaded and added into the accumulator. llvm-mca runs every instruction of the block each iteration.
loop:
  ldr   w4, [x1]
  cbz   w4, skip
  ldr   q1, [x2]
  add   v0.4s, v0.4s, v1.4s
skip:
  add   x1, x1, #4
  add   x2, x2, #16
  subs  x3, x3, #1
  b.ne  loop
