// int8 dot product, 2 int32 accumulators, Neon with the dot-product extension: sdot sums groups of four
// s8 x s8 products into each int32 lane of the accumulator.
loop:
  ldr   q1, [x1]
  ldr   q2, [x2]
  sdot  v0.4s, v1.16b, v2.16b
  ldr   q4, [x1, #16]
  ldr   q5, [x2, #16]
  sdot  v3.4s, v4.16b, v5.16b
  add   x1, x1, #32
  add   x2, x2, #32
  subs  x3, x3, #1
  b.ne  loop
