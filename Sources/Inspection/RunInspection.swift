import Dispatch
import Trainer

/// What the network looked like inside at its evaluation points, computed
/// from the run's parameter snapshots and the test set: the spread of every
/// parameter tensor, the hidden layer's activations (how many saturate) and
/// their principal components. Plain values; the pictures and the report
/// read them.
public struct RunInspection: Sendable {
    /// One evaluation point whose parameters the run kept.
    public struct Point: Sendable, Equatable, Codable {
        public var epoch: Int
        public var iteration: Int
        public var w1: TensorDistribution
        public var b1: TensorDistribution
        public var w2: TensorDistribution
        public var b2: TensorDistribution
        /// The hidden activations on the test set; nil at points not inspected (see `statisticsLimit`).
        public var activations: ActivationHistogram?
        /// The share of the activations' variance along the first two principal components.
        public var explainedVariance: [Double]?

        public init(
            epoch: Int, iteration: Int, w1: TensorDistribution, b1: TensorDistribution, w2: TensorDistribution,
            b2: TensorDistribution, activations: ActivationHistogram? = nil, explainedVariance: [Double]? = nil
        ) {
            (self.epoch, self.iteration, self.w1, self.b1, self.w2, self.b2) = (epoch, iteration, w1, b1, w2, b2)
            (self.activations, self.explainedVariance) = (activations, explainedVariance)
        }
    }

    /// The test set's hidden activations projected onto their first two principal components at one point.
    public struct Projection: Sendable, Equatable {
        public var epoch: Int
        public var iteration: Int
        /// n × 2 coordinates, row-major (n × 1 for a single hidden unit).
        public var coordinates: [Double]
        public var dimensions: Int
        public var explainedVariance: [Double]
        /// The true digit of each point.
        public var labels: [UInt8]
    }

    /// Every kept point, in order.
    public var points: [Point]
    /// The histograms and projections drawn: the first point, an early one and the last.
    public var featured: [Int]
    /// The projections at the featured points (same order).
    public var projections: [Projection]
    /// How many points, at most, get the activation statistics (spread evenly, featured ones included).
    public static let statisticsLimit = 24

    public init(points: [Point], featured: [Int], projections: [Projection]) {
        (self.points, self.featured, self.projections) = (points, featured, projections)
    }

    /// Inspects every snapshot of `run` on `test`, the points in parallel.
    public init(run: TrainingRun, test: SparseImages) throws {
        let snapshots = run.snapshots
        let featured = Self.featured(count: snapshots.count)
        let inspected = Set(SnapshotPlan.spread(count: snapshots.count, limit: Self.statisticsLimit) + featured)
        let slots = ResultSlots<(Point, Projection?)>(count: snapshots.count)
        DispatchQueue.concurrentPerform(iterations: snapshots.count) { index in
            slots[index] = Result {
                let snapshot = snapshots[index], net = snapshot.network
                var point = Point(
                    epoch: snapshot.epoch, iteration: snapshot.iteration, w1: TensorDistribution(of: net.w1),
                    b1: TensorDistribution(of: net.b1), w2: TensorDistribution(of: net.w2), b2: TensorDistribution(of: net.b2))
                guard inspected.contains(index) else { return (point, nil) }
                let activations = net.hiddenActivations(on: test)
                point.activations = ActivationHistogram(of: activations)
                guard test.count >= 2 else { return (point, nil) }
                let components = try PrincipalComponents(points: activations, dimensions: net.hiddenSize, count: min(2, net.hiddenSize))
                let explained = components.components.indices.map(components.explainedVariance)
                point.explainedVariance = explained
                let projection = featured.contains(index)
                    ? Projection(
                        epoch: snapshot.epoch, iteration: snapshot.iteration, coordinates: components.projections,
                        dimensions: components.components.count, explainedVariance: explained, labels: test.labels)
                    : nil
                return (point, projection)
            }
        }
        let results = try (0 ..< snapshots.count).map { try slots[$0]!.get() }
        self.init(points: results.map(\.0), featured: featured, projections: featured.compactMap { results[$0].1 })
    }

    /// The first point, an early one (1/16 of the way, at least the second) and the last, without repeats.
    public static func featured(count: Int) -> [Int] {
        guard count > 0 else { return [] }
        let early = min(max(1, Int((Double(count - 1) / 16).rounded())), count - 1)
        return [0, early, count - 1].reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
    }

}
