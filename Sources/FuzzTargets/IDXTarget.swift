import CZlib
import Foundation
import MNIST

extension FuzzTarget {
    /// The MNIST reader on an images file and a labels file, gzip or plain,
    /// read through the files as make-report reads them. The input is
    ///
    ///     flags (1 byte), n (2 bytes, little-endian), n bytes of the images file, the labels file
    ///
    /// flags bit 0 wraps the images file in a valid gzip member, bit 1 the
    /// labels file (so the fuzzer reaches the IDX checks behind the inflate as
    /// well as zlib's own errors), bit 2 names both files `.gz`, and bit 3 has
    /// the reader hand the images over one at a time instead of in chunks of 1,024.
    public static let idx = FuzzTarget(name: "idx") { bytes in
        guard bytes.count >= 3 else { return false }
        let flags = bytes[0]
        let n = min(Int(bytes[1]) | Int(bytes[2]) << 8, bytes.count - 3)
        var images = Array(bytes[3 ..< 3 + n]), labels = Array(bytes[(3 + n)...])
        if flags & 1 != 0 { images = gzip(images) }
        if flags & 2 != 0 { labels = gzip(labels) }
        let suffix = flags & 4 != 0 ? ".gz" : ""
        let imagesPath = scratch.file("images-idx3-ubyte" + suffix, images)
        let labelsPath = scratch.file("labels-idx1-ubyte" + suffix, labels)
        do {
            var sum = 0, count = 0
            let read = try ImageSet.stream(images: imagesPath, labels: labelsPath, imagesPerChunk: flags & 8 != 0 ? 1 : 1024) { chunk in
                precondition(chunk.pixels.count == chunk.count * ImageSet.pixelCount)
                for pixel in chunk.pixels { sum &+= Int(pixel) }
                count += chunk.count
            }
            precondition(read.count == count && read.allSatisfy { $0 < ImageSet.classCount })
            return true
        } catch {
            precondition(!"\(error)".isEmpty)  // the one-line message make-report would print
            return false
        }
    }

    /// `bytes` as one gzip member (zlib's deflate with a gzip wrapper).
    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        precondition(deflateInit2_(&stream, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 32)
        let produced = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = UInt32(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return out.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }
}

/// A folder of this process's own for the files a target writes, in memory
/// where the machine has /dev/shm. Each file is rewritten on every input.
final class ScratchFolder: Sendable {
    let path: String

    init() {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        path = base + "/make-report-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: scratch.path) }
    }

    /// Writes `bytes` to `name` in the folder and returns its path.
    func file(_ name: String, _ bytes: [UInt8]) -> String {
        let file = path + "/" + name
        precondition(FileManager.default.createFile(atPath: file, contents: Data(bytes)), "cannot write \(file)")
        return file
    }
}

let scratch = ScratchFolder()
