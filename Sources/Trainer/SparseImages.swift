import CKernels
import Dispatch
import MNIST

/// Images stored by their non-zero pixels only (compressed sparse rows).
///
/// About 81 % of MNIST pixels are zero, so the first layer's products
/// X·W1 and Xᵀ·dZ1 touch only a fifth of W1's rows when they skip them.
/// Values stay the file's bytes and become `byte / 255` inside the kernels.
public struct SparseImages: Sendable {
    /// Pixels per image (the input size of the network).
    public let pixelCount: Int
    /// Image `i`'s entries are `rowStart[i] ..< rowStart[i + 1]` of the
    /// columns and values; see `withEntries`.
    let memory: RowMemory
    /// The class of each image.
    public let labels: [UInt8]
    /// Whether `Float` products use the C kernels (the default) or the
    /// generic Swift loops, which the tests compare them with.
    var usesReferenceKernels = false

    public var count: Int { labels.count }

    /// `pixels` holds `labels.count` images of `pixelCount` bytes each.
    public init(pixels: [UInt8], labels: [UInt8], pixelCount: Int) {
        precondition(pixels.count == labels.count * pixelCount && pixelCount <= Int(UInt16.max) + 1)
        var builder = Builder(pixelCount: pixelCount, expectedImages: labels.count)
        pixels.withUnsafeBufferPointer { builder.append($0) }
        self = builder.finish(labels: labels)
    }

    /// Reads an images file and its labels file (IDX, gzip or plain, with the
    /// checks of `ImageSet.read`) straight into sparse rows, as the file is
    /// inflated: the dense pixels, 47 MB for MNIST's training set, never
    /// exist all at once.
    /// Chunks are compressed on another thread while this one inflates the
    /// next ones (inflating is the slower half).
    public static func read(images: String, labels: String) throws(MNISTError) -> SparseImages {
        let compressor = ChunkCompressor()
        defer { compressor.wait() }
        let labels = try ImageSet.stream(images: images, labels: labels) { compressor.add($0) }
        compressor.wait()
        return compressor.finish(labels: labels)
    }

    /// Collects sparse rows from dense images, some at a time.
    struct Builder {
        let pixelCount: Int
        var rowStart: [Int32] = [0]
        var column: [UInt16] = []
        var value: [UInt8] = []

        init(pixelCount: Int, expectedImages: Int) {
            self.pixelCount = pixelCount
            rowStart.reserveCapacity(expectedImages + 1)
            // MNIST is 19 % ink; a quarter leaves room without a reallocation.
            column.reserveCapacity(expectedImages * pixelCount / 4)
            value.reserveCapacity(expectedImages * pixelCount / 4)
        }

        /// Appends whole images of `pixelCount` bytes each.
        mutating func append(_ pixels: UnsafeBufferPointer<UInt8>) {
            let images = pixels.count / pixelCount
            guard images > 0 else { return }
            var counts = [Int32](repeating: 0, count: images + 1)
            let added = Int(ck_count_nonzero(pixels.baseAddress, Int64(images), Int64(pixelCount), &counts))
            let base = Int(rowStart.last!)
            precondition(base + added <= Int(Int32.max), "more entries than 32-bit row offsets can address")
            rowStart.append(contentsOf: counts.dropFirst().lazy.map { $0 + Int32(base) })
            column.append(contentsOf: repeatElement(0, count: added))
            value.append(contentsOf: repeatElement(0, count: added))
            column.withUnsafeMutableBufferPointer { columns in
                value.withUnsafeMutableBufferPointer { values in
                    ck_compress_rows(pixels.baseAddress, Int64(images), Int64(pixelCount), counts,
                                     columns.baseAddress! + base, values.baseAddress! + base)
                }
            }
        }

        func finish(labels: [UInt8]) -> SparseImages {
            precondition(rowStart.count == labels.count + 1, "images and labels disagree")
            return SparseImages(pixelCount: pixelCount, rowStart: rowStart, column: column, value: value, labels: labels)
        }
    }

    init(pixelCount: Int, rowStart: [Int32], column: [UInt16], value: [UInt8], labels: [UInt8]) {
        self.init(pixelCount: pixelCount, memory: .arrays(rowStart: rowStart, column: column, value: value), labels: labels)
    }

    init(pixelCount: Int, memory: RowMemory, labels: [UInt8]) {
        self.pixelCount = pixelCount
        self.memory = memory
        self.labels = labels
    }

    /// The row offsets, columns and values, valid inside `body` (not to be
    /// confused with `ImageSelection.withRows`, which lists image indices).
    func withEntries<R>(
        _ body: (_ rowStart: UnsafeBufferPointer<Int32>, _ column: UnsafeBufferPointer<UInt16>, _ value: UnsafeBufferPointer<UInt8>) -> R
    ) -> R {
        switch memory {
        case let .arrays(rowStart, column, value):
            rowStart.withUnsafeBufferPointer { r in
                column.withUnsafeBufferPointer { c in value.withUnsafeBufferPointer { v in body(r, c, v) } }
            }
        case let .borrowed(rows):
            withExtendedLifetime(rows.owner) { body(rows.rowStart, rows.column, rows.value) }
        }
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
    /// `multiply` with W1 in the split layout of `LinedWeights` (same result, bit for bit).
    func multiply(_ images: ImageSelection, by w: LinedWeights, bias: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        precondition(w.pixels == pixelCount)
        withEntries { rowStart, column, value in
            images.withRows { rows, first, count in
                ck_lined_times_dense(
                    rowStart.baseAddress, column.baseAddress, value.baseAddress, rows, first, count, w.body, w.side,
                    Int64(w.width), bias, out)
            }
        }
    }

    /// out[r, :] = bias + Σₚ x[image r, p] · w[p, :] for each selected image,
    /// where x = byte / 255, `w` is pixelCount×width and `out` is rows×width.
    @_specialize(where Scalar == Float)
    func multiply<Scalar: NetworkScalar>(
        _ images: ImageSelection, by w: UnsafePointer<Scalar>, width: Int,
        bias: UnsafePointer<Scalar>, into out: UnsafeMutablePointer<Scalar>
    ) {
        withEntries { rowStart, column, value in
            if Scalar.self == Float.self, !usesReferenceKernels {
                images.withRows { rows, first, count in
                    ck_sparse_times_dense(
                        rowStart.baseAddress, column.baseAddress, value.baseAddress, rows, first, count, w.floats,
                        Int64(width), bias.floats, out.floats)
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
    }

    /// grad = Xᵀ·delta, where row r of X is image `images[r]`: every row of
    /// `grad` (pixelCount×width) is written, the untouched ones with zeros.
    @_specialize(where Scalar == Float)
    func transposedProduct<Scalar: NetworkScalar>(
        _ images: [Int], delta: UnsafePointer<Scalar>, width: Int, into grad: UnsafeMutablePointer<Scalar>
    ) {
        withEntries { rowStart, column, value in
            if Scalar.self == Float.self, !usesReferenceKernels {
                let done = ImageSelection.indices(images).withRows { rows, _, count in
                    ck_sparse_transpose_times_dense(
                        rowStart.baseAddress, column.baseAddress, value.baseAddress, rows, count, delta.floats,
                        Int64(width), Int64(pixelCount), grad.floats)
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
    }

    /// Regroups the entries of `images` (a mini-batch, repeats allowed) by
    /// pixel, for `TwoLayerNetwork.step`. `scratch` is working memory for
    /// small batches that the calling thread keeps from batch to batch (see
    /// `ck_group_by_pixel`); the groups are the same with or without it.
    func group(_ images: [Int], into groups: inout PixelGroups, scratch: inout [ck_entry]) {
        let needed = Int(ck_group_scratch(Int64(pixelCount), Int64(images.count)))
        if scratch.count < needed { scratch = Array(repeating: ck_entry(), count: needed) }
        scratch.withUnsafeMutableBufferPointer { scratch in
            group(images, into: &groups, scratch: needed > 0 ? scratch.baseAddress : nil)
        }
    }

    /// The same without the scratch: a counting sort straight into `groups`.
    func group(_ images: [Int], into groups: inout PixelGroups) {
        group(images, into: &groups, scratch: nil)
    }

    private func group(_ images: [Int], into groups: inout PixelGroups, scratch: UnsafeMutablePointer<ck_entry>?) {
        precondition(groups.start.count == pixelCount + 1)
        withEntries { rowStart, column, value in
            ImageSelection.indices(images).withRows { rows, _, n in
                let count = Int(ck_entry_count(rowStart.baseAddress, rows, n))
                if groups.entries.count < count {
                    groups.entries = Array(repeating: ck_entry(), count: max(count, 2 * groups.entries.count))
                }
                groups.count = count
                groups.start.withUnsafeMutableBufferPointer { start in
                    groups.entries.withUnsafeMutableBufferPointer { entries in
                        ck_group_by_pixel(
                            rowStart.baseAddress, column.baseAddress, value.baseAddress, rows, n, Int64(pixelCount),
                            start.baseAddress, entries.baseAddress, scratch)
                    }
                }
            }
        }
    }

    /// Images `images` (repeats allowed), in that order, as images of their
    /// own, with their labels: image r of the copy is image `images[r]`.
    ///
    /// The training loop reads each mini-batch this way: its forward pass
    /// then streams one block of memory instead of gathering 100 rows from
    /// all over the 27 MB training set (7.4-7.5 against 7.8-8.1 ticks per
    /// entry in a microbenchmark; 3-5 % less wall time for make-report in
    /// two sets of alternating runs). The thread that prepares batches makes
    /// the copy.
    func copying(_ images: [Int]) -> SparseImages {
        withEntries { rowStart, column, value in
            ImageSelection.indices(images).withRows { rows, _, n in
                let count = Int(ck_entry_count(rowStart.baseAddress, rows, n))
                var starts: [Int32] = [], columns: [UInt16] = [], values: [UInt8] = []
                // Capacity at least 1: for 0, the initializer would write the count into the
                // standard library's shared empty array, a data race when two threads do it at once.
                starts = [Int32](unsafeUninitializedCapacity: images.count + 1) { start, initialized in
                    columns = [UInt16](unsafeUninitializedCapacity: max(count, 1)) { outColumn, columnCount in
                        values = [UInt8](unsafeUninitializedCapacity: max(count, 1)) { outValue, valueCount in
                            ck_copy_rows(
                                rowStart.baseAddress, column.baseAddress, value.baseAddress, rows, n, start.baseAddress,
                                outColumn.baseAddress, outValue.baseAddress)
                            valueCount = count
                        }
                        columnCount = count
                    }
                    initialized = images.count + 1
                }
                var copy = SparseImages(
                    pixelCount: pixelCount, rowStart: starts, column: columns, value: values, labels: images.map { labels[$0] })
                copy.usesReferenceKernels = usesReferenceKernels
                return copy
            }
        }
    }

    /// The same images, computed with the generic Swift loops in `Float` too.
    func withReferenceKernels() -> SparseImages {
        var copy = self
        copy.usesReferenceKernels = true
        return copy
    }

    /// Which implementation the `Float` kernels use: "avx2+fma" or "portable".
    public static var kernelImplementation: String { String(cString: ck_implementation()) }

    /// What a seed and configuration pin down on this processor, in a sentence.
    /// Every operation that changes the weights is this package's own code with a
    /// fixed order of operations, so only the choice between the two
    /// implementations above can change a result's bits.
    public static var reproducibility: String {
        kernelImplementation == "avx2+fma"
            ? "The same seed and configuration give bit-identical weights and metrics on every x86-64 machine "
                + "with AVX2 and FMA: every product and parameter update is make-report's own code with a fixed "
                + "order of operations, and no library picks a kernel by processor. The pictures are identical "
                + "too where Cairo, FreeType and the DejaVu fonts are the same versions."
            : "This processor ran the portable kernels (no AVX2 and FMA): the same seed and configuration give "
                + "bit-identical results on machines that also run them, but the last bits differ from an "
                + "AVX2+FMA machine's, and with them the pictures."
    }
}

/// Compresses chunks of dense images into a `SparseImages.Builder` on a
/// serial queue, through two reusable buffers: while one chunk is being
/// compressed, the reader fills the other.
private final class ChunkCompressor: @unchecked Sendable {
    private final class Buffer: @unchecked Sendable { var bytes: [UInt8] = [] }
    private let queue = DispatchQueue(label: "trainer.sparse-rows", qos: .userInitiated)
    private let freeBuffers = DispatchSemaphore(value: 2)
    private let buffers = [Buffer(), Buffer()]
    private var next = 0
    /// Only touched on `queue`, then after `wait`.
    private var builder: SparseImages.Builder?

    func add(_ chunk: ImageSet.Chunk) {
        freeBuffers.wait()
        let buffer = buffers[next]
        next = 1 - next
        buffer.bytes.removeAll(keepingCapacity: true)
        buffer.bytes.append(contentsOf: chunk.pixels)
        let total = chunk.total
        queue.async { [self] in
            if builder == nil { builder = SparseImages.Builder(pixelCount: ImageSet.pixelCount, expectedImages: total) }
            buffer.bytes.withUnsafeBufferPointer { builder!.append($0) }
            freeBuffers.signal()
        }
    }

    /// Waits until every chunk added so far is compressed.
    func wait() { queue.sync {} }

    func finish(labels: [UInt8]) -> SparseImages {
        (builder ?? SparseImages.Builder(pixelCount: ImageSet.pixelCount, expectedImages: 0)).finish(labels: labels)
    }
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
