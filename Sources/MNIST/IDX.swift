import Foundation

/// The IDX container of the MNIST files: a big-endian header (magic number
/// 0x000008NN for unsigned bytes with NN dimensions, then one UInt32 per
/// dimension) followed by the raw data.
enum IDX {
    static let imagesMagic: UInt32 = 0x0000_0803
    static let labelsMagic: UInt32 = 0x0000_0801

    /// Reads a file and returns its IDX bytes, inflating it when it is gzip.
    /// A name ending in `.gz` must be gzip; any other file may be either.
    static func contents(of path: String) throws(MNISTError) -> [UInt8] {
        let raw = try fileBytes(path)
        if Gzip.hasHeader(raw) { return try Gzip.decompress(raw, path: path) }
        if path.hasSuffix(".gz") { throw .notGzip(path: path) }
        return raw
    }

    /// Like `contents(of:)`, but hands the IDX bytes to `body` a piece at a
    /// time, in order, inflating as it goes.
    static func stream(_ path: String, _ body: (UnsafeRawBufferPointer) throws(MNISTError) -> Void) throws(MNISTError) {
        let raw = try fileBytes(path)
        if Gzip.hasHeader(raw) { return try Gzip.inflate(raw, path: path, body) }
        if path.hasSuffix(".gz") { throw .notGzip(path: path) }
        let result = raw.withUnsafeBytes { bytes in Result { () throws(MNISTError) in try body(bytes) } }
        try result.get()
    }

    /// The file's bytes as they are on disk, read straight into the array
    /// (through `Data` they were copied once more: 9.7 MB more at the start of
    /// every run for the training images).
    static func fileBytes(_ path: String) throws(MNISTError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .unreadable(path: path, reason: "not a regular file") }
        let size = Int(info.st_size)
        guard size > 0 else { return [] }
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = 0
            while count < size {
                let n = read(fd, buffer.baseAddress! + count, size - count)
                if n > 0 { count += n } else if n == 0 { return }  // the file got shorter
                else if errno != EINTR { failure = errno; return }
            }
        }
        guard failure == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(failure))) }
        return bytes
    }

    static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    /// Checks the header and the size of a file with `dimensions` dimensions and
    /// returns the dimension sizes.
    static func header(
        _ bytes: [UInt8], magic: UInt32, path: String
    ) throws(MNISTError) -> [Int] {
        let dimensions = Int(magic & 0xff)
        let headerSize = 4 + 4 * dimensions
        guard bytes.count >= 4 else { throw .truncated(path: path, expectedBytes: headerSize, actualBytes: bytes.count) }
        let found = readUInt32(bytes, at: 0)
        guard found == magic else { throw .wrongMagic(path: path, found: found, expected: magic) }
        guard bytes.count >= headerSize else { throw .truncated(path: path, expectedBytes: headerSize, actualBytes: bytes.count) }
        let sizes = (0..<dimensions).map { Int(readUInt32(bytes, at: 4 + 4 * $0)) }
        let payload = sizes.reduce(1, *)
        let available = bytes.count - headerSize
        if available < payload { throw .truncated(path: path, expectedBytes: payload, actualBytes: available) }
        if available > payload { throw .trailingBytes(path: path, count: available - payload) }
        return sizes
    }
}
