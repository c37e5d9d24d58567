/* Linked-list chase: nodes of 64 bytes in a random permutation of a 2 MiB pool, followed several times
   (each step a dependent load to a line chosen at random). */
#include <stdio.h>
#include <stdlib.h>
#define NODES (1 << 15)
struct node { struct node *next; long pad[7]; };
static struct node pool[NODES];
int main(void) {
  static int perm[NODES];
  unsigned s = 12345;
  for (int i = 0; i < NODES; i++) perm[i] = i;
  for (int i = NODES - 1; i > 0; i--) {
    s = s * 1103515245u + 12345u;
    int j = (int)((s >> 8) % (unsigned)(i + 1));
    int t = perm[i]; perm[i] = perm[j]; perm[j] = t;
  }
  for (int i = 0; i < NODES; i++) pool[perm[i]].next = &pool[perm[(i + 1) % NODES]];
  struct node *p = &pool[perm[0]];
  long steps = 0;
  for (int pass = 0; pass < 3; pass++)
    for (int i = 0; i < NODES; i++) { p = p->next; steps++; }
  printf("%ld %d\n", steps, p == &pool[perm[0]]);
  return 0;
}
