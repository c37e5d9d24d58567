// int16 dot product, 2 int32 accumulators, Neon: widening multiply-accumulate of the low (smlal) and high
// (smlal2) halves of each pair of s16 vectors.
loop:
  ldr    q1, [x1]
  ldr    q2, [x2]
  smlal  v0.4s, v1.4h, v2.4h
  smlal2 v3.4s, v1.8h, v2.8h
  ldr    q4, [x1, #16]
  ldr    q5, [x2, #16]
  smlal  v0.4s, v4.4h, v5.4h
  smlal2 v3.4s, v4.8h, v5.8h
  add    x1, x1, #32
  add    x2, x2, #32
  subs   x3, x3, #1
  b.ne   loop
