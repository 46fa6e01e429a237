import Foundation

/// The test images' hidden activations projected onto their first two
/// principal components at a few points of training, side by side: a dot per
/// image coloured by its digit, each axis labelled with the share of the
/// variance it explains. Digits that separate here are easy for the output layer.
public struct ProjectionChart: Sendable, Equatable {
    public struct Projection: Sendable, Equatable {
        public var title: String
        /// n × 2 coordinates, row-major.
        public var coordinates: [Double]
        public var labels: [UInt8]
        /// The share of the variance along PC1 and PC2.
        public var explainedVariance: [Double]

        public init(title: String, coordinates: [Double], labels: [UInt8], explainedVariance: [Double]) {
            precondition(coordinates.count == labels.count * 2 && explainedVariance.count == 2)
            (self.title, self.coordinates, self.labels, self.explainedVariance) = (title, coordinates, labels, explainedVariance)
        }
    }

    public var projections: [Projection]
    public var classCount: Int
    public var subtitle: String

    public init(projections: [Projection], classCount: Int, subtitle: String) {
        (self.projections, self.classCount, self.subtitle) = (projections, classCount, subtitle)
    }

    public func scene(size: Size, theme: Theme, measurer: some TextMeasuring) -> Scene {
        let pad = 18.0
        let shares = projections.map { "\($0.title): PC1 \(percent($0.explainedVariance[0])), PC2 \(percent($0.explainedVariance[1]))" }
        var scene = Scene(size: size, background: theme.background, title: "Hidden-Layer Projection",
                          description: "Test images' hidden activations on their first two principal components; " + shares.joined(separator: "; "))
        let top = scene.addHeader("Hidden-Layer Projection", subtitle: subtitle, theme: theme, padding: pad) + 12
        let legendHeight = 28.0
        let width = (size.width - 2 * pad) / Double(max(projections.count, 1))
        for (k, projection) in projections.enumerated() {
            let rect = Rect(x: pad + Double(k) * width, y: top, width: width - 16, height: size.height - top - pad - legendHeight)
            let xs = stride(from: 0, to: projection.coordinates.count, by: 2).map { projection.coordinates[$0] }
            let ys = stride(from: 1, to: projection.coordinates.count, by: 2).map { projection.coordinates[$0] }
            let panel = Panel(
                in: rect, title: projection.title, xDomain: Panel.padded(xs.finiteRange ?? 0 ... 1, by: 0.04),
                yDomain: Panel.padded(ys.finiteRange ?? 0 ... 1, by: 0.04),
                xLabel: "PC1 (\(percent(projection.explainedVariance[0])) of the variance)",
                yLabel: "PC2 (\(percent(projection.explainedVariance[1])))", theme: theme, measurer: measurer)
            scene.add(contentsOf: panel.commands)
            // One path of dots per digit, drawn in digit order; translucent, so piles read as density.
            // A dot is a small square: at 2.2 units it reads as a dot, and ten thousand squares fill
            // several times faster than ten thousand circles.
            let half = 1.1
            var dots = [Path](repeating: Path(), count: classCount)
            for (i, label) in projection.labels.enumerated() where Int(label) < classCount {
                let p = panel.axes.point(Point(xs[i], ys[i]))
                dots[Int(label)].elements += [
                    .move(Point(p.x - half, p.y - half)), .line(Point(p.x + half, p.y - half)), .line(Point(p.x + half, p.y + half)),
                    .line(Point(p.x - half, p.y + half)), .close,
                ]
            }
            scene.add(.clipped(panel.axes.plot, dots.enumerated().map { .fill($0.element, color($0.offset, theme).withAlpha(0.5)) }))
        }
        // Legend: the digits' colours, centred under the panels.
        let style = theme.tickStyle
        let items = (0 ..< classCount).map { "\($0)" }
        let itemWidths = items.map { 16 + measurer.width(of: $0, style: style) + 14 }
        var x = (size.width - itemWidths.reduce(0, +) - measurer.width(of: "digit", style: style) - 12) / 2
        let y = size.height - pad - 8
        scene.add(.text("digit", at: Point(x, y), style: style, anchor: TextAnchor(.leading, .middle), rotation: 0))
        x += measurer.width(of: "digit", style: style) + 12
        for (k, item) in items.enumerated() {
            scene.add(.fill(.circle(center: Point(x + 5, y), radius: 4.5), color(k, theme)))
            scene.add(.text(item, at: Point(x + 14, y), style: style, anchor: TextAnchor(.leading, .middle), rotation: 0))
            x += itemWidths[k]
        }
        return scene
    }

    func color(_ digit: Int, _ theme: Theme) -> Color { theme.categorical[digit % theme.categorical.count] }

}
