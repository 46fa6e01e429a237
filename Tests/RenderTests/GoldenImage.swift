import Foundation
import Render
import Testing

/// Golden-image comparison, in the manner of swift-snapshot-testing's
/// `Snapshotting`/`Diffing` and matplotlib's image tests: images are compared
/// after decoding, within a per-channel tolerance, and a failure writes the
/// actual, expected and amplified-difference images and names them.
struct ImageDiffing: Sendable {
    /// The largest per-channel difference that still counts as equal.
    var tolerance: Int = 1

    struct Comparison: CustomStringConvertible, Equatable {
        var changedPixels: Int
        var largestDifference: Int
        var rms: Double
        /// x, y, width, height of the pixels that differ by more than the tolerance.
        var boundingBox: (Int, Int, Int, Int)?
        var sizeMismatch: String?

        static func == (a: Comparison, b: Comparison) -> Bool { a.description == b.description }

        var description: String {
            if let sizeMismatch { return "size differs: \(sizeMismatch)" }
            let box = boundingBox.map { "x \($0.0)…\($0.0 + $0.2 - 1), y \($0.1)…\($0.1 + $0.3 - 1)" } ?? "none"
            return "\(changedPixels) pixels differ by more than the tolerance, largest channel difference \(largestDifference), RMS \(String(format: "%.3f", rms)), bounding box \(box)"
        }
    }

    func compare(_ actual: PNG.Image, _ expected: PNG.Image) -> Comparison {
        guard actual.width == expected.width, actual.height == expected.height else {
            return Comparison(changedPixels: 0, largestDifference: 255, rms: .infinity, boundingBox: nil,
                              sizeMismatch: "\(actual.width)x\(actual.height), expected \(expected.width)x\(expected.height)")
        }
        var changed = 0, largest = 0
        var squares = 0.0
        var (minX, minY, maxX, maxY) = (Int.max, Int.max, -1, -1)
        for y in 0 ..< actual.height {
            for x in 0 ..< actual.width {
                let o = (y * actual.width + x) * 4
                var pixelLargest = 0
                for c in 0 ..< 4 {
                    let d = abs(Int(actual.rgba[o + c]) - Int(expected.rgba[o + c]))
                    squares += Double(d * d)
                    pixelLargest = max(pixelLargest, d)
                }
                largest = max(largest, pixelLargest)
                if pixelLargest > tolerance {
                    changed += 1
                    (minX, minY, maxX, maxY) = (min(minX, x), min(minY, y), max(maxX, x), max(maxY, y))
                }
            }
        }
        let rms = (squares / Double(actual.rgba.count)).squareRoot()
        return Comparison(changedPixels: changed, largestDifference: largest, rms: rms,
                          boundingBox: changed == 0 ? nil : (minX, minY, maxX - minX + 1, maxY - minY + 1), sizeMismatch: nil)
    }

    /// Differences ×16 in red over a dimmed copy of the expected image.
    func differenceImage(_ actual: PNG.Image, _ expected: PNG.Image) -> [UInt8] {
        var rgb = [UInt8]()
        rgb.reserveCapacity(actual.width * actual.height * 3)
        for i in stride(from: 0, to: actual.rgba.count, by: 4) {
            let d = (0 ..< 3).map { abs(Int(actual.rgba[i + $0]) - Int(expected.rgba[i + $0])) }.max()!
            let grey = UInt8((Int(expected.rgba[i]) + Int(expected.rgba[i + 1]) + Int(expected.rgba[i + 2])) / 9)
            rgb += d > tolerance ? [UInt8(min(255, 64 + d * 16)), 0, 0] : [grey, grey, grey]
        }
        return rgb
    }
}

/// Where golden files live and what to do when one is missing or differs.
enum Golden {
    /// `GOLDEN_RECORD=all` rewrites every golden, `missing` writes the absent
    /// ones; unset (or `never`) only compares. CI must never record.
    enum RecordMode: String { case never, missing, all }

    static var recordMode: RecordMode {
        get throws {
            let value = ProcessInfo.processInfo.environment["GOLDEN_RECORD"] ?? "never"
            guard let mode = RecordMode(rawValue: value) else {
                throw GoldenError("GOLDEN_RECORD must be never, missing or all, got \(value)")
            }
            if mode != .never, ProcessInfo.processInfo.environment["CI"] != nil {
                throw GoldenError("GOLDEN_RECORD=\(value) is refused on CI: goldens are recorded on purpose, by a person")
            }
            return mode
        }
    }

    struct GoldenError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func folder(_ file: String) -> URL {
        URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("__Goldens__")
    }

    /// `.build/golden-artifacts` of the package, or `GOLDEN_ARTIFACTS`.
    static var artifacts: URL {
        if let path = ProcessInfo.processInfo.environment["GOLDEN_ARTIFACTS"] { return URL(fileURLWithPath: path) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/golden-artifacts")
    }

    /// Compares `png` with the golden `name.png`, recording it when asked.
    static func assertMatches(
        _ png: [UInt8], named name: String, diffing: ImageDiffing = .init(), file: String = #filePath,
        artifacts: URL = Golden.artifacts, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let golden = folder(file).appendingPathComponent("\(name).png")
        let mode = try recordMode
        let exists = FileManager.default.fileExists(atPath: golden.path)
        if mode == .all || (mode == .missing && !exists) {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(png).write(to: golden)
            Issue.record("recorded \(golden.path) (GOLDEN_RECORD=\(mode.rawValue)); run again without it to compare", sourceLocation: sourceLocation)
            return
        }
        guard exists else {
            let actual = try writeArtifact(png, "\(name).actual.png", in: artifacts)
            Issue.record("no golden \(golden.path); the actual image is \(actual.path); record it with GOLDEN_RECORD=missing", sourceLocation: sourceLocation)
            return
        }
        let expectedImage = try PNG.decode(Array(Data(contentsOf: golden)))
        let actualImage = try PNG.decode(png)
        let comparison = diffing.compare(actualImage, expectedImage)
        guard comparison.changedPixels > 0 || comparison.sizeMismatch != nil else { return }
        let actual = try writeArtifact(png, "\(name).actual.png", in: artifacts)
        let expected = try writeArtifact(Array(Data(contentsOf: golden)), "\(name).expected.png", in: artifacts)
        var message = "\(name) differs from its golden: \(comparison)\n  actual:   \(actual.path)\n  expected: \(expected.path)"
        if comparison.sizeMismatch == nil {
            let diff = try PNG.encode(pixels: diffing.differenceImage(actualImage, expectedImage), width: actualImage.width,
                                      height: actualImage.height, channels: 3, text: [("Title", "\(name) difference")])
            message += "\n  diff:     \(try writeArtifact(diff, "\(name).diff.png", in: artifacts).path)"
        }
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }

    static func writeArtifact(_ bytes: [UInt8], _ name: String, in artifacts: URL) throws -> URL {
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let url = artifacts.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }
}
