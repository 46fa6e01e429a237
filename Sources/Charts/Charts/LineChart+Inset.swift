/// The zoomed inset: a small copy of the plot over the inset's x range, with
/// its y range fitted to the data there, joined to the region it magnifies.
extension LineChart {
    /// Candidate boxes across the plot; the one over the fewest data points
    /// (and clear of the legend) wins, the nearest to the magnified region on
    /// a tie. Nil when the plot is too small.
    func insetRect(in axes: Axes, avoiding legend: Rect?, theme: Theme) -> Rect? {
        let plot = axes.plot
        let size = Size(plot.width * 0.5, plot.height * 0.48)
        guard size.width >= 160, size.height >= 110 else { return nil }
        let samples = series.flatMap { s in densified(s.points.map(axes.point)) }
        let target = series.flatMap { $0.points.filter { inset?.xRange.contains($0.x) ?? false } }.map(axes.point)
        let targetCenter = target.isEmpty ? plot.center
            : Point(target.map(\.x).reduce(0, +) / Double(target.count), target.map(\.y).reduce(0, +) / Double(target.count))
        var best: (Rect, Double)?
        for fy in [0.92, 0.5, 0.08] {
            for fx in [0.62, 0.35, 0.08, 0.92] {
                let box = Rect(
                    x: plot.minX + (plot.width - size.width) * fx, y: plot.minY + (plot.height - size.height) * fy,
                    width: size.width, height: size.height)
                if let legend, box.inset(by: -6).intersects(legend) { continue }
                let covered = samples.count { box.inset(by: -8).contains($0) }
                let distance = ((box.midX - targetCenter.x) * (box.midX - targetCenter.x)
                    + (box.midY - targetCenter.y) * (box.midY - targetCenter.y)).squareRoot()
                let score = Double(covered) * 10_000 + distance
                if best == nil || score < best!.1 { best = (box, score) }
            }
        }
        return best?.0
    }

    /// Points every few units along the polyline, so long segments count too.
    func densified(_ points: [Point]) -> [Point] {
        guard var previous = points.first else { return [] }
        var result = [previous]
        for p in points.dropFirst() where p.x.isFinite && p.y.isFinite {
            let distance = ((p.x - previous.x) * (p.x - previous.x) + (p.y - previous.y) * (p.y - previous.y)).squareRoot()
            let steps = max(1, Int(distance / 4))
            for k in 1 ... steps {
                let t = Double(k) / Double(steps)
                result.append(Point(previous.x + (p.x - previous.x) * t, previous.y + (p.y - previous.y) * t))
            }
            previous = p
        }
        return result
    }

    func insetCommands(_ inset: Inset, in box: Rect, main: Axes, theme: Theme, measurer: some TextMeasuring) -> [DrawCommand] {
        let zoomed = series.map { $0.points.filter { inset.xRange.contains($0.x) } }
        guard let yData = zoomed.flatMap({ $0.map(\.y) }).finiteRange else { return [] }
        let span = max(yData.upperBound - yData.lowerBound, 0.002)
        let yDomain = (yData.lowerBound - span * 0.25) ... (yData.upperBound + span * 0.25)
        let xSpan = inset.xRange.upperBound - inset.xRange.lowerBound
        let xDomain = (inset.xRange.lowerBound - xSpan * 0.04) ... (inset.xRange.upperBound + xSpan * 0.04)

        let tickStyle = TextStyle(size: theme.tickSize * 0.9, color: theme.mutedText)
        let titleStyle = TextStyle(size: theme.annotationSize, weight: .bold, color: theme.text)
        let titleHeight = titleStyle.size * FontMetrics.lineHeight + 6
        let bottomSpace = Axes.tickLength + Axes.tickGap + tickStyle.size * FontMetrics.lineHeight + 6
        let innerHeight = box.height - titleHeight - bottomSpace - 8
        let yTicks = Axes.fittingYTicks(yDomain, height: innerHeight, style: tickStyle, kind: .linear, target: 4)
        let yTickWidth = yTicks.map { measurer.width(of: $0.label, style: tickStyle) }.max() ?? 0
        let plot = box.inset(top: titleHeight + 8, left: 8 + yTickWidth + Axes.tickGap + Axes.tickLength, bottom: bottomSpace, right: 10)
        let xTicks = Axes.fittingXTicks(inset.xRange, width: plot.width, integers: xAxis.integerTicks, style: tickStyle, measurer: measurer)
        let axes = Axes(
            plot: plot, x: Scale(domain: xDomain, from: plot.minX, to: plot.maxX),
            y: Scale(domain: yDomain, from: plot.maxY, to: plot.minY), xTicks: xTicks, yTicks: yTicks)

        // The magnified region on the main plot, and lines to the inset's nearer corners.
        let region = Rect(
            x: main.x(xDomain.lowerBound), y: main.y(yDomain.upperBound),
            width: main.x(xDomain.upperBound) - main.x(xDomain.lowerBound),
            height: main.y(yDomain.lowerBound) - main.y(yDomain.upperBound))
        let guide = StrokeStyle(color: theme.mutedText.withAlpha(0.75), width: 1, dash: [3, 3])
        let below = box.minY > region.maxY
        let (regionY, boxY) = below ? (region.maxY, box.minY) : (region.minY, box.maxY)
        var connectors = Path()
        connectors.move(to: Point(region.minX, regionY)); connectors.line(to: Point(box.minX, boxY))
        connectors.move(to: Point(region.maxX, regionY)); connectors.line(to: Point(box.maxX, boxY))

        var commands: [DrawCommand] = [
            .stroke(.rectangle(region), guide),
            .stroke(connectors, guide),
            .fill(.roundedRectangle(box, radius: 5), theme.background.withAlpha(0.96)),
            .stroke(.roundedRectangle(box, radius: 5), StrokeStyle(color: theme.mutedText.withAlpha(0.6), width: 1)),
            .text(inset.title, at: Point(box.minX + 10, box.minY + 7), style: titleStyle, anchor: TextAnchor(.leading, .top), rotation: 0),
        ]
        commands += axes.backdrop(theme: theme)
        commands += axes.tickLabels(theme: theme, style: tickStyle)
        commands.append(.clipped(plot, seriesCommands(axes, theme: theme, markerScale: 1.1, xRange: inset.xRange)))
        return commands
    }
}
