#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets (see README.md): tiny valid files
and the broken kinds the tests make. Deterministic: the same bytes every run.
Run from anywhere: python3 Tests/Fuzz/make_seeds.py"""
import gzip, os, struct, zlib

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def write(target, name, data):
    os.makedirs(os.path.join(HERE, target), exist_ok=True)
    with open(os.path.join(HERE, target, name), "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, mtime=0)


# MARK: idx: flags, images length (2 bytes LE), images file, labels file

def images_file(count, rows=28, columns=28):
    pixels = bytes((i * 37 + count) % 256 if (i // 7) % 3 else 0 for i in range(count * rows * columns))
    return struct.pack(">IIII", 0x803, count, rows, columns) + pixels


def labels_file(labels):
    return struct.pack(">II", 0x801, len(labels)) + bytes(labels)


def idx(flags, images, labels):
    return bytes([flags]) + struct.pack("<H", len(images)) + images + labels


two = images_file(2)
write("idx", "valid-plain", idx(0, two, labels_file([3, 7])))
write("idx", "valid-gzip-both", idx(1 | 2 | 4, two, labels_file([3, 7])))
write("idx", "valid-one-at-a-time", idx(8, images_file(3), labels_file([0, 1, 9])))
write("idx", "valid-empty-set", idx(0, images_file(0), labels_file([])))
write("idx", "truncated-images", idx(0, two[:-5], labels_file([3, 7])))
write("idx", "trailing-bytes", idx(0, two + b"\0", labels_file([3, 7])))
write("idx", "wrong-magic", idx(0, struct.pack(">I", 0x801) + two[4:], labels_file([3, 7])))
write("idx", "wrong-image-size", idx(0, images_file(1, rows=27, columns=29), labels_file([1])))
write("idx", "label-out-of-range", idx(0, two, labels_file([3, 10])))
write("idx", "count-mismatch", idx(0, two, labels_file([3, 7, 1])))
write("idx", "short-header", idx(0, two[:9], labels_file([3, 7])))
broken = bytearray(gz(two))
broken[len(broken) // 2] ^= 0xFF
write("idx", "corrupt-gzip", idx(4, bytes(broken), gz(labels_file([3, 7]))))
good = bytearray(gz(two))
good[-8] ^= 1  # CRC-32
write("idx", "bad-crc", idx(4, bytes(good), gz(labels_file([3, 7]))))
write("idx", "gzip-name-plain-bytes", idx(4, two, labels_file([3, 7])))
write("idx", "huge-count", idx(0, struct.pack(">IIII", 0x803, 0xFFFFFFFF, 28, 28), labels_file([1])))

# MARK: png: any bytes in place of a PNG file

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width, height, color_type, bit_depth, rows, extra=b"", interlace=0):
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, interlace)
    raw = b"".join(b"\0" + row for row in rows)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


write("png", "valid-rgb-2x2", png(2, 2, 2, 8, [bytes([255, 0, 0, 0, 255, 0]), bytes([0, 0, 255, 9, 9, 9])]))
write("png", "valid-rgba-2x1-text", png(2, 1, 6, 8, [bytes([1, 2, 3, 4, 5, 6, 7, 8])], chunk(b"tEXt", b"Title\0a picture")))
write("png", "valid-gray-3x1", png(3, 1, 0, 8, [bytes([0, 128, 255])]))
write("png", "valid-gray16-1x1", png(1, 1, 0, 16, [bytes([0x12, 0x34])]))
write("png", "valid-palette-2x1", png(2, 1, 3, 8, [bytes([0, 1])], chunk(b"PLTE", bytes([255, 0, 0, 0, 0, 255])) + chunk(b"tRNS", bytes([128]))))
write("png", "valid-interlaced-gray-1x1", png(1, 1, 0, 8, [bytes([7])], interlace=1))
valid = png(2, 2, 2, 8, [bytes(6), bytes(6)])
write("png", "truncated", valid[:-20])
write("png", "bad-signature", b"\x89PNX" + valid[4:])
bad_crc = bytearray(valid)
bad_crc[29] ^= 1  # the IHDR chunk's CRC
write("png", "bad-crc", bytes(bad_crc))
write("png", "huge-dimensions", png(1000000, 1000000, 6, 8, [b""]))

# MARK: cache: flags (bit 0: the reader's header and tag first), then the file
# The format of Sources/TrainingData/DataCache.swift, version 2, little-endian.

MAGIC, END = 0x4548_4341_4352_4E4D, 0x444E_455F_4352_4E4D
TAG = b"fuzzing\t0\t0\t0\t0.0\t0.0\n"


def cache_body(test_images, train_rows, train_labels):
    """Everything after the tag: test set, training set as sparse rows, end magic."""
    out = struct.pack("<qq", 784, len(test_images)) + b"".join(test_images) + bytes(i % 10 for i in range(len(test_images)))
    starts, columns, values = [0], [], []
    for row in train_rows:
        for column, value in row:
            columns.append(column)
            values.append(value)
        starts.append(len(columns))
    out += struct.pack("<qq", len(train_rows), len(columns))
    header = 8 * 3 + len(TAG)
    out += bytes((-(header + len(out))) % 65536)
    out += struct.pack(f"<{len(starts)}i", *starts) + struct.pack(f"<{len(columns)}H", *columns) + bytes(values)
    out += bytes(train_labels) + struct.pack("<q", END)
    return out


test = [bytes((i * 3) % 256 if i % 5 else 0 for i in range(784))]
rows = [[(3, 200), (100, 1), (783, 255)], [], [(0, 7)]]
body = cache_body(test, rows, [1, 2, 3])
header = struct.pack("<qqq", MAGIC, 2, len(TAG)) + TAG
write("cache", "valid", b"\x01" + body)
write("cache", "valid-whole-file", b"\x00" + header + body)
write("cache", "empty", b"\x00")
write("cache", "wrong-version", b"\x00" + struct.pack("<qqq", MAGIC, 3, len(TAG)) + TAG + body)
write("cache", "other-tag", b"\x00" + struct.pack("<qqq", MAGIC, 2, 4) + b"nope" + body)
write("cache", "last-byte-missing", b"\x01" + body[:-1])
write("cache", "extra-byte", b"\x01" + body + b"\0")
write("cache", "huge-length", b"\x01" + struct.pack("<qq", 784, 1 << 62) + body[16:])
write("cache", "column-out-of-range", b"\x01" + cache_body(test, [[(784, 1)]], [0]))
write("cache", "zero-value", b"\x01" + cache_body(test, [[(5, 0)]], [0]))
write("cache", "label-out-of-range", b"\x01" + cache_body(test, [[(5, 9)]], [10]))
write("cache", "unsorted-columns", b"\x01" + cache_body(test, [[(9, 1), (5, 1)]], [0]))
write("cache", "rows-going-back", b"\x01" + body.replace(struct.pack("<4i", 0, 3, 3, 4), struct.pack("<4i", 0, 3, 2, 4)))
