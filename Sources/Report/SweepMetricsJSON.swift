import Foundation
import Sweep
import Trainer

/// A sweep as JSON: `{"runs": [...]}`, one element per run in plan order,
/// each in the single run's format (`configuration`, `epochs`, `losses`,
/// `timings`, `trainingSetSize`, `testSetSize`, `confusionMatrix`,
/// `fingerprint`) plus `divergence` (`{"iteration", "loss"}`) for a run that
/// diverged. Left out, so that 256 runs stay a few megabytes: each run's final
/// weights, test predictions and `inside` summaries; train that configuration
/// alone with `--metrics-json` for them. Also `sweep`: the summary line, the
/// swept settings and the trials of a random search.
public struct SweepMetricsJSON: Encodable {
    public struct Run: Encodable {
        public var configuration: TrainingConfiguration
        public var epochs: [EpochMetrics]
        public var losses: [Float]
        public var timings: [String: Double]
        public var finalTestAccuracy: Double?
        public var confusionMatrix: [[Int]]?
        public var trainingSetSize: Int
        public var testSetSize: Int
        public var fingerprint: String
        public var divergence: Divergence?
    }

    public struct Sweep: Encodable {
        public var summary: String
        public var swept: [String]
        public var trials: Int?
    }

    public var sweep: Sweep
    public var runs: [Run]
    public var timings: [String: Double]

    public init(results: SweepResults, stageTimings: StageTimings) {
        sweep = Sweep(summary: results.plan.summary, swept: results.plan.swept.map(\.flag), trials: results.plan.trials)
        runs = results.runs.map { r in
            Run(configuration: r.configuration, epochs: r.run.epochs, losses: r.run.losses,
                timings: ["train": r.run.timings.training, "evaluate": r.run.timings.evaluation, "wall": r.seconds],
                finalTestAccuracy: r.divergence == nil ? r.run.predictions.accuracy : nil,
                confusionMatrix: r.divergence == nil ? r.run.predictions.confusionMatrix : nil,
                trainingSetSize: r.run.trainingSetSize, testSetSize: r.run.testSetSize, fingerprint: r.fingerprint,
                divergence: r.divergence)
        }
        timings = stageTimings.dictionary
    }

    public func encoded() throws -> [UInt8] { try prettyJSON(self) }
}
