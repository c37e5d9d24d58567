# fp32 FMA, 4 per iteration into 4 accumulators: a broadcast scalar times four vectors, as in a GEMM
# micro-kernel. With one accumulator the four FMAs are one dependence chain.
.intel_syntax noprefix
loop:
  vbroadcastss  ymm1, dword ptr [rdi]
  vfmadd231ps   ymm0, ymm1, ymmword ptr [rsi + 0]
  vfmadd231ps   ymm9, ymm1, ymmword ptr [rsi + 32]
  vfmadd231ps   ymm10, ymm1, ymmword ptr [rsi + 64]
  vfmadd231ps   ymm11, ymm1, ymmword ptr [rsi + 96]
  add           rdi, 4
  add           rsi, 128
  dec           rcx
  jnz           loop
