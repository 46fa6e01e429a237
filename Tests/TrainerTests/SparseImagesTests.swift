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

    @Test("a batch copied into rows of its own: the same images in batch order, repeats and empty images too")
    func copying() {
        var random = RandomSource(seed: 5)
        let pixelCount = 30
        var pixels = (0 ..< 8 * pixelCount).map { _ in random.uniformIndex(below: 4) == 0 ? UInt8(1 + random.uniformIndex(below: 255)) : 0 }
        for p in 0 ..< pixelCount { pixels[6 * pixelCount + p] = 0 }  // image 6 has no ink
        let labels = (0 ..< 8).map { UInt8($0) }
        let data = SparseImages(pixels: pixels, labels: labels, pixelCount: pixelCount)
        let batch = [6, 2, 7, 2, 0, 6]
        let copy = data.copying(batch)
        let dense = batch.flatMap { pixels[$0 * pixelCount ..< ($0 + 1) * pixelCount] }
        #expect(copy.storage == SparseImages(pixels: dense, labels: batch.map { labels[$0] }, pixelCount: pixelCount).storage)
        #expect(data.copying([]).count == 0)

        // The products read the copy's rows 0 ..< 6 as they read the batch's rows in the original.
        let width = 7
        let w = (0 ..< pixelCount * width).map { Float($0 % 11) * 0.25 - 1 }, bias = [Float](repeating: 0.1, count: width)
        var fromCopy = [Float](repeating: 0, count: batch.count * width), fromData = fromCopy
        copy.multiply(.range(0 ..< batch.count), by: w, width: width, bias: bias, into: &fromCopy)
        data.multiply(.indices(batch), by: w, width: width, bias: bias, into: &fromData)
        #expect(fromCopy == fromData)
        #expect(data.withReferenceKernels().copying(batch).usesReferenceKernels)
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
