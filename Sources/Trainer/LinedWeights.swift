import CKernels

/// W1 as the first layer's C kernels read it fastest during training: each
/// row's first columns (48 of 50) as a 64-byte aligned run of whole cache
/// lines, the other one to eight in a small side matrix (`ck_lined_columns`).
///
/// A row-major 50-float row of W1 spans four cache lines wherever it starts;
/// split, it spans three plus a few bytes of a side matrix that stays in L1,
/// and the forward pass reads one row per non-zero pixel. The training loop
/// keeps W1 this way and copies it back into `TwoLayerNetwork.w1` whenever the
/// weights are read (every evaluation, the end of the run). Every sum has the
/// same terms in the same order as with row-major W1: the run is bit-identical.
final class LinedWeights: @unchecked Sendable {
    let pixels: Int
    let width: Int
    let lined: Int
    let body: UnsafeMutablePointer<Float>
    let side: UnsafeMutablePointer<Float>

    /// W1 (`pixels`×`width`, row-major) split; nil when the split does not
    /// apply to `width` (see `ck_lined_columns`).
    init?(packing w: [Float], pixels: Int, width: Int) {
        let lined = Int(ck_lined_columns(Int64(width)))
        guard lined > 0, w.count == pixels * width else { return nil }
        self.pixels = pixels
        self.width = width
        self.lined = lined
        body = Self.allocate(pixels * lined, alignment: 64)
        side = Self.allocate(pixels * (width - lined), alignment: 16)
        w.withUnsafeBufferPointer { ck_lined_pack($0.baseAddress, Int64(pixels), Int64(width), body, side) }
    }

    private init(copying other: LinedWeights) {
        (pixels, width, lined) = (other.pixels, other.width, other.lined)
        body = Self.allocate(pixels * lined, alignment: 64)
        side = Self.allocate(pixels * (width - lined), alignment: 16)
        body.update(from: other.body, count: pixels * lined)
        side.update(from: other.side, count: pixels * (width - lined))
    }

    deinit {
        body.deallocate()
        side.deallocate()
    }

    /// A copy that later steps do not change (for an evaluation).
    func copy() -> LinedWeights { LinedWeights(copying: self) }

    /// Writes the weights back as the row-major `pixels`×`width` matrix.
    func unpack(into w: inout [Float]) {
        precondition(w.count == pixels * width)
        w.withUnsafeMutableBufferPointer { ck_lined_unpack(body, side, Int64(pixels), Int64(width), $0.baseAddress) }
    }

    private static func allocate(_ count: Int, alignment: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: alignment)
            .bindMemory(to: Float.self, capacity: max(count, 1))
    }
}
