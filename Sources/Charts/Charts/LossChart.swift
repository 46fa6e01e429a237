import Foundation

/// The training loss of every iteration: a thin translucent line, a moving
/// average on top, and faint lines at the epoch boundaries.
public enum LossChart {
    /// Centred moving average over `window` points: mᵢ is the mean of
    /// x[i − ⌊window/2⌋ … i + ⌊(window−1)/2⌋], clipped at the ends, so the
    /// smoothed line does not lag behind the data.
    public static func movingAverage(_ values: [Double], window: Int) -> [Double] {
        precondition(window >= 1)
        var prefix = [0.0]
        prefix.reserveCapacity(values.count + 1)
        for v in values { prefix.append(prefix.last! + v) }
        return values.indices.map { i in
            let low = max(0, i - window / 2), high = min(values.count - 1, i + (window - 1) / 2)
            return (prefix[high + 1] - prefix[low]) / Double(high - low + 1)
        }
    }

    /// `epochLength` is the number of iterations between evaluations; `isEpoch`
    /// says whether that is one pass over the training set.
    public static func make(losses: [Double], epochLength: Int, logarithmic: Bool, theme: Theme, isEpoch: Bool = true) -> LineChart {
        let window = max(1, min(epochLength, losses.count))
        let raw = losses.enumerated().map { Point(Double($0.offset), $0.element) }
        let smooth = movingAverage(losses, window: window).enumerated().map { Point(Double($0.offset), $0.element) }
        let guides = stride(from: epochLength, to: losses.count, by: max(epochLength, 1)).map(Double.init)
        let last = smooth.last?.y ?? .nan
        let highest = losses.filter(\.isFinite).max() ?? 1
        return LineChart(
            title: "Training Loss",
            subtitle: "Mini-batch cross-entropy and its centred average over \(window) iterations · dotted lines mark "
                + (isEpoch ? "epochs" : "evaluations"),
            xAxis: .init(label: "iteration", range: 0 ... Double(max(losses.count, 1)), integerTicks: true),
            yAxis: logarithmic ? .init(label: "loss (log scale)", kind: .logarithmic) : .init(label: "loss", range: 0 ... max(highest * 1.05, 1e-9)),
            series: [
                .init(name: "mini-batch loss", points: raw, color: theme.primary, width: 0.7, opacity: 0.35),
                .init(name: "moving average", points: smooth, color: theme.secondary, width: 2.2, labelsEnd: true, valueDecimals: 3),
            ],
            legend: .upperRight, guides: guides,
            description: "Final moving-average loss \(last) over \(losses.count) iterations")
    }
}
