import CKernels
import Testing

@testable import Trainer

/// The parameter updates and the reference products: the package's own code,
/// with one defined result per input whatever the processor.
@Suite("Parameter updates and reference products")
struct ParameterUpdateTests {
    @Test("ck_descend is w = fma(-rate, g, w), bit for bit, for every length and tail", arguments: Array(0 ... 41) + [500, 39_200])
    func descendIsOneFusedMultiplyAdd(count: Int) {
        var random = RandomSource(seed: UInt64(count) + 1)
        // Values over many binades, so products and sums round in every way.
        func value() -> Float { Float(random.normal()) * Float(sign: .plus, exponent: random.uniformIndex(below: 40) - 20, significand: 1) }
        let w = (0 ..< count).map { _ in value() }
        let g = (0 ..< count).map { _ in value() }
        let rate: Float = 0.1
        var updated = w
        updated.withUnsafeMutableBufferPointer { p in ck_descend(p.baseAddress, g, Int64(count), rate) }
        let expected = zip(w, g).map { $0.addingProduct(-rate, $1) }
        #expect(updated.map(\.bitPattern) == expected.map(\.bitPattern))

        // The generic Swift path (what Double runs) gives the same bits in Float.
        var reference = w
        reference.withUnsafeMutableBufferPointer { p in
            g.withUnsafeBufferPointer { DenseProducts.descend(p, along: $0.baseAddress!, learningRate: rate) }
        }
        #expect(reference.map(\.bitPattern) == expected.map(\.bitPattern))
    }

    @Test("one rounding, not two: updates that a separate multiply and subtract would round differently")
    func descendRoundsOnce() {
        let w: [Float] = [1, 1, 1]
        let g: [Float] = [0.3, 7.7, 9.1]
        var fused = w
        fused.withUnsafeMutableBufferPointer { ck_descend($0.baseAddress, g, 3, 0.1) }
        for i in 0 ..< 3 {
            // Exact in Double: the product has 48 significant bits, the difference at most 52.
            let exact = Double(w[i]) - Double(Float(0.1)) * Double(g[i])
            #expect(fused[i] == Float(exact), "element \(i)")
            let twoRoundings = w[i] - Float(0.1) * g[i]
            #expect(fused[i] != twoRoundings, "element \(i)")
        }
    }

    @Test("the reference product computes op(A)·op(B) (+ C) for every transpose", arguments: [false, true], [false, true])
    func referenceProduct(transposeA: Bool, transposeB: Bool) {
        // A is 2×3, B is 3×2 as used; stored transposed where asked.
        let a: [Double] = [1, 2, 3, 4, 5, 6], b: [Double] = [7, 8, 9, 10, 11, 12]
        func transposed(_ m: [Double], rows: Int, columns: Int) -> [Double] {
            (0 ..< columns).flatMap { j in (0 ..< rows).map { i in m[i * columns + j] } }
        }
        let storedA = transposeA ? transposed(a, rows: 2, columns: 3) : a
        let storedB = transposeB ? transposed(b, rows: 3, columns: 2) : b
        var c: [Double] = [100, 200, 300, 400]
        DenseProducts.multiply(
            transposeA: transposeA, transposeB: transposeB, m: 2, n: 2, k: 3,
            a: storedA, lda: transposeA ? 2 : 3, b: storedB, ldb: transposeB ? 3 : 2, accumulate: true, c: &c, ldc: 2)
        let accumulated: [Double] = [158, 264, 439, 554]  // C + A·B, with A·B = [58, 64; 139, 154]
        #expect(c == accumulated)
        DenseProducts.multiply(
            transposeA: transposeA, transposeB: transposeB, m: 2, n: 2, k: 3,
            a: storedA, lda: transposeA ? 2 : 3, b: storedB, ldb: transposeB ? 3 : 2, accumulate: false, c: &c, ldc: 2)
        let product: [Double] = [58, 64, 139, 154]
        #expect(c == product)
    }
}
