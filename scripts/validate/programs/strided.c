/* Strided walk: sums every STRIDE-th int of a 1 MiB array, several passes (one line per access when the
   stride is a line or more; the array does not fit a 32 KiB L1). */
#include <stdio.h>
#define WORDS (1 << 18)
#define STRIDE 20
static int a[WORDS];
int main(void) {
  for (int i = 0; i < WORDS; i++) a[i] = i;
  long s = 0;
  for (int pass = 0; pass < 4; pass++)
    for (int i = pass; i < WORDS; i += STRIDE) s += a[i];
  printf("%ld\n", s);
  return 0;
}
