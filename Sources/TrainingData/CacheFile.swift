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
    /// Bytes written so far.
    private(set) var offset = 0

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    mutating func append(_ values: Int64...) throws {
        try append(values)
    }

    mutating func append<T: BitwiseCopyable>(_ array: [T]) throws {
        try array.withUnsafeBytes { try append($0) }
    }

    /// Zeros up to the next multiple of `alignment` bytes.
    mutating func pad(toMultipleOf alignment: Int) throws {
        let count = (alignment - offset % alignment) % alignment
        try append([UInt8](repeating: 0, count: count))
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw CacheFileError.system("write") }
            done += n
        }
        offset += done
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

    /// Skips the zeros `CacheFileWriter.pad` wrote, given the file's size.
    mutating func skipPadding(toMultipleOf alignment: Int, size: Int) throws {
        let count = (alignment - (size - remaining) % alignment) % alignment
        guard try array(UInt8.self, count: Int64(count)).allSatisfy({ $0 == 0 }) else {
            throw CacheFileError(description: "bad padding")
        }
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
        // Capacity at least 1: for 0 the initializer writes into the standard library's shared
        // empty array, a data race when two threads read caches at once.
        let result = [T](unsafeUninitializedCapacity: max(Int(count), 1)) { buffer, initialized in
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


/// The rest of a file from a page-aligned `offset`, mapped read-only and
/// unmapped when the last reference goes: arrays in it are used in place, so
/// the pages come straight from the page cache, with no copy and none of the
/// zero-filled pages a copy would need (measured here: 35 MB in about 5 ms
/// mapped, 35-45 ms read into fresh memory).
final class MappedFile: @unchecked Sendable {  // immutable after init
    let bytes: UnsafeRawBufferPointer

    init(descriptor: Int32, offset: Int, size: Int) throws {
        let length = size - offset
        guard length > 0 else { throw CacheFileError(description: "ends early") }
        guard let base = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, off_t(offset)), base != MAP_FAILED else {
            throw CacheFileError.system("mmap")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: length)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress!), bytes.count)
    }

    /// Reads the mapping from the start, never past its end.
    struct Reader {
        let file: MappedFile
        private(set) var offset = 0

        var remaining: Int { file.bytes.count - offset }

        mutating func int64() throws -> Int64 {
            guard remaining >= 8 else { throw CacheFileError(description: "ends early") }
            defer { offset += 8 }
            return file.bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self)
        }

        /// `count` values in place, valid while `file` is; a count that is
        /// negative or more than the file still holds, or values that would
        /// sit at a misaligned address, are an error.
        mutating func buffer<T: BitwiseCopyable>(_: T.Type, count: Int64) throws -> UnsafeBufferPointer<T> {
            let stride = Int64(MemoryLayout<T>.stride)
            guard count >= 0, count <= Int64(remaining) / stride else {
                throw CacheFileError(description: "a length field (\(count)) is larger than the file")
            }
            let start = file.bytes.baseAddress! + offset
            guard Int(bitPattern: start) % MemoryLayout<T>.alignment == 0 else {
                throw CacheFileError(description: "misaligned \(T.self) values")
            }
            offset += Int(count * stride)
            return UnsafeBufferPointer(start: start.bindMemory(to: T.self, capacity: Int(count)), count: Int(count))
        }
    }
}
