import Foundation
import MNIST
import Testing
import Trainer

@_spi(Fuzzing) import TrainingData
@testable import FuzzTargets

/// Every committed input of every fuzz target, seeds and found crashes alike,
/// runs through the target in the test process on every `make test`: none may
/// crash, the valid seeds are accepted and every other input is refused.
@Suite("Fuzz targets on the committed corpus")
struct CorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus")

    static func inputs(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
        let folder = corpus.appendingPathComponent(target)
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { name in
            (name, Array(try Data(contentsOf: folder.appendingPathComponent(name))))
        }
    }

    @Test("each input is accepted exactly when its name says valid", arguments: FuzzTarget.all.map(\.name))
    func corpus(target name: String) throws {
        let target = try #require(FuzzTarget.all.first { $0.name == name })
        let inputs = try Self.inputs(name)
        #expect(inputs.count >= 10)
        #expect(inputs.contains { $0.name.hasPrefix("valid") } && inputs.contains { !$0.name.hasPrefix("valid") })
        for input in inputs {
            #expect(target(input.bytes) == input.name.hasPrefix("valid"), "\(name)/\(input.name)")
        }
    }

    @Test("a PNG header that claims 1,000,000 × 1,000,000 pixels is refused before anything is allocated")
    func hugePNG() throws {
        // Found by the fuzzer: ASan stopped on a 4 TB malloc for this 60-byte file.
        let input = try #require(try Self.inputs("png").first { $0.name == "huge-dimensions" })
        #expect(input.bytes.count < 100)
        #expect(!FuzzTarget.png(input.bytes))
    }

    @Test("a text chunk that claims 1.5 GB is refused without allocating it")
    func hugeTextChunk() throws {
        // Found by the fuzzer: libpng allocated and zeroed 1,560,281,104 bytes for this 101-byte file.
        let input = try #require(try Self.inputs("png").first { $0.name == "huge-text-chunk" })
        var before = rusage(), after = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &before)
        #expect(!FuzzTarget.png(input.bytes))
        getrusage(Int32(RUSAGE_SELF.rawValue), &after)
        let grownMiB = (after.ru_maxrss - before.ru_maxrss) / 1024  // ru_maxrss counts KiB on Linux
        #expect(grownMiB < 200, "the peak resident size grew by \(grownMiB) MiB")
    }

    @Test("the cache seeds are byte for byte what make-report's own writer makes")
    func cacheSeedFormat() throws {
        // The images make_seeds.py writes: one test image, three sparse training rows.
        let testPixels = (0 ..< 784).map { i -> UInt8 in i % 5 != 0 ? UInt8((i * 3) % 256) : 0 }
        var trainPixels = [UInt8](repeating: 0, count: 3 * 784)
        for (image, entries) in [[(3, 200), (100, 1), (783, 255)], [], [(0, 7)]].enumerated() {
            for (pixel, value) in entries { trainPixels[image * 784 + pixel] = UInt8(value) }
        }
        let file = try DataCacheFuzzing.file(
            train: ImageSet(pixels: trainPixels, labels: [1, 2, 3]), test: ImageSet(pixels: testPixels, labels: [0]))
        let seed = try #require(try Self.inputs("cache").first { $0.name == "valid-whole-file" })
        #expect([0] + file == seed.bytes, "regenerate the seeds with python3 Tests/Fuzz/make_seeds.py after a format change")
        let headerSeed = try #require(try Self.inputs("cache").first { $0.name == "valid" })
        #expect([1] + file.dropFirst(DataCacheFuzzing.header.count) == headerSeed.bytes)
    }

    @Test("gzip wrapping in the IDX target gives a file the reader inflates to the same images")
    func gzipWrapping() throws {
        let plain = try #require(try Self.inputs("idx").first { $0.name == "valid-plain" })
        var wrapped = plain.bytes
        wrapped[0] = 1 | 2 | 4 | 8
        #expect(FuzzTarget.idx(wrapped))
        let bytes: [UInt8] = Array("IDX bytes".utf8)
        #expect(FuzzTarget.gzip(bytes).starts(with: [0x1f, 0x8b]))
    }

    @Test("the fuzz programs built without libFuzzer replay a folder and count what they accepted")
    func replayProgram() throws {
        let folder = Bundle.main.bundleURL.pathExtension == "xctest" ? Bundle.main.bundleURL.deletingLastPathComponent() : Bundle.main.bundleURL
        let program = folder.appendingPathComponent("fuzz-idx")
        try #require(FileManager.default.isExecutableFile(atPath: program.path), "no \(program.path)")
        let process = Process()
        process.executableURL = program
        process.arguments = ["-max_total_time=1", Self.corpus.appendingPathComponent("idx").path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let inputs = try Self.inputs("idx")
        let valid = inputs.filter { $0.name.hasPrefix("valid") }.count
        #expect(output == "fuzz-idx: replayed \(inputs.count) inputs without libFuzzer: \(valid) accepted, \(inputs.count - valid) refused\n")
    }
}
