#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a cache file could not be read or written, in a few words.
struct CacheFileError: Error, CustomStringConvertible {
    let description: String

    /// The failed call and `errno`'s text.
    static func system(_ call: String) -> CacheFileError {
        CacheFileError(description: "\(call): \(String(cString: strerror(errno)))")
    }
}

/// Writes a cache file: native-endian integers and whole arrays, each with
/// one `write(2)` loop straight from the array's storage.
struct CacheFileWriter {
    let descriptor: Int32

    func append(_ values: Int64...) throws {
        try append(values)
    }

    func append<T: BitwiseCopyable>(_ array: [T]) throws {
        try array.withUnsafeBytes { try append($0) }
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw CacheFileError.system("write") }
            done += n
        }
    }
}

/// Reads what `CacheFileWriter` wrote, never past the `remaining` bytes the
/// file holds, so a damaged length field is an error, not a huge allocation.
struct CacheFileReader {
    let descriptor: Int32
    private(set) var remaining: Int

    init(descriptor: Int32, size: Int) {
        self.descriptor = descriptor
        remaining = size
    }

    mutating func int64() throws -> Int64 {
        try array(Int64.self, count: 1)[0]
    }

    /// `count` values; a count that is negative or more than the file still holds is an error.
    mutating func array<T: BitwiseCopyable>(_: T.Type, count: Int64) throws -> [T] {
        let stride = Int64(MemoryLayout<T>.stride)
        guard count >= 0, count <= Int64(remaining) / stride else {
            throw CacheFileError(description: "a length field (\(count)) is larger than the file")
        }
        let byteCount = Int(count * stride)
        var failure: CacheFileError?
        let result = [T](unsafeUninitializedCapacity: Int(count)) { buffer, initialized in
            let bytes = UnsafeMutableRawBufferPointer(buffer)
            var done = 0
            while done < byteCount {
                let n = read(descriptor, bytes.baseAddress! + done, byteCount - done)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else {
                    failure = n == 0 ? CacheFileError(description: "ends early") : .system("read")
                    break
                }
                done += n
            }
            // Trivial elements: whatever was read may be kept or dropped; keep none on failure.
            initialized = failure == nil ? Int(count) : 0
        }
        if let failure { throw failure }
        remaining -= byteCount
        return result
    }
}

