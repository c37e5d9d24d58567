// Binary dot product (XNOR-popcount), Neon: xor (the mismatches), popcount of each byte (cnt), and a pairwise
// add-accumulate of the byte counts into 16-bit lanes (uadalp).
loop:
  ldr     q1, [x1]
  ldr     q2, [x2]
  eor     v1.16b, v1.16b, v2.16b
  cnt     v1.16b, v1.16b
  uadalp  v0.8h, v1.16b
  add     x1, x1, #16
  add     x2, x2, #16
  subs    x3, x3, #1
  b.ne    loop
