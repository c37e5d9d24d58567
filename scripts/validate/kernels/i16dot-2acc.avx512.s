# int16 dot product, 2 int32 accumulators, AVX-512 VNNI on 256-bit registers: vpdpwssd (s16 pairs summed into
# each int32 lane of the accumulator).
.intel_syntax noprefix
loop:
  vmovdqu     ymm1, ymmword ptr [rsi]
  vpdpwssd    ymm0, ymm1, ymmword ptr [rdi]
  vmovdqu     ymm2, ymmword ptr [rsi + 32]
  vpdpwssd    ymm3, ymm2, ymmword ptr [rdi + 32]
  add         rsi, 64
  add         rdi, 64
  dec         rcx
  jnz         loop
