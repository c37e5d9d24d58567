# int8 dot product, 4 int32 accumulators, AVX2 (no VNNI): vpmaddubsw (u8 x s8 -> s16 pairs), vpmaddwd with
# ones (-> s32), vpaddd into the accumulator. ymm7 holds sixteen 16-bit ones.
.intel_syntax noprefix
loop:
  vmovdqu     ymm1, ymmword ptr [rsi]
  vpmaddubsw  ymm1, ymm1, ymmword ptr [rdi]
  vpmaddwd    ymm1, ymm1, ymm7
  vpaddd      ymm0, ymm0, ymm1
  vmovdqu     ymm2, ymmword ptr [rsi + 32]
  vpmaddubsw  ymm2, ymm2, ymmword ptr [rdi + 32]
  vpmaddwd    ymm2, ymm2, ymm7
  vpaddd      ymm3, ymm3, ymm2
  vmovdqu     ymm4, ymmword ptr [rsi + 64]
  vpmaddubsw  ymm4, ymm4, ymmword ptr [rdi + 64]
  vpmaddwd    ymm4, ymm4, ymm7
  vpaddd      ymm5, ymm5, ymm4
  vmovdqu     ymm6, ymmword ptr [rsi + 96]
  vpmaddubsw  ymm6, ymm6, ymmword ptr [rdi + 96]
  vpmaddwd    ymm6, ymm6, ymm7
  vpaddd      ymm8, ymm8, ymm6
  add         rsi, 128
  add         rdi, 128
  dec         rcx
  jnz         loop
