# Copy: two vector loads and two vector stores per iteration.
.intel_syntax noprefix
loop:
  vmovdqu  ymm0, ymmword ptr [rsi]
  vmovdqu  ymm1, ymmword ptr [rsi + 32]
  vmovdqu  ymmword ptr [rdi], ymm0
  vmovdqu  ymmword ptr [rdi + 32], ymm1
  add      rsi, 64
  add      rdi, 64
  dec      rcx
  jnz      loop
