// int8 dot product, 4 int32 accumulators, Neon with the dot-product extension (sdot).
loop:
  ldr   q1, [x1]
  ldr   q2, [x2]
  sdot  v0.4s, v1.16b, v2.16b
  ldr   q4, [x1, #16]
  ldr   q5, [x2, #16]
  sdot  v3.4s, v4.16b, v5.16b
  ldr   q7, [x1, #32]
  ldr   q16, [x2, #32]
  sdot  v6.4s, v7.16b, v16.16b
  ldr   q18, [x1, #48]
  ldr   q19, [x2, #48]
  sdot  v17.4s, v18.16b, v19.16b
  add   x1, x1, #64
  add   x2, x2, #64
  subs  x3, x3, #1
  b.ne  loop
