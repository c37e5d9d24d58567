// Scalar-vector mix: a scalar is loaded, scaled and summed on the integer side, and broadcast (dup) into a
// vector accumulator, beside a vector load-and-add.
loop:
  ldr   w4, [x1]
  mul   w6, w4, w8
  add   w5, w5, w6
  dup   v1.4s, w4
  add   v0.4s, v0.4s, v1.4s
  ldr   q2, [x2]
  add   v3.4s, v3.4s, v2.4s
  add   x1, x1, #4
  add   x2, x2, #16
  subs  x3, x3, #1
  b.ne  loop
