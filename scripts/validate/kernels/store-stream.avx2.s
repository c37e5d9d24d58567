# Store-bound stream: four vector stores per iteration (a fill); one store per cycle is the bound.
.intel_syntax noprefix
loop:
  vmovdqu  ymmword ptr [rdi], ymm0
  vmovdqu  ymmword ptr [rdi + 32], ymm0
  vmovdqu  ymmword ptr [rdi + 64], ymm0
  vmovdqu  ymmword ptr [rdi + 96], ymm0
  add      rdi, 128
  dec      rcx
  jnz      loop
