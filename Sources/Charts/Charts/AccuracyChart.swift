import Foundation

/// The gallery's first picture: train and test accuracy per epoch.
public enum AccuracyChart {
    /// Train solid with circles, test dashed with squares, the final values
    /// at the right edge, and from 4 epochs on a zoomed inset of the last half,
    /// where the two curves would otherwise lie on top of each other.
    /// `epochs[i]` is the x value of `train[i]` and `test[i]`. `iterationsApart`
    /// is nil when the points are one epoch (a pass over the training set)
    /// apart; otherwise the points are named evaluations, so many iterations apart.
    public static func make(epochs: [Int], train: [Double], test: [Double], theme: Theme, iterationsApart: Int? = nil) -> LineChart {
        precondition(epochs.count == train.count && train.count == test.count)
        let x = epochs.map(Double.init)
        let (points, every) = iterationsApart.map { ("Evaluations", "every \($0) iterations") } ?? ("Epochs", "after each epoch")
        var inset: LineChart.Inset?
        if epochs.count >= 4 {
            let first = epochs[epochs.count / 2]
            inset = .init(xRange: Double(first) ... Double(epochs.last!), title: "\(points) \(first)–\(epochs.last!), zoomed")
        }
        return LineChart(
            title: "Training vs Test Accuracy",
            subtitle: "Accuracy on the full training and test sets \(every)",
            xAxis: .init(label: iterationsApart.map { "evaluation (every \($0) iterations)" } ?? "epoch", integerTicks: true),
            yAxis: .init(label: "accuracy", range: 0 ... 1),
            series: [
                .init(name: "train", points: zip(x, train).map { Point($0, $1) }, color: theme.primary,
                      width: theme.lineWidth, marker: .circle, labelsEnd: true),
                .init(name: "test", points: zip(x, test).map { Point($0, $1) }, color: theme.secondary,
                      width: theme.lineWidth, dash: [7, 4], marker: .square, labelsEnd: true),
            ],
            legend: .lowerRight, inset: inset,
            description: "Train and test accuracy per \(iterationsApart == nil ? "epoch" : "evaluation"): "
                + zip(train, test).map { String(format: "%.4f/%.4f", $0, $1) }.joined(separator: " "))
    }
}
