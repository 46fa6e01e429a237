import Foundation

/// One evaluation point: accuracy on the full training and test sets.
public struct EpochMetrics: Sendable, Codable, Equatable {
    /// 0, 1, 2, … (the evaluation's index).
    public var epoch: Int
    /// The iteration whose update preceded this evaluation (0, 600, …).
    public var iteration: Int
    public var trainAccuracy: Double
    public var testAccuracy: Double
    /// The mini-batch loss of that iteration.
    public var loss: Double
    /// Seconds of training before this point was reached.
    public var elapsed: Double

    public init(epoch: Int, iteration: Int, trainAccuracy: Double, testAccuracy: Double, loss: Double, elapsed: Double) {
        self.epoch = epoch
        self.iteration = iteration
        self.trainAccuracy = trainAccuracy
        self.testAccuracy = testAccuracy
        self.loss = loss
        self.elapsed = elapsed
    }
}

/// The final network's answers on the test set.
public struct TestPredictions: Sendable, Codable, Equatable {
    /// The true class of each test image.
    public var labels: [UInt8]
    /// The most probable class of each test image.
    public var predicted: [UInt8]
    /// Softmax probabilities, `classCount` per image.
    public var probabilities: [Float]
    public var classCount: Int

    public init(labels: [UInt8], predicted: [UInt8], probabilities: [Float], classCount: Int) {
        self.labels = labels
        self.predicted = predicted
        self.probabilities = probabilities
        self.classCount = classCount
    }

    public var count: Int { labels.count }

    /// Probability of the predicted class of image `index`.
    public func confidence(_ index: Int) -> Float {
        probabilities[index * classCount + Int(predicted[index])]
    }

    /// Fraction of images whose predicted class is the true one.
    public var accuracy: Double {
        Double(zip(labels, predicted).count { $0 == $1 }) / Double(max(count, 1))
    }

    /// `matrix[true][predicted]` counts.
    public var confusionMatrix: [[Int]] {
        var matrix = Array(repeating: Array(repeating: 0, count: classCount), count: classCount)
        for (t, p) in zip(labels, predicted) { matrix[Int(t)][Int(p)] += 1 }
        return matrix
    }

    /// Indices of the misclassified images, the most confident mistakes first.
    public var misclassified: [Int] {
        labels.indices.filter { labels[$0] != predicted[$0] }.sorted { confidence($0) > confidence($1) }
    }
}

/// The iteration whose mini-batch loss stopped being a finite number.
public struct Divergence: Sendable, Codable, Equatable {
    public var iteration: Int
    /// NaN or ±infinity.
    public var loss: Double

    public init(iteration: Int, loss: Double) { (self.iteration, self.loss) = (iteration, loss) }

    // JSON has no NaN or infinity: the loss is written as a string ("nan" whatever its sign bit, "inf", "-inf").
    enum CodingKeys: String, CodingKey { case iteration, loss }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iteration = try container.decode(Int.self, forKey: .iteration)
        let text = try container.decode(String.self, forKey: .loss)
        guard let loss = Double(text) else {
            throw DecodingError.dataCorruptedError(forKey: .loss, in: container, debugDescription: "not a number: \(text)")
        }
        self.loss = loss
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(iteration, forKey: .iteration)
        try container.encode(loss.isNaN ? "nan" : "\(loss)", forKey: .loss)
    }
}

/// Wall-clock seconds spent in each stage of a run.
public struct TrainingTimings: Sendable, Codable, Equatable {
    /// Preparing the sparse copies of the images.
    public var preparation: Double = 0
    /// The SGD loop (forward, backward, update), wall time.
    public var training: Double = 0
    /// CPU time of all evaluations together (they overlap training when run in the background).
    public var evaluation: Double = 0
    /// From start to the final predictions, wall time.
    public var total: Double = 0

    public init(preparation: Double = 0, training: Double = 0, evaluation: Double = 0, total: Double = 0) {
        self.preparation = preparation
        self.training = training
        self.evaluation = evaluation
        self.total = total
    }
}

/// Everything a training run produced, as a plain value. Rendering and the
/// report read it directly.
public struct TrainingRun: Sendable, Codable, Equatable {
    public var configuration: TrainingConfiguration
    /// The mini-batch loss of every iteration, from the forward pass that
    /// produced its gradient (the book recomputes it after the update, which
    /// costs a second forward pass and differs by one SGD step).
    public var losses: [Float]
    /// One point per evaluation (17 for the default recipe).
    public var epochs: [EpochMetrics]
    public var network: TwoLayerNetwork<Float>
    public var predictions: TestPredictions
    public var timings: TrainingTimings
    public var trainingSetSize: Int
    public var testSetSize: Int
    /// The parameters at the evaluation points `snapshotPlan` keeps, in order.
    public var snapshots: [ParameterSnapshot]
    public var snapshotPlan: SnapshotPlan
    /// Where the loss stopped being finite, for a run trained with
    /// `Trainer.DivergencePolicy.stop`; `losses` and `epochs` then end before it.
    public var divergence: Divergence?

    public init(
        configuration: TrainingConfiguration, losses: [Float], epochs: [EpochMetrics],
        network: TwoLayerNetwork<Float>, predictions: TestPredictions, timings: TrainingTimings,
        trainingSetSize: Int, testSetSize: Int, snapshots: [ParameterSnapshot] = [], snapshotPlan: SnapshotPlan? = nil,
        divergence: Divergence? = nil
    ) {
        self.divergence = divergence
        self.snapshots = snapshots
        self.snapshotPlan = snapshotPlan
            ?? SnapshotPlan(points: epochs.count, parameterCount: network.parameterCount, budget: snapshots.isEmpty ? 0 : .max)
        self.configuration = configuration
        self.losses = losses
        self.epochs = epochs
        self.network = network
        self.predictions = predictions
        self.timings = timings
        self.trainingSetSize = trainingSetSize
        self.testSetSize = testSetSize
    }

    /// The last evaluation point.
    public var final: EpochMetrics? { epochs.last }

    /// How many passes over the training set the images between two evaluation
    /// points make: evaluateEvery × batchSize / training images (1 for the recipe).
    public var epochsBetweenEvaluations: Double {
        Double(configuration.evaluateEvery) * Double(configuration.batchSize) / Double(max(trainingSetSize, 1))
    }

    /// True when the evaluation points are exactly one epoch apart, so that
    /// their index counts epochs; otherwise it only counts evaluations.
    public var evaluatesEachEpoch: Bool {
        configuration.evaluateEvery * configuration.batchSize == trainingSetSize
    }

    /// What an evaluation point is called: "epoch" when the points are one epoch apart, else "evaluation".
    public var pointName: String { evaluatesEachEpoch ? "epoch" : "evaluation" }

    /// "epoch 16 (iteration 9,600)", or "evaluation 16 (…)".
    public func caption(epoch: Int, iteration: Int) -> String {
        "\(pointName) \(epoch) (iteration \(iteration.formatted(.number.locale(Locale(identifier: "en_US")))))"
    }

    /// The evaluation point with the highest test accuracy (the first on ties).
    public var bestTest: EpochMetrics? {
        epochs.max { $0.testAccuracy < $1.testAccuracy || ($0.testAccuracy == $1.testAccuracy && $0.epoch > $1.epoch) }
    }
}
