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
        for i in 0 ..< n { for j in 0 ..< d { mean[j] += Double(points[i * d + j]) } }
        for j in 0 ..< d { mean[j] /= Double(n) }

        // The upper triangle of Σ (x − μ)(x − μ)ᵀ, row by row, then scaled.
        var covariance = [Double](repeating: 0, count: d * d)
        var centred = [Double](repeating: 0, count: d)
        covariance.withUnsafeMutableBufferPointer { c in
            for i in 0 ..< n {
                for j in 0 ..< d { centred[j] = Double(points[i * d + j]) - mean[j] }
                for j in 0 ..< d {
                    let x = centred[j]
                    for k in j ..< d { c[j * d + k] += x * centred[k] }
                }
            }
            for j in 0 ..< d { for k in j ..< d { c[j * d + k] /= Double(n - 1); c[k * d + j] = c[j * d + k] } }
        }

        let (values, vectors) = try Self.eigen(symmetric: covariance, order: d)
        var components = [[Double]]()
        for k in 0 ..< count {
            var v = Array(vectors[(d - 1 - k) * d ..< (d - k) * d])  // column d − 1 − k: ascending order
            let largest = v.indices.max { abs(v[$0]) < abs(v[$1]) || (abs(v[$0]) == abs(v[$1]) && $0 > $1) }!
            if v[largest] < 0 { v = v.map { -$0 } }
            components.append(v)
        }
        var projections = [Double](repeating: 0, count: n * count)
        for i in 0 ..< n {
            for k in 0 ..< count {
                var sum = 0.0
                for j in 0 ..< d { sum += (Double(points[i * d + j]) - mean[j]) * components[k][j] }
                projections[i * count + k] = sum
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
