/// The reference versions of the network's dense operations, in plain Swift
/// with a fixed order of operations: what the gradient check runs in `Double`,
/// and what `CKernels` is checked against in `Float`. Every result is a
/// function of its inputs alone, whatever machine computes it.
enum DenseProducts {
    /// C = op(A)·op(B) + (accumulate ? C : 0) for row-major matrices, where
    /// op(A) is m×k, op(B) is k×n and C is m×n:
    ///
    ///     C[i, j] = C[i, j] + Σₚ op(A)[i, p]·op(B)[p, j],  p = 0, 1, …, k − 1
    ///
    /// Each sum starts from zero, adds its products in order of p, and is then
    /// added to C[i, j] once.
    static func multiply<Scalar: NetworkScalar>(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Scalar>, lda: Int, b: UnsafePointer<Scalar>, ldb: Int,
        accumulate: Bool, c: UnsafeMutablePointer<Scalar>, ldc: Int
    ) {
        for i in 0 ..< m {
            for j in 0 ..< n {
                var sum: Scalar = 0
                for p in 0 ..< k {
                    let x = transposeA ? a[p * lda + i] : a[i * lda + p]
                    let y = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += x * y
                }
                c[i * ldc + j] = accumulate ? c[i * ldc + j] + sum : sum
            }
        }
    }

    /// Plain SGD on one tensor: θᵢ ← θᵢ − η·gᵢ, as one fused multiply-add
    /// (a single rounding), the form `ck_descend` and the first layer's
    /// descent use, so every path updates the weights to the same bits.
    static func descend<Scalar: NetworkScalar>(
        _ parameters: UnsafeMutableBufferPointer<Scalar>, along gradient: UnsafePointer<Scalar>, learningRate: Scalar
    ) {
        let minusRate = -learningRate
        for i in parameters.indices { parameters[i].addProduct(minusRate, gradient[i]) }
    }
}
