#include "CPNGCodec.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *error;
    size_t errorSize;
} codec_errors;

static void on_error(png_structp png, png_const_charp message) {
    codec_errors *errors = png_get_error_ptr(png);
    if (errors && errors->error && errors->errorSize) snprintf(errors->error, errors->errorSize, "libpng: %s", message);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp message) { (void)png; (void)message; }

static int append(pngc_buffer *b, const uint8_t *bytes, size_t n) {
    uint8_t *grown = realloc(b->data, b->size + n);
    if (!grown) return 0;
    memcpy(grown + b->size, bytes, n);
    b->data = grown;
    b->size += n;
    return 1;
}

static void write_to_buffer(png_structp png, png_bytep data, size_t length) {
    if (!append(png_get_io_ptr(png), data, length)) png_error(png, "out of memory");
}

static void flush_nothing(png_structp png) { (void)png; }

// How the rows handed to encode() are laid out.
enum layout { packed_rgb, packed_rgba, opaque_argb32 };

static int encode(const uint8_t *rows, size_t stride, uint32_t width, uint32_t height, enum layout layout, int level,
                  const char *const *keys, const char *const *values, int count,
                  pngc_buffer *out, char *error, size_t errorSize) {
    codec_errors errors = {error, errorSize};
    out->data = NULL;
    out->size = 0;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &errors, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    png_textp text = calloc((size_t)(count > 0 ? count : 1), sizeof(png_text));
    if (!png || !info || !text) {
        snprintf(error, errorSize, "out of memory");
        png_destroy_write_struct(&png, &info);
        free(text);
        return 0;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(text);
        pngc_free(out);
        return 0;
    }
    png_set_write_fn(png, out, write_to_buffer, flush_nothing);
    png_set_compression_level(png, level < 0 ? 0 : level > 9 ? 9 : level);
    // No row filter. libpng's default tries all five filters on every row,
    // which suits photographs; charts are flat colours and thin antialiased
    // edges, where deflate does as well on the raw rows. On the six gallery
    // images at scale 2: 0.98 MB instead of 1.09 MB at level 6, in half the
    // time; 1.19 MB instead of 1.24 MB at level 3, in a third of the time.
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_IHDR(png, info, width, height, 8, layout == packed_rgba ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    for (int i = 0; i < count; i++) {
        text[i].compression = PNG_TEXT_COMPRESSION_NONE;
        text[i].key = (png_charp)keys[i];
        text[i].text = (png_charp)values[i];
    }
    if (count > 0) png_set_text(png, info, text, count);
    png_write_info(png, info);
    if (layout == opaque_argb32) {
        // Native-endian 0xAARRGGBB words: B, G, R, A in memory on a
        // little-endian machine, A, R, G, B on a big-endian one. libpng
        // reorders the colours and drops the alpha byte as it writes.
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        png_set_filler(png, 0, PNG_FILLER_BEFORE);
#else
        png_set_bgr(png);
        png_set_filler(png, 0, PNG_FILLER_AFTER);
#endif
    }
    for (uint32_t y = 0; y < height; y++) png_write_row(png, rows + y * stride);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(text);
    return 1;
}

int pngc_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int channels, int level,
                const char *const *keys, const char *const *values, int count,
                pngc_buffer *out, char *error, size_t errorSize) {
    out->data = NULL;
    out->size = 0;
    if (channels != 3 && channels != 4) {
        snprintf(error, errorSize, "unsupported channel count %d", channels);
        return 0;
    }
    return encode(pixels, (size_t)width * (size_t)channels, width, height, channels == 4 ? packed_rgba : packed_rgb, level,
                  keys, values, count, out, error, errorSize);
}

int pngc_encode_opaque_argb32(const uint32_t *pixels, size_t stride, uint32_t width, uint32_t height, int level,
                              const char *const *keys, const char *const *values, int count,
                              pngc_buffer *out, char *error, size_t errorSize) {
    return encode((const uint8_t *)pixels, stride, width, height, opaque_argb32, level, keys, values, count, out, error,
                  errorSize);
}

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
} reader;

static void read_from_buffer(png_structp png, png_bytep out, size_t length) {
    reader *r = png_get_io_ptr(png);
    if (r->size - r->offset < length) png_error(png, "truncated PNG data");
    memcpy(out, r->data + r->offset, length);
    r->offset += length;
}

// libpng's own allocations while decoding. A chunk may claim any length up to 2 GB,
// and libpng 1.6 allocates that much for a text chunk and zeroes it before it finds
// the data missing (png_set_chunk_malloc_max does not stop it in Debian's build): a
// 101-byte file cost 1.5 GB. Anything over PNGC_MAX_CHUNK is refused instead, which
// libpng reports as an error (or skips, for a text chunk). Rows and the image buffer
// are the decoder's own and are bounded by PNGC_MAX_PIXELS.
static png_voidp bounded_malloc(png_structp png, png_alloc_size_t size) {
    (void)png;
    return size > PNGC_MAX_CHUNK ? NULL : malloc(size);
}

static void bounded_free(png_structp png, png_voidp pointer) {
    (void)png;
    free(pointer);
}

int pngc_decode(const uint8_t *data, size_t size, pngc_buffer *rgba, uint32_t *width, uint32_t *height,
                pngc_buffer *text, char *error, size_t errorSize) {
    codec_errors errors = {error, errorSize};
    reader r = {data, size, 0};
    rgba->data = NULL;
    rgba->size = 0;
    if (text) {
        text->data = NULL;
        text->size = 0;
    }
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        snprintf(error, errorSize, "not a PNG file (bad signature)");
        return 0;
    }
    png_structp png = png_create_read_struct_2(PNG_LIBPNG_VER_STRING, &errors, on_error, on_warning, NULL,
                                               bounded_malloc, bounded_free);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    // Volatile: it changes between setjmp and a longjmp back, and the error path frees it.
    png_bytep *volatile rows = NULL;
    if (!png || !info) {
        snprintf(error, errorSize, "out of memory");
        png_destroy_read_struct(&png, &info, NULL);
        return 0;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        free((void *)rows);
        pngc_free(rgba);
        if (text) pngc_free(text);
        return 0;
    }
    png_set_read_fn(png, &r, read_from_buffer);
    // A header may claim any size up to libpng's default 1,000,000 x 1,000,000
    // (4 TB of RGBA); the pictures this project draws are a few thousand pixels wide.
    png_set_user_limits(png, PNGC_MAX_SIDE, PNGC_MAX_SIDE);
    png_read_info(png, info);
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_gray_to_rgb(png);
    png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
    png_read_update_info(png, info);
    *width = png_get_image_width(png, info);
    *height = png_get_image_height(png, info);
    if ((uint64_t)*width * *height > PNGC_MAX_PIXELS) png_error(png, "image too large to decode");
    size_t stride = (size_t)*width * 4;
    rgba->data = malloc(stride * *height);
    rows = malloc(sizeof(png_bytep) * *height);
    if (!rgba->data || !rows) png_error(png, "out of memory");
    rgba->size = stride * *height;
    for (uint32_t y = 0; y < *height; y++) rows[y] = rgba->data + y * stride;
    png_read_image(png, rows);
    png_read_end(png, info);
    if (text) {
        png_textp chunks = NULL;
        int n = png_get_text(png, info, &chunks, NULL);
        for (int i = 0; i < n; i++) {
            if (!append(text, (const uint8_t *)chunks[i].key, strlen(chunks[i].key) + 1) ||
                !append(text, (const uint8_t *)chunks[i].text, strlen(chunks[i].text) + 1))
                png_error(png, "out of memory");
        }
    }
    free((void *)rows);
    png_destroy_read_struct(&png, &info, NULL);
    return 1;
}

void pngc_free(pngc_buffer *buffer) {
    free(buffer->data);
    buffer->data = NULL;
    buffer->size = 0;
}
