import Foundation
import MNIST
import Trainer

/// The cache reader as the fuzzer and its regression tests drive it: a file
/// checked against a fixed tag instead of the fingerprint of real data files.
/// Not for anything else.
@_spi(Fuzzing)
public enum DataCacheFuzzing {
    static let tag = SourceFingerprint(text: "fuzzing\t0\t0\t0\t0.0\t0.0\n")

    /// A cache file's first bytes up to and including that tag.
    public static var header: [UInt8] {
        let tag = Array(tag.text.utf8)
        return withUnsafeBytes(of: (DataCache.magic, DataCache.version, Int64(tag.count))) { Array($0) } + tag
    }

    /// Reads `path` as make-report reads its cache, and reads every value the
    /// data holds; nil for a miss.
    public static func read(_ path: String) -> (train: Int, test: Int)? {
        guard let (train, test) = try? DataCache(directory: "/").read(path, fingerprint: tag, whenTestSetRead: { _ in }) else {
            return nil
        }
        var sum = 0
        for pixel in test.pixels { sum &+= Int(pixel) }
        let rows = train.storage  // a copy of every row offset, column, value and label
        for start in rows.rowStart { sum &+= Int(start) }
        for column in rows.column { sum &+= Int(column) }
        for value in rows.value { sum &+= Int(value) }
        for label in rows.labels { sum &+= Int(label) }
        precondition(sum >= 0 || sum < 0)
        return (train.count, test.count)
    }

    /// A valid cache file of these images under the fuzzing tag: a seed.
    public static func file(train: ImageSet, test: ImageSet) throws -> [UInt8] {
        let path = NSTemporaryDirectory() + "/make-report-fuzz-seed-\(getpid()).cache"
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw CacheFileError.system("cannot create \(path)") }
        defer { unlink(path) }
        do {
            defer { close(descriptor) }
            let sparse = SparseImages(pixels: train.pixels, labels: train.labels, pixelCount: ImageSet.pixelCount)
            try DataCache.write(sparse, test, fingerprint: tag, to: descriptor)
        }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
