import Foundation

/// How the values of each parameter tensor moved over training, as
/// TensorBoard's distributions dashboard draws them: nested bands between
/// matching percentiles (min–max, 7–93 %, 16–84 %, 31–69 %) and the median,
/// against the iteration, one panel per tensor with its own scale.
public struct DistributionChart: Sendable, Equatable {
    public struct Tensor: Sendable, Equatable {
        /// "W1 (784 × 50)".
        public var name: String
        /// Per point, the nine percentiles 0, 6.68, 15.87, 30.85, 50, 69.15, 84.13, 93.32 and 100.
        public var percentiles: [[Double]]

        public init(name: String, percentiles: [[Double]]) {
            precondition(percentiles.allSatisfy { $0.count == 9 })
            (self.name, self.percentiles) = (name, percentiles)
        }
    }

    /// The iteration of each point.
    public var iterations: [Int]
    public var tensors: [Tensor]
    public var subtitle: String

    public init(iterations: [Int], tensors: [Tensor], subtitle: String) {
        precondition(tensors.allSatisfy { $0.percentiles.count == iterations.count })
        (self.iterations, self.tensors, self.subtitle) = (iterations, tensors, subtitle)
    }

    /// The bands, outermost first: (lower, upper) percentile indices and opacity.
    static let bands = [(0, 8, 0.16), (1, 7, 0.24), (2, 6, 0.32), (3, 5, 0.42)]

    public func scene(size: Size, theme: Theme, measurer: some TextMeasuring) -> Scene {
        let pad = 18.0
        let last = tensors.map { "\($0.name): median \(String(format: "%.3g", $0.percentiles.last?[4] ?? .nan))" }
        var scene = Scene(size: size, background: theme.background, title: "Weight Distributions",
                          description: "Percentile bands of each parameter tensor at \(iterations.count) points; at the last, " + last.joined(separator: ", "))
        let top = scene.addHeader("Weight Distributions", subtitle: subtitle, theme: theme, padding: pad) + 12
        let columns = tensors.count > 1 ? 2 : 1
        let rows = (tensors.count + columns - 1) / columns
        let legendHeight = 26.0
        let cell = Size((size.width - 2 * pad) / Double(columns), (size.height - top - pad - legendHeight) / Double(max(rows, 1)))
        let xMax = Double(max(iterations.last ?? 1, 1))
        for (k, tensor) in tensors.enumerated() {
            let rect = Rect(x: pad + Double(k % columns) * cell.width, y: top + Double(k / columns) * cell.height,
                            width: cell.width - 14, height: cell.height - 12)
            let values = tensor.percentiles.flatMap { $0 }.filter(\.isFinite)
            let yDomain = Panel.padded((values.min() ?? 0) ... (values.max() ?? 1), by: 0.06)
            let panel = Panel(in: rect, title: tensor.name, xDomain: 0 ... xMax, yDomain: yDomain,
                              xLabel: k / columns == rows - 1 ? "iteration" : nil, yLabel: k % columns == 0 ? "value" : nil,
                              integerX: true, theme: theme, measurer: measurer)
            scene.add(contentsOf: panel.commands)
            var inner: [DrawCommand] = []
            let xs = iterations.map { panel.axes.x(Double($0)) }
            for (low, high, opacity) in Self.bands {
                var band = Path()
                for (i, p) in tensor.percentiles.enumerated() {
                    let point = Point(xs[i], panel.axes.y(p[high]))
                    if i == 0 { band.move(to: point) } else { band.line(to: point) }
                }
                for (i, p) in tensor.percentiles.enumerated().reversed() { band.line(to: Point(xs[i], panel.axes.y(p[low]))) }
                band.close()
                inner.append(.fill(band, theme.primary.withAlpha(opacity)))
            }
            let median = Path.polyline(tensor.percentiles.enumerated().map { Point(xs[$0.offset], panel.axes.y($0.element[4])) })
            inner.append(.stroke(median, StrokeStyle(color: theme.primary, width: 1.6)))
            if iterations.count == 1 {  // a single point: its percentiles as ticks
                for p in tensor.percentiles[0] {
                    inner.append(.stroke(.line(from: Point(xs[0] - 6, panel.axes.y(p)), to: Point(xs[0] + 6, panel.axes.y(p))),
                                         StrokeStyle(color: theme.primary, width: 1.4)))
                }
            }
            scene.add(.clipped(panel.axes.plot, inner))
        }
        // Legend: what the bands are.
        var x = pad
        let y = size.height - pad - 8
        let style = theme.tickStyle
        // Each swatch has the opacity its band shows where the bands lie on top of each other.
        var seen = 1.0
        for (label, band) in zip(["min–max", "7–93 %", "16–84 %", "31–69 %"], Self.bands) {
            seen *= 1 - band.2
            let swatch = Rect(x: x, y: y - 6, width: 18, height: 12)
            scene.add(.fill(.rectangle(swatch), theme.primary.withAlpha(1 - seen)))
            scene.add(.text(label, at: Point(swatch.maxX + 6, y), style: style, anchor: TextAnchor(.leading, .middle), rotation: 0))
            x = swatch.maxX + 6 + measurer.width(of: label, style: style) + 22
        }
        scene.add(.stroke(.line(from: Point(x, y), to: Point(x + 18, y)), StrokeStyle(color: theme.primary, width: 1.6)))
        scene.add(.text("median", at: Point(x + 24, y), style: style, anchor: TextAnchor(.leading, .middle), rotation: 0))
        return scene
    }
}
