# int16 dot product, 2 int32 accumulators, AVX2: vpmaddwd multiplies s16 pairs and sums each pair into an
# int32 lane; vpaddd accumulates.
.intel_syntax noprefix
loop:
  vmovdqu     ymm1, ymmword ptr [rsi]
  vpmaddwd    ymm1, ymm1, ymmword ptr [rdi]
  vpaddd      ymm0, ymm0, ymm1
  vmovdqu     ymm2, ymmword ptr [rsi + 32]
  vpmaddwd    ymm2, ymm2, ymmword ptr [rdi + 32]
  vpaddd      ymm3, ymm3, ymm2
  add         rsi, 64
  add         rdi, 64
  dec         rcx
  jnz         loop
