/// The parameters as they were at one evaluation point, after that
/// iteration's update: what the pictures of the network over time are drawn from.
public struct ParameterSnapshot: Sendable, Codable, Equatable {
    /// The evaluation point's index and iteration (as in `EpochMetrics`).
    public var epoch: Int
    public var iteration: Int
    public var network: TwoLayerNetwork<Float>

    public init(epoch: Int, iteration: Int, network: TwoLayerNetwork<Float>) {
        (self.epoch, self.iteration, self.network) = (epoch, iteration, network)
    }
}

/// Which evaluation points keep a copy of the parameters. All of them when
/// their copies fit the budget (the recipe's 17 take 2.7 MB); otherwise as
/// many as fit, spread evenly from the first point to the last, both always
/// kept. So `--hidden 200` with 300 points keeps 52 of them in 32 MiB.
public struct SnapshotPlan: Sendable, Codable, Equatable {
    /// 32 MiB.
    public static let defaultBudget = 32 << 20

    /// How many evaluation points the run has.
    public let points: Int
    /// The indices of the points kept, ascending.
    public let kept: [Int]

    public init(points: Int, parameterCount: Int, budget: Int) {
        self.points = points
        let bytes = max(parameterCount * MemoryLayout<Float>.stride, 1)
        let fitting = budget / bytes
        if points == 0 || fitting == 0 {
            kept = []
        } else {
            kept = Self.spread(count: points, limit: fitting)
        }
    }

    /// At most `limit` of 0 ..< count, spread evenly, the last always included and the
    /// first too when limit > 1: k·(count − 1)/(limit − 1), rounded (distinct when count > limit).
    public static func spread(count: Int, limit: Int) -> [Int] {
        guard count > limit else { return Array(0 ..< count) }
        guard limit > 1 else { return [count - 1] }
        return (0 ..< limit).map { k in (k * (count - 1) + (limit - 1) / 2) / (limit - 1) }
    }

    public init(_ configuration: TrainingConfiguration, parameterCount: Int) {
        let points = (configuration.iterations + configuration.evaluateEvery - 1) / configuration.evaluateEvery
        self.init(points: max(points, 0), parameterCount: parameterCount, budget: configuration.snapshotBudget)
    }

    /// Whether all points are kept.
    public var keepsAll: Bool { kept.count == points }
}
