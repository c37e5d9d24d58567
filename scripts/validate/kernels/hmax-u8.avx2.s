# Horizontal maximum of 32 unsigned bytes to a scalar, added to a running sum: a vpmaxub tree down to 16
# bytes, then byte shifts (vpsrldq) and maxima down to one byte, moved out with vpextrb.
.intel_syntax noprefix
loop:
  vmovdqu       ymm1, ymmword ptr [rsi]
  vextracti128  xmm2, ymm1, 1
  vpmaxub       xmm1, xmm1, xmm2
  vpsrldq       xmm2, xmm1, 8
  vpmaxub       xmm1, xmm1, xmm2
  vpsrldq       xmm2, xmm1, 4
  vpmaxub       xmm1, xmm1, xmm2
  vpsrldq       xmm2, xmm1, 2
  vpmaxub       xmm1, xmm1, xmm2
  vpsrldq       xmm2, xmm1, 1
  vpmaxub       xmm1, xmm1, xmm2
  vpextrb       eax, xmm1, 0
  add           edx, eax
  add           rsi, 32
  dec           rcx
  jnz           loop
