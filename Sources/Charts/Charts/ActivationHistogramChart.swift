import Foundation

/// How the hidden layer's sigmoid outputs on the test set are spread over
/// 0…1 at a few points of training: one histogram per point, the saturated
/// ends (below 0.05 and above 0.95, where the sigmoid's slope nearly vanishes)
/// shaded, and the saturated share written above each.
public struct ActivationHistogramChart: Sendable, Equatable {
    public struct Histogram: Sendable, Equatable {
        /// "epoch 0 (iteration 0)".
        public var title: String
        /// Each bin's share of the activations, bins of equal width over 0…1.
        public var fractions: [Double]
        public var lowFraction: Double
        public var highFraction: Double

        public init(title: String, fractions: [Double], lowFraction: Double, highFraction: Double) {
            (self.title, self.fractions, self.lowFraction, self.highFraction) = (title, fractions, lowFraction, highFraction)
        }
    }

    public var histograms: [Histogram]
    public var subtitle: String

    public init(histograms: [Histogram], subtitle: String) {
        (self.histograms, self.subtitle) = (histograms, subtitle)
    }

    public func scene(size: Size, theme: Theme, measurer: some TextMeasuring) -> Scene {
        let pad = 18.0
        let saturated = histograms.map { "\($0.title): \(percent($0.lowFraction + $0.highFraction)) saturated" }
        var scene = Scene(size: size, background: theme.background, title: "Hidden Activations",
                          description: "Histograms of the hidden sigmoid outputs on the test set; " + saturated.joined(separator: ", "))
        let top = scene.addHeader("Hidden Activations", subtitle: subtitle, theme: theme, padding: pad) + 12
        let width = (size.width - 2 * pad) / Double(max(histograms.count, 1))
        for (k, histogram) in histograms.enumerated() {
            let rect = Rect(x: pad + Double(k) * width, y: top, width: width - 16, height: size.height - top - pad)
            // Each panel its own scale: at the start nearly every output sits in one bin.
            let peak = max(histogram.fractions.max() ?? 1, 1e-9)
            let panel = Panel(in: rect.inset(top: 22, left: 0, bottom: 0, right: 0), title: histogram.title, xDomain: 0 ... 1,
                              yDomain: 0 ... peak * 1.08, xLabel: "activation σ(z)", yLabel: k == 0 ? "share of activations" : nil,
                              theme: theme, measurer: measurer)
            scene.add(contentsOf: panel.commands)
            let axes = panel.axes
            var inner: [DrawCommand] = []
            for (low, high) in [(0.0, 0.05), (0.95, 1.0)] {
                inner.append(.fill(.rectangle(Rect(x: axes.x(low), y: axes.plot.minY, width: axes.x(high) - axes.x(low), height: axes.plot.height)),
                                   theme.secondary.withAlpha(0.13)))
            }
            let bins = Double(histogram.fractions.count)
            var bars = Path()
            for (i, fraction) in histogram.fractions.enumerated() where fraction > 0 {
                let x0 = axes.x(Double(i) / bins) + 0.5, x1 = axes.x(Double(i + 1) / bins) - 0.5
                let y = min(axes.y(fraction), axes.plot.maxY - 0.8)  // a non-empty bin is always visible
                bars.elements += Path.rectangle(Rect(x: x0, y: y, width: x1 - x0, height: axes.plot.maxY - y)).elements
            }
            inner.append(.fill(bars, theme.primary))
            scene.add(.clipped(axes.plot, inner))
            let note = "saturated: \(percent(histogram.lowFraction + histogram.highFraction)) "
                + "(\(percent(histogram.lowFraction)) near 0, \(percent(histogram.highFraction)) near 1)"
            scene.add(.text(note, at: Point(axes.plot.minX, rect.minY), style: TextStyle(size: theme.annotationSize, color: theme.secondary),
                            anchor: TextAnchor(.leading, .top), rotation: 0))
        }
        return scene
    }

}
