# Scalar-vector mix: a scalar is loaded, scaled and summed on the integer side, and broadcast into a vector
# accumulator, beside a vector load-and-add (as in the bookkeeping around a quantised kernel).
.intel_syntax noprefix
loop:
  mov           eax, dword ptr [rdi]
  imul          r8d, eax, 3
  add           edx, r8d
  vmovd         xmm1, eax
  vpbroadcastd  ymm1, xmm1
  vpaddd        ymm0, ymm0, ymm1
  vpaddd        ymm2, ymm2, ymmword ptr [rsi]
  add           rdi, 4
  add           rsi, 32
  dec           rcx
  jnz           loop
