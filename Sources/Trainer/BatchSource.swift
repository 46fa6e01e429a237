import CKernels

/// One mini-batch, ready for `TwoLayerNetwork.step`: its image indices, its
/// images' rows copied into one block (`SparseImages.copying`) and its entries
/// grouped by pixel. A class, so that the pipeline can hand the same storage
/// back and forth without copying it.
final class MiniBatch {
    var images: [Int] = []
    var groups: PixelGroups
    /// Image r is training image `images[r]`, with its label.
    var rows: SparseImages?

    init(pixelCount: Int) {
        groups = PixelGroups(pixelCount: pixelCount)
    }
}

/// The run's mini-batches, in order: `batchSize` indices drawn uniformly with
/// replacement from the training set, one batch after another from the same
/// `RandomSource` (after the weights), so a seed fixes every batch.
struct BatchSource {
    private var random: RandomSource
    private let data: SparseImages
    private let batchSize: Int
    /// Batches not yet handed out.
    private(set) var remaining: Int
    /// `SparseImages.group`'s working memory, reused by every batch (the
    /// thread that fills batches keeps it in its own cache).
    private var scratch: [ck_entry] = []
    /// 0 ..< batchSize: the rows of a batch's copy.
    private let positions: [Int]

    init(random: RandomSource, data: SparseImages, batchSize: Int, count: Int) {
        self.random = random
        self.data = data
        self.batchSize = batchSize
        self.remaining = count
        positions = Array(0 ..< batchSize)
    }

    /// Fills `batch` with the next batch of the run.
    mutating func fill(_ batch: MiniBatch) {
        precondition(remaining > 0, "no batches left")
        batch.images = (0 ..< batchSize).map { _ in random.uniformIndex(below: data.count) }
        remaining -= 1
        // Copied first, then grouped from the copy: one pass over scattered
        // rows, and the grouping reads them back in order from this core's cache.
        let rows = data.copying(batch.images)
        rows.group(positions, into: &batch.groups, scratch: &scratch)
        batch.rows = rows
    }
}
