import Foundation
import MNIST
import Testing
import Trainer

@testable import TrainingData

/// A data folder of plain IDX files with sparse, digit-like random images.
struct DataFolder {
    let url: URL
    var path: String { url.path }

    init(trainCount: Int = 40, testCount: Int = 15, seed: UInt64 = 1) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("training-data-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        var state = seed
        func next() -> UInt64 {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        // About one pixel in five is ink, as in MNIST.
        func images(_ count: Int) -> [UInt8] {
            (0 ..< count * ImageSet.pixelCount).map { _ in next() % 5 == 0 ? UInt8(1 + next() % 255) : 0 }
        }
        try write(Dataset.trainImages, Self.header(0x803, [trainCount, 28, 28]) + images(trainCount))
        try write(Dataset.trainLabels, Self.header(0x801, [trainCount]) + (0 ..< trainCount).map { _ in UInt8(next() % 10) })
        try write(Dataset.testImages, Self.header(0x803, [testCount, 28, 28]) + images(testCount))
        try write(Dataset.testLabels, Self.header(0x801, [testCount]) + (0 ..< testCount).map { _ in UInt8(next() % 10) })
    }

    static func header(_ magic: UInt32, _ dimensions: [Int]) -> [UInt8] {
        ([magic] + dimensions.map(UInt32.init)).flatMap { v in [24, 16, 8, 0].map { UInt8((v >> UInt32($0)) & 0xff) } }
    }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: url.appendingPathComponent(name))
    }

    func file(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Everything a load gives, for comparing two loads.
struct Contents: Equatable {
    let train, sparseTest: SparseImages.Storage
    let testPixels, testLabels: [UInt8]

    init(_ data: TrainingData) {
        train = data.train.storage
        sparseTest = data.sparseTest.storage
        testPixels = data.test.pixels
        testLabels = data.test.labels
    }
}

@Suite("The decoded-data cache")
struct DataCacheTests {
    @Test("the second load reads the copy the first one wrote, and gets the same data")
    func roundTrip() throws {
        let folder = try DataFolder()
        defer { folder.remove() }
        let cache = DataCache(directory: folder.file("cache"))
        let path = cache.file(for: folder.path)

        let first = try TrainingData.load(from: folder.path, cache: cache)
        #expect(first.origin == .files(cache: "no cache yet; wrote \(path)"))
        let second = try TrainingData.load(from: folder.path, cache: cache)
        #expect(second.origin == .cache(path: path))
        let plain = try TrainingData.load(from: folder.path)
        #expect(plain.origin == .files(cache: nil))
        #expect(Contents(second) == Contents(first))
        #expect(Contents(second) == Contents(plain))
        #expect(second.train.count == 40 && second.test.count == 15)
    }

    @Test("the test set is handed on once, from the cache as from the files")
    func testSetCallback() throws {
        let folder = try DataFolder()
        defer { folder.remove() }
        let cache = DataCache(directory: folder.file("cache"))
        for _ in 0 ..< 2 {
            let calls = Calls()
            let data = try TrainingData.load(from: folder.path, cache: cache) { calls.add($0.labels) }
            #expect(calls.labels == [data.test.labels])
        }
    }

    @Test("a changed data file makes the copy stale: the files are read and the copy rewritten")
    func staleCopy() throws {
        let folder = try DataFolder()
        defer { folder.remove() }
        let cache = DataCache(directory: folder.file("cache"))
        let path = cache.file(for: folder.path)
        _ = try TrainingData.load(from: folder.path, cache: cache)

        try folder.write(Dataset.testLabels, DataFolder.header(0x801, [15]) + Array(repeating: 7, count: 15))
        let changed = try TrainingData.load(from: folder.path, cache: cache)
        #expect(changed.origin == .files(cache: "the data files changed; wrote \(path)"))
        #expect(changed.test.labels == Array(repeating: 7, count: 15))
        let again = try TrainingData.load(from: folder.path, cache: cache)
        #expect(again.origin == .cache(path: path))
        #expect(again.test.labels == Array(repeating: 7, count: 15))
    }

    @Test("a damaged copy is never used", arguments: Damage.allCases)
    func damagedCopy(damage: Damage) throws {
        let folder = try DataFolder()
        defer { folder.remove() }
        let cache = DataCache(directory: folder.file("cache"))
        let path = cache.file(for: folder.path)
        let truth = Contents(try TrainingData.load(from: folder.path, cache: cache))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        damage.apply(to: &bytes, entries: truth.train.column.count)
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let calls = Calls()
        let data = try TrainingData.load(from: folder.path, cache: cache) { calls.add($0.labels) }
        guard case let .files(note?) = data.origin else {
            Issue.record("used the damaged copy: \(data.origin)")
            return
        }
        #expect(note.hasPrefix("\(path) is damaged ("), "\(note)")
        #expect(note.hasSuffix("; wrote \(path)"), "\(note)")
        #expect(Contents(data) == truth)
        #expect(calls.labels.count == 1)
        #expect(try TrainingData.load(from: folder.path, cache: cache).origin == .cache(path: path))
    }

    @Test("the training set is used in place: mapped from a 64 KiB boundary of the copy, unmapped when dropped")
    func mappedInPlace() throws {
        let folder = try DataFolder()
        defer { folder.remove() }
        let cache = DataCache(directory: folder.file("cache"))
        let path = cache.file(for: folder.path)
        _ = try TrainingData.load(from: folder.path, cache: cache)
        func mappings() throws -> [String] {
            // /proc files report a size of 0: read to the end, not by the size.
            let maps = try #require(FileHandle(forReadingAtPath: "/proc/self/maps")).readToEnd() ?? Data()
            return String(decoding: maps, as: UTF8.self).split(separator: "\n").map(String.init).filter { $0.hasSuffix(path) }
        }
        do {
            let data = try TrainingData.load(from: folder.path, cache: cache)
            #expect(data.origin == .cache(path: path))
            let maps = try mappings()
            #expect(maps.count == 1)
            // "start-end perms offset ...": the mapping starts at a multiple of 64 KiB of the file.
            let offset = maps.first.map { Int($0.split(separator: " ")[2], radix: 16) ?? -1 }
            #expect(offset.map { $0 > 0 && $0 % 65536 == 0 } == true, "\(maps)")
            withExtendedLifetime(data) {}
        }
        #expect(try mappings().isEmpty)
    }

    @Test("a cache folder that cannot be made costs the copy, not the load")
    func unwritableFolder() throws {
        let folder = try DataFolder()
        defer { folder.remove() }
        try folder.write("plain", [1])
        let cache = DataCache(directory: folder.file("plain/cache"))
        let data = try TrainingData.load(from: folder.path, cache: cache)
        guard case let .files(note?) = data.origin else {
            Issue.record("\(data.origin)")
            return
        }
        #expect(note.hasPrefix("no cache yet; could not write it: cannot create \(folder.file("plain/cache"))"), "\(note)")
        #expect(data.train.count == 40)
    }

    @Test("errors in the data folder are the same with a cache")
    func dataErrors() throws {
        let folder = try DataFolder()
        defer { folder.remove() }
        let cache = DataCache(directory: folder.file("cache"))
        try FileManager.default.removeItem(atPath: folder.file(Dataset.testLabels))
        #expect(throws: MNISTError.missingFile(path: folder.file(Dataset.testLabels + ".gz"), alternative: Dataset.testLabels)) {
            try TrainingData.load(from: folder.path, cache: cache)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("cache")))
    }

    @Test("one file per data folder, named by its resolved path")
    func fileNames() throws {
        let cache = DataCache(directory: "/c")
        #expect(cache.file(for: "/data/mnist") == cache.file(for: "/data/mnist/"))
        #expect(cache.file(for: "/data/mnist") == cache.file(for: "/data/./other/../mnist"))
        #expect(cache.file(for: "/data/mnist") != cache.file(for: "/data/mnist2"))
        #expect(cache.file(for: "/data/mnist").hasPrefix("/c/mnist-"))
        #expect(cache.file(for: "/data/mnist").hasSuffix(".cache"))
    }

    @Test("the default folder follows XDG_CACHE_HOME, then HOME")
    func defaultFolder() {
        #expect(DataCache.defaultDirectory(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"]) == "/x/make-report")
        #expect(DataCache.defaultDirectory(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/h"]) == "/h/.cache/make-report")
        #expect(DataCache.defaultDirectory(environment: ["HOME": "/h"]) == "/h/.cache/make-report")
        #expect(DataCache.defaultDirectory(environment: [:]) == nil)
    }
}

/// Ways a cache file can be damaged.
enum Damage: CaseIterable, CustomTestStringConvertible {
    case empty, halved, lastByteMissing, extraByte, badMagic, newerVersion, hugeLength, hugeImageCount, nonZeroPadding
    case columnOutOfRange, labelOutOfRange

    var testDescription: String { "\(self)" }

    /// `entries`: the training set's entry count.
    func apply(to bytes: inout [UInt8], entries: Int) {
        switch self {
        case .empty: bytes = []
        case .halved: bytes.removeLast(bytes.count / 2)
        case .lastByteMissing: bytes.removeLast()
        case .extraByte: bytes.append(0)
        case .badMagic: bytes[0] ^= 0xFF
        case .newerVersion: bytes[8] &+= 1
        case .hugeLength: bytes[16 ..< 24] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]  // the fingerprint's length
        case .hugeImageCount: bytes[trainingCountAt(bytes) ..< trainingCountAt(bytes) + 8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]
        case .nonZeroPadding:
            // The training count and entry count are followed by zeros up to a multiple of 64 KiB.
            let padding = trainingCountAt(bytes) + 16
            precondition(padding % 65536 != 0, "no padding to damage")
            bytes[padding] = 1
        case .columnOutOfRange:
            // The file ends with the columns, the values, 40 labels and the end magic.
            let lastColumn = bytes.count - 8 - 40 - entries - 2
            bytes[lastColumn ..< lastColumn + 2] = [0xFF, 0xFF]
        case .labelOutOfRange: bytes[bytes.count - 9] = 10
        }
    }

    /// After the fingerprint: pixels per image, the test count, its pixels and labels, then the training count.
    func trainingCountAt(_ bytes: [UInt8]) -> Int {
        func word(_ at: Int) -> Int { bytes[at ..< at + 8].reversed().reduce(0) { $0 << 8 | Int($1) } }
        let tagEnd = 24 + word(16)
        return tagEnd + 16 + word(tagEnd + 8) * 785
    }
}

/// Records what a callback got, from any thread.
final class Calls: @unchecked Sendable {
    private let lock = NSLock()
    private var got: [[UInt8]] = []
    var labels: [[UInt8]] { lock.withLock { got } }
    func add(_ labels: [UInt8]) { lock.withLock { got.append(labels) } }
}
