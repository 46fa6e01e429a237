import Foundation

/// The work around the SGD loop, on a helper thread so that the loop itself
/// only runs forward, backward and update:
///
/// - it prepares the mini-batches ahead (draws them, copies their rows into
///   one block, groups their entries by pixel) into a ring of `slots`
///   reusable batches;
/// - it runs the per-epoch evaluations, cut into chunks of 1,000 images,
///   whenever the ring is full. The training thread takes a chunk whenever
///   it would otherwise wait for a batch, and when training ends, so the
///   last evaluations finish on both cores.
///
/// Each evaluation reads its own copy of the weights, batches come out in
/// the order they were drawn, and chunk counts add up the same in any order:
/// the run is bit-identical with or without the helper thread.
final class TrainingPipeline: @unchecked Sendable {
    typealias Network = TwoLayerNetwork<Float>

    private let train: SparseImages
    private let test: SparseImages
    private let progress: @Sendable (TrainingProgress) -> Void
    private let slots: Int
    private let usesHelper: Bool

    // Everything below is guarded by `condition`'s lock.
    private let condition = NSCondition()
    private var source: BatchSource
    private var free: [MiniBatch]
    private var ready: [MiniBatch] = []
    private var evaluations: [PendingEvaluation] = []
    private var chunks: [Chunk] = []
    private var nextChunk = 0
    private var reported = 0
    private var busySeconds = 0.0
    private var trainingDone = false
    private var cancelled = false
    private var helperRunning = false
    private var helperWaiting = false
    private var trainerWaiting = false
    /// The training thread's evaluation scratch (only that thread touches it).
    private var trainerWorkspace: Workspace<Float>?

    /// One evaluation point being computed.
    private struct PendingEvaluation {
        /// The weights to evaluate, released once the last chunk is done.
        var network: Network?
        /// Its W1 in the split layout, when the training loop keeps one.
        var firstLayer: LinedWeights?
        let epoch, iteration: Int
        let loss, elapsed: Double
        var trainCorrect = 0, testCorrect = 0
        var chunksLeft: Int
    }

    /// Images `range` of the training or test set for evaluation `index`.
    private struct Chunk {
        let evaluation: Int
        let onTestSet: Bool
        let range: Range<Int>
    }

    /// How many batches to prepare ahead: 16, fewer for big batches so the
    /// ring holds at most about 4,096 images' entries (a ring of full-set
    /// batches of 60,000 would otherwise take half a gigabyte).
    static func slots(batchSize: Int) -> Int {
        max(2, min(16, 4096 / max(batchSize, 1)))
    }

    /// `helperThread: false` does all the work on the calling thread, in the same order.
    init(
        batches: BatchSource, train: SparseImages, test: SparseImages, helperThread: Bool, slots: Int = 16,
        progress: @escaping @Sendable (TrainingProgress) -> Void
    ) {
        self.train = train
        self.test = test
        self.progress = progress
        self.slots = slots
        usesHelper = helperThread
        source = batches
        free = (0 ..< (helperThread ? slots : 1)).map { _ in MiniBatch(pixelCount: train.pixelCount) }
        if helperThread {
            helperRunning = true
            let thread = Thread { [self] in helperLoop() }
            thread.name = "trainer.pipeline"
            thread.start()
        }
    }

    // MARK: - The training thread's side

    /// The next mini-batch of the run; hand it back with `recycle` after use.
    func nextBatch() -> MiniBatch {
        if !usesHelper {
            let batch = free[0]
            source.fill(batch)
            return batch
        }
        condition.lock()
        while ready.isEmpty {
            // The helper is behind: run an evaluation chunk instead of sleeping.
            if !cancelled, nextChunk < chunks.count {
                condition.unlock()
                runChunk(workspace: &trainerWorkspace)
                condition.lock()
                continue
            }
            trainerWaiting = true
            condition.wait()
            trainerWaiting = false
        }
        let batch = ready.removeFirst()
        condition.unlock()
        return batch
    }

    func recycle(_ batch: MiniBatch) {
        guard usesHelper else { return }
        condition.lock()
        defer { condition.unlock() }
        free.append(batch)
        // Wake a sleeping helper only once half the ring is free, not for every batch.
        if helperWaiting, free.count >= slots / 2 { condition.broadcast() }
    }

    /// Queues an evaluation of `network` (a copy) on the full training and
    /// test sets; without the helper thread it runs at once. `firstLayer`,
    /// a copy of W1 in the split layout, is read in place of `network.w1`.
    func evaluate(
        _ network: Network, firstLayer: LinedWeights? = nil, epoch: Int, iteration: Int, loss: Double, elapsed: Double
    ) {
        let size = Network.evaluationChunk
        condition.lock()
        let index = evaluations.count
        var count = 0
        for (set, onTestSet) in [(train, false), (test, true)] {
            for start in stride(from: 0, to: set.count, by: size) {
                chunks.append(Chunk(evaluation: index, onTestSet: onTestSet, range: start ..< min(start + size, set.count)))
                count += 1
            }
        }
        evaluations.append(PendingEvaluation(
            network: network, firstLayer: firstLayer, epoch: epoch, iteration: iteration, loss: loss, elapsed: elapsed,
            chunksLeft: count))
        if helperWaiting { condition.broadcast() }
        condition.unlock()
        if !usesHelper { runChunks() }
    }

    /// Ends training: runs the evaluations still queued on this thread and
    /// the helper's, waits for the helper, and returns every point in order
    /// with the CPU seconds all evaluations took.
    func finish() -> (epochs: [EpochMetrics], evaluationSeconds: Double) {
        condition.lock()
        trainingDone = true
        condition.broadcast()
        condition.unlock()
        runChunks()
        condition.lock()
        defer { condition.unlock() }
        while helperRunning { condition.wait() }
        let points = evaluations.map { point(of: $0) }
        return (points, busySeconds)
    }

    /// Stops the helper thread and drops the queued work (the run failed).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while helperRunning { condition.wait() }
        condition.unlock()
    }

    // MARK: - The helper thread

    private func helperLoop() {
        var workspace: Workspace<Float>?
        condition.lock()
        while !cancelled {
            if !trainingDone, source.remaining > 0, let batch = free.popLast() {
                // Batches first: the training thread must never wait for one.
                // Only this thread uses `source` while the helper runs.
                condition.unlock()
                source.fill(batch)
                condition.lock()
                ready.append(batch)
                if trainerWaiting { condition.broadcast() }
            } else if nextChunk < chunks.count {
                condition.unlock()
                runChunk(workspace: &workspace)
                condition.lock()
            } else if trainingDone {
                break
            } else {
                helperWaiting = true
                condition.wait()
                helperWaiting = false
            }
        }
        helperRunning = false
        condition.broadcast()
        condition.unlock()
    }

    // MARK: - Evaluation chunks (either thread)

    /// Runs queued chunks on the calling thread until none is left.
    private func runChunks() {
        var workspace: Workspace<Float>?
        while runChunk(workspace: &workspace) {}
    }

    /// Takes the next chunk and runs it; false if there was none.
    @discardableResult
    private func runChunk(workspace: inout Workspace<Float>?) -> Bool {
        condition.lock()
        guard !cancelled, nextChunk < chunks.count else {
            condition.unlock()
            return false
        }
        let chunk = chunks[nextChunk]
        nextChunk += 1
        let network = evaluations[chunk.evaluation].network!
        let firstLayer = evaluations[chunk.evaluation].firstLayer
        condition.unlock()

        let start = DispatchTime.now()
        var scratch = workspace.take() ?? Workspace(for: network, capacity: Network.evaluationChunk)
        let correct = network.correctCount(
            on: chunk.onTestSet ? test : train, range: chunk.range, workspace: &scratch, firstLayer: firstLayer)
        workspace = scratch
        let seconds = seconds(since: start)

        condition.lock()
        defer { condition.unlock() }
        busySeconds += seconds
        if chunk.onTestSet { evaluations[chunk.evaluation].testCorrect += correct } else { evaluations[chunk.evaluation].trainCorrect += correct }
        evaluations[chunk.evaluation].chunksLeft -= 1
        if evaluations[chunk.evaluation].chunksLeft == 0 {
            evaluations[chunk.evaluation].network = nil
            evaluations[chunk.evaluation].firstLayer = nil
        }
        // Report finished points in epoch order.
        while reported < evaluations.count, evaluations[reported].chunksLeft == 0 {
            progress(.evaluated(point(of: evaluations[reported])))
            reported += 1
        }
        return true
    }

    private func point(of evaluation: PendingEvaluation) -> EpochMetrics {
        EpochMetrics(
            epoch: evaluation.epoch, iteration: evaluation.iteration,
            trainAccuracy: Double(evaluation.trainCorrect) / Double(max(train.count, 1)),
            testAccuracy: Double(evaluation.testCorrect) / Double(max(test.count, 1)),
            loss: evaluation.loss, elapsed: evaluation.elapsed)
    }
}
