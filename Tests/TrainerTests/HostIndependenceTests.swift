import MNIST
import Fixtures
import Testing

@testable import Trainer

/// Every result is a function of the seed and the configuration alone, on
/// every x86-64 machine with AVX2 and FMA: the fingerprints below were
/// computed on one such machine and every other one must reproduce them bit
/// for bit. A fingerprint that changes means a result now depends on the
/// host (a library that picks its kernel by processor, a thread's timing) or
/// that the maths changed on purpose; then record the new value here, say why
/// in the commit, and regenerate the gallery with `make report`.
@Suite("Results that do not depend on the host", .enabled(if: SparseImages.kernelImplementation == "avx2+fma"))
struct HostIndependenceTests {
    /// The recipe with the defaults: what `make report` draws the committed gallery from.
    static let recipeFingerprint = "348a1684003baa3f"
    /// 600 iterations of a 784-16-10 network, batches of 32, learning rate 0.3, seed 7:
    /// the row-major W1 kernels (16 units do not take the cache-line split) and other tails.
    static let shortRunFingerprint = "f7bf4fb3b38897ff"

    @Test("the recipe's run reproduces the committed fingerprint")
    func recipe() throws {
        let run = try BundledMNIST.recipeRun.get()
        #expect(run.fingerprint == Self.recipeFingerprint, "the recipe's fingerprint is \(run.fingerprint)")
    }

    @Test("a short run with other shapes reproduces the committed fingerprint")
    func shortRun() throws {
        let configuration = TrainingConfiguration(
            hiddenSize: 16, iterations: 600, batchSize: 32, learningRate: 0.3, evaluateEvery: 200, seed: 7)
        let run = try Trainer(configuration: configuration).train(on: BundledMNIST.dataset.get())
        #expect(run.epochs.map(\.iteration) == [0, 200, 400])
        #expect(run.fingerprint == Self.shortRunFingerprint, "the short run's fingerprint is \(run.fingerprint)")
    }
}

@Suite("Run fingerprints")
struct FingerprintTests {
    static func tinyRun() throws -> TrainingRun {
        try Trainer(configuration: TrainingTests.tinyConfiguration(iterations: 100)).train(
            train: separableImages(count: 200, seed: 1), test: separableImages(count: 50, seed: 2), classCount: 4)
    }

    @Test("equal runs have equal fingerprints; one last bit anywhere changes it")
    func sensitivity() throws {
        let run = try Self.tinyRun()
        #expect(try Self.tinyRun().fingerprint == run.fingerprint)
        #expect(run.fingerprint.count == 16 && run.fingerprint.allSatisfy(\.isHexDigit))

        func flipped(_ change: (inout TrainingRun) -> Void) -> String {
            var copy = run
            change(&copy)
            return copy.fingerprint
        }
        let lastBit: (Float) -> Float = { Float(bitPattern: $0.bitPattern ^ 1) }
        let changed = [
            flipped { $0.losses[37] = lastBit($0.losses[37]) },
            flipped { $0.epochs[1].testAccuracy = $0.epochs[1].testAccuracy.nextUp },
            flipped { $0.network.w1[123] = lastBit($0.network.w1[123]) },
            flipped { $0.network.b2[0] = lastBit($0.network.b2[0]) },
            flipped { $0.predictions.probabilities[7] = lastBit($0.predictions.probabilities[7]) },
        ]
        for (i, fingerprint) in changed.enumerated() { #expect(fingerprint != run.fingerprint, "change \(i)") }
        // Times are not results: a slower machine computes the same run.
        #expect(flipped { $0.epochs[1].elapsed += 1; $0.timings.training += 1 } == run.fingerprint)
    }

    @Test("FNV-1a 64 of known bytes")
    func knownValues() {
        // Published test vectors: "" and "a".
        #expect(FNV1a().value == 0xcbf2_9ce4_8422_2325)
        var a = FNV1a()
        a.add(UInt8(ascii: "a"))
        #expect(a.value == 0xaf63_dc4c_8601_ec8c)
    }
}
