/* Transpose of an N x N matrix of ints: rows read, columns written (one line per element written). */
#include <stdio.h>
#define N 256
static int A[N][N], T[N][N];
int main(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) A[i][j] = i * N + j;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) T[j][i] = A[i][j];
  printf("%d\n", T[3][5]);
  return 0;
}
