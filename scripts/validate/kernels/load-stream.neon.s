// Load-bound stream: four vector loads per iteration, each added into its own accumulator.
loop:
  ldr   q4, [x1]
  ldr   q5, [x1, #16]
  ldr   q6, [x1, #32]
  ldr   q7, [x1, #48]
  add   v0.4s, v0.4s, v4.4s
  add   v1.4s, v1.4s, v5.4s
  add   v2.4s, v2.4s, v6.4s
  add   v3.4s, v3.4s, v7.4s
  add   x1, x1, #64
  subs  x3, x3, #1
  b.ne  loop
