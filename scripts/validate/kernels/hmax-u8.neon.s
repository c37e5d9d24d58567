// Horizontal maximum of 16 unsigned bytes to a scalar (umaxv), added to a running sum.
loop:
  ldr    q1, [x1]
  umaxv  b1, v1.16b
  fmov   w4, s1
  add    w5, w5, w4
  add    x1, x1, #16
  subs   x3, x3, #1
  b.ne   loop
