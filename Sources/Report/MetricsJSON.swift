import Foundation
import Inspection
import Trainer

/// The whole run as JSON for other tools: `epochs` (epoch, iteration,
/// trainAccuracy, testAccuracy, loss, elapsed) with the per-iteration
/// `losses`, the `configuration` and the `timings` beside it, then the
/// final `network` (w1, b1, w2, b2, row-major) and its test `predictions`,
/// the run's `fingerprint` (`TrainingRun.fingerprint`), and `inside`: at each
/// kept evaluation point the percentiles, mean and standard deviation of W1,
/// b1, W2 and b2, and where inspected the hidden activations' histogram
/// (40 bins), saturated fractions and the variance the first two principal
/// components explain. Not written: the snapshots' weights themselves and the
/// projected coordinates.
public struct MetricsJSON: Encodable {
    public var epochs: [EpochMetrics]
    public var losses: [Float]
    public var configuration: TrainingConfiguration
    public var timings: [String: Double]
    public var finalTestAccuracy: Double
    public var confusionMatrix: [[Int]]
    public var trainingSetSize: Int
    public var testSetSize: Int
    public var network: TwoLayerNetwork<Float>
    public var predictions: TestPredictions
    public var fingerprint: String
    public var inside: [RunInspection.Point]

    public init(run: TrainingRun, stageTimings: StageTimings, inspection: RunInspection? = nil) {
        epochs = run.epochs
        losses = run.losses
        configuration = run.configuration
        timings = stageTimings.dictionary
        finalTestAccuracy = run.predictions.accuracy
        confusionMatrix = run.predictions.confusionMatrix
        trainingSetSize = run.trainingSetSize
        testSetSize = run.testSetSize
        network = run.network
        predictions = run.predictions
        fingerprint = run.fingerprint
        inside = inspection?.points ?? []
    }

    public func encoded() throws -> [UInt8] { try prettyJSON(self) }
}

/// Wall-clock seconds of each stage of `make-report`.
public struct StageTimings: Sendable, Equatable {
    public var load: Double
    public var train: Double
    public var evaluate: Double
    public var render: Double

    public init(load: Double, train: Double, evaluate: Double, render: Double) {
        (self.load, self.train, self.evaluate, self.render) = (load, train, evaluate, render)
    }

    var dictionary: [String: Double] { ["load": load, "train": train, "evaluate": evaluate, "render": render] }
}

/// `value` as sorted, indented JSON with a final newline: the same bytes for the same value.
func prettyJSON(_ value: some Encodable) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(value)) + [0x0A]
}
