# int8 dot product, 2 int32 accumulators, AVX2 (no VNNI): the sequence compilers emit for u8 x s8.
# vpmaddubsw: u8 x s8 pairs -> s16 (saturating); vpmaddwd with ones: s16 pairs -> s32; vpaddd: accumulate.
# Only the vpaddd is on the accumulator chain. ymm7 holds sixteen 16-bit ones.
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
  add         rsi, 64
  add         rdi, 64
  dec         rcx
  jnz         loop
