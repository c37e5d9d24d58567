# int8 dot product, 4 int32 accumulators, AVX-512 VNNI on 256-bit registers: vpdpbusd (u8 x s8, groups of
# four summed into each int32 lane of the accumulator).
.intel_syntax noprefix
loop:
  vmovdqu     ymm1, ymmword ptr [rsi]
  vpdpbusd    ymm0, ymm1, ymmword ptr [rdi]
  vmovdqu     ymm2, ymmword ptr [rsi + 32]
  vpdpbusd    ymm3, ymm2, ymmword ptr [rdi + 32]
  vmovdqu     ymm4, ymmword ptr [rsi + 64]
  vpdpbusd    ymm5, ymm4, ymmword ptr [rdi + 64]
  vmovdqu     ymm6, ymmword ptr [rsi + 96]
  vpdpbusd    ymm8, ymm6, ymmword ptr [rdi + 96]
  add         rsi, 128
  add         rdi, 128
  dec         rcx
  jnz         loop
