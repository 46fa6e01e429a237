#ifndef CKERNELS_H
#define CKERNELS_H
// The trainer's first-layer kernels in float: products of sparse 8-bit images
// (compressed sparse rows, value = byte / 255) with a dense row-major matrix.
// Each picks an AVX2+FMA implementation at run time when the CPU has it and a
// portable one otherwise. See README.md for why these are not BLAS calls.
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// out[r, :] = bias + sum_p (val/255) * w[col, :] over the entries of image
/// rows[r] (or firstRow + r when rows is NULL), for r < rowCount.
/// w is (pixels x width), out is (rowCount x width), both row-major.
void ck_sparse_times_dense(const int32_t *rowStart, const uint16_t *column, const uint8_t *value,
                           const int64_t *rows, int64_t firstRow, int64_t rowCount,
                           const float *w, int64_t width, const float *bias, float *out);

/// grad = X^T * delta, where row r of X is image rows[r] and delta is
/// (rowCount x width): grad[p, :] = sum over r of (val/255 of pixel p in image r) * delta[r, :].
/// Every row of grad (pixels x width) is written. Returns 0 if memory ran out.
int ck_sparse_transpose_times_dense(const int32_t *rowStart, const uint16_t *column, const uint8_t *value,
                                    const int64_t *rows, int64_t rowCount,
                                    const float *delta, int64_t width, int64_t pixels, float *grad);

/// y[i] = 1 / (1 + exp(-y[i])) in place, for i < count (AVX2: a polynomial
/// exp with relative error below 2e-7; portable: expf).
void ck_sigmoid(float *y, int64_t count);

/// Which implementation the calls above use: "avx2+fma" or "portable".
const char *ck_implementation(void);

#ifdef __cplusplus
}
#endif
#endif
