/// The recipe of a run. The defaults are the book's `train_neuralnet.py`:
/// 784-50-10, N(0, 0.01²) weights, 10000 SGD steps of 100 images drawn with
/// replacement, learning rate 0.1, evaluation every 600 iterations.
public struct TrainingConfiguration: Sendable, Codable, Equatable {
    public var hiddenSize: Int = 50
    public var iterations: Int = 10_000
    public var batchSize: Int = 100
    public var learningRate: Double = 0.1
    /// Evaluate on the full training and test sets when `iteration % evaluateEvery == 0`.
    public var evaluateEvery: Int = 600
    /// Standard deviation of the initial weights.
    public var weightScale: Double = 0.01
    public var seed: UInt64 = 42
    /// Prepare the mini-batches and run the per-epoch evaluations (against a
    /// copy of the weights) on a second thread. The results are the same.
    public var usesHelperThread: Bool = true
    /// Bytes the run may spend on copies of the parameters at evaluation points
    /// (`TrainingRun.snapshots`); 0 keeps none. See `SnapshotPlan`.
    public var snapshotBudget: Int = SnapshotPlan.defaultBudget

    public init() {}

    public init(
        hiddenSize: Int = 50, iterations: Int = 10_000, batchSize: Int = 100, learningRate: Double = 0.1,
        evaluateEvery: Int = 600, weightScale: Double = 0.01, seed: UInt64 = 42
    ) {
        self.hiddenSize = hiddenSize
        self.iterations = iterations
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.evaluateEvery = evaluateEvery
        self.weightScale = weightScale
        self.seed = seed
    }

    /// One line for file metadata: "784-50-10, 10000 iterations of batch 100, …".
    public func summary(inputSize: Int, classCount: Int) -> String {
        "\(inputSize)-\(hiddenSize)-\(classCount) sigmoid/softmax network, \(iterations) SGD iterations of batch \(batchSize) "
            + "(with replacement), learning rate \(learningRate), weights N(0, \(weightScale)²), "
            + "evaluation every \(evaluateEvery) iterations, seed \(seed)"
    }

    /// The largest batch the first layer's kernels address (2^24 rows).
    public static let largestBatch = 1 << 24

    /// Throws `TrainerError.invalidConfiguration` naming the first bad setting.
    public func validate() throws(TrainerError) {
        for (name, value) in [("hidden size", hiddenSize), ("iterations", iterations),
                              ("batch size", batchSize), ("evaluation interval", evaluateEvery)] where value < 1 {
            throw .invalidConfiguration("\(name) must be at least 1, got \(value)")
        }
        guard batchSize <= Self.largestBatch else {
            throw .invalidConfiguration("batch size must be at most \(Self.largestBatch), got \(batchSize)")
        }
        guard learningRate.isFinite, learningRate > 0 else {
            throw .invalidConfiguration("learning rate must be finite and positive, got \(learningRate)")
        }
        guard weightScale.isFinite, weightScale >= 0 else {
            throw .invalidConfiguration("weight scale must be finite and not negative, got \(weightScale)")
        }
    }
}
