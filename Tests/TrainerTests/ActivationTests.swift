import CKernels
import Foundation
import Testing

@testable import Trainer

@Suite("Softmax and cross-entropy")
struct ActivationTests {
    @Test("softmax matches values computed by hand")
    func softmax() {
        // e^1, e^2, e^3 = 2.718282, 7.389056, 20.085537; sum 30.192875.
        let y = Activations.softmax([1.0, 2.0, 3.0])
        #expect(abs(y[0] - 0.0900306) < 1e-7)
        #expect(abs(y[1] - 0.2447285) < 1e-7)
        #expect(abs(y[2] - 0.6652410) < 1e-7)
        #expect(abs(y.reduce(0, +) - 1) < 1e-12)
    }

    @Test("huge logits do not overflow", arguments: [1e4, 1e30, -1e30])
    func hugeLogits(offset: Double) {
        let y = Activations.softmax([offset, offset + 1, offset + 2].map { Float($0) })
        #expect(y.allSatisfy { $0.isFinite })
        #expect(abs(y.reduce(0, +) - 1) < 1e-5)
        let extreme = Activations.softmax([Float(1e30), 0, -Float(1e30)])
        #expect(extreme == [1, 0, 0])
    }

    @Test("the vectorised Float softmax agrees with the Swift loops", arguments: [1, 7, 10, 13])
    func vectorisedSoftmax(columns: Int) {
        var random = RandomSource(seed: UInt64(columns))
        let rows = 37
        let logits = (0 ..< rows * columns).map { _ in Float(random.normal() * 8) }
        var fast = logits, slow = logits
        fast.withUnsafeMutableBufferPointer { Activations.softmaxRows($0.baseAddress!, rows: rows, columns: columns) }
        slow.withUnsafeMutableBufferPointer { Activations.softmaxRows($0.baseAddress!, rows: rows, columns: columns, reference: true) }
        #expect(zip(fast, slow).allSatisfy { abs($0 - $1) <= 1e-6 * max($1, 1e-30) + 1e-12 })
    }

    @Test("a NaN logit makes the row NaN, so a diverging run is caught")
    func nanLogit() {
        #expect(Activations.softmax([Float(1), .nan, 2]).allSatisfy { $0.isNaN })
        #expect(Activations.softmax([Float.nan, 1, 2]).allSatisfy { $0.isNaN })
    }

    @Test("the evaluation's C argmax count agrees with the Swift argmax, ties and NaNs included", arguments: [1, 2, 10, 13])
    func argmaxCount(columns: Int) {
        var random = RandomSource(seed: UInt64(columns))
        let rows = 500
        // Few distinct values, so ties are common; some NaNs.
        var z: [Float] = (0 ..< rows * columns).map { _ in Float(random.uniformIndex(below: 4)) }
        for i in stride(from: 3, to: z.count, by: 17) { z[i] = .nan }
        var predicted: [UInt8] = []
        Activations.argmaxRows(z, rows: rows, columns: columns, into: &predicted)
        for shift in 0 ..< columns {
            let labels = predicted.enumerated().map { UInt8(($0.offset % 3 == 0 ? Int($0.element) : Int($0.element) + shift) % columns) }
            let expected = zip(predicted, labels).count { $0 == $1 }
            #expect(ck_count_argmax_matches(z, Int64(rows), Int64(columns), labels) == expected)
        }
    }

    @Test("cross-entropy is −mean log(y_t + 1e-7)")
    func crossEntropy() {
        let y: [Double] = [0.7, 0.2, 0.1, 0.1, 0.1, 0.8]
        let loss = y.withUnsafeBufferPointer {
            Activations.crossEntropy(probabilities: $0.baseAddress!, images: [0, 1], labels: [0, 2], columns: 3)
        }
        let expected = -(log(0.7 + 1e-7) + log(0.8 + 1e-7)) / 2  // 0.289909
        #expect(abs(loss - expected) < 1e-12)
        #expect(abs(loss - 0.2899092) < 1e-6)
    }

    @Test("a zero probability costs −log(1e-7), not infinity")
    func guardedLog() {
        let y: [Float] = [0, 1]
        let loss = y.withUnsafeBufferPointer {
            Activations.crossEntropy(probabilities: $0.baseAddress!, images: [0], labels: [0], columns: 2)
        }
        #expect(abs(loss - 16.118096) < 1e-4)
    }

    @Test("the vectorised Float sigmoid is within 1e-6 of the exact one")
    func vectorisedSigmoid() {
        let inputs: [Float] = stride(from: -100, through: 100, by: 0.0173).map { Float($0) } + [-1e6, 1e6, 0, 88, -88, 90, -90]
        var fast = inputs
        fast.withUnsafeMutableBufferPointer { Activations.sigmoid($0) }
        for (x, y) in zip(inputs, fast) {
            let exact = 1 / (1 + exp(-Double(x)))
            #expect(abs(Double(y) - exact) <= 1e-6 * exact + 1e-30, "σ(\(x)) = \(y), exact \(exact)")
            #expect(y >= 0 && y <= 1)
        }
    }

    @Test func sigmoid() {
        var z: [Double] = [0, 2, -2, 800, -800]
        z.withUnsafeMutableBufferPointer { Activations.sigmoid($0) }
        #expect(z[0] == 0.5)
        #expect(abs(z[1] - 0.8807970779778823) < 1e-15)
        #expect(abs(z[1] + z[2] - 1) < 1e-15)
        #expect(z[3] == 1 && z[4] == 0)
    }
}
