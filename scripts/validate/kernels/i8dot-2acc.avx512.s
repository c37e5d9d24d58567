# int8 dot product, 2 int32 accumulators, AVX-512 VNNI on 256-bit registers (AVX512VL): vpdpbusd
# multiplies u8 x s8, sums groups of four and adds into the accumulator, one instruction.
.intel_syntax noprefix
loop:
  vmovdqu     ymm1, ymmword ptr [rsi]
  vpdpbusd    ymm0, ymm1, ymmword ptr [rdi]
  vmovdqu     ymm2, ymmword ptr [rsi + 32]
  vpdpbusd    ymm3, ymm2, ymmword ptr [rdi + 32]
  add         rsi, 64
  add         rdi, 64
  dec         rcx
  jnz         loop
