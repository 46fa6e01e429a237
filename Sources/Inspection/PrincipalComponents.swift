import CKernels
import CLAPACK

/// The first principal components of a set of points (rows of an n × d
/// matrix), and each point's coordinates along them.
///
///     μ = (1/n) Σᵢ xᵢ        C = (1/(n − 1)) Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ        C vₖ = λₖ vₖ
///
/// The eigen-decomposition of the d × d covariance is LAPACK's `dsyevd`, in
/// `Double`. An eigenvector's sign is arbitrary, so each vₖ is turned so that
/// its entry of largest magnitude (the first of equal ones) is positive: the
/// same data always gives the same picture, not its mirror image.
public struct PrincipalComponents: Sendable, Equatable {
    /// The mean of the points.
    public var mean: [Double]
    /// The first `count` eigenvectors of the covariance, largest eigenvalue first.
    public var components: [[Double]]
    /// All d eigenvalues, largest first (variances along each component).
    public var eigenvalues: [Double]
    /// n × count coordinates, row-major: (xᵢ − μ)·vₖ.
    public var projections: [Double]

    /// The share of the total variance (the covariance's trace) that component k explains.
    public func explainedVariance(_ k: Int) -> Double {
        let total = eigenvalues.reduce(0) { $0 + max($1, 0) }
        return total > 0 ? max(eigenvalues[k], 0) / total : 0
    }

    public enum Failure: Error, Equatable {
        /// dsyevd's INFO: the algorithm did not converge, or an argument was bad.
        case lapack(info: Int32)
    }

    /// `points` holds n rows of d values; n ≥ 2 and 1 ≤ count ≤ d.
    public init(points: [Float], dimensions d: Int, count: Int = 2) throws(Failure) {
        precondition(d > 0 && points.count % d == 0 && (1 ... d).contains(count))
        let n = points.count / d
        precondition(n >= 2, "principal components need at least two points")
        var mean = [Double](repeating: 0, count: d)
        points.withUnsafeBufferPointer { x in
            mean.withUnsafeMutableBufferPointer { m in
                for i in 0 ..< n { for j in 0 ..< d { m[j] += Double(x[i * d + j]) } }
                for j in 0 ..< d { m[j] /= Double(n) }
            }
        }

        // The upper triangle of Σ (x − μ)(x − μ)ᵀ, rows in order (CKernels), then scaled and mirrored.
        var covariance = [Double](repeating: 0, count: d * d)
        var scratch = [Double](repeating: 0, count: d)
        ck_covariance(points, Int64(n), Int64(d), mean, &covariance, &scratch)
        for j in 0 ..< d { for k in j ..< d { covariance[j * d + k] /= Double(n - 1); covariance[k * d + j] = covariance[j * d + k] } }

        let (values, vectors) = try Self.eigen(symmetric: covariance, order: d)
        var components = [[Double]]()
        for k in 0 ..< count {
            var v = Array(vectors[(d - 1 - k) * d ..< (d - k) * d])  // column d − 1 − k: ascending order
            let largest = v.indices.max { abs(v[$0]) < abs(v[$1]) || (abs(v[$0]) == abs(v[$1]) && $0 > $1) }!
            if v[largest] < 0 { v = v.map { -$0 } }
            components.append(v)
        }
        var projections = [Double](repeating: 0, count: n * count)
        let flat = components.flatMap { $0 }
        points.withUnsafeBufferPointer { x in
            mean.withUnsafeBufferPointer { m in
                flat.withUnsafeBufferPointer { v in
                    projections.withUnsafeMutableBufferPointer { out in
                        for i in 0 ..< n {
                            for k in 0 ..< count {
                                var sum = 0.0
                                for j in 0 ..< d { sum += (Double(x[i * d + j]) - m[j]) * v[k * d + j] }
                                out[i * count + k] = sum
                            }
                        }
                    }
                }
            }
        }
        self.mean = mean
        self.components = components
        eigenvalues = values.reversed()
        self.projections = projections
    }

    /// Eigenvalues (ascending) and eigenvectors (column k, column-major) of a symmetric matrix.
    static func eigen(symmetric matrix: [Double], order n: Int) throws(Failure) -> ([Double], [Double]) {
        var a = matrix, w = [Double](repeating: 0, count: n)
        var n32 = Int32(n), info: Int32 = 0
        var lwork: Int32 = -1, liwork: Int32 = -1
        var workSize = 0.0, iworkSize: Int32 = 0
        let jobz = Int8(UInt8(ascii: "V")), uplo = Int8(UInt8(ascii: "U"))
        var (job, triangle) = (jobz, uplo)
        dsyevd_(&job, &triangle, &n32, &a, &n32, &w, &workSize, &lwork, &iworkSize, &liwork, &info)
        guard info == 0 else { throw .lapack(info: info) }
        lwork = Int32(workSize)
        liwork = iworkSize
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        dsyevd_(&job, &triangle, &n32, &a, &n32, &w, &work, &lwork, &iwork, &liwork, &info)
        guard info == 0 else { throw .lapack(info: info) }
        return (w, a)
    }
}
