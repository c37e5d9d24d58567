# Horizontal sum of a vector of eight int32 to a scalar, added to a running scalar sum: the usual
# extract-shuffle-add tree.
.intel_syntax noprefix
loop:
  vmovdqu       ymm1, ymmword ptr [rsi]
  vextracti128  xmm2, ymm1, 1
  vpaddd        xmm1, xmm1, xmm2
  vpshufd       xmm2, xmm1, 78
  vpaddd        xmm1, xmm1, xmm2
  vpshufd       xmm2, xmm1, 177
  vpaddd        xmm1, xmm1, xmm2
  vmovd         eax, xmm1
  add           edx, eax
  add           rsi, 32
  dec           rcx
  jnz           loop
