# Load-bound stream: four vector loads per iteration, each added into its own accumulator (a sum of a
# stream of int32); two loads per cycle are the bound.
.intel_syntax noprefix
loop:
  vpaddd  ymm0, ymm0, ymmword ptr [rsi]
  vpaddd  ymm1, ymm1, ymmword ptr [rsi + 32]
  vpaddd  ymm2, ymm2, ymmword ptr [rsi + 64]
  vpaddd  ymm3, ymm3, ymmword ptr [rsi + 96]
  add     rsi, 128
  dec     rcx
  jnz     loop
