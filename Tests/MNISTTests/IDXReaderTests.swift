import Foundation
import Testing

@testable import MNIST

@Suite("IDX reader")
struct IDXReaderTests {
    // MARK: Valid files

    @Test("gzip and plain files give the same images")
    func gzipAndPlain() throws {
        let files = try IDXFiles()
        defer { files.remove() }
        let images = IDXFiles.images(count: 4)
        let labels = IDXFiles.labels([3, 1, 4, 1])
        let gz = try ImageSet.read(
            images: files.write("a.gz", IDXFiles.gzip(images)), labels: files.write("b.gz", IDXFiles.gzip(labels)))
        let plain = try ImageSet.read(images: files.write("a", images), labels: files.write("b", labels))
        #expect(gz.count == 4)
        #expect(gz.labels == [3, 1, 4, 1])
        #expect(gz.pixels == plain.pixels)
        #expect(Array(gz.image(1)) == Array(images[16 + 784 ..< 16 + 2 * 784]))
    }

    @Test("a data folder may mix gzip and plain files")
    func folder() throws {
        let files = try IDXFiles()
        defer { files.remove() }
        try files.writeDataset(trainCount: 7, testCount: 2)
        try FileManager.default.removeItem(atPath: files.path("t10k-labels-idx1-ubyte.gz"))
        try files.write("t10k-labels-idx1-ubyte", IDXFiles.labels([5, 6]))
        let dataset = try Dataset.load(from: files.folder.path)
        #expect(dataset.train.count == 7)
        #expect(dataset.test.labels == [5, 6])
    }

    @Test("the bundled MNIST has the published label counts")
    func bundled() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dataset = try Dataset.load(from: root.appendingPathComponent(Dataset.bundledDirectory).path)
        func counts(_ set: ImageSet) -> [Int] { (0 ..< 10).map { d in set.labels.count { $0 == d } } }
        #expect(counts(dataset.train) == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        #expect(counts(dataset.test) == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
        #expect(dataset.train.pixels.count == 60000 * 784)
    }

    @Test("streaming hands over whole images in order, in chunks, the same as read", arguments: [1, 3, 7, 100])
    func stream(imagesPerChunk: Int) throws {
        let files = try IDXFiles()
        defer { files.remove() }
        let bytes = IDXFiles.images(count: 7, fill: { UInt8(($0 * 31) % 256) })
        let images = try files.write("a.gz", IDXFiles.gzip(bytes))
        let labels = try files.write("b", IDXFiles.labels([0, 1, 2, 3, 4, 5, 6]))
        var chunks: [(first: Int, count: Int, total: Int)] = []
        var pixels: [UInt8] = []
        let streamed = try ImageSet.stream(images: images, labels: labels, imagesPerChunk: imagesPerChunk) { chunk in
            chunks.append((chunk.first, chunk.count, chunk.total))
            pixels += chunk.pixels
        }
        #expect(streamed == [0, 1, 2, 3, 4, 5, 6])
        #expect(pixels == Array(bytes.dropFirst(16)))
        #expect(chunks.map(\.first) == Array(stride(from: 0, to: 7, by: imagesPerChunk)))
        #expect(chunks.map(\.count) == chunks.map { min(imagesPerChunk, 7 - $0.first) })
        #expect(chunks.allSatisfy { $0.total == 7 })
    }

    @Test("gzip output larger than one inflate piece comes out whole")
    func largeGzip() throws {
        let files = try IDXFiles()
        defer { files.remove() }
        let bytes = IDXFiles.images(count: 1500, fill: { UInt8(($0 * 7919) % 251) })  // 1.2 MB: two pieces of 1 MiB
        let images = try files.write("a.gz", IDXFiles.gzip(bytes))
        let labels = try files.write("b", IDXFiles.labels(Array(repeating: 3, count: 1500)))
        #expect(try ImageSet.read(images: images, labels: labels).pixels == Array(bytes.dropFirst(16)))
    }

    // MARK: Broken files: one message each, naming the file

    func expectError(
        _ expected: (String) -> MNISTError, images: [UInt8]? = nil, labels: [UInt8]? = nil, gzipImages: Bool = true,
        message: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let files = try IDXFiles()
        defer { files.remove() }
        let imageBytes = images ?? IDXFiles.images(count: 2)
        let imagePath = try files.write(gzipImages ? "images.gz" : "images", gzipImages ? IDXFiles.gzip(imageBytes) : imageBytes)
        let labelPath = try files.write("labels", labels ?? IDXFiles.labels([1, 2]))
        let error = #expect(throws: MNISTError.self, sourceLocation: sourceLocation) {
            try ImageSet.read(images: imagePath, labels: labelPath)
        }
        let path = expected(files.folder.path)
        #expect(error == path, sourceLocation: sourceLocation)
        #expect(error?.description.contains(message) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(error?.description.contains(files.folder.path) == true, sourceLocation: sourceLocation)
        #expect(error?.description.contains("\n") == false, sourceLocation: sourceLocation)
    }

    @Test func wrongMagic() throws {
        var bytes = IDXFiles.images(count: 2)
        bytes[3] = 0x01
        try expectError({ .wrongMagic(path: $0 + "/images.gz", found: 0x801, expected: 0x803) }, images: bytes, message: "wrong magic number 0x00000801 (expected 0x00000803)")
    }

    @Test func wrongImageSize() throws {
        try expectError({ .wrongImageSize(path: $0 + "/images.gz", rows: 32, columns: 32) },
                        images: IDXFiles.images(count: 2, rows: 32, columns: 32), message: "images are 32x32, expected 28x28")
    }

    @Test func truncatedData() throws {
        try expectError({ .truncated(path: $0 + "/images.gz", expectedBytes: 2 * 784, actualBytes: 2 * 784 - 10) },
                        images: Array(IDXFiles.images(count: 2).dropLast(10)), message: "truncated")
    }

    @Test func truncatedHeader() throws {
        try expectError({ .truncated(path: $0 + "/images.gz", expectedBytes: 16, actualBytes: 6) },
                        images: Array(IDXFiles.images(count: 2).prefix(6)), message: "truncated")
    }

    @Test func trailingBytes() throws {
        try expectError({ .trailingBytes(path: $0 + "/images.gz", count: 3) }, images: IDXFiles.images(count: 2) + [1, 2, 3], message: "3 trailing bytes")
    }

    @Test func countMismatch() throws {
        try expectError({ .countMismatch(images: $0 + "/images.gz", imageCount: 2, labels: $0 + "/labels", labelCount: 3) },
                        labels: IDXFiles.labels([1, 2, 3]), message: "has 2 images but")
    }

    @Test func labelOutOfRange() throws {
        try expectError({ .labelOutOfRange(path: $0 + "/labels", index: 1, label: 12) }, labels: IDXFiles.labels([1, 12]), message: "label 12 at index 1 is outside 0-9")
    }

    @Test func corruptGzip() throws {
        let files = try IDXFiles()
        defer { files.remove() }
        var gz = IDXFiles.gzip(IDXFiles.images(count: 2))
        for i in 20 ..< 40 { gz[i] ^= 0x5a }
        let images = try files.write("images.gz", gz)
        let labels = try files.write("labels", IDXFiles.labels([1, 2]))
        let error = #expect(throws: MNISTError.self) { try ImageSet.read(images: images, labels: labels) }
        guard case .corruptGzip(let path, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path == images)
        #expect(error!.description.hasPrefix("\(images): corrupt gzip stream"))
    }

    @Test("a wrong CRC-32 or length in the gzip trailer is an error, in both readers", arguments: [(8, "incorrect data check"), (4, "incorrect length check")])
    func gzipTrailer(offsetFromEnd: Int, reason: String) throws {
        let files = try IDXFiles()
        defer { files.remove() }
        // Over two 1 MiB pieces, so the checksum runs a piece behind the inflating.
        var gz = IDXFiles.gzip(IDXFiles.images(count: 3000, fill: { UInt8(($0 * 7919) % 251) }))
        gz[gz.count - offsetFromEnd] ^= 0x01
        let images = try files.write("images.gz", gz)
        let labels = try files.write("labels", IDXFiles.labels(Array(repeating: 1, count: 3000)))
        #expect(throws: MNISTError.corruptGzip(path: images, reason: reason)) { try ImageSet.read(images: images, labels: labels) }
        #expect(throws: MNISTError.corruptGzip(path: images, reason: reason)) {
            try ImageSet.stream(images: images, labels: labels) { _ in }
        }
        gz[gz.count - offsetFromEnd] ^= 0x01
        try files.write("images.gz", gz)
        #expect(try ImageSet.read(images: images, labels: labels).count == 3000)
    }

    @Test func truncatedGzip() throws {
        let files = try IDXFiles()
        defer { files.remove() }
        let gz = IDXFiles.gzip(IDXFiles.images(count: 50, fill: { UInt8(($0 * 7919) % 251) }))
        let images = try files.write("images.gz", Array(gz.prefix(gz.count / 2)))
        let labels = try files.write("labels", IDXFiles.labels(Array(repeating: 1, count: 50)))
        let error = #expect(throws: MNISTError.self) { try ImageSet.read(images: images, labels: labels) }
        #expect(error == .corruptGzip(path: images, reason: "unexpected end of compressed data"))
    }

    @Test func notGzip() throws {
        let files = try IDXFiles()
        defer { files.remove() }
        let images = try files.write("images.gz", IDXFiles.images(count: 2))
        let labels = try files.write("labels", IDXFiles.labels([1, 2]))
        #expect(throws: MNISTError.notGzip(path: images)) { try ImageSet.read(images: images, labels: labels) }
        #expect(MNISTError.notGzip(path: images).description == "\(images): not a gzip file (bad gzip header)")
    }

    @Test func missingFile() throws {
        let files = try IDXFiles()
        defer { files.remove() }
        try files.writeDataset()
        try FileManager.default.removeItem(atPath: files.path("train-labels-idx1-ubyte.gz"))
        let base = files.path("train-labels-idx1-ubyte")
        #expect(throws: MNISTError.missingFile(path: base + ".gz", alternative: "train-labels-idx1-ubyte")) {
            try Dataset.load(from: files.folder.path)
        }
        #expect(MNISTError.missingFile(path: base + ".gz", alternative: "train-labels-idx1-ubyte").description
            == "\(base).gz: no such file (nor train-labels-idx1-ubyte)")
    }

    @Test func unreadableFile() throws {
        let files = try IDXFiles()
        defer { files.remove() }
        try files.writeDataset()
        // A folder where a file should be cannot be read, even by root.
        let images = files.path("train-images-idx3-ubyte.gz")
        try FileManager.default.removeItem(atPath: images)
        try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: false)
        let error = #expect(throws: MNISTError.self) { try Dataset.load(from: files.folder.path) }
        guard case .unreadable(let path, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path == images)
        #expect(error!.description.hasPrefix("\(images): cannot read"))
    }
}
