# A loop with a data-dependent branch: a flag is loaded and tested; when it is non-zero a vector is loaded
# and added into the accumulator. llvm-mca takes no branch and predicts none: it runs every instruction of
# the block each iteration, which is the path where every flag is non-zero.
.intel_syntax noprefix
loop:
  mov     eax, dword ptr [rdi]
  test    eax, eax
  je      skip
  vpaddd  ymm0, ymm0, ymmword ptr [rsi]
skip:
  add     rdi, 4
  add     rsi, 32
  dec     rcx
  jnz     loop
