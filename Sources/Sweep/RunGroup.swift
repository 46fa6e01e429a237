import Trainer

/// Runs whose configurations differ only in the seed: one line in the
/// pictures (the mean, with a min-max band) and one row in the tables
/// (mean ± standard deviation over the seeds). Without a list of seeds, every
/// group is a single run.
public struct RunGroup: Sendable {
    /// Indices into `SweepResults.runs`, in plan order.
    public var members: [Int]
    /// The first member's configuration.
    public var configuration: TrainingConfiguration
    public var seeds: [UInt64]
    /// Members that did not diverge.
    public var finished: [Int]
    /// Members that diverged, with where.
    public var divergences: [(member: Int, divergence: Divergence)]

    /// One evaluation point over the members the curve is drawn from.
    public struct Point: Sendable, Equatable {
        public var epoch: Int
        public var iteration: Int
        public var train: Statistic
        public var test: Statistic
    }

    /// The curve: over the finished members at every evaluation point, or,
    /// when all diverged, over the points every member reached.
    public var points: [Point]
    /// At the last evaluation point, over the finished members (nil when all diverged).
    public var finalTrain: Statistic?
    public var finalTest: Statistic?
    /// The best test (and train) accuracy of each finished member's evaluation points.
    public var bestTest: Statistic?
    public var bestTrain: Statistic?
    public var finalLoss: Statistic?
    public var seconds: Statistic

    /// True when every member diverged.
    public var diverged: Bool { finished.isEmpty }

    init(members: [Int], of runs: [SweepRun]) {
        self.members = members
        configuration = runs[members[0]].configuration
        seeds = members.map { runs[$0].configuration.seed }
        finished = members.filter { runs[$0].divergence == nil }
        divergences = members.compactMap { i in runs[i].divergence.map { (i, $0) } }
        let drawn = (finished.isEmpty ? members : finished).map { runs[$0].run.epochs }
        let count = drawn.map(\.count).min() ?? 0
        points = (0 ..< count).map { k in
            Point(epoch: drawn[0][k].epoch, iteration: drawn[0][k].iteration,
                  train: Statistic(drawn.map { $0[k].trainAccuracy })!, test: Statistic(drawn.map { $0[k].testAccuracy })!)
        }
        let finals = finished.compactMap { runs[$0].final }
        finalTrain = Statistic(finals.map(\.trainAccuracy))
        finalTest = Statistic(finals.map(\.testAccuracy))
        bestTest = Statistic(finished.compactMap { runs[$0].run.bestTest?.testAccuracy })
        bestTrain = Statistic(finished.compactMap { runs[$0].run.epochs.map(\.trainAccuracy).max() })
        finalLoss = Statistic(finished.compactMap { runs[$0].finalLoss })
        seconds = Statistic(members.map { runs[$0].seconds })!
    }

    /// The settings `swept` as "lr 0.1, hidden 50" (seeds left out).
    public func label(_ swept: [Setting]) -> String {
        swept.filter { $0 != .seed }.map { $0.label(in: configuration) }.joined(separator: ", ")
    }

    /// The first iteration at which a member diverged.
    public var firstDivergence: Divergence? { divergences.map(\.divergence).min { $0.iteration < $1.iteration } }
}
