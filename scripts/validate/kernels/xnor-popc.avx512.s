# Binary dot product (XNOR-popcount), AVX-512 VPOPCNTDQ on 256-bit registers (Ice Lake): xor, a popcount of
# each 64-bit lane, accumulate.
.intel_syntax noprefix
loop:
  vmovdqu   ymm1, ymmword ptr [rsi]
  vpxor     ymm1, ymm1, ymmword ptr [rdi]
  vpopcntq  ymm1, ymm1
  vpaddq    ymm0, ymm0, ymm1
  add       rsi, 32
  add       rdi, 32
  dec       rcx
  jnz       loop
