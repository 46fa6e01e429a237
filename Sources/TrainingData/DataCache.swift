import Foundation
import MNIST
import Trainer

/// A decoded copy of a data folder, so that a run after the first reads its
/// data instead of inflating and re-encoding it, as the book's `mnist.pkl` does
/// for the notebook: the training set as sparse rows, the test set as pixels.
///
/// One file per data folder, `<directory>/mnist-<hash of the folder's path>.cache`,
/// tagged with the `SourceFingerprint` of the four files it was made from; a
/// file whose tag, format or contents do not check out is ignored (and then
/// replaced), so a stale or damaged cache costs one slow load, never wrong data.
/// Files are written whole under a temporary name and renamed into place.
public struct DataCache: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// `$XDG_CACHE_HOME/make-report`, else `$HOME/.cache/make-report`; nil
    /// when neither variable holds an absolute path.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let base = environment["XDG_CACHE_HOME"], base.hasPrefix("/") {
            return (base as NSString).appendingPathComponent("make-report")
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return (home as NSString).appendingPathComponent(".cache/make-report")
        }
        return nil
    }

    /// The cache file of `dataDirectory`: named by a hash (FNV-1a, 64 bits) of its resolved path.
    public func file(for dataDirectory: String) -> String {
        let resolved = URL(fileURLWithPath: dataDirectory).standardizedFileURL.resolvingSymlinksInPath().path
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in resolved.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return (directory as NSString).appendingPathComponent("mnist-\(String(repeating: "0", count: 16 - hex.count))\(hex).cache")
    }

    // MARK: Format

    /// "MNRCACHE", "MNRC_END" as native-endian words, and the layout's version.
    static let magic: Int64 = 0x4548_4341_4352_4E4D
    static let endMagic: Int64 = 0x444E_455F_4352_4E4D
    static let version: Int64 = 2

    /// Where the training set's arrays start: a multiple of 64 KiB, the
    /// largest page size in common use, so they can be mapped where they lie.
    static let trainingAlignment = 65536

    /// The test set first, so that it can be handed on while the training set is read:
    ///
    ///     magic, version, byte count of the fingerprint, its UTF-8 bytes,
    ///     pixels per image, test image count, test pixels, test labels,
    ///     training image count, training entry count, zeros up to a multiple
    ///     of `trainingAlignment` bytes, the training set's row offsets (Int32),
    ///     columns (UInt16), values and labels (UInt8), end magic.
    ///
    /// The header and test set are read into arrays; the training set's arrays
    /// (27 MB for MNIST) are mapped and used in place (`MappedFile`). A file is
    /// only ever replaced by renaming a new one over it, never written in
    /// place, so a mapped copy does not change under a run; another program
    /// that truncated one during a run would make that run fail with SIGBUS.
    static func write(_ train: SparseImages, _ test: ImageSet, fingerprint: SourceFingerprint, to descriptor: Int32) throws {
        var out = CacheFileWriter(descriptor: descriptor)
        let tag = Array(fingerprint.text.utf8)
        try out.append(magic, version, Int64(tag.count))
        try out.append(tag)
        try out.append(Int64(ImageSet.pixelCount), Int64(test.count))
        try out.append(test.pixels)
        try out.append(test.labels)
        let rows = train.storage
        try out.append(Int64(rows.labels.count), Int64(rows.column.count))
        try out.pad(toMultipleOf: trainingAlignment)
        try out.append(rows.rowStart)
        try out.append(rows.column)
        try out.append(rows.value)
        try out.append(rows.labels)
        try out.append(endMagic)
    }

    // MARK: Reading and writing

    /// Why the cache was not used.
    public struct Miss: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The data in `path` if it was made from files with this `fingerprint`.
    /// `whenTestSetRead` gets the test set before the training set is read
    /// (the file may still turn out damaged after that).
    func read(
        _ path: String, fingerprint: SourceFingerprint, whenTestSetRead: (ImageSet) -> Void
    ) throws(Miss) -> (train: SparseImages, test: ImageSet) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw Miss(description: [ENOENT, ENOTDIR].contains(errno) ? "no cache yet" : "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Miss(description: "cannot stat \(path)") }
        do {
            var input = CacheFileReader(descriptor: descriptor, size: Int(info.st_size))
            guard try input.int64() == Self.magic, try input.int64() == Self.version else {
                throw CacheFileError(description: "not a cache file of this version")
            }
            let tag = try input.array(UInt8.self, count: input.int64())
            guard tag == Array(fingerprint.text.utf8) else { throw Miss(description: "the data files changed") }
            guard try input.int64() == Int64(ImageSet.pixelCount) else { throw CacheFileError(description: "wrong image size") }

            let testCount = try input.int64()
            let testPixels = try input.array(UInt8.self, count: testCount.multipliedReportingOverflow(by: Int64(ImageSet.pixelCount)).partialValue)
            let testLabels = try input.array(UInt8.self, count: testCount)
            guard testPixels.count == testLabels.count * ImageSet.pixelCount,
                !testLabels.contains(where: { Int($0) >= ImageSet.classCount })
            else { throw CacheFileError(description: "malformed test set") }
            let test = ImageSet(pixels: testPixels, labels: testLabels)
            whenTestSetRead(test)

            let (trainCount, entries) = (try input.int64(), try input.int64())
            guard (0 ... Int64(Int32.max)).contains(trainCount) else { throw CacheFileError(description: "bad image count") }
            let size = Int(info.st_size)
            try input.skipPadding(toMultipleOf: Self.trainingAlignment, size: size)
            var mapped = MappedFile.Reader(file: try MappedFile(descriptor: descriptor, offset: size - input.remaining, size: size))
            let rowStart = try mapped.buffer(Int32.self, count: trainCount + 1)
            let column = try mapped.buffer(UInt16.self, count: entries)
            let value = try mapped.buffer(UInt8.self, count: entries)
            let labels = Array(try mapped.buffer(UInt8.self, count: trainCount))
            guard try mapped.int64() == Self.endMagic, mapped.remaining == 0 else { throw CacheFileError(description: "bad ending") }
            let rows = SparseImages.BorrowedRows(rowStart: rowStart, column: column, value: value, owner: mapped.file)
            do {
                let train = try SparseImages(
                    validating: rows, labels: labels, pixelCount: ImageSet.pixelCount, classCount: ImageSet.classCount)
                return (train, test)
            } catch {
                throw CacheFileError(description: "malformed training set: \(error)")
            }
        } catch let miss as Miss {
            throw miss
        } catch {
            throw Miss(description: "\(path) is damaged (\(error))")
        }
    }

    /// `mkdir -p`, with `errno`'s reason when it fails.
    static func makeDirectories(_ directory: String) throws {
        var prefix = directory.hasPrefix("/") ? "" : "."
        for part in directory.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw CacheFileError(description: "cannot create \(directory): \(String(cString: strerror(errno)))")
            }
        }
        var info = stat()
        guard stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw CacheFileError(description: "cannot create \(directory): \(String(cString: strerror(ENOTDIR)))")
        }
    }

    /// Writes `path` whole, under a temporary name renamed into place, creating the folder as needed.
    func write(_ train: SparseImages, _ test: ImageSet, fingerprint: SourceFingerprint, to path: String) throws {
        try Self.makeDirectories(directory)
        var template = Array((path + ".XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw CacheFileError.system("cannot create a file in \(directory)") }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var renamed = false
        defer {
            if !renamed { unlink(temporary) }
        }
        do {
            defer { close(descriptor) }
            try Self.write(train, test, fingerprint: fingerprint, to: descriptor)
        }
        guard rename(temporary, path) == 0 else { throw CacheFileError.system("cannot rename \(temporary) to \(path)") }
        renamed = true
    }
}
