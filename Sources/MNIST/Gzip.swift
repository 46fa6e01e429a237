import CZlib

/// gzip decompression with zlib's `inflate`.
enum Gzip {
    /// True when `bytes` starts with the gzip magic 0x1f 0x8b.
    static func hasHeader(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Inflates a complete gzip member. `path` only names the file in errors.
    static func decompress(_ input: [UInt8], path: String) throws(MNISTError) -> [UInt8] {
        guard hasHeader(input), input.count >= 18 else { throw .notGzip(path: path) }
        // ISIZE, the last four bytes, is the uncompressed size mod 2^32: a good capacity hint,
        // capped at deflate's largest ratio (1032:1) because a damaged file can claim anything.
        let n = input.count
        let isize = Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
        let hint = min(isize, n * 1032)

        var stream = z_stream()
        // 15 + 16: a gzip wrapper is required (a zlib or raw stream is an error).
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corruptGzip(path: path, reason: "zlib could not start")
        }
        defer { inflateEnd(&stream) }

        var output = [UInt8](repeating: 0, count: max(hint, 1024))
        var produced = 0
        var status: Int32 = Z_OK
        input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            while status == Z_OK {
                if produced == output.count { output.append(contentsOf: repeatElement(0, count: output.count)) }
                output.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress! + produced
                    stream.avail_out = UInt32(min(target.count - produced, Int(UInt32.max)))
                    let before = stream.avail_out
                    status = inflate(&stream, Z_NO_FLUSH)
                    produced += Int(before - stream.avail_out)
                }
                if status == Z_BUF_ERROR, stream.avail_in > 0 { status = Z_OK }  // output full: grow and go on
            }
        }
        switch status {
        case Z_STREAM_END:
            output.removeLast(output.count - produced)
            return output
        case Z_BUF_ERROR:
            throw .corruptGzip(path: path, reason: "unexpected end of compressed data")
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw .corruptGzip(path: path, reason: message)
        }
    }
}
