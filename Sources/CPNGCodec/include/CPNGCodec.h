#ifndef CPNGCODEC_H
#define CPNGCODEC_H
// libpng behind a setjmp-free interface that Swift can call: libpng reports
// errors by longjmp, which must not cross Swift frames, so the jumps stay in C.
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Bytes allocated by the codec; release with pngc_free.
typedef struct {
    uint8_t *data;
    size_t size;
} pngc_buffer;

/// Encodes 8-bit pixels (channels 3 = RGB or 4 = RGBA, rows packed) as PNG in
/// memory at zlib `level` (0-9), with `count` tEXt chunks and no tIME chunk, so
/// the same pixels and text always give the same bytes. Returns 1, or 0 with a
/// message in `error`.
int pngc_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int channels, int level,
                const char *const *keys, const char *const *values, int count,
                pngc_buffer *out, char *error, size_t errorSize);

/// The same for opaque native-endian 0xAARRGGBB pixels, `stride` bytes from
/// one row to the next (Cairo's ARGB32 with every alpha 255): written as RGB
/// with the alpha dropped, without an unpacked copy of the image.
int pngc_encode_opaque_argb32(const uint32_t *pixels, size_t stride, uint32_t width, uint32_t height, int level,
                              const char *const *keys, const char *const *values, int count,
                              pngc_buffer *out, char *error, size_t errorSize);

/// The largest picture pngc_decode accepts: 16,384 pixels a side and 64 million
/// pixels (256 MiB of RGBA); a larger one is an error, not an allocation.
#define PNGC_MAX_SIDE 16384
#define PNGC_MAX_PIXELS (64u * 1024 * 1024)
/// The largest block libpng may allocate while pngc_decode runs (a chunk, a row): 8 MiB.
#define PNGC_MAX_CHUNK (8u * 1024 * 1024)

/// Decodes any PNG to 8-bit RGBA. `text` receives "key\0value\0" pairs one
/// after another (may be NULL). Returns 1, or 0 with a message in `error`.
int pngc_decode(const uint8_t *data, size_t size, pngc_buffer *rgba, uint32_t *width, uint32_t *height,
                pngc_buffer *text, char *error, size_t errorSize);

void pngc_free(pngc_buffer *buffer);

#ifdef __cplusplus
}
#endif
#endif
