import Foundation

/// One frame of the training animation: the hidden units' weights as they
/// were at one evaluation point, beside the accuracy curves drawn up to that
/// point. The colour scale and the axes are the same in every frame, so that
/// only what training changed moves.
public struct TrainingFrameChart: Sendable, Equatable {
    /// The hidden units' incoming weights at this point.
    public var tiles: WeightTilesChart
    /// The colour scale's limit, shared by all frames.
    public var limit: Double
    /// Every evaluation point's index, train and test accuracy; the first `shown` are drawn.
    public var epochs: [Int]
    public var train: [Double]
    public var test: [Double]
    public var shown: Int
    /// "epoch 5 (iteration 3,000)".
    public var caption: String
    /// "epoch", or "evaluation" when the points are not epochs apart.
    public var pointName: String

    public init(
        tiles: WeightTilesChart, limit: Double, epochs: [Int], train: [Double], test: [Double], shown: Int, caption: String,
        pointName: String
    ) {
        precondition(epochs.count == train.count && train.count == test.count && (1 ... max(epochs.count, 1)).contains(shown))
        (self.tiles, self.limit, self.epochs, self.train, self.test, self.shown, self.caption, self.pointName) =
            (tiles, limit, epochs, train, test, shown, caption, pointName)
    }

    public func scene(size: Size, theme: Theme, measurer: some TextMeasuring) -> Scene {
        let pad = 16.0
        var scene = Scene(size: size, background: theme.background, title: "Training, \(caption)",
                          description: String(format: "Frame at %@: train %.4f, test %.4f", caption, train[shown - 1], test[shown - 1]))
        scene.add(.text("Training · \(caption)", at: Point(pad, pad), style: theme.titleStyle, anchor: TextAnchor(.leading, .top), rotation: 0))
        let top = pad + theme.titleSize * FontMetrics.lineHeight + 10

        // Left: the tiles, in a square.
        let side = size.height - top - pad
        let area = Rect(x: pad, y: top, width: side, height: side)
        scene.add(contentsOf: tiles.tileCommands(in: area, limit: limit, theme: theme))

        // Right: the accuracy so far, on the axes of the whole run.
        let right = Rect(x: area.maxX + 24, y: top, width: size.width - area.maxX - 24 - pad, height: side)
        let last = Double(max(epochs.last ?? 1, 1))
        let panel = Panel(in: right.inset(top: 22, left: 0, bottom: 0, right: 0), title: nil, xDomain: 0 ... last, yDomain: 0 ... 1,
                          xLabel: pointName, yLabel: "accuracy", integerX: true, theme: theme, measurer: measurer)
        scene.add(contentsOf: panel.commands)
        var inner: [DrawCommand] = []
        for (values, color, dash) in [(train, theme.primary, [Double]()), (test, theme.secondary, [7.0, 4.0])] {
            let points = (0 ..< shown).map { panel.axes.point(Point(Double(epochs[$0]), values[$0])) }
            inner.append(.stroke(.polyline(points), StrokeStyle(color: color, width: theme.lineWidth, dash: dash)))
            if let end = points.last { inner.append(.fill(.circle(center: end, radius: theme.markerRadius), color)) }
        }
        scene.add(.clipped(panel.axes.plot.inset(by: -theme.markerRadius - 1), inner))
        let readout = String(format: "train %.2f %%", train[shown - 1] * 100)
        let testReadout = String(format: "test %.2f %%", test[shown - 1] * 100)
        let style = TextStyle(size: theme.labelSize, weight: .bold, color: theme.primary)
        scene.add(.text(readout, at: Point(panel.axes.plot.minX, right.minY), style: style, anchor: TextAnchor(.leading, .top), rotation: 0))
        scene.add(.text(testReadout, at: Point(panel.axes.plot.minX + measurer.width(of: readout, style: style) + 18, right.minY),
                        style: TextStyle(size: theme.labelSize, weight: .bold, color: theme.secondary), anchor: TextAnchor(.leading, .top), rotation: 0))
        return scene
    }
}
