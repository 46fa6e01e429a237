// `make bench`, part 2: the output layer's products with OpenBLAS (1 and 2
// threads) against CKernels' ck_output_forward and ck_output_backward, for
// the recipe's shapes: a training batch (100 rows x 50 hidden units x 10
// outputs) and an evaluation chunk (1,000 rows, forward only).
//
// OpenBLAS path, as the trainer ran it before the C kernels:
//   forward:  copy b2 into every row of Z2, then cblas_sgemm(Z2 += A1 W2)
//   backward: cblas_sgemm(dW2 = A1^T dZ2), column sums of dZ2,
//             cblas_sgemm(dA1 = dZ2 W2^T), dZ1 = dA1 * A1 * (1 - A1), column sums of dZ1
// Prints, for each, the median over 31 rounds of the mean time per call in
// microseconds; the variants take turns within each round.
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "CKernels.h"

void openblas_set_num_threads(int);

enum { H = 50, O = 10, ROUNDS = 31 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static float *filled(size_t count, float scale, float offset) {
    float *p = malloc(count * sizeof(float));
    if (!p) { fprintf(stderr, "output_layer: out of memory\n"); exit(1); }
    for (size_t i = 0; i < count; i++) p[i] = offset + scale * (float)rand() / (float)RAND_MAX;
    return p;
}

// Inputs and outputs of one measurement.
typedef struct {
    int n;
    float *a1, *w2, *b2, *z2, *dz2, *dw2, *db2, *dz1, *db1, *scratch;
} Layer;

static void blas_forward(Layer *l) {
    for (int r = 0; r < l->n; r++) memcpy(l->z2 + r * O, l->b2, O * sizeof(float));
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, l->n, O, H, 1, l->a1, H, l->w2, O, 1, l->z2, O);
}

static void kernel_forward(Layer *l) { ck_output_forward(l->a1, l->w2, l->b2, l->n, H, O, l->z2); }

static void blas_backward(Layer *l) {
    int n = l->n;
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, O, n, 1, l->a1, H, l->dz2, O, 0, l->dw2, O);
    for (int k = 0; k < O; k++) l->db2[k] = 0;
    for (int r = 0; r < n; r++)
        for (int k = 0; k < O; k++) l->db2[k] += l->dz2[r * O + k];
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, H, O, 1, l->dz2, O, l->w2, O, 0, l->dz1, H);
    for (int i = 0; i < n * H; i++) l->dz1[i] *= l->a1[i] * (1 - l->a1[i]);
    for (int j = 0; j < H; j++) l->db1[j] = 0;
    for (int r = 0; r < n; r++)
        for (int j = 0; j < H; j++) l->db1[j] += l->dz1[r * H + j];
}

static void kernel_backward(Layer *l) {
    ck_output_backward(l->a1, l->dz2, l->w2, l->n, H, O, l->dw2, l->db2, l->dz1, H, l->db1, l->scratch);
}

// Mean microseconds per call of `calls` calls.
static double timed(void (*body)(Layer *), Layer *l, int calls) {
    double start = now();
    for (int i = 0; i < calls; i++) body(l);
    return (now() - start) / calls * 1e6;
}

static double median(double *times) {
    qsort(times, ROUNDS, sizeof(double), compare);
    return times[ROUNDS / 2];
}

static Layer layer(int n) {
    Layer l = {.n = n};
    l.a1 = filled((size_t)n * H, 1, 0);
    l.w2 = filled(H * O, 0.2f, -0.1f);
    l.b2 = filled(O, 0.2f, -0.1f);
    l.z2 = filled((size_t)n * O, 0, 0);
    l.dz2 = filled((size_t)n * O, 0.02f, -0.01f);
    l.dw2 = filled(H * O, 0, 0);
    l.db2 = filled(O, 0, 0);
    l.dz1 = filled((size_t)n * H, 0, 0);
    l.db1 = filled(H, 0, 0);
    l.scratch = filled((size_t)ck_output_backward_scratch(H, O), 0, 0);
    return l;
}

int main(void) {
    Layer batch = layer(100), chunk = layer(1000);
    printf("output layer, %d hidden units x %d outputs: median of %d rounds, microseconds per call "
           "(kernels: %s)\n", H, O, ROUNDS, ck_implementation());
    printf("%-37s%12s%12s%12s\n", "", "OpenBLAS 1", "OpenBLAS 2", "C kernels");
    struct { const char *name; void (*blas)(Layer *); void (*kernel)(Layer *); Layer *l; int calls; } rows[] = {
        {"forward, 100-row batch", blas_forward, kernel_forward, &batch, 500},
        {"backward, 100-row batch", blas_backward, kernel_backward, &batch, 500},
        {"forward, 1,000-row evaluation chunk", blas_forward, kernel_forward, &chunk, 50},
    };
    // The three variants take turns within each round, so a slow spell of
    // this shared machine slows all of them alike.
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double one[ROUNDS], two[ROUNDS], ours[ROUNDS];
        timed(rows[i].blas, rows[i].l, rows[i].calls);  // warm up
        timed(rows[i].kernel, rows[i].l, rows[i].calls);
        for (int round = 0; round < ROUNDS; round++) {
            openblas_set_num_threads(1);
            one[round] = timed(rows[i].blas, rows[i].l, rows[i].calls);
            openblas_set_num_threads(2);
            two[round] = timed(rows[i].blas, rows[i].l, rows[i].calls);
            openblas_set_num_threads(1);
            ours[round] = timed(rows[i].kernel, rows[i].l, rows[i].calls);
        }
        printf("%-37s%12.2f%12.2f%12.2f\n", rows[i].name, median(one), median(two), median(ours));
    }
    return 0;
}
