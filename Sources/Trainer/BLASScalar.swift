import COpenBLAS
import RealModule

/// A floating-point type OpenBLAS can multiply: `Float` (training) and
/// `Double` (the gradient check). The network is generic over it so both run
/// the very same code.
public protocol BLASScalar: Real, BinaryFloatingPoint, Codable, Sendable {
    /// C = alpha·op(A)·op(B) + beta·C for row-major matrices, where op(A) is
    /// m×k, op(B) is k×n and C is m×n (`cblas_?gemm`).
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// y = alpha·x + y over `count` elements (`cblas_?axpy`).
    static func axpy(count: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>)
}

@inline(__always)
private func order(_ transpose: Bool) -> CBLAS_TRANSPOSE { transpose ? CblasTrans : CblasNoTrans }

extension Float: BLASScalar {
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, order(transposeA), order(transposeB), blasint(m), blasint(n), blasint(k),
            alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    public static func axpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(blasint(count), alpha, x, 1, y, 1)
    }
}

extension Double: BLASScalar {
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(
            CblasRowMajor, order(transposeA), order(transposeB), blasint(m), blasint(n), blasint(k),
            alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    public static func axpy(count: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
        cblas_daxpy(blasint(count), alpha, x, 1, y, 1)
    }
}

/// The OpenBLAS library this process runs on.
public enum BLAS {
    /// Ends OpenBLAS's worker threads, which otherwise spin for about 0.1 s
    /// after the library loads. The trainer's BLAS calls are single-threaded
    /// vector updates, so a process that only trains loses nothing; a later
    /// call that wants threads starts them again.
    public static func stopIdleThreads() { copenblas_stop_idle_threads() }
    public static var configuration: String { String(cString: openblas_get_config()) }
    public static var coreName: String { String(cString: openblas_get_corename()) }
}
