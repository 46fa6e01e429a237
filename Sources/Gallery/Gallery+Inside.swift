import Charts
import Foundation
import Inspection
import Trainer

// MARK: - Inside the network over time

extension Gallery {
    /// What the run kept, for subtitles: "all 17 evaluation points" or "52 of 300 evaluation points".
    static func keptPoints(_ run: TrainingRun, _ count: Int) -> String {
        guard count == run.snapshotPlan.points else { return "\(count) of \(run.snapshotPlan.points) evaluation points" }
        return switch count {
        case 1: "its one evaluation point"
        case 2: "both evaluation points"
        default: "all \(count) evaluation points"
        }
    }

    public static func weightDistributions(
        _ run: TrainingRun, _ inspection: RunInspection, theme: Theme, measurer: some TextMeasuring
    ) -> GalleryImage? {
        let points = inspection.points
        guard let first = points.first, let last = points.last else { return nil }
        let net = run.network
        let tensors: [(String, KeyPath<RunInspection.Point, TensorDistribution>)] = [
            ("W1 (\(net.inputSize) × \(net.hiddenSize))", \.w1), ("b1 (\(net.hiddenSize))", \.b1),
            ("W2 (\(net.hiddenSize) × \(net.outputSize))", \.w2), ("b2 (\(net.outputSize))", \.b2),
        ]
        let chart = DistributionChart(
            iterations: points.map(\.iteration),
            tensors: tensors.map { name, path in .init(name: name, percentiles: points.map { $0[keyPath: path].values }) },
            subtitle: "The values of each parameter tensor at \(keptPoints(run, points.count)): percentile bands and the median")
        func growth(_ path: KeyPath<RunInspection.Point, TensorDistribution>) -> String {
            let (a, b) = (first[keyPath: path].standardDeviation, last[keyPath: path].standardDeviation)
            return String(format: "%.3g to %.3g", a, b) + (a > 0 ? String(format: " (%.1f×)", b / a) : "")
        }
        let lookFor = "From iteration \(grouped(first.iteration)) to \(grouped(last.iteration)) the spread (standard deviation) of W1 "
            + "grows from \(growth(\.w1)) and that of W2 from \(growth(\.w2)); the biases, which start at 0, end with b1 between "
            + String(format: "%.2f and %.2f", last.b1.minimum, last.b1.maximum) + "."
        return GalleryImage(
            name: "weight_distributions", title: "Weight distributions", lookFor: lookFor,
            scene: chart.scene(size: Size(900, 620), theme: theme, measurer: measurer))
    }

    public static func hiddenActivations(
        _ run: TrainingRun, _ inspection: RunInspection, theme: Theme, measurer: some TextMeasuring
    ) -> GalleryImage? {
        let featured = inspection.featured.map { inspection.points[$0] }.filter { $0.activations != nil }
        guard let first = featured.first, let last = featured.last else { return nil }
        let chart = ActivationHistogramChart(
            histograms: featured.map { point in
                let h = point.activations!
                return .init(title: run.caption(epoch: point.epoch, iteration: point.iteration), fractions: h.fractions,
                             lowFraction: h.lowFraction, highFraction: h.highFraction)
            },
            subtitle: "The \(run.network.hiddenSize) hidden units' sigmoid outputs on the "
                + "\(grouped(first.activations!.total / max(run.network.hiddenSize, 1))) test images · "
                + "shaded: saturated, below 0.05 or above 0.95")
        let saturated = { (p: RunInspection.Point) in String(format: "%.1f %%", p.activations!.saturatedFraction * 100) }
        let lookFor = "By \(run.caption(epoch: last.epoch, iteration: last.iteration)), \(saturated(last)) of the hidden "
            + "activations on the test set are saturated, against \(saturated(first)) at iteration \(grouped(first.iteration)): "
            + "a saturated unit passes almost no gradient back to its weights."
        return GalleryImage(
            name: "hidden_activations", title: "Hidden activations", lookFor: lookFor,
            scene: chart.scene(size: Size(960, 380), theme: theme, measurer: measurer))
    }

    public static func hiddenProjection(
        _ run: TrainingRun, _ inspection: RunInspection, theme: Theme, measurer: some TextMeasuring
    ) -> GalleryImage? {
        let projections = inspection.projections.filter { $0.dimensions == 2 }
        guard let first = projections.first, let last = projections.last else { return nil }
        let chart = ProjectionChart(
            projections: projections.map {
                .init(title: run.caption(epoch: $0.epoch, iteration: $0.iteration), coordinates: $0.coordinates,
                      labels: $0.labels, explainedVariance: $0.explainedVariance)
            },
            classCount: run.network.outputSize,
            subtitle: "Each test image's \(run.network.hiddenSize) hidden activations on their first two principal components, coloured by digit")
        func shares(_ p: RunInspection.Projection) -> String {
            String(format: "%.1f %% and %.1f %%", p.explainedVariance[0] * 100, p.explainedVariance[1] * 100)
        }
        let lookFor = "The first two principal components explain \(shares(first)) of the hidden activations' variance at "
            + "iteration \(grouped(first.iteration)), and \(shares(last)) at \(run.caption(epoch: last.epoch, iteration: last.iteration)); "
            + "digits whose colours separate here are ones the output layer can tell apart."
        return GalleryImage(
            name: "hidden_projection", title: "Hidden-layer projection", lookFor: lookFor,
            scene: chart.scene(size: Size(1020, 420), theme: theme, measurer: measurer))
    }

    // MARK: The animation

    /// The training animation's frames: at most this many, spread evenly over the kept points.
    public static let maximumFrames = 60
    /// Each frame shows for 0.25 s; the last holds for 2.5 s before the loop starts again.
    public static let frameDelay = 25, lastFrameDelay = 250

    /// One frame per kept evaluation point (at most `maximumFrames`, spread
    /// evenly, the first and the last included): the hidden-unit tiles then,
    /// beside the accuracy up to that point. Nil without snapshots.
    public static func trainingFrames(_ run: TrainingRun, theme: Theme = .dark, measurer: some TextMeasuring) -> [Scene]? {
        let snapshots = run.snapshots
        guard !snapshots.isEmpty else { return nil }
        let net = run.network
        let side = Int(Double(net.inputSize).squareRoot())
        let shape = side * side == net.inputSize ? (side, side) : (1, net.inputSize)
        func tiles(_ w1: [Float]) -> WeightTilesChart {
            WeightTilesChart(tiles: (0 ..< net.hiddenSize).map { j in (0 ..< net.inputSize).map { Double(w1[$0 * net.hiddenSize + j]) } },
                             tileShape: shape)
        }
        // One colour scale for all frames: the last frame's, which has the widest weights.
        let limit = tiles(snapshots.last!.network.w1).limit
        let epochs = run.epochs.map(\.epoch), train = run.epochs.map(\.trainAccuracy), test = run.epochs.map(\.testAccuracy)
        return SnapshotPlan.spread(count: snapshots.count, limit: maximumFrames).map { k in
            let snapshot = snapshots[k]
            let shown = (run.epochs.firstIndex { $0.epoch == snapshot.epoch } ?? 0) + 1
            let chart = TrainingFrameChart(
                tiles: tiles(snapshot.network.w1), limit: limit, epochs: epochs, train: train, test: test, shown: shown,
                caption: run.caption(epoch: snapshot.epoch, iteration: snapshot.iteration),
                pointName: run.pointName)
            return chart.scene(size: Size(800, 400), theme: theme, measurer: measurer)
        }
    }

    /// The sentence under the animation.
    public static func animationLookFor(_ run: TrainingRun, frames: Int) -> String {
        let kept = run.snapshots.count
        let sampled = frames < kept ? " (\(frames) of the \(kept) kept points, spread evenly)" : ""
        return "\(frames) frames, one per evaluation point\(sampled), \(Double(frameDelay) / 100) s each and the last held "
            + "\(Double(lastFrameDelay) / 100) s: the hidden units' weights take shape while the accuracy climbs to "
            + String(format: "%.2f %%", (run.final?.testAccuracy ?? 0) * 100) + " on the test set."
    }
}
