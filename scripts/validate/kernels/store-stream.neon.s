// Store-bound stream: four vector stores per iteration (a fill).
loop:
  str   q0, [x1]
  str   q0, [x1, #16]
  str   q0, [x1, #32]
  str   q0, [x1, #48]
  add   x1, x1, #64
  subs  x3, x3, #1
  b.ne  loop
