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
/// Evaluations run on a second thread against a copy of the weights, so they
/// overlap the next iterations without changing any result.
public struct Trainer: Sendable {
    public var configuration: TrainingConfiguration

    public init(configuration: TrainingConfiguration = .init()) {
        self.configuration = configuration
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

    /// Trains on already prepared images (tests use it on tiny inputs).
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
        BLAS.setThreads(config.blasThreads)

        var random = RandomSource(seed: config.seed)
        var network = TwoLayerNetwork<Float>(
            inputSize: train.pixelCount, hiddenSize: config.hiddenSize, outputSize: classCount,
            weightScale: config.weightScale, random: &random)
        var workspace = Workspace(for: network, capacity: config.batchSize)
        var gradients = Gradients(zerosLike: network)
        var groups = PixelGroups(pixelCount: train.pixelCount)
        func draw() -> [Int] { (0 ..< config.batchSize).map { _ in random.uniformIndex(below: train.count) } }
        var next = draw()
        var losses = [Float]()
        losses.reserveCapacity(config.iterations)
        let learningRate = Float(config.learningRate)

        let evaluator = Evaluator(train: train, test: test, background: config.evaluateInBackground, progress: progress)
        let trainingStart = DispatchTime.now()
        for i in 0 ..< config.iterations {
            // Batches are drawn one ahead, in the same order, so the next one's images can be prefetched.
            let batch = next
            if i + 1 < config.iterations {
                next = draw()
                train.prefetch(next)
            }
            train.group(batch, into: &groups)
            let loss = network.step(
                on: batch, grouped: groups, of: train, learningRate: learningRate, workspace: &workspace, gradients: &gradients)
            guard loss.isFinite else {
                evaluator.finish()
                throw .diverged(iteration: i, loss: Double(loss), learningRate: config.learningRate)
            }
            losses.append(loss)
            progress(.iteration(index: i, loss: loss))
            if i % config.evaluateEvery == 0 {
                evaluator.evaluate(
                    network, epoch: i / config.evaluateEvery, iteration: i, loss: Double(loss),
                    elapsed: seconds(since: trainingStart))
            }
        }
        let training = seconds(since: trainingStart)
        let predictions = network.predictions(on: test)
        let (epochs, evaluation) = evaluator.finish()
        return TrainingRun(
            configuration: config, losses: losses, epochs: epochs, network: network, predictions: predictions,
            timings: TrainingTimings(preparation: preparation, training: training, evaluation: evaluation, total: seconds(since: start)),
            trainingSetSize: train.count, testSetSize: test.count)
    }
}

func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

/// Runs evaluations in order, inline or on a serial background queue, and
/// collects their results.
private final class Evaluator: @unchecked Sendable {
    private let train: SparseImages
    private let test: SparseImages
    private let queue: DispatchQueue?
    private let progress: @Sendable (TrainingProgress) -> Void
    private let lock = NSLock()
    private var points: [EpochMetrics] = []
    private var busySeconds = 0.0

    init(train: SparseImages, test: SparseImages, background: Bool, progress: @escaping @Sendable (TrainingProgress) -> Void) {
        self.train = train
        self.test = test
        self.queue = background ? DispatchQueue(label: "trainer.evaluation", qos: .userInitiated) : nil
        self.progress = progress
    }

    func evaluate(_ network: TwoLayerNetwork<Float>, epoch: Int, iteration: Int, loss: Double, elapsed: Double) {
        let work: @Sendable () -> Void = { [self] in
            let start = DispatchTime.now()
            let point = EpochMetrics(
                epoch: epoch, iteration: iteration,
                trainAccuracy: network.accuracy(on: train), testAccuracy: network.accuracy(on: test),
                loss: loss, elapsed: elapsed)
            lock.withLock {
                points.append(point)
                busySeconds += seconds(since: start)
            }
            progress(.evaluated(point))
        }
        if let queue { queue.async(execute: work) } else { work() }
    }

    /// Waits for pending evaluations; returns the points and their total time.
    @discardableResult
    func finish() -> ([EpochMetrics], Double) {
        queue?.sync {}
        return lock.withLock { (points, busySeconds) }
    }
}
