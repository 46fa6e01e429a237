import Foundation
import MNIST
import Testing

@testable import Trainer

@Suite("Sparse images")
struct SparseImagesTests {
    @Test("images appended a few at a time give the same rows as all at once")
    func builder() {
        var random = RandomSource(seed: 12)
        let pixelCount = 40
        let pixels = (0 ..< 9 * pixelCount).map { _ in random.uniformIndex(below: 3) == 0 ? UInt8(1 + random.uniformIndex(below: 255)) : 0 }
        let labels = (0 ..< 9).map { UInt8($0 % 3) }
        let whole = SparseImages(pixels: pixels, labels: labels, pixelCount: pixelCount)
        var builder = SparseImages.Builder(pixelCount: pixelCount, expectedImages: 2)
        pixels.withUnsafeBufferPointer { all in
            for range in [0 ..< 2, 2 ..< 3, 3 ..< 3, 3 ..< 9] {
                builder.append(UnsafeBufferPointer(rebasing: all[range.lowerBound * pixelCount ..< range.upperBound * pixelCount]))
            }
        }
        let pieces = builder.finish(labels: labels)
        #expect(pieces.storage == whole.storage)
        // Every non-zero byte, and only those, at its pixel.
        let rows = whole.storage
        for image in 0 ..< 9 {
            let entries = Int(rows.rowStart[image]) ..< Int(rows.rowStart[image + 1])
            let expected = (0 ..< pixelCount).filter { pixels[image * pixelCount + $0] != 0 }
            #expect(entries.map { Int(rows.column[$0]) } == expected)
            #expect(entries.map { rows.value[$0] } == expected.map { pixels[image * pixelCount + $0] })
        }
    }

    @Test("reading a file straight into sparse rows equals reading it densely first")
    func read() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let files = try Dataset.Files(in: root.appendingPathComponent(Dataset.bundledDirectory).path)
        let streamed = try SparseImages.read(images: files.testImages, labels: files.testLabels)
        let dense = SparseImages(try ImageSet.read(images: files.testImages, labels: files.testLabels))
        #expect(streamed.count == 10_000)
        #expect(streamed.storage == dense.storage)
    }
}
