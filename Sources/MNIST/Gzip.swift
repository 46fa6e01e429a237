import CZlib

/// gzip decompression with zlib's `inflate`.
enum Gzip {
    /// True when `bytes` starts with the gzip magic 0x1f 0x8b.
    static func hasHeader(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Inflates a complete gzip member. `path` only names the file in errors.
    static func decompress(_ input: [UInt8], path: String) throws(MNISTError) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(sizeHint(input))
        try inflate(input, path: path) { piece in output.append(contentsOf: piece) }
        return output
    }

    /// ISIZE, the last four bytes, is the uncompressed size mod 2^32: a good capacity hint,
    /// capped at deflate's largest ratio (1032:1) because a damaged file can claim anything.
    static func sizeHint(_ input: [UInt8]) -> Int {
        let n = input.count
        guard n >= 4 else { return 0 }
        let isize = Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
        return min(isize, n * 1032)
    }

    /// Inflates a complete gzip member a piece at a time: `body` gets each
    /// piece of output (at most `pieceSize` bytes, valid only during the call)
    /// in order, so the whole output never has to exist at once.
    static func inflate(
        _ input: [UInt8], path: String, pieceSize: Int = 1 << 20, _ body: (UnsafeRawBufferPointer) throws(MNISTError) -> Void
    ) throws(MNISTError) {
        guard hasHeader(input), input.count >= 18 else { throw .notGzip(path: path) }
        var stream = z_stream()
        // 15 + 16: a gzip wrapper is required (a zlib or raw stream is an error).
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corruptGzip(path: path, reason: "zlib could not start")
        }
        defer { inflateEnd(&stream) }

        let piece = UnsafeMutableRawBufferPointer.allocate(byteCount: pieceSize, alignment: 64)
        defer { piece.deallocate() }
        var status: Int32 = Z_OK
        try input.withUnsafeBufferPointer { (source) throws(MNISTError) in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            while status == Z_OK {
                stream.next_out = piece.baseAddress!.assumingMemoryBound(to: UInt8.self)
                stream.avail_out = UInt32(pieceSize)
                status = CZlib.inflate(&stream, Z_NO_FLUSH)
                let produced = pieceSize - Int(stream.avail_out)
                if produced > 0 { try body(UnsafeRawBufferPointer(rebasing: piece[0 ..< produced])) }
                // Z_BUF_ERROR with input left: the piece was full; go on with the next one.
                if status == Z_BUF_ERROR, stream.avail_in > 0, produced > 0 { status = Z_OK }
            }
        }
        switch status {
        case Z_STREAM_END:
            return
        case Z_BUF_ERROR:
            throw .corruptGzip(path: path, reason: "unexpected end of compressed data")
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw .corruptGzip(path: path, reason: message)
        }
    }
}
