import CKernels
import MNIST

/// Images stored by their non-zero pixels only (compressed sparse rows).
///
/// About 81 % of MNIST pixels are zero, so the first layer's products
/// X·W1 and Xᵀ·dZ1 touch only a fifth of W1's rows when they skip them.
/// Values stay the file's bytes and become `byte / 255` inside the kernels.
public struct SparseImages: Sendable {
    /// Pixels per image (the input size of the network).
    public let pixelCount: Int
    /// Image `i`'s entries are `rowStart[i] ..< rowStart[i + 1]`.
    let rowStart: [Int32]
    let column: [UInt16]
    let value: [UInt8]
    /// The class of each image.
    public let labels: [UInt8]
    /// Whether `Float` products use the C kernels (the default) or the
    /// generic Swift loops, which the tests compare them with.
    var usesReferenceKernels = false

    public var count: Int { labels.count }

    /// `pixels` holds `labels.count` images of `pixelCount` bytes each.
    public init(pixels: [UInt8], labels: [UInt8], pixelCount: Int) {
        precondition(pixels.count == labels.count * pixelCount && pixelCount <= Int(UInt16.max) + 1)
        precondition(pixels.count <= Int(Int32.max), "more entries than 32-bit row offsets can address")
        let images = Int64(labels.count)
        var total = 0
        let rowStart = [Int32](unsafeUninitializedCapacity: labels.count + 1) { buffer, count in
            total = Int(ck_count_nonzero(pixels, images, Int64(pixelCount), buffer.baseAddress!))
            count = labels.count + 1
        }
        var value = [UInt8]()
        let column = [UInt16](unsafeUninitializedCapacity: total) { columns, count in
            value = [UInt8](unsafeUninitializedCapacity: total) { values, valueCount in
                ck_compress_rows(pixels, images, Int64(pixelCount), rowStart, columns.baseAddress!, values.baseAddress!)
                valueCount = total
            }
            count = total
        }
        self.pixelCount = pixelCount
        self.rowStart = rowStart
        self.column = column
        self.value = value
        self.labels = labels
    }

    public init(_ set: ImageSet) {
        self.init(pixels: set.pixels, labels: set.labels, pixelCount: ImageSet.pixelCount)
    }
}

// MARK: - Kernels

/// The images a product reads: a mini-batch's indices, or a contiguous range.
enum ImageSelection {
    case indices([Int])
    case range(Range<Int>)

    var count: Int {
        switch self {
        case let .indices(list): list.count
        case let .range(range): range.count
        }
    }

    /// Calls `body` with the C kernels' (rows, firstRow, rowCount) form.
    func withRows<R>(_ body: (UnsafePointer<Int64>?, Int64, Int64) -> R) -> R {
        switch self {
        case let .indices(list):
            list.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: Int64.self) { body($0.baseAddress, 0, Int64($0.count)) }
            }
        case let .range(range):
            body(nil, Int64(range.lowerBound), Int64(range.count))
        }
    }

    func forEach(_ body: (Int) -> Void) {
        switch self {
        case let .indices(list): list.forEach(body)
        case let .range(range): range.forEach(body)
        }
    }
}

extension SparseImages {
    /// out[r, :] = bias + Σₚ x[image r, p] · w[p, :] for each selected image,
    /// where x = byte / 255, `w` is pixelCount×width and `out` is rows×width.
    @_specialize(where Scalar == Float)
    func multiply<Scalar: BLASScalar>(
        _ images: ImageSelection, by w: UnsafePointer<Scalar>, width: Int,
        bias: UnsafePointer<Scalar>, into out: UnsafeMutablePointer<Scalar>
    ) {
        if Scalar.self == Float.self, !usesReferenceKernels {
            images.withRows { rows, first, count in
                ck_sparse_times_dense(
                    rowStart, column, value, rows, first, count, w.floats, Int64(width), bias.floats, out.floats)
            }
            return
        }
        let scale = 1 / Scalar(255)
        var row = out
        images.forEach { image in
            row.update(from: bias, count: width)
            for entry in Int(rowStart[image]) ..< Int(rowStart[image + 1]) {
                let x = Scalar(value[entry]) * scale
                let wRow = w + Int(column[entry]) * width
                for j in 0 ..< width { row[j] += x * wRow[j] }
            }
            row += width
        }
    }

    /// grad = Xᵀ·delta, where row r of X is image `images[r]`: every row of
    /// `grad` (pixelCount×width) is written, the untouched ones with zeros.
    @_specialize(where Scalar == Float)
    func transposedProduct<Scalar: BLASScalar>(
        _ images: [Int], delta: UnsafePointer<Scalar>, width: Int, into grad: UnsafeMutablePointer<Scalar>
    ) {
        if Scalar.self == Float.self, !usesReferenceKernels {
            let done = ImageSelection.indices(images).withRows { rows, _, count in
                ck_sparse_transpose_times_dense(
                    rowStart, column, value, rows, count, delta.floats, Int64(width), Int64(pixelCount), grad.floats)
            }
            precondition(done != 0, "out of memory in the first layer's backward pass")
            return
        }
        let scale = 1 / Scalar(255)
        grad.update(repeating: 0, count: pixelCount * width)
        var deltaRow = delta
        for image in images {
            for entry in Int(rowStart[image]) ..< Int(rowStart[image + 1]) {
                let x = Scalar(value[entry]) * scale
                let gRow = grad + Int(column[entry]) * width
                for j in 0 ..< width { gRow[j] += x * deltaRow[j] }
            }
            deltaRow += width
        }
    }

    /// Regroups the entries of `images` (a mini-batch, repeats allowed) by
    /// pixel, for `TwoLayerNetwork.step`.
    func group(_ images: [Int], into groups: inout PixelGroups) {
        precondition(groups.start.count == pixelCount + 1)
        let count = ImageSelection.indices(images).withRows { rows, _, n in Int(ck_entry_count(rowStart, rows, n)) }
        if groups.entries.count < count {
            groups.entries = Array(repeating: ck_entry(), count: max(count, 2 * groups.entries.count))
        }
        groups.count = count
        ImageSelection.indices(images).withRows { rows, _, n in
            groups.start.withUnsafeMutableBufferPointer { start in
                groups.entries.withUnsafeMutableBufferPointer { entries in
                    ck_group_by_pixel(rowStart, column, value, rows, n, Int64(pixelCount), start.baseAddress, entries.baseAddress)
                }
            }
        }
    }

    /// Starts loading the entries of `images` into the cache: a batch's
    /// images lie at random places in memory, and the next batch is known
    /// one step ahead.
    func prefetch(_ images: [Int]) {
        ImageSelection.indices(images).withRows { rows, _, n in ck_prefetch_rows(rowStart, column, value, rows, n) }
    }

    /// The same images, computed with the generic Swift loops in `Float` too.
    func withReferenceKernels() -> SparseImages {
        var copy = self
        copy.usesReferenceKernels = true
        return copy
    }

    /// Which implementation the `Float` kernels use: "avx2+fma" or "portable".
    public static var kernelImplementation: String { String(cString: ck_implementation()) }
}

/// A mini-batch's entries grouped by pixel: pixel p's are
/// `entries[start[p] ..< start[p + 1]]`, each naming its batch row and its
/// value. The first layer's backward pass, Xᵀ·dZ1, reads them pixel by pixel,
/// so each row of W1 is updated once, in registers. Reused across batches.
struct PixelGroups {
    var start: [Int32]
    var entries: [ck_entry] = []
    /// How many of `entries` are in use.
    var count = 0

    init(pixelCount: Int) {
        start = Array(repeating: 0, count: pixelCount + 1)
    }
}

extension UnsafePointer {
    /// The same address as `Float` (only called where `Pointee == Float`).
    var floats: UnsafePointer<Float> { UnsafeRawPointer(self).assumingMemoryBound(to: Float.self) }
}

extension UnsafeMutablePointer {
    var floats: UnsafeMutablePointer<Float> { UnsafeMutableRawPointer(self).assumingMemoryBound(to: Float.self) }
}
