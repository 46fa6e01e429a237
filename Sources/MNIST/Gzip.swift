import CZlib
import Dispatch

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
    ///
    /// The member's CRC-32 and length are checked at the end, as zlib would,
    /// but the CRC is summed on another thread, one piece behind the inflating
    /// one: for the training images it is 14 ms of the 125 this thread spends.
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
        // zlib stops checking the CRC and the length; `checksum` does both.
        guard inflateValidate(&stream, 0) == Z_OK else { throw .corruptGzip(path: path, reason: "zlib could not start") }
        let checksum = PieceChecksum(pieceSize: pieceSize)
        defer { _ = checksum.finish() }  // no summing may outlive the call, even when `body` throws

        var status: Int32 = Z_OK
        var end = 0
        try input.withUnsafeBufferPointer { (source) throws(MNISTError) in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            while status == Z_OK {
                let piece = checksum.nextBuffer()
                stream.next_out = piece.baseAddress!.assumingMemoryBound(to: UInt8.self)
                stream.avail_out = UInt32(pieceSize)
                status = CZlib.inflate(&stream, Z_NO_FLUSH)
                let produced = pieceSize - Int(stream.avail_out)
                if produced > 0 {
                    checksum.add(produced)
                    try body(UnsafeRawBufferPointer(rebasing: piece[0 ..< produced]))
                }
                // Z_BUF_ERROR with input left: the piece was full; go on with the next one.
                if status == Z_BUF_ERROR, stream.avail_in > 0, produced > 0 { status = Z_OK }
            }
            end = source.count - Int(stream.avail_in)
        }
        let (crc, length) = checksum.finish()
        switch status {
        case Z_STREAM_END:
            // The member ends with its CRC-32 and its length mod 2^32, little-endian.
            func word(_ at: Int) -> UInt32 {
                UInt32(input[at]) | UInt32(input[at + 1]) << 8 | UInt32(input[at + 2]) << 16 | UInt32(input[at + 3]) << 24
            }
            guard end >= 18, word(end - 8) == crc else { throw .corruptGzip(path: path, reason: "incorrect data check") }
            guard word(end - 4) == UInt32(truncatingIfNeeded: length) else {
                throw .corruptGzip(path: path, reason: "incorrect length check")
            }
        case Z_BUF_ERROR:
            throw .corruptGzip(path: path, reason: "unexpected end of compressed data")
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw .corruptGzip(path: path, reason: message)
        }
    }
}

/// CRC-32 (zlib's `crc32_z`) of a stream of output pieces, summed on a serial
/// queue while the next piece is inflated into the other of two buffers.
private final class PieceChecksum: @unchecked Sendable {
    private let buffers: [UnsafeMutableRawBufferPointer]
    private let free: [DispatchSemaphore]
    private let queue = DispatchQueue(label: "mnist.gzip-crc", qos: .userInitiated)
    private var current = 1
    /// Buffers handed out by `nextBuffer` and not given back by `add` (a
    /// semaphore must be back at its initial value when it is released).
    private var held = [false, false]
    /// Only touched on `queue`, then after `finish`'s sync.
    private var crc: UInt = 0
    private var length = 0

    init(pieceSize: Int) {
        buffers = (0 ..< 2).map { _ in UnsafeMutableRawBufferPointer.allocate(byteCount: pieceSize, alignment: 64) }
        free = (0 ..< 2).map { _ in DispatchSemaphore(value: 1) }
    }

    /// After `finish`: the queue holds no work.
    deinit {
        for index in 0 ..< 2 where held[index] { free[index].signal() }
        buffers.forEach { $0.deallocate() }
    }

    /// The buffer to inflate into next, once its previous contents are summed.
    func nextBuffer() -> UnsafeMutableRawBufferPointer {
        current = 1 - current
        free[current].wait()
        held[current] = true
        return buffers[current]
    }

    /// Sums the first `count` bytes of the buffer `nextBuffer` gave last.
    func add(_ count: Int) {
        let index = current
        held[index] = false
        queue.async { [unowned self] in  // `inflate` outlives every sum: it calls `finish`
            crc = crc32_z(crc, buffers[index].baseAddress!.assumingMemoryBound(to: UInt8.self), count)
            length += count
            free[index].signal()
        }
    }

    /// Waits for the sums queued so far: the CRC-32 and length of everything added.
    func finish() -> (crc: UInt32, length: Int) {
        queue.sync { (UInt32(truncatingIfNeeded: crc), length) }
    }
}
