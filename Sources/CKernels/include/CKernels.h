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

/// Compressed sparse rows of `images` images of pixelCount bytes, in two
/// passes. First: rowStart[i + 1] - rowStart[i] = the non-zero bytes of image
/// i (rowStart holds images + 1 values); returns their total.
int64_t ck_count_nonzero(const uint8_t *pixels, int64_t images, int64_t pixelCount, int32_t *rowStart);

/// Then: image i's non-zero pixels and bytes into column and value at
/// rowStart[i]; both arrays hold the total.
void ck_compress_rows(const uint8_t *pixels, int64_t images, int64_t pixelCount, const int32_t *rowStart,
                      uint16_t *column, uint8_t *value);

/// Checks rows that come from outside (a cache file) against what the two
/// calls above make: rowStart[0] = 0, rowStart[images] = entries, rows that
/// never go back and hold at most pixelCount entries, strictly increasing
/// columns below pixelCount, values that are not 0. Returns the first image
/// that breaks a rule, or -1 when all hold (and -2 when the ends are wrong).
int64_t ck_check_rows(const int32_t *rowStart, int64_t images, const uint16_t *column, const uint8_t *value,
                      int64_t entries, int64_t pixelCount);

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

/// An entry of a batch grouped by pixel: bits = batch row << 8 | value byte
/// (so batches of up to 2^24 rows). Four bytes, because the entries of every
/// batch pass from the thread that groups them to the one that trains.
typedef struct { uint32_t bits; } ck_entry;

/// The largest batch `ck_group_by_pixel` can describe.
#define CK_MAX_BATCH (1 << 24)

/// How many entries images rows[0 ..< rowCount] hold together.
int64_t ck_entry_count(const int32_t *rowStart, const int64_t *rows, int64_t rowCount);

/// Images rows[0 ..< rowCount], in that order, as rows of their own: outStart
/// (rowCount + 1 values) from 0, and outColumn, outValue holding
/// ck_entry_count(...) entries. A mini-batch copied this way is read in order,
/// from one place, instead of from 100 places in the whole training set.
void ck_copy_rows(const int32_t *rowStart, const uint16_t *column, const uint8_t *value, const int64_t *rows,
                  int64_t rowCount, int32_t *outStart, uint16_t *outColumn, uint8_t *outValue);

/// The batch's entries regrouped by pixel: pixel p's entries are
/// entries[start[p] ..< start[p + 1]], in batch order. start holds pixels + 1
/// values; entries holds ck_entry_count(...); rowCount <= CK_MAX_BATCH.
///
/// With `scratch` (ck_group_scratch(pixels, rowCount) entries, which is 0 for
/// big batches: pass NULL then) the entries are read once, dropped into one
/// bucket of rowCount places per pixel in the scratch, and the buckets copied
/// out in pixel order. Without it, a counting sort reads them twice and
/// scatters them straight into `entries`. Both give the same result; the
/// scratch way is faster when `entries` is written on one core and read on
/// another, as in the trainer's pipeline, because each of its lines is then
/// written once, in order.
void ck_group_by_pixel(const int32_t *rowStart, const uint16_t *column, const uint8_t *value,
                       const int64_t *rows, int64_t rowCount, int64_t pixels, int32_t *start, ck_entry *entries,
                       ck_entry *scratch);

/// How many entries `ck_group_by_pixel`'s scratch needs: pixels * rowCount
/// while that is at most 131,072 (512 KB, the L2 of one core here), else 0.
int64_t ck_group_scratch(int64_t pixels, int64_t rowCount);

/// The first layer's SGD step from a grouped batch: w -= rate * X^T * delta,
/// touching only the rows of w (pixels x width) whose pixel has entries.
/// delta is (batch rows x width), deltaStride (>= width) floats from one row to the
/// next. Each row is w[p, :] = fma(-rate, g_p, w[p, :]).
void ck_grouped_descend(const int32_t *start, const ck_entry *entries, int64_t pixels,
                        const float *delta, int64_t deltaStride, int64_t width, float rate, float *w);

/// The output layer's logits: z2 = a1 * w2 + b2 for n rows, a1 (n x h), w2 (h x o),
/// z2 (n x o), all row-major; each sum runs over the hidden units in order.
void ck_output_forward(const float *a1, const float *w2, const float *b2, int64_t n, int64_t h, int64_t o, float *z2);

/// The output layer's backward pass for n batch rows, from dZ2 (n x o):
/// dW2 = A1^T dZ2 (h x o), db2 = column sums of dZ2, dZ1 = (dZ2 W2^T) * A1 * (1 - A1)
/// (n x h) and db1 = column sums of dZ1. a1 (n x h) holds the hidden activations,
/// w2 is (h x o); all row-major; dz1's rows are dz1Stride (>= h) floats apart. scratch
/// holds ck_output_backward_scratch(h, o) floats. Every sum runs over the batch rows,
/// or the outputs, in order.
void ck_output_backward(const float *a1, const float *dz2, const float *w2, int64_t n, int64_t h, int64_t o,
                        float *dw2, float *db2, float *dz1, int64_t dz1Stride, float *db1, float *scratch);
int64_t ck_output_backward_scratch(int64_t h, int64_t o);

/// W1 split at whole cache lines: the first `ck_lined_columns(width)` columns of each row (a
/// multiple of 16: 64-byte rows) in `body`, which must be 64-byte aligned, the other 1 to 8 in
/// `side`; both row-major, `pixels` rows each. The split applies when width <= 64 and width mod 16
/// is 1 to 8 (50 = 48 + 2); otherwise ck_lined_columns returns 0.
int64_t ck_lined_columns(int64_t width);
void ck_lined_pack(const float *w, int64_t pixels, int64_t width, float *body, float *side);
void ck_lined_unpack(const float *body, const float *side, int64_t pixels, int64_t width, float *w);

/// `ck_sparse_times_dense` and `ck_grouped_descend` with W1 in the split layout; the
/// results are bit for bit those of the row-major kernels.
void ck_lined_times_dense(const int32_t *rowStart, const uint16_t *column, const uint8_t *value, const int64_t *rows,
                          int64_t firstRow, int64_t rowCount, const float *body, const float *side, int64_t width,
                          const float *bias, float *out);
void ck_lined_grouped_descend(const int32_t *start, const ck_entry *entries, int64_t pixels, const float *delta,
                              int64_t deltaStride, int64_t width, float rate, float *body, float *side);

/// The row stride for dZ1 that the two descents read fastest: width rounded up to
/// a multiple of 8, so every 8-float load is 32-byte aligned and none straddles two
/// cache lines (at 50 floats a row, three of a row's seven loads did).
int64_t ck_delta_stride(int64_t width);

/// Plain SGD on one parameter tensor: w[i] = fma(-rate, g[i], w[i]) for i < count,
/// one rounding per element, the same form as the first layer's descent. The AVX2
/// and portable paths give the same bits (fmaf is correctly rounded everywhere), so
/// no library's choice of kernel reaches the weights.
void ck_descend(float *w, const float *g, int64_t count, float rate);

/// The scatter of n points about their mean, for principal components:
/// c[j, k] += sum over rows i, in order, of (x[i, j] - mean[j]) * (x[i, k] - mean[k]),
/// for k >= j (the upper triangle of a row-major d x d matrix), in double, each term
/// one fused multiply-add, so the AVX2 and portable loops give the same bits.
/// x holds n rows of d floats; scratch holds d doubles.
void ck_covariance(const float *x, int64_t n, int64_t d, const double *mean, double *c, double *scratch);

/// y[i] = 1 / (1 + exp(-y[i])) in place, for i < count (AVX2: a polynomial
/// exp with relative error below 2e-7; portable: expf).
void ck_sigmoid(float *y, int64_t count);

/// Row-wise softmax in place: z[r, j] = e^(z[r, j] - max_j z[r, :]) / sum, for a
/// (rows x columns) row-major matrix; huge logits cannot overflow, a NaN stays NaN.
void ck_softmax_rows(float *z, int64_t rows, int64_t columns);

/// How many of the (rows x columns) row-major z's rows have their largest element
/// (the first one on ties; a NaN is never the largest) at index labels[r].
int64_t ck_count_argmax_matches(const float *z, int64_t rows, int64_t columns, const uint8_t *labels);

/// Which implementation the calls above use: "avx2+fma" or "portable".
const char *ck_implementation(void);

#ifdef __cplusplus
}
#endif
#endif
