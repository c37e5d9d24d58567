# Binary dot product (XNOR-popcount), AVX2: xor the two bit vectors (the mismatches), popcount every byte by
# two vpshufb lookups of a nibble table (ymm5; ymm6 = 0x0f bytes), add them, sum bytes into 64-bit lanes with
# vpsadbw against zero (ymm4) and accumulate with vpaddq. The dot product is VLEN - 2 * mismatches, taken
# after the loop.
.intel_syntax noprefix
loop:
  vmovdqu   ymm1, ymmword ptr [rsi]
  vpxor     ymm1, ymm1, ymmword ptr [rdi]
  vpand     ymm2, ymm1, ymm6
  vpsrlw    ymm1, ymm1, 4
  vpand     ymm1, ymm1, ymm6
  vpshufb   ymm2, ymm5, ymm2
  vpshufb   ymm1, ymm5, ymm1
  vpaddb    ymm1, ymm1, ymm2
  vpsadbw   ymm1, ymm1, ymm4
  vpaddq    ymm0, ymm0, ymm1
  add       rsi, 32
  add       rdi, 32
  dec       rcx
  jnz       loop
