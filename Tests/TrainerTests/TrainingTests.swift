import Foundation
import MNIST
import Fixtures
import Testing

@testable import Trainer

@Suite("Trainer")
struct TrainingTests {
    static func tinyConfiguration(iterations: Int = 300) -> TrainingConfiguration {
        TrainingConfiguration(hiddenSize: 8, iterations: iterations, batchSize: 16, learningRate: 0.5, evaluateEvery: 50, weightScale: 0.1, seed: 5)
    }

    @Test("the same seed and configuration give a bit-identical run")
    func determinism() throws {
        let train = separableImages(count: 200, seed: 1), test = separableImages(count: 50, seed: 2)
        let trainer = Trainer(configuration: Self.tinyConfiguration())
        let a = try trainer.train(train: train, test: test, classCount: 4)
        let b = try trainer.train(train: train, test: test, classCount: 4)
        #expect(a.losses.map(\.bitPattern) == b.losses.map(\.bitPattern))
        #expect(a.network == b.network)
        #expect(a.epochs.map(\.trainAccuracy) == b.epochs.map(\.trainAccuracy))
        #expect(a.predictions == b.predictions)
        var other = Self.tinyConfiguration()
        other.seed = 6
        let c = try Trainer(configuration: other).train(train: train, test: test, classCount: 4)
        #expect(c.losses != a.losses)
    }

    @Test("the helper thread changes no result: the run is bit-identical without it")
    func helperThread() throws {
        // More than one evaluation chunk (1,000 images) per set, so chunks from both threads add up.
        let train = separableImages(count: 2500, seed: 1), test = separableImages(count: 1200, seed: 2)
        var inline = Self.tinyConfiguration()
        inline.usesHelperThread = false
        let a = try Trainer(configuration: Self.tinyConfiguration()).train(train: train, test: test, classCount: 4)
        let b = try Trainer(configuration: inline).train(train: train, test: test, classCount: 4)
        #expect(a.losses.map(\.bitPattern) == b.losses.map(\.bitPattern))
        #expect(a.network == b.network)
        #expect(a.epochs.map { [$0.trainAccuracy, $0.testAccuracy, $0.loss] } == b.epochs.map { [$0.trainAccuracy, $0.testAccuracy, $0.loss] })
        #expect(a.predictions == b.predictions)
    }

    @Test("the ring of prepared batches shrinks for big batches")
    func ringSize() {
        #expect(TrainingPipeline.slots(batchSize: 100) == 16)
        #expect(TrainingPipeline.slots(batchSize: 1000) == 4)
        #expect(TrainingPipeline.slots(batchSize: 60000) == 2)
    }

    @Test("the pipeline hands out the drawn batches in order and every evaluation point, whatever its ring size", arguments: [2, 3, 16])
    func pipeline(slots: Int) {
        let train = separableImages(count: 3000, seed: 4), test = separableImages(count: 500, seed: 5)
        var random = RandomSource(seed: 9)
        let network = TwoLayerNetwork<Float>(inputSize: train.pixelCount, hiddenSize: 6, outputSize: 4, weightScale: 0.3, random: &random)
        func batches(helper: Bool) -> ([[Int]], [[UInt32]], [EpochMetrics]) {
            let pipeline = TrainingPipeline(
                batches: BatchSource(random: random, data: train, batchSize: 7, count: 60), train: train, test: test,
                helperThread: helper, slots: slots, progress: { _ in })
            var images: [[Int]] = [], entries: [[UInt32]] = []
            for i in 0 ..< 60 {
                let batch = pipeline.nextBatch()
                images.append(batch.images)
                #expect(batch.rows?.storage == train.copying(batch.images).storage)  // the copy the training step reads
                entries.append(batch.groups.entries.prefix(batch.groups.count).map(\.bits))
                pipeline.recycle(batch)
                if i % 25 == 0 { pipeline.evaluate(network, epoch: i / 25, iteration: i, loss: 0, elapsed: 0) }
            }
            return (images, entries, pipeline.finish().epochs)
        }
        let (images, entries, points) = batches(helper: true)
        let (expectedImages, expectedEntries, expectedPoints) = batches(helper: false)
        #expect(images == expectedImages)
        #expect(entries == expectedEntries)
        #expect(points == expectedPoints)
        #expect(points.map(\.epoch) == [0, 1, 2])
        #expect(points[0].testAccuracy == network.accuracy(on: test))
    }

    @Test("the loss falls on a small subset and the points follow the schedule")
    func lossFalls() throws {
        let run = try Trainer(configuration: Self.tinyConfiguration()).train(
            train: separableImages(count: 200, seed: 1), test: separableImages(count: 100, seed: 3), classCount: 4)
        let first = run.losses.prefix(20).reduce(0, +) / 20
        let last = run.losses.suffix(20).reduce(0, +) / 20
        #expect(last < first / 4, "loss \(first) → \(last)")
        #expect(run.losses.count == 300)
        #expect(run.epochs.map(\.iteration) == [0, 50, 100, 150, 200, 250])
        #expect(run.epochs.map(\.epoch) == [0, 1, 2, 3, 4, 5])
        #expect(run.epochs.last!.testAccuracy > 0.95)
        #expect(run.predictions.count == 100)
        #expect(run.predictions.probabilities.count == 400)
        #expect(zip(run.epochs.map(\.loss), run.epochs.map { run.losses[$0.iteration] }).allSatisfy { $0 == Double($1) })
    }

    @Test("progress reports every iteration and every evaluation")
    func progress() throws {
        final class Log: @unchecked Sendable {
            let lock = NSLock()
            var iterations = 0
            var evaluations: [Int] = []
        }
        let log = Log()
        _ = try Trainer(configuration: Self.tinyConfiguration(iterations: 120)).train(
            train: separableImages(count: 50, seed: 1), test: separableImages(count: 20, seed: 2), classCount: 4
        ) { event in
            log.lock.withLock {
                switch event {
                case .iteration: log.iterations += 1
                case let .evaluated(point): log.evaluations.append(point.epoch)
                }
            }
        }
        #expect(log.iterations == 120)
        #expect(log.evaluations == [0, 1, 2])
    }

    @Test("bad settings are refused with a clear message", arguments: [
        ("hidden size", 0), ("iterations", -3), ("batch size", 0), ("evaluation interval", 0),
    ])
    func validation(setting: String, value: Int) {
        var config = TrainingConfiguration()
        switch setting {
        case "hidden size": config.hiddenSize = value
        case "iterations": config.iterations = value
        case "batch size": config.batchSize = value
        default: config.evaluateEvery = value
        }
        #expect(throws: TrainerError.invalidConfiguration("\(setting) must be at least 1, got \(value)")) { try config.validate() }
        #expect(TrainerError.invalidConfiguration("x").description == "invalid configuration: x")
    }

    @Test("the learning rate must be finite and positive", arguments: [0, -0.1, .nan, .infinity])
    func learningRate(rate: Double) {
        var config = TrainingConfiguration()
        config.learningRate = rate
        let error = #expect(throws: TrainerError.self) { try config.validate() }
        #expect(error?.description.hasPrefix("invalid configuration: learning rate must be finite and positive") == true)
    }

    @Test("an empty training or test set is an error, not a crash")
    func emptySets() {
        let empty = SparseImages(pixels: [], labels: [], pixelCount: 16)
        let some = separableImages(count: 10, seed: 1)
        #expect(throws: TrainerError.emptyDataset("the training set has no images")) {
            try Trainer(configuration: Self.tinyConfiguration()).train(train: empty, test: some, classCount: 4)
        }
        #expect(throws: TrainerError.emptyDataset("the test set has no images")) {
            try Trainer(configuration: Self.tinyConfiguration()).train(train: some, test: empty, classCount: 4)
        }
    }

    @Test("a diverging run stops with the iteration and a hint")
    func divergence() {
        var config = Self.tinyConfiguration()
        config.learningRate = 3e38
        let error = #expect(throws: TrainerError.self) {
            try Trainer(configuration: config).train(
                train: randomImages(count: 50, pixels: 16, classes: 4, seed: 1), test: separableImages(count: 10, seed: 2), classCount: 4)
        }
        guard case let .diverged(iteration, loss, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(!loss.isFinite)
        #expect(iteration < 50)
        #expect(error!.description.contains("at iteration \(iteration); try a smaller learning rate than 3e+38"))
    }
}

/// The bundled MNIST and the recipe's run on it, trained once for the suites below.
enum BundledMNIST {
    static let dataset = Result {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try Dataset.load(from: root.appendingPathComponent(Dataset.bundledDirectory).path)
    }
    static let recipeRun = Result { try Trainer().train(on: dataset.get()) }
}

@Suite("The full recipe on MNIST")
struct FullRecipeTests {
    @Test("the seed's recipe reaches at least 94 % test accuracy in 17 evaluations")
    func fullRecipe() throws {
        let run = try BundledMNIST.recipeRun.get()
        #expect(run.epochs.count == 17)
        #expect(run.epochs.map(\.iteration) == Array(stride(from: 0, to: 10_000, by: 600)))
        #expect(run.losses.count == 10_000)
        #expect(run.epochs.first!.testAccuracy < 0.2)
        #expect(run.final!.testAccuracy >= 0.94, "final test accuracy \(run.final!.testAccuracy)")
        #expect(run.final!.trainAccuracy >= 0.94)
        #expect(run.predictions.accuracy >= 0.94)
        #expect(run.network.parameterCount == 39_760)
    }
}
