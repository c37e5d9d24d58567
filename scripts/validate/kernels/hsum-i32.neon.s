// Horizontal sum of a vector of four int32 to a scalar (addv), added to a running scalar sum.
loop:
  ldr   q1, [x1]
  addv  s1, v1.4s
  fmov  w4, s1
  add   w5, w5, w4
  add   x1, x1, #16
  subs  x3, x3, #1
  b.ne  loop
