#include "CKernels.h"
#include <math.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CK_X86 1
#endif

static const float kScale = 1.0f / 255.0f;

// byte / 255 for every byte: a table load is cheaper than an int-to-float
// conversion (which also carries a false register dependency on x86).
static float kPixel[256];
static void init_pixel_table(void) __attribute__((constructor));
static void init_pixel_table(void) {
    for (int i = 0; i < 256; i++) kPixel[i] = (float)i * kScale;
}

// MARK: - Sparse rows

int64_t ck_count_nonzero(const uint8_t *restrict pixels, int64_t images, int64_t pixelCount, int32_t *restrict rowStart) {
    int64_t total = 0;
    rowStart[0] = 0;
    for (int64_t i = 0; i < images; i++) {
        const uint8_t *image = pixels + i * pixelCount;
        int32_t count = 0;
        for (int64_t p = 0; p < pixelCount; p++) count += image[p] != 0;  // vectorised by the compiler
        total += count;
        rowStart[i + 1] = (int32_t)total;
    }
    return total;
}

int64_t ck_check_rows(const int32_t *restrict rowStart, int64_t images, const uint16_t *restrict column,
                      const uint8_t *restrict value, int64_t entries, int64_t pixelCount) {
    if (images < 0 || rowStart[0] != 0 || rowStart[images] != entries) return -2;
    for (int64_t i = 0; i < images; i++) {
        int64_t start = rowStart[i], end = rowStart[i + 1];
        if (end < start || end > entries || end - start > pixelCount) return i;
        if (end == start) continue;
        // Branch-free over the row, so that the compiler vectorises it.
        int bad = value[start] == 0;
        for (int64_t k = start + 1; k < end; k++) bad |= (column[k] <= column[k - 1]) | (value[k] == 0);
        if (bad || column[end - 1] >= pixelCount) return i;
    }
    return -1;
}

// Eight pixels at a time: most 8-byte words of a digit are all background
// and are skipped with one test; the others are scanned byte by byte.
static void compress_rows_portable(const uint8_t *restrict pixels, int64_t images, int64_t pixelCount,
                                   const int32_t *restrict rowStart, uint16_t *restrict column, uint8_t *restrict value) {
    for (int64_t i = 0; i < images; i++) {
        const uint8_t *image = pixels + i * pixelCount;
        int64_t k = rowStart[i], p = 0;
        for (; p + 8 <= pixelCount; p += 8) {
            uint64_t word;
            memcpy(&word, image + p, 8);
            if (word == 0) continue;
            for (int64_t q = p; q < p + 8; q++)
                if (image[q]) { column[k] = (uint16_t)q; value[k] = image[q]; k++; }
        }
        for (; p < pixelCount; p++)
            if (image[p]) { column[k] = (uint16_t)p; value[k] = image[p]; k++; }
    }
}

// MARK: - Look-ahead

// A batch's images lie at random places in the training set, mostly out of
// every cache. Kernels that walk a batch image by image ask for the image
// kLookahead places ahead (and for its row bounds twice as far ahead), so its
// entries arrive while this one is worked on. A few requests per image keep
// the CPU's queue of outstanding misses short, where prefetching a whole batch
// at once (the previous way) floods it.
enum { kLookahead = 4 };

static inline void prefetch_ahead(const int32_t *rowStart, const uint16_t *column, const uint8_t *value,
                                  const int64_t *rows, int64_t r, int64_t rowCount) {
    if (r + 2 * kLookahead < rowCount) __builtin_prefetch(rowStart + rows[r + 2 * kLookahead]);
    if (r + kLookahead < rowCount) {
        const int32_t first = rowStart[rows[r + kLookahead]], end = rowStart[rows[r + kLookahead] + 1];
        if (first == end) return;
        for (int32_t e = first; e < end; e += 32) __builtin_prefetch(column + e);
        __builtin_prefetch(column + end - 1);
        for (int32_t e = first; e < end; e += 64) __builtin_prefetch(value + e);
        __builtin_prefetch(value + end - 1);
    }
}

// MARK: - Grouping by pixel

int64_t ck_entry_count(const int32_t *rowStart, const int64_t *rows, int64_t rowCount) {
    int64_t total = 0;
    for (int64_t r = 0; r < rowCount; r++) total += rowStart[rows[r] + 1] - rowStart[rows[r]];
    return total;
}

void ck_copy_rows(const int32_t *restrict rowStart, const uint16_t *restrict column, const uint8_t *restrict value,
                  const int64_t *restrict rows, int64_t rowCount, int32_t *restrict outStart, uint16_t *restrict outColumn,
                  uint8_t *restrict outValue) {
    int32_t k = 0;
    outStart[0] = 0;
    for (int64_t r = 0; r < rowCount; r++) {
        prefetch_ahead(rowStart, column, value, rows, r, rowCount);
        const int32_t first = rowStart[rows[r]], n = rowStart[rows[r] + 1] - first;
        // Loops the compiler vectorizes: a few hundred bytes an image, where
        // two memcpy calls each cost more than the copying.
        for (int32_t i = 0; i < n; i++) outColumn[k + i] = column[first + i];
        for (int32_t i = 0; i < n; i++) outValue[k + i] = value[first + i];
        k += n;
        outStart[r + 1] = k;
    }
}

enum { kScratchEntries = 131072 };

int64_t ck_group_scratch(int64_t pixels, int64_t rowCount) {
    return pixels > 0 && rowCount > 0 && rowCount <= kScratchEntries / pixels ? pixels * rowCount : 0;
}

// Buckets: pixel p's bucket is scratch[p * rowCount ...], with start[p] as its
// cursor (a pixel can't have more entries than the batch has rows). One pass
// over the images drops each entry into its bucket; a second over the pixels
// copies the buckets out, in order, and turns the cursors into starts.
static void group_in_buckets(const int32_t *restrict rowStart, const uint16_t *restrict column,
                             const uint8_t *restrict value, const int64_t *restrict rows, int64_t rowCount,
                             int64_t pixels, int32_t *restrict start, ck_entry *restrict entries,
                             ck_entry *restrict scratch) {
    for (int64_t p = 0; p < pixels; p++) start[p] = (int32_t)(p * rowCount);
    for (int64_t r = 0; r < rowCount; r++) {
        prefetch_ahead(rowStart, column, value, rows, r, rowCount);
        const int32_t first = rowStart[rows[r]], end = rowStart[rows[r] + 1];
        const uint32_t sample = (uint32_t)r << 8;
        for (int32_t e = first; e < end; e++) scratch[start[column[e]]++] = (ck_entry){sample | value[e]};
    }
    int32_t k = 0;
    for (int64_t p = 0; p < pixels; p++) {
        const int32_t bucket = (int32_t)(p * rowCount), n = start[p] - bucket;
        start[p] = k;
        memcpy(entries + k, scratch + bucket, (size_t)n * sizeof(ck_entry));
        k += n;
    }
    start[pixels] = k;
}

// Without a scratch, a counting sort: count each pixel's entries, prefix-sum
// the counts into start, then scatter. Within a pixel the entries keep the
// batch order. `restrict` matters here: without it every store into entries
// or start could alias the image arrays, and the loops reload everything (2x
// slower).
void ck_group_by_pixel(const int32_t *restrict rowStart, const uint16_t *restrict column, const uint8_t *restrict value,
                       const int64_t *restrict rows, int64_t rowCount, int64_t pixels,
                       int32_t *restrict start, ck_entry *restrict entries, ck_entry *restrict scratch) {
    if (scratch && ck_group_scratch(pixels, rowCount) > 0) {
        group_in_buckets(rowStart, column, value, rows, rowCount, pixels, start, entries, scratch);
        return;
    }
    memset(start, 0, (size_t)(pixels + 1) * sizeof(int32_t));
    for (int64_t r = 0; r < rowCount; r++) {
        prefetch_ahead(rowStart, column, value, rows, r, rowCount);
        const int32_t first = rowStart[rows[r]], end = rowStart[rows[r] + 1];
        for (int32_t e = first; e < end; e++) start[column[e] + 1]++;
    }
    for (int64_t p = 0; p < pixels; p++) start[p + 1] += start[p];
    // Scatter with start[p] as pixel p's cursor: afterwards start[p] is where
    // pixel p + 1 begins, so shifting by one restores the starts.
    for (int64_t r = 0; r < rowCount; r++) {
        const int32_t first = rowStart[rows[r]], end = rowStart[rows[r] + 1];
        const uint32_t sample = (uint32_t)r << 8;
        for (int32_t e = first; e < end; e++) entries[start[column[e]]++] = (ck_entry){sample | value[e]};
    }
    memmove(start + 1, start, (size_t)pixels * sizeof(int32_t));
    start[0] = 0;
}

// MARK: - Portable

static void sparse_times_dense_portable(const int32_t *rowStart, const uint16_t *column, const uint8_t *value,
                                        const int64_t *rows, int64_t firstRow, int64_t rowCount,
                                        const float *w, int64_t width, const float *bias, float *out) {
    for (int64_t r = 0; r < rowCount; r++) {
        int64_t image = rows ? rows[r] : firstRow + r;
        float *o = out + r * width;
        for (int64_t j = 0; j < width; j++) o[j] = bias[j];
        for (int32_t e = rowStart[image]; e < rowStart[image + 1]; e++) {
            float x = kPixel[value[e]];
            const float *wr = w + (int64_t)column[e] * width;
            for (int64_t j = 0; j < width; j++) o[j] += x * wr[j];
        }
    }
}

// update == 0: grad[p, :] = g_p for every pixel; update == 1: w[p, :] -= rate * g_p
// for the pixels with entries, where g_p = sum over pixel p's entries of x * delta[sample, :].
static void grouped_times_dense_portable(const int32_t *start, const ck_entry *entries, const float *delta,
                                         int64_t ldd, int64_t width, int64_t pixels, int update, float rate, float *out) {
    for (int64_t p = 0; p < pixels; p++) {
        if (update && start[p] == start[p + 1]) continue;
        float *o = out + p * width;
        for (int64_t j = 0; j < width; j++) {
            float g = 0;
            for (int32_t e = start[p]; e < start[p + 1]; e++)
                g += kPixel[entries[e].bits & 0xFF] * delta[(int64_t)(entries[e].bits >> 8) * ldd + j];
            o[j] = update ? o[j] - rate * g : g;
        }
    }
}

// MARK: - Output layer (portable)

static void output_forward_portable(const float *a1, const float *w2, const float *b2, int64_t n, int64_t h, int64_t o,
                                    float *z2) {
    for (int64_t r = 0; r < n; r++)
        for (int64_t k = 0; k < o; k++) {
            float sum = 0;
            for (int64_t j = 0; j < h; j++) sum = fmaf(a1[r * h + j], w2[j * o + k], sum);
            z2[r * o + k] = b2[k] + sum;
        }
}

static void output_backward_portable(const float *a1, const float *dz2, const float *w2, int64_t n, int64_t h, int64_t o,
                                     float *dw2, float *db2, float *dz1, int64_t ldz, float *db1) {
    for (int64_t j = 0; j < h; j++)
        for (int64_t k = 0; k < o; k++) {
            float sum = 0;
            for (int64_t r = 0; r < n; r++) sum = fmaf(a1[r * h + j], dz2[r * o + k], sum);
            dw2[j * o + k] = sum;
        }
    for (int64_t k = 0; k < o; k++) db2[k] = 0;
    for (int64_t j = 0; j < h; j++) db1[j] = 0;
    for (int64_t r = 0; r < n; r++) {
        for (int64_t k = 0; k < o; k++) db2[k] += dz2[r * o + k];
        for (int64_t j = 0; j < h; j++) {
            float g = 0;
            for (int64_t k = 0; k < o; k++) g = fmaf(dz2[r * o + k], w2[j * o + k], g);
            const float a = a1[r * h + j];
            dz1[r * ldz + j] = g * (a * (1 - a));
            db1[j] += dz1[r * ldz + j];
        }
    }
}

static void sigmoid_portable(float *y, int64_t count) {
    for (int64_t i = 0; i < count; i++) y[i] = 1.0f / (1.0f + expf(-y[i]));
}

static void softmax_rows_portable(float *z, int64_t rows, int64_t columns) {
    for (int64_t r = 0; r < rows; r++) {
        float *row = z + r * columns, peak = row[0], sum = 0;
        for (int64_t j = 1; j < columns; j++) peak = row[j] > peak ? row[j] : peak;
        for (int64_t j = 0; j < columns; j++) sum += row[j] = expf(row[j] - peak);
        float inverse = 1.0f / sum;
        for (int64_t j = 0; j < columns; j++) row[j] *= inverse;
    }
}

// MARK: - Parameter updates (portable)

// fmaf is the IEEE fused multiply-add, correctly rounded on every machine, so
// this loop and the AVX2 one below give the same bits.
static void descend_portable(float *w, const float *g, int64_t count, float rate) {
    const float minusRate = -rate;
    for (int64_t i = 0; i < count; i++) w[i] = fmaf(minusRate, g[i], w[i]);
}

// MARK: - Covariance (portable)

// fma is the IEEE fused multiply-add in every implementation, so this loop and
// the AVX2 one below give the same bits.
static void covariance_portable(const float *x, int64_t n, int64_t d, const double *mean, double *c, double *centred) {
    for (int64_t i = 0; i < n; i++) {
        for (int64_t j = 0; j < d; j++) centred[j] = (double)x[i * d + j] - mean[j];
        for (int64_t j = 0; j < d; j++) {
            const double xj = centred[j];
            double *row = c + j * d;
            for (int64_t k = j; k < d; k++) row[k] = fma(xj, centred[k], row[k]);
        }
    }
}

// MARK: - W1 split at whole cache lines (portable)

int64_t ck_lined_columns(int64_t width) {
    const int64_t lined = width / 16 * 16, rest = width - lined;
    return width <= 64 && lined > 0 && rest >= 1 && rest <= 8 ? lined : 0;
}

void ck_lined_pack(const float *w, int64_t pixels, int64_t width, float *body, float *side) {
    const int64_t lined = ck_lined_columns(width), rest = width - lined;
    for (int64_t p = 0; p < pixels; p++) {
        memcpy(body + p * lined, w + p * width, (size_t)lined * sizeof(float));
        memcpy(side + p * rest, w + p * width + lined, (size_t)rest * sizeof(float));
    }
}

void ck_lined_unpack(const float *body, const float *side, int64_t pixels, int64_t width, float *w) {
    const int64_t lined = ck_lined_columns(width), rest = width - lined;
    for (int64_t p = 0; p < pixels; p++) {
        memcpy(w + p * width, body + p * lined, (size_t)lined * sizeof(float));
        memcpy(w + p * width + lined, side + p * rest, (size_t)rest * sizeof(float));
    }
}

static void lined_times_dense_portable(const int32_t *rowStart, const uint16_t *column, const uint8_t *value,
                                       const int64_t *rows, int64_t firstRow, int64_t rowCount, const float *body,
                                       const float *side, int64_t width, const float *bias, float *out) {
    const int64_t lined = ck_lined_columns(width), rest = width - lined;
    for (int64_t r = 0; r < rowCount; r++) {
        int64_t image = rows ? rows[r] : firstRow + r;
        float *o = out + r * width;
        for (int64_t j = 0; j < width; j++) o[j] = bias[j];
        for (int32_t e = rowStart[image]; e < rowStart[image + 1]; e++) {
            float x = kPixel[value[e]];
            const float *b = body + (int64_t)column[e] * lined, *t = side + (int64_t)column[e] * rest;
            for (int64_t j = 0; j < lined; j++) o[j] += x * b[j];
            for (int64_t j = 0; j < rest; j++) o[lined + j] += x * t[j];
        }
    }
}

static void lined_descend_portable(const int32_t *start, const ck_entry *entries, int64_t pixels, const float *delta,
                                   int64_t ldd, int64_t width, float rate, float *body, float *side) {
    const int64_t lined = ck_lined_columns(width), rest = width - lined;
    for (int64_t p = 0; p < pixels; p++) {
        if (start[p] == start[p + 1]) continue;
        for (int64_t j = 0; j < width; j++) {
            float g = 0;
            for (int32_t e = start[p]; e < start[p + 1]; e++)
                g += kPixel[entries[e].bits & 0xFF] * delta[(int64_t)(entries[e].bits >> 8) * ldd + j];
            float *o = j < lined ? body + p * lined + j : side + p * rest + (j - lined);
            *o -= rate * g;
        }
    }
}

// MARK: - AVX2 + FMA
//
// A row of `width` floats is handled in blocks of up to 64 (8 ymm registers);
// inside a block the chunk count is a compile-time constant (the switch below),
// so the accumulators stay in registers, and the last chunk of the row is
// loaded and stored with a mask.

#ifdef CK_X86
#define CK_AVX2 __attribute__((target("avx2,fma")))

CK_AVX2 static inline __m256i tail_mask(int64_t n) {  // lanes < n set, 1 <= n <= 8
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), lanes);
}

// Stores the first n lanes of v (1 <= n <= 8) with plain 128-, 64- and 32-bit
// stores. A masked store (vmaskmovps) would do it in one instruction, but AMD
// cores run it as a microcoded sequence: it doubled the cost of a row update
// in a microbenchmark. Masked loads are cheap and stay.
CK_AVX2 static inline void store_lanes(float *o, __m256 v, int64_t n) {
    if (n == 8) { _mm256_storeu_ps(o, v); return; }
    __m128 part = _mm256_castps256_ps128(v);
    if (n >= 4) {
        _mm_storeu_ps(o, part);
        o += 4;
        n -= 4;
        part = _mm256_extractf128_ps(v, 1);
    }
    if (n >= 2) {
        _mm_storel_pi((__m64 *)o, part);
        o += 2;
        n -= 2;
        part = _mm_movehl_ps(part, part);
    }
    if (n == 1) _mm_store_ss(o, part);
}

CK_AVX2 static inline __attribute__((always_inline)) void
forward_block(const int32_t *start, const int32_t *end, const uint16_t *column, const uint8_t *value,
              const float *w, int64_t width, const float *bias, float *o, int chunks, __m256i mask, int64_t tail) {
    __m256 acc[8];
    for (int k = 0; k < chunks - 1; k++) acc[k] = _mm256_loadu_ps(bias + 8 * k);
    acc[chunks - 1] = _mm256_maskload_ps(bias + 8 * (chunks - 1), mask);
    for (int32_t e = *start; e < *end; e++) {
        __m256 x = _mm256_set1_ps(kPixel[value[e]]);
        const float *wr = w + (int64_t)column[e] * width;
        for (int k = 0; k < chunks - 1; k++) acc[k] = _mm256_fmadd_ps(x, _mm256_loadu_ps(wr + 8 * k), acc[k]);
        acc[chunks - 1] = _mm256_fmadd_ps(x, _mm256_maskload_ps(wr + 8 * (chunks - 1), mask), acc[chunks - 1]);
    }
    for (int k = 0; k < chunks - 1; k++) _mm256_storeu_ps(o + 8 * k, acc[k]);
    store_lanes(o + 8 * (chunks - 1), acc[chunks - 1], tail);
}

// One pixel's gradient row g = sum over the pixel's entries of x * delta[sample, :],
// stored to o (update == 0) or applied as o -= rate * g (update == 1).
CK_AVX2 static inline __attribute__((always_inline)) void
backward_block(const ck_entry *entries, int32_t count, const float *delta, int64_t ldd, float *o,
               int chunks, __m256i mask, int64_t tail, int update, __m256 minusRate) {
    __m256 acc[8];
    for (int k = 0; k < chunks; k++) acc[k] = _mm256_setzero_ps();
    for (int32_t e = 0; e < count; e++) {
        __m256 x = _mm256_broadcast_ss(kPixel + (entries[e].bits & 0xFF));
        const float *d = delta + (int64_t)(entries[e].bits >> 8) * ldd;
        for (int k = 0; k < chunks - 1; k++) acc[k] = _mm256_fmadd_ps(x, _mm256_loadu_ps(d + 8 * k), acc[k]);
        acc[chunks - 1] = _mm256_fmadd_ps(x, _mm256_maskload_ps(d + 8 * (chunks - 1), mask), acc[chunks - 1]);
    }
    if (update) {
        for (int k = 0; k < chunks - 1; k++)
            _mm256_storeu_ps(o + 8 * k, _mm256_fmadd_ps(minusRate, acc[k], _mm256_loadu_ps(o + 8 * k)));
        store_lanes(o + 8 * (chunks - 1),
                    _mm256_fmadd_ps(minusRate, acc[chunks - 1], _mm256_maskload_ps(o + 8 * (chunks - 1), mask)), tail);
    } else {
        for (int k = 0; k < chunks - 1; k++) _mm256_storeu_ps(o + 8 * k, acc[k]);
        store_lanes(o + 8 * (chunks - 1), acc[chunks - 1], tail);
    }
}

#define CK_DISPATCH(call)                                                                          \
    switch (chunks) {                                                                              \
    case 1: call(1); break; case 2: call(2); break; case 3: call(3); break; case 4: call(4); break; \
    case 5: call(5); break; case 6: call(6); break; case 7: call(7); break; default: call(8); break; \
    }

// The same for a block of 1 to 4 rows (`rows`).
#define CK_DISPATCH_ROWS(call)                                                                     \
    switch (rows) {                                                                                \
    case 1: call(1); break; case 2: call(2); break; case 3: call(3); break; default: call(4); break; \
    }

CK_AVX2 static void sparse_times_dense_avx2(const int32_t *rowStart, const uint16_t *column, const uint8_t *value,
                                            const int64_t *rows, int64_t firstRow, int64_t rowCount,
                                            const float *w, int64_t width, const float *bias, float *out) {
    for (int64_t r = 0; r < rowCount; r++) {
        int64_t image = rows ? rows[r] : firstRow + r;
        if (rows) prefetch_ahead(rowStart, column, value, rows, r, rowCount);
        for (int64_t j0 = 0; j0 < width; j0 += 64) {
            int64_t n = width - j0 < 64 ? width - j0 : 64;
            int chunks = (int)((n + 7) / 8);
            int64_t tail = n - 8 * (chunks - 1);
            __m256i mask = tail_mask(tail);
#define CK_FORWARD(c) forward_block(rowStart + image, rowStart + image + 1, column, value, w + j0, width, \
                                    bias + j0, out + r * width + j0, c, mask, tail)
            CK_DISPATCH(CK_FORWARD)
#undef CK_FORWARD
        }
    }
}

CK_AVX2 static void grouped_times_dense_avx2(const int32_t *start, const ck_entry *entries, const float *delta,
                                             int64_t ldd, int64_t width, int64_t pixels, int update, float rate, float *out) {
    const __m256 minusRate = _mm256_set1_ps(-rate);
    for (int64_t j0 = 0; j0 < width; j0 += 64) {
        int64_t n = width - j0 < 64 ? width - j0 : 64;
        int chunks = (int)((n + 7) / 8);
        int64_t tail = n - 8 * (chunks - 1);
        __m256i mask = tail_mask(tail);
        for (int64_t p = 0; p < pixels; p++) {
            int32_t count = start[p + 1] - start[p];
            if (update && count == 0) continue;
            const ck_entry *first = entries + start[p];
            float *o = out + p * width + j0;
#define CK_BACKWARD(c) \
    if (update) backward_block(first, count, delta + j0, ldd, o, c, mask, tail, 1, minusRate); \
    else backward_block(first, count, delta + j0, ldd, o, c, mask, tail, 0, minusRate);
            CK_DISPATCH(CK_BACKWARD)
#undef CK_BACKWARD
        }
    }
}

// MARK: - W1 split at whole cache lines (AVX2)
//
// A row of W1 (50 floats, 200 bytes) spans four cache lines wherever it
// starts. In the split layout its first 48 floats are a 64-byte aligned row
// of exactly three lines and the last two sit in a small side matrix: the
// forward pass, which reads one row of W1 per non-zero pixel, took 5.9
// instead of 6.7 time-stamp ticks per pixel in a microbenchmark. Every lane
// sums the same terms in the same order as with whole rows.

CK_AVX2 static inline __attribute__((always_inline)) void
lined_forward_block(int32_t first, int32_t end, const uint16_t *column, const uint8_t *value, const float *body,
                    int64_t lined, const float *side, int64_t rest, const float *bias, float *o, int chunks,
                    __m256i restMask) {
    __m256 acc[8];
    for (int k = 0; k < chunks; k++) acc[k] = _mm256_loadu_ps(bias + 8 * k);
    __m256 tail = _mm256_maskload_ps(bias + lined, restMask);
    for (int32_t e = first; e < end; e++) {
        const __m256 x = _mm256_set1_ps(kPixel[value[e]]);
        const float *b = body + (int64_t)column[e] * lined;
        for (int k = 0; k < chunks; k++) acc[k] = _mm256_fmadd_ps(x, _mm256_load_ps(b + 8 * k), acc[k]);
        tail = _mm256_fmadd_ps(x, _mm256_maskload_ps(side + (int64_t)column[e] * rest, restMask), tail);
    }
    for (int k = 0; k < chunks; k++) _mm256_storeu_ps(o + 8 * k, acc[k]);
    store_lanes(o + lined, tail, rest);
}

CK_AVX2 static void lined_times_dense_avx2(const int32_t *rowStart, const uint16_t *column, const uint8_t *value,
                                           const int64_t *rows, int64_t firstRow, int64_t rowCount, const float *body,
                                           const float *side, int64_t width, const float *bias, float *out) {
    const int64_t lined = ck_lined_columns(width), rest = width - lined;
    const int chunks = (int)(lined / 8);
    const __m256i restMask = tail_mask(rest);
    for (int64_t r = 0; r < rowCount; r++) {
        const int64_t image = rows ? rows[r] : firstRow + r;
        if (rows) prefetch_ahead(rowStart, column, value, rows, r, rowCount);
        const int32_t first = rowStart[image], end = rowStart[image + 1];
        float *o = out + r * width;
#define CK_LINED_FORWARD(c) lined_forward_block(first, end, column, value, body, lined, side, rest, bias, o, c, restMask)
        CK_DISPATCH(CK_LINED_FORWARD)
#undef CK_LINED_FORWARD
    }
}

CK_AVX2 static inline __attribute__((always_inline)) void
lined_descend_block(const ck_entry *entries, int32_t count, const float *delta, int64_t ldd, int64_t lined,
                    float *b, float *t, int64_t rest, int chunks, __m256i restMask, __m256 minusRate) {
    __m256 acc[8];
    for (int k = 0; k < chunks; k++) acc[k] = _mm256_setzero_ps();
    __m256 tail = _mm256_setzero_ps();
    for (int32_t e = 0; e < count; e++) {
        const __m256 x = _mm256_broadcast_ss(kPixel + (entries[e].bits & 0xFF));
        const float *d = delta + (int64_t)(entries[e].bits >> 8) * ldd;
        for (int k = 0; k < chunks; k++) acc[k] = _mm256_fmadd_ps(x, _mm256_loadu_ps(d + 8 * k), acc[k]);
        tail = _mm256_fmadd_ps(x, _mm256_maskload_ps(d + lined, restMask), tail);
    }
    for (int k = 0; k < chunks; k++) _mm256_store_ps(b + 8 * k, _mm256_fmadd_ps(minusRate, acc[k], _mm256_load_ps(b + 8 * k)));
    store_lanes(t, _mm256_fmadd_ps(minusRate, tail, _mm256_maskload_ps(t, restMask)), rest);
}

CK_AVX2 static void lined_descend_avx2(const int32_t *start, const ck_entry *entries, int64_t pixels, const float *delta,
                                       int64_t ldd, int64_t width, float rate, float *body, float *side) {
    const int64_t lined = ck_lined_columns(width), rest = width - lined;
    const int chunks = (int)(lined / 8);
    const __m256i restMask = tail_mask(rest);
    const __m256 minusRate = _mm256_set1_ps(-rate);
    for (int64_t p = 0; p < pixels; p++) {
        const int32_t count = start[p + 1] - start[p];
        if (count == 0) continue;
        const ck_entry *first = entries + start[p];
        float *b = body + p * lined, *t = side + p * rest;
#define CK_LINED_DESCEND(c) lined_descend_block(first, count, delta, ldd, lined, b, t, rest, c, restMask, minusRate)
        CK_DISPATCH(CK_LINED_DESCEND)
#undef CK_LINED_DESCEND
    }
}

// 32 pixels at a time: a compare and a movemask give the non-zero ones as
// bits, which are visited lowest first.
CK_AVX2 static void compress_rows_avx2(const uint8_t *restrict pixels, int64_t images, int64_t pixelCount,
                                       const int32_t *restrict rowStart, uint16_t *restrict column, uint8_t *restrict value) {
    const __m256i zero = _mm256_setzero_si256();
    for (int64_t i = 0; i < images; i++) {
        const uint8_t *image = pixels + i * pixelCount;
        int64_t k = rowStart[i], p = 0;
        for (; p + 32 <= pixelCount; p += 32) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(image + p));
            uint32_t nonzero = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, zero));
            while (nonzero) {
                int64_t q = p + __builtin_ctz(nonzero);
                column[k] = (uint16_t)q;
                value[k] = image[q];
                k++;
                nonzero &= nonzero - 1;
            }
        }
        for (; p < pixelCount; p++)
            if (image[p]) { column[k] = (uint16_t)p; value[k] = image[p]; k++; }
    }
}

// exp(x) (Cephes expf): x = n ln2 + r with |r| <= ln2/2, e^r by a degree-6
// polynomial (relative error below 2e-7), 2^n from the exponent bits. Inputs
// are clamped to [-87.3, 88.7]; below -87.33 the result is 0, as expf's
// (it underflows), and a NaN stays NaN (the clamps return their second operand).
CK_AVX2 static inline __m256 exp256(__m256 x) {
    const __m256 underflow = _mm256_cmp_ps(x, _mm256_set1_ps(-87.33f), _CMP_LT_OQ);
    x = _mm256_min_ps(_mm256_set1_ps(88.7f), _mm256_max_ps(_mm256_set1_ps(-87.3f), x));
    __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_andnot_ps(underflow, _mm256_mul_ps(p, _mm256_castsi256_ps(bits)));
}

CK_AVX2 static void sigmoid_avx2(float *y, int64_t count) {
    const __m256 one = _mm256_set1_ps(1.0f);
    int64_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 z = _mm256_loadu_ps(y + i);
        _mm256_storeu_ps(y + i, _mm256_div_ps(one, _mm256_add_ps(one, exp256(_mm256_sub_ps(_mm256_setzero_ps(), z)))));
    }
    sigmoid_portable(y + i, count - i);
}

// Each row's maximum is subtracted first (so no exponent is positive), then
// all rows are exponentiated together, 8 values at a time, and normalised.
CK_AVX2 static void softmax_rows_avx2(float *z, int64_t rows, int64_t columns) {
    for (int64_t r = 0; r < rows; r++) {
        float *row = z + r * columns, peak = row[0];
        for (int64_t j = 1; j < columns; j++) peak = row[j] > peak ? row[j] : peak;
        for (int64_t j = 0; j < columns; j++) row[j] -= peak;
    }
    int64_t n = rows * columns, i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(z + i, exp256(_mm256_loadu_ps(z + i)));
    if (i < n) {
        __m256i mask = tail_mask(n - i);
        _mm256_maskstore_ps(z + i, mask, exp256(_mm256_maskload_ps(z + i, mask)));
    }
    for (int64_t r = 0; r < rows; r++) {
        float *row = z + r * columns, sum = 0;
        for (int64_t j = 0; j < columns; j++) sum += row[j];
        float inverse = 1.0f / sum;
        for (int64_t j = 0; j < columns; j++) row[j] *= inverse;
    }
}

// MARK: - Parameter updates (AVX2)

CK_AVX2 static void descend_avx2(float *w, const float *g, int64_t count, float rate) {
    const __m256 minusRate = _mm256_set1_ps(-rate);
    int64_t i = 0;
    for (; i + 8 <= count; i += 8)
        _mm256_storeu_ps(w + i, _mm256_fmadd_ps(minusRate, _mm256_loadu_ps(g + i), _mm256_loadu_ps(w + i)));
    if (i < count) {
        const __m256i mask = tail_mask(count - i);
        store_lanes(w + i, _mm256_fmadd_ps(minusRate, _mm256_maskload_ps(g + i, mask), _mm256_maskload_ps(w + i, mask)),
                    count - i);
    }
}

// MARK: - Covariance (AVX2)

CK_AVX2 static void covariance_avx2(const float *x, int64_t n, int64_t d, const double *mean, double *c, double *centred) {
    for (int64_t i = 0; i < n; i++) {
        for (int64_t j = 0; j < d; j++) centred[j] = (double)x[i * d + j] - mean[j];
        for (int64_t j = 0; j < d; j++) {
            const __m256d xj = _mm256_set1_pd(centred[j]);
            double *row = c + j * d;
            int64_t k = j;
            for (; k + 4 <= d; k += 4)
                _mm256_storeu_pd(row + k, _mm256_fmadd_pd(xj, _mm256_loadu_pd(centred + k), _mm256_loadu_pd(row + k)));
            for (; k < d; k++) row[k] = fma(centred[j], centred[k], row[k]);
        }
    }
}

// MARK: - Output layer (AVX2)
//
// The output layer's products are tiny (100x50 by 50x10 for the recipe): a
// BLAS call spends most of its time packing and dispatching. These loops keep
// every sum in registers, in the same order as the portable loops: each
// element of Z2 sums over the hidden units in order (the bias added last),
// each element of dW2 over the batch rows, each element of dA1 over the outputs.

// Z2 rows r0 ..< r0 + rows (rows <= 4), outputs k0 ..< k0 + 16 (two chunks, masked).
CK_AVX2 static inline __attribute__((always_inline)) void
output_z2_block(const float *a1, const float *w2, const float *b2, int64_t h, int64_t o, int64_t r0, int64_t k0,
                float *z2, int rows) {
    const int64_t lanes0 = o - k0 < 8 ? o - k0 : 8, lanes1 = o - k0 - 8 < 0 ? 0 : (o - k0 - 8 < 8 ? o - k0 - 8 : 8);
    const __m256i m0 = tail_mask(lanes0), m1 = lanes1 > 0 ? tail_mask(lanes1) : _mm256_setzero_si256();
    __m256 acc[4][2];
    for (int i = 0; i < rows; i++) acc[i][0] = acc[i][1] = _mm256_setzero_ps();
    for (int64_t j = 0; j < h; j++) {
        const __m256 w0 = _mm256_maskload_ps(w2 + j * o + k0, m0), w1 = _mm256_maskload_ps(w2 + j * o + k0 + 8, m1);
        for (int i = 0; i < rows; i++) {
            const __m256 x = _mm256_broadcast_ss(a1 + (r0 + i) * h + j);
            acc[i][0] = _mm256_fmadd_ps(x, w0, acc[i][0]);
            acc[i][1] = _mm256_fmadd_ps(x, w1, acc[i][1]);
        }
    }
    const __m256 bias0 = _mm256_maskload_ps(b2 + k0, m0), bias1 = _mm256_maskload_ps(b2 + k0 + 8, m1);
    for (int i = 0; i < rows; i++) {
        store_lanes(z2 + (r0 + i) * o + k0, _mm256_add_ps(bias0, acc[i][0]), lanes0);
        if (lanes1 > 0) store_lanes(z2 + (r0 + i) * o + k0 + 8, _mm256_add_ps(bias1, acc[i][1]), lanes1);
    }
}

CK_AVX2 static void output_forward_avx2(const float *a1, const float *w2, const float *b2, int64_t n, int64_t h,
                                        int64_t o, float *z2) {
    for (int64_t r0 = 0; r0 < n; r0 += 4) {
        const int rows = n - r0 < 4 ? (int)(n - r0) : 4;
        for (int64_t k0 = 0; k0 < o; k0 += 16) {
#define CK_Z2(c) output_z2_block(a1, w2, b2, h, o, r0, k0, z2, c)
            CK_DISPATCH_ROWS(CK_Z2)
#undef CK_Z2
        }
    }
}

// Batch rows r ..< r + rows (rows <= 3) of dZ1 = (dZ2 W2^T) * A1 * (1 - A1) for hidden
// units j0 ..< j0 + 8 * chunks (chunks <= 4), from w2t (o x hp, W2 transposed and
// zero-padded); adds the rows to db1, in order. Three rows at a time give the FMAs
// independent chains (one row's are only o products long) while the 12 sums, 3
// broadcasts and a loaded chunk still fit the 16 registers (more spills them).
CK_AVX2 static inline __attribute__((always_inline)) void
output_dz1_block(const float *a1, const float *dz2, const float *w2t, int64_t hp, int64_t o, int64_t j0, int64_t h,
                 int64_t r, float *dz1, int64_t ldz, float *db1, int rows, int chunks) {
    __m256 acc[3][4];
    for (int i = 0; i < rows; i++)
        for (int c = 0; c < chunks; c++) acc[i][c] = _mm256_setzero_ps();
    for (int64_t k = 0; k < o; k++) {
        __m256 x[3];
        for (int i = 0; i < rows; i++) x[i] = _mm256_broadcast_ss(dz2 + (r + i) * o + k);
        for (int c = 0; c < chunks; c++) {
            const __m256 w = _mm256_loadu_ps(w2t + k * hp + j0 + 8 * c);
            for (int i = 0; i < rows; i++) acc[i][c] = _mm256_fmadd_ps(x[i], w, acc[i][c]);
        }
    }
    const __m256 one = _mm256_set1_ps(1.0f);
    for (int c = 0; c < chunks; c++) {
        const int64_t j = j0 + 8 * c, lanes = h - j < 8 ? h - j : 8;
        const __m256i mask = tail_mask(lanes);
        __m256 sum = _mm256_loadu_ps(db1 + j);  // one trip through memory per block, not per row
        for (int i = 0; i < rows; i++) {
            const __m256 a = _mm256_maskload_ps(a1 + (r + i) * h + j, mask);
            const __m256 dz = _mm256_mul_ps(acc[i][c], _mm256_mul_ps(a, _mm256_sub_ps(one, a)));
            store_lanes(dz1 + (r + i) * ldz + j, dz, lanes);
            sum = _mm256_add_ps(sum, dz);
        }
        _mm256_storeu_ps(db1 + j, sum);
    }
}

// Rows k0 ..< k0 + rows (rows <= 5) of dW2^T = dZ2^T A1 (o x hp, zero-padded), hidden
// units j0 ..< j0 + 8 * chunks (chunks <= 2); A1's lanes past h are masked off. Each
// element sums over the batch rows in order, as a sum of dW2 = A1^T dZ2 does.
CK_AVX2 static inline __attribute__((always_inline)) void
output_dw2t_block(const float *a1, const float *dz2, int64_t n, int64_t h, int64_t o, int64_t k0, int64_t j0,
                  float *dw2t, int64_t hp, int rows, int chunks) {
    __m256i mask[2];
    for (int c = 0; c < chunks; c++) {
        const int64_t lanes = h - (j0 + 8 * c);
        mask[c] = tail_mask(lanes < 8 ? lanes : 8);
    }
    __m256 acc[5][2];
    for (int i = 0; i < rows; i++)
        for (int c = 0; c < chunks; c++) acc[i][c] = _mm256_setzero_ps();
    for (int64_t r = 0; r < n; r++) {
        __m256 x[2];
        for (int c = 0; c < chunks; c++) x[c] = _mm256_maskload_ps(a1 + r * h + j0 + 8 * c, mask[c]);
        for (int i = 0; i < rows; i++) {
            const __m256 d = _mm256_broadcast_ss(dz2 + r * o + k0 + i);
            for (int c = 0; c < chunks; c++) acc[i][c] = _mm256_fmadd_ps(d, x[c], acc[i][c]);
        }
    }
    for (int i = 0; i < rows; i++)
        for (int c = 0; c < chunks; c++) _mm256_storeu_ps(dw2t + (k0 + i) * hp + j0 + 8 * c, acc[i][c]);
}

// scratch: o * hp floats for W2^T, o * hp for dW2^T and hp for db1's sums, hp = h rounded up to 8.
CK_AVX2 static void output_backward_avx2(const float *a1, const float *dz2, const float *w2, int64_t n, int64_t h,
                                         int64_t o, float *dw2, float *db2, float *dz1, int64_t ldz, float *db1,
                                         float *scratch) {
    const int64_t hp = (h + 7) / 8 * 8;
    float *w2t = scratch, *dw2t = scratch + o * hp, *sums = scratch + 2 * o * hp;

    // dW2 = A1^T dZ2, computed as its transpose in blocks of 5 outputs by 16
    // hidden units: every lane is used (10 outputs fill only 10 of 16 lanes of
    // dW2's rows) and 10 sums run side by side.
    for (int64_t k0 = 0; k0 < o; k0 += 5) {
        const int rows = o - k0 < 5 ? (int)(o - k0) : 5;
        for (int64_t j0 = 0; j0 < h; j0 += 16) {
            const int chunks = h - j0 > 8 ? 2 : 1;
#define CK_DW2T(rr, cc) output_dw2t_block(a1, dz2, n, h, o, k0, j0, dw2t, hp, rr, cc)
#define CK_DW2T_ROWS(rr) if (chunks == 2) CK_DW2T(rr, 2); else CK_DW2T(rr, 1);
            switch (rows) {
            case 1: CK_DW2T_ROWS(1) break; case 2: CK_DW2T_ROWS(2) break; case 3: CK_DW2T_ROWS(3) break;
            case 4: CK_DW2T_ROWS(4) break; default: CK_DW2T_ROWS(5) break;
            }
#undef CK_DW2T_ROWS
#undef CK_DW2T
        }
    }
    for (int64_t j = 0; j < h; j++)
        for (int64_t k = 0; k < o; k++) dw2[j * o + k] = dw2t[k * hp + j];
    for (int64_t k = 0; k < o; k++) db2[k] = 0;
    for (int64_t r = 0; r < n; r++)
        for (int64_t k = 0; k < o; k++) db2[k] += dz2[r * o + k];

    for (int64_t k = 0; k < o; k++) {
        for (int64_t j = 0; j < h; j++) w2t[k * hp + j] = w2[j * o + k];
        for (int64_t j = h; j < hp; j++) w2t[k * hp + j] = 0;
    }
    for (int64_t j = 0; j < hp; j++) sums[j] = 0;
    // dZ1 in blocks of 3 rows by 32 hidden units; db1 sums each unit over the
    // rows in order, whatever the blocks.
    for (int64_t j0 = 0; j0 < h; j0 += 32) {
        const int chunks = (int)(((h - j0 < 32 ? h - j0 : 32) + 7) / 8);
        for (int64_t r = 0; r < n; r += 3) {
            const int rows = n - r < 3 ? (int)(n - r) : 3;
#define CK_DZ1(rr, cc) output_dz1_block(a1, dz2, w2t, hp, o, j0, h, r, dz1, ldz, sums, rr, cc)
#define CK_DZ1_ROWS(rr) \
    switch (chunks) { case 1: CK_DZ1(rr, 1); break; case 2: CK_DZ1(rr, 2); break; case 3: CK_DZ1(rr, 3); break; default: CK_DZ1(rr, 4); break; }
            switch (rows) { case 1: CK_DZ1_ROWS(1) break; case 2: CK_DZ1_ROWS(2) break; default: CK_DZ1_ROWS(3) break; }
#undef CK_DZ1_ROWS
#undef CK_DZ1
        }
    }
    for (int64_t j = 0; j < h; j++) db1[j] = sums[j];
}

// Asked once and kept. Both threads of a run call the kernels from the start, so
// the cache is atomic: two threads may both ask the CPU, and both store the same
// answer, but neither ever reads a half-written value (a plain static was a data race).
static int has_avx2_fma(void) {
    static _Atomic int cached = -1;
    int known = atomic_load_explicit(&cached, memory_order_relaxed);
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        atomic_store_explicit(&cached, known, memory_order_relaxed);
    }
    return known;
}
#else
static int has_avx2_fma(void) { return 0; }
#endif

// MARK: - Entry points

void ck_sparse_times_dense(const int32_t *rowStart, const uint16_t *column, const uint8_t *value,
                           const int64_t *rows, int64_t firstRow, int64_t rowCount,
                           const float *w, int64_t width, const float *bias, float *out) {
#ifdef CK_X86
    if (has_avx2_fma()) {
        sparse_times_dense_avx2(rowStart, column, value, rows, firstRow, rowCount, w, width, bias, out);
        return;
    }
#endif
    sparse_times_dense_portable(rowStart, column, value, rows, firstRow, rowCount, w, width, bias, out);
}

static void grouped_times_dense(const int32_t *start, const ck_entry *entries, const float *delta, int64_t ldd,
                                int64_t width, int64_t pixels, int update, float rate, float *out) {
#ifdef CK_X86
    if (has_avx2_fma()) {
        grouped_times_dense_avx2(start, entries, delta, ldd, width, pixels, update, rate, out);
        return;
    }
#endif
    grouped_times_dense_portable(start, entries, delta, ldd, width, pixels, update, rate, out);
}

int ck_sparse_transpose_times_dense(const int32_t *rowStart, const uint16_t *column, const uint8_t *value,
                                    const int64_t *rows, int64_t rowCount,
                                    const float *delta, int64_t width, int64_t pixels, float *grad) {
    int64_t total = ck_entry_count(rowStart, rows, rowCount);
    int32_t *start = malloc((size_t)(pixels + 1) * sizeof(int32_t));
    ck_entry *entries = malloc((size_t)(total > 0 ? total : 1) * sizeof(ck_entry));
    if (!start || !entries) { free(start); free(entries); return 0; }
    ck_group_by_pixel(rowStart, column, value, rows, rowCount, pixels, start, entries, NULL);
    grouped_times_dense(start, entries, delta, width, width, pixels, 0, 0, grad);
    free(start);
    free(entries);
    return 1;
}

void ck_grouped_descend(const int32_t *start, const ck_entry *entries, int64_t pixels,
                        const float *delta, int64_t deltaStride, int64_t width, float rate, float *w) {
    grouped_times_dense(start, entries, delta, deltaStride, width, pixels, 1, rate, w);
}

void ck_lined_times_dense(const int32_t *rowStart, const uint16_t *column, const uint8_t *value, const int64_t *rows,
                          int64_t firstRow, int64_t rowCount, const float *body, const float *side, int64_t width,
                          const float *bias, float *out) {
#ifdef CK_X86
    if (has_avx2_fma()) {
        lined_times_dense_avx2(rowStart, column, value, rows, firstRow, rowCount, body, side, width, bias, out);
        return;
    }
#endif
    lined_times_dense_portable(rowStart, column, value, rows, firstRow, rowCount, body, side, width, bias, out);
}

void ck_lined_grouped_descend(const int32_t *start, const ck_entry *entries, int64_t pixels, const float *delta,
                              int64_t deltaStride, int64_t width, float rate, float *body, float *side) {
#ifdef CK_X86
    if (has_avx2_fma()) {
        lined_descend_avx2(start, entries, pixels, delta, deltaStride, width, rate, body, side);
        return;
    }
#endif
    lined_descend_portable(start, entries, pixels, delta, deltaStride, width, rate, body, side);
}

void ck_compress_rows(const uint8_t *pixels, int64_t images, int64_t pixelCount, const int32_t *rowStart,
                      uint16_t *column, uint8_t *value) {
#ifdef CK_X86
    if (has_avx2_fma()) {
        compress_rows_avx2(pixels, images, pixelCount, rowStart, column, value);
        return;
    }
#endif
    compress_rows_portable(pixels, images, pixelCount, rowStart, column, value);
}

void ck_output_forward(const float *a1, const float *w2, const float *b2, int64_t n, int64_t h, int64_t o, float *z2) {
#ifdef CK_X86
    if (has_avx2_fma()) {
        output_forward_avx2(a1, w2, b2, n, h, o, z2);
        return;
    }
#endif
    output_forward_portable(a1, w2, b2, n, h, o, z2);
}

int64_t ck_delta_stride(int64_t width) { return (width + 7) / 8 * 8; }

int64_t ck_output_backward_scratch(int64_t h, int64_t o) { return (2 * o + 1) * ((h + 7) / 8 * 8); }

void ck_output_backward(const float *a1, const float *dz2, const float *w2, int64_t n, int64_t h, int64_t o,
                        float *dw2, float *db2, float *dz1, int64_t dz1Stride, float *db1, float *scratch) {
#ifdef CK_X86
    if (has_avx2_fma()) {
        output_backward_avx2(a1, dz2, w2, n, h, o, dw2, db2, dz1, dz1Stride, db1, scratch);
        return;
    }
#endif
    (void)scratch;
    output_backward_portable(a1, dz2, w2, n, h, o, dw2, db2, dz1, dz1Stride, db1);
}

void ck_descend(float *w, const float *g, int64_t count, float rate) {
    if (count <= 0) return;
#ifdef CK_X86
    if (has_avx2_fma()) {
        descend_avx2(w, g, count, rate);
        return;
    }
#endif
    descend_portable(w, g, count, rate);
}

void ck_covariance(const float *x, int64_t n, int64_t d, const double *mean, double *c, double *scratch) {
    if (n <= 0 || d <= 0) return;
#ifdef CK_X86
    if (has_avx2_fma()) {
        covariance_avx2(x, n, d, mean, c, scratch);
        return;
    }
#endif
    covariance_portable(x, n, d, mean, c, scratch);
}

void ck_sigmoid(float *y, int64_t count) {
#ifdef CK_X86
    if (has_avx2_fma()) {
        sigmoid_avx2(y, count);
        return;
    }
#endif
    sigmoid_portable(y, count);
}

void ck_softmax_rows(float *z, int64_t rows, int64_t columns) {
    if (rows <= 0 || columns <= 0) return;
#ifdef CK_X86
    if (has_avx2_fma()) {
        softmax_rows_avx2(z, rows, columns);
        return;
    }
#endif
    softmax_rows_portable(z, rows, columns);
}

// Selects instead of branches: where the maximum sits is as good as random,
// and a branch per element mispredicted often enough to make this pass cost
// 37 ns a row (44 ms over a run's 17 evaluations). Rows are independent, so
// their select chains overlap.
int64_t ck_count_argmax_matches(const float *z, int64_t rows, int64_t columns, const uint8_t *labels) {
    int64_t matches = 0;
    for (int64_t r = 0; r < rows; r++) {
        const float *row = z + r * columns;
        float bestValue = row[0];
        int64_t best = 0;
        for (int64_t j = 1; j < columns; j++) {
            const float v = row[j];
            const int greater = v > bestValue;  // false for a NaN on either side, as in argmaxRows
            best = greater ? j : best;
            bestValue = greater ? v : bestValue;
        }
        matches += best == labels[r];
    }
    return matches;
}

const char *ck_implementation(void) { return has_avx2_fma() ? "avx2+fma" : "portable"; }
