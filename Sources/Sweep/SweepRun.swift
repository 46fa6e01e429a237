import Trainer

/// One run of a sweep: its place in the plan, its configuration and what it produced.
public struct SweepRun: Sendable {
    /// Its index in `SweepPlan.configurations`.
    public var index: Int
    public var run: TrainingRun
    /// Wall seconds from its start to its end.
    public var seconds: Double
    /// `TrainingRun.fingerprint` of the whole run, taken before the sweep let go of its test probabilities.
    public var fingerprint: String

    public init(index: Int, run: TrainingRun, seconds: Double, fingerprint: String? = nil) {
        (self.index, self.run, self.seconds) = (index, run, seconds)
        self.fingerprint = fingerprint ?? run.fingerprint
    }

    public var configuration: TrainingConfiguration { run.configuration }
    public var divergence: Divergence? { run.divergence }

    /// The last evaluation point of a run that finished; nil for one that diverged.
    public var final: EpochMetrics? { run.divergence == nil ? run.final : nil }

    /// The mini-batch loss of its last iteration (of the last finite one, if it diverged).
    public var finalLoss: Double? { run.losses.last.map(Double.init) }
}
