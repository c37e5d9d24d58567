// Copy: two vector loads and two vector stores per iteration.
loop:
  ldr   q0, [x1]
  ldr   q1, [x1, #16]
  str   q0, [x2]
  str   q1, [x2, #16]
  add   x1, x1, #32
  add   x2, x2, #32
  subs  x3, x3, #1
  b.ne  loop
