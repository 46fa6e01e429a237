import Foundation

/// The training loss of every iteration: a thin translucent line, a moving
/// average on top, and faint lines at the epoch boundaries.
public enum LossChart {
    /// `window`-point trailing moving average: mᵢ = mean(x[max(0, i−window+1)…i]).
    public static func movingAverage(_ values: [Double], window: Int) -> [Double] {
        precondition(window >= 1)
        var result: [Double] = []
        result.reserveCapacity(values.count)
        var sum = 0.0
        for (i, v) in values.enumerated() {
            sum += v
            if i >= window { sum -= values[i - window] }
            result.append(sum / Double(min(i + 1, window)))
        }
        return result
    }

    public static func make(losses: [Double], epochLength: Int, logarithmic: Bool, theme: Theme) -> LineChart {
        let window = max(1, min(epochLength, losses.count))
        let raw = losses.enumerated().map { Point(Double($0.offset), $0.element) }
        let smooth = movingAverage(losses, window: window).enumerated().map { Point(Double($0.offset), $0.element) }
        let guides = stride(from: epochLength, to: losses.count, by: max(epochLength, 1)).map(Double.init)
        let last = smooth.last?.y ?? .nan
        let highest = losses.filter(\.isFinite).max() ?? 1
        return LineChart(
            title: "Training Loss",
            subtitle: "Cross-entropy of each mini-batch, with its moving average over \(window) iterations; dotted lines mark epochs",
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
