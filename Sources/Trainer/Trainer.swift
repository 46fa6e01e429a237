import Dispatch
import Foundation
import MNIST

/// What the trainer reports while it runs. It prints nothing itself.
public enum TrainingProgress: Sendable {
    /// Iteration `index` (0-based) has updated the weights; `loss` is its batch loss.
    case iteration(index: Int, loss: Float)
    /// An evaluation point is complete (possibly a little after its iteration).
    case evaluated(EpochMetrics)
}

/// Trains a `TwoLayerNetwork<Float>` by mini-batch SGD, the loop of the
/// book's `train_neuralnet.py`:
///
///     for i in 0..<iterations:
///         batch ← batchSize indices drawn uniformly with replacement
///         θ ← θ − η·∇L(batch)                      (backpropagation)
///         if i % evaluateEvery == 0: accuracy on the full train and test sets
///
/// A helper thread prepares the batches ahead and runs the evaluations
/// against copies of the weights (see `TrainingPipeline`), so the loop
/// itself only steps; no result depends on it.
public struct Trainer: Sendable {
    public var configuration: TrainingConfiguration
    /// What a loss that stops being finite does to the run.
    public var onDivergence: DivergencePolicy

    /// `.fail` throws `TrainerError.diverged`; `.stop` ends the run there and
    /// returns what it has, with `TrainingRun.divergence` set (a sweep's runs).
    public enum DivergencePolicy: Sendable, Equatable { case fail, stop }

    public init(configuration: TrainingConfiguration = .init(), onDivergence: DivergencePolicy = .fail) {
        self.configuration = configuration
        self.onDivergence = onDivergence
    }

    public func train(
        on dataset: Dataset, progress: @escaping @Sendable (TrainingProgress) -> Void = { _ in }
    ) throws(TrainerError) -> TrainingRun {
        let start = DispatchTime.now()
        try configuration.validate()
        let trainImages = SparseImages(dataset.train)
        let testImages = SparseImages(dataset.test)
        let preparation = seconds(since: start)
        return try run(train: trainImages, test: testImages, classCount: ImageSet.classCount, progress: progress, start: start, preparation: preparation)
    }

    /// Trains on images already in sparse rows (make-report reads the training
    /// set straight into them; tests build tiny ones).
    public func train(
        train: SparseImages, test: SparseImages, classCount: Int,
        progress: @escaping @Sendable (TrainingProgress) -> Void = { _ in }
    ) throws(TrainerError) -> TrainingRun {
        try run(train: train, test: test, classCount: classCount, progress: progress, start: .now(), preparation: 0)
    }

    func run(
        train: SparseImages, test: SparseImages, classCount: Int, progress: @escaping @Sendable (TrainingProgress) -> Void,
        start: DispatchTime, preparation: Double
    ) throws(TrainerError) -> TrainingRun {
        let config = configuration
        try config.validate()
        guard train.count > 0 else { throw .emptyDataset("the training set has no images") }
        guard test.count > 0 else { throw .emptyDataset("the test set has no images") }
        guard train.pixelCount > 0, classCount > 0 else { throw .emptyDataset("images need at least one pixel and one class") }

        var random = RandomSource(seed: config.seed)
        var network = TwoLayerNetwork<Float>(
            inputSize: train.pixelCount, hiddenSize: config.hiddenSize, outputSize: classCount,
            weightScale: config.weightScale, random: &random)
        var workspace = Workspace(for: network, capacity: config.batchSize)
        var gradients = Gradients(zerosLike: network)
        var losses = [Float]()
        losses.reserveCapacity(config.iterations)
        let learningRate = Float(config.learningRate)
        // Copies of the parameters at the evaluation points the plan keeps; training reads none of them.
        let plan = SnapshotPlan(config, parameterCount: network.parameterCount)
        var snapshots = [ParameterSnapshot]()
        snapshots.reserveCapacity(plan.kept.count)
        var nextKept = plan.kept.startIndex

        let pipeline = TrainingPipeline(
            batches: BatchSource(random: random, data: train, batchSize: config.batchSize, count: config.iterations),
            train: train, test: test, helperThread: config.usesHelperThread,
            slots: TrainingPipeline.slots(batchSize: config.batchSize), progress: progress)
        // W1 split at whole cache lines for the C kernels (nil for the reference loops or
        // widths the split does not fit); network.w1 is brought up to date when it is read.
        let firstLayer = train.usesReferenceKernels
            ? nil : LinedWeights(packing: network.w1, pixels: network.inputSize, width: network.hiddenSize)
        // Each step reads its batch's own copy of the images, rows 0 ..< batchSize.
        let positions = Array(0 ..< config.batchSize)
        var divergence: Divergence?
        let trainingStart = DispatchTime.now()
        for i in 0 ..< config.iterations {
            let batch = pipeline.nextBatch()
            let loss = network.step(
                on: positions, grouped: batch.groups, of: batch.rows!, learningRate: learningRate,
                workspace: &workspace, gradients: &gradients, firstLayer: firstLayer)
            pipeline.recycle(batch)
            guard loss.isFinite else {
                guard onDivergence == .stop else {
                    pipeline.cancel()
                    throw .diverged(iteration: i, loss: Double(loss), learningRate: config.learningRate)
                }
                // The evaluations already queued are of finite weights: they finish below.
                divergence = Divergence(iteration: i, loss: Double(loss))
                break
            }
            losses.append(loss)
            progress(.iteration(index: i, loss: loss))
            if i % config.evaluateEvery == 0 {
                firstLayer?.unpack(into: &network.w1)
                let point = i / config.evaluateEvery
                pipeline.evaluate(
                    network, firstLayer: firstLayer?.copy(), epoch: point, iteration: i,
                    loss: Double(loss), elapsed: seconds(since: trainingStart))
                if nextKept < plan.kept.endIndex, plan.kept[nextKept] == point {
                    snapshots.append(ParameterSnapshot(epoch: point, iteration: i, network: network))
                    nextKept += 1
                }
            }
        }
        firstLayer?.unpack(into: &network.w1)
        let training = seconds(since: trainingStart)
        let predictions = network.predictions(on: test)
        let (epochs, evaluation) = pipeline.finish()
        return TrainingRun(
            configuration: config, losses: losses, epochs: epochs, network: network, predictions: predictions,
            timings: TrainingTimings(preparation: preparation, training: training, evaluation: evaluation, total: seconds(since: start)),
            trainingSetSize: train.count, testSetSize: test.count, snapshots: snapshots, snapshotPlan: plan, divergence: divergence)
    }
}

func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}
