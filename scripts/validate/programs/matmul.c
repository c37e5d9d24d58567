/* Matrix product C = A * B of N x N doubles, i-k-j loop order (B and C walked by rows). */
#include <stdio.h>
#define N 64
static double A[N][N], B[N][N], C[N][N];
int main(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      A[i][j] = (double)(i + j);
      B[i][j] = (double)(i - j);
    }
  for (int i = 0; i < N; i++)
    for (int k = 0; k < N; k++) {
      double a = A[i][k];
      for (int j = 0; j < N; j++) C[i][j] += a * B[k][j];
    }
  printf("%f\n", C[N / 2][N / 3]);
  return 0;
}
