// fp32 FMA, 4 per iteration into 4 accumulators: a broadcast scalar (ld1r) times four vectors.
loop:
  ld1r  {v1.4s}, [x1]
  ldr   q2, [x2, #0]
  ldr   q3, [x2, #16]
  ldr   q4, [x2, #32]
  ldr   q5, [x2, #48]
  fmla  v0.4s, v2.4s, v1.4s
  fmla  v16.4s, v3.4s, v1.4s
  fmla  v17.4s, v4.4s, v1.4s
  fmla  v18.4s, v5.4s, v1.4s
  add   x1, x1, #4
  add   x2, x2, #64
  subs  x3, x3, #1
  b.ne  loop
