import CZlib
import Foundation

/// Builds IDX files (plain or gzip) in a fresh temporary folder.
struct IDXFiles {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("mnist-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static func header(magic: UInt32, dimensions: [Int]) -> [UInt8] {
        ([magic] + dimensions.map(UInt32.init)).flatMap { v in [24, 16, 8, 0].map { UInt8((v >> UInt32($0)) & 0xff) } }
    }

    static func images(count: Int, rows: Int = 28, columns: Int = 28, fill: (Int) -> UInt8 = { UInt8($0 % 256) }) -> [UInt8] {
        header(magic: 0x803, dimensions: [count, rows, columns]) + (0 ..< count * rows * columns).map(fill)
    }

    static func labels(_ labels: [UInt8]) -> [UInt8] {
        header(magic: 0x801, dimensions: [labels.count]) + labels
    }

    /// gzip with zlib's deflate (windowBits 15 + 16).
    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
        var input = bytes
        let produced = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                deflate(&stream, Z_FINISH)
                return target.count - Int(stream.avail_out)
            }
        }
        return Array(output[0 ..< produced])
    }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: folder.appendingPathComponent(name))
        return path(name)
    }

    /// A complete data folder: `count` training and test images, gzip.
    func writeDataset(trainCount: Int = 5, testCount: Int = 3) throws {
        try write("train-images-idx3-ubyte.gz", Self.gzip(Self.images(count: trainCount)))
        try write("train-labels-idx1-ubyte.gz", Self.gzip(Self.labels((0 ..< trainCount).map { UInt8($0 % 10) })))
        try write("t10k-images-idx3-ubyte.gz", Self.gzip(Self.images(count: testCount)))
        try write("t10k-labels-idx1-ubyte.gz", Self.gzip(Self.labels((0 ..< testCount).map { UInt8($0 % 10) })))
    }
}
