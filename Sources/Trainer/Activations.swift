import CKernels
import RealModule

/// The element-wise maths of the network, on raw buffers.
enum Activations {
    /// σ(z) = 1 / (1 + e^(−z)), in place.
    @_specialize(where Scalar == Float)
    static func sigmoid<Scalar: NetworkScalar>(_ z: UnsafeMutableBufferPointer<Scalar>, reference: Bool = false) {
        if Scalar.self == Float.self, !reference, let base = z.baseAddress {
            // Vectorised in CKernels (a polynomial exp accurate to 2e-7).
            ck_sigmoid(UnsafeMutableRawPointer(base).assumingMemoryBound(to: Float.self), Int64(z.count))
            return
        }
        for i in z.indices { z[i] = 1 / (1 + Scalar.exp(-z[i])) }
    }

    /// Row-wise softmax in place: yⱼ = e^(zⱼ − max z) / Σₖ e^(zₖ − max z).
    /// Subtracting the row maximum keeps every exponent ≤ 0, so huge logits
    /// cannot overflow.
    /// `Float` uses the C kernel (a vectorised exp accurate to 2e-7) unless `reference`.
    @_specialize(where Scalar == Float)
    static func softmaxRows<Scalar: NetworkScalar>(_ z: UnsafeMutablePointer<Scalar>, rows: Int, columns: Int, reference: Bool = false) {
        if Scalar.self == Float.self, !reference {
            ck_softmax_rows(UnsafeMutableRawPointer(z).assumingMemoryBound(to: Float.self), Int64(rows), Int64(columns))
            return
        }
        for r in 0 ..< rows {
            let row = z + r * columns
            var peak = row[0]
            for j in 1 ..< columns { peak = max(peak, row[j]) }
            var sum: Scalar = 0
            for j in 0 ..< columns {
                row[j] = Scalar.exp(row[j] - peak)
                sum += row[j]
            }
            let inverse = 1 / sum
            for j in 0 ..< columns { row[j] *= inverse }
        }
    }

    /// The cross-entropy guard of the reference: log(y + 1e-7) never sees 0.
    static let logGuard = 1e-7

    /// Mean cross-entropy of row-wise probabilities against class labels:
    /// L = −(1/N) Σᵢ log(yᵢ,ₜᵢ + 1e-7), where row i belongs to image `images[i]`
    /// whose class is `labels[images[i]]`.
    @_specialize(where Scalar == Float)
    static func crossEntropy<Scalar: NetworkScalar>(
        probabilities y: UnsafePointer<Scalar>, images: [Int], labels: [UInt8], columns: Int
    ) -> Scalar {
        var total: Scalar = 0
        for (r, image) in images.enumerated() {
            total -= Scalar.log(y[r * columns + Int(labels[image])] + Scalar(logGuard))
        }
        return total / Scalar(images.count)
    }

    /// Index of the largest element of each row (the first on ties).
    @_specialize(where Scalar == Float)
    static func argmaxRows<Scalar: NetworkScalar>(_ z: UnsafePointer<Scalar>, rows: Int, columns: Int, into out: inout [UInt8]) {
        for r in 0 ..< rows {
            let row = z + r * columns
            var best = 0
            for j in 1 ..< columns where row[j] > row[best] { best = j }
            out.append(UInt8(best))
        }
    }
}

// MARK: - Array conveniences used by the public API and the tests

extension Activations {
    /// Softmax of one vector (a copy).
    static func softmax<Scalar: NetworkScalar>(_ logits: [Scalar]) -> [Scalar] {
        var y = logits
        y.withUnsafeMutableBufferPointer { softmaxRows($0.baseAddress!, rows: 1, columns: $0.count) }
        return y
    }
}
