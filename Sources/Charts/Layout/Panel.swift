/// One small plot of a multi-panel chart: a title above, ticks and axis
/// labels around, laid out inside `rect`. Shared by the pictures of the
/// network over time, which put several plots side by side.
struct Panel {
    let axes: Axes
    let commands: [DrawCommand]

    /// `rect` holds everything: title, tick labels, axis labels and the plot.
    init(
        in rect: Rect, title: String?, xDomain: ClosedRange<Double>, yDomain: ClosedRange<Double>, xLabel: String?,
        yLabel: String?, integerX: Bool = false, theme: Theme, measurer: some TextMeasuring
    ) {
        let lineHeight = FontMetrics.lineHeight
        let tickStyle = theme.tickStyle
        let top = rect.minY + (title == nil ? 4 : theme.labelSize * lineHeight + 6)
        let bottom = Axes.tickLength + Axes.tickGap + theme.tickSize * lineHeight + (xLabel == nil ? 2 : 6 + theme.labelSize * lineHeight)
        let height = rect.maxY - bottom - top
        let yTicks = Axes.fittingYTicks(yDomain, height: height, style: tickStyle, kind: .linear, target: 5)
        let yTickWidth = yTicks.map { measurer.width(of: $0.label, style: tickStyle) }.max() ?? 0
        let left = (yLabel == nil ? 0 : theme.labelSize * lineHeight + 6) + yTickWidth + Axes.tickGap + Axes.tickLength
        let plot = Rect(x: rect.minX + left, y: top, width: rect.maxX - rect.minX - left - 6, height: height)
        let xTicks = Axes.fittingXTicks(xDomain, width: plot.width, integers: integerX, style: tickStyle, measurer: measurer)
            .filter { xDomain.contains($0.value) }
        let axes = Axes(
            plot: plot, x: Scale(domain: xDomain, from: plot.minX, to: plot.maxX),
            y: Scale(domain: yDomain, from: plot.maxY, to: plot.minY), xTicks: xTicks, yTicks: yTicks.filter { yDomain.contains($0.value) })
        var commands = axes.backdrop(theme: theme) + axes.tickLabels(theme: theme, style: tickStyle)
        if let title {
            commands.append(.text(title, at: Point(plot.minX, rect.minY), style: TextStyle(size: theme.labelSize, weight: .bold, color: theme.text),
                                  anchor: TextAnchor(.leading, .top), rotation: 0))
        }
        if let xLabel {
            commands.append(.text(xLabel, at: Point(plot.midX, rect.maxY), style: theme.labelStyle, anchor: TextAnchor(.center, .bottom), rotation: 0))
        }
        if let yLabel {
            commands.append(.text(yLabel, at: Point(rect.minX, plot.midY), style: theme.labelStyle, anchor: TextAnchor(.center, .top), rotation: -.pi / 2))
        }
        self.axes = axes
        self.commands = commands
    }

    /// `domain` widened by `fraction` of its span on each side (by 1 when it is a single value).
    static func padded(_ domain: ClosedRange<Double>, by fraction: Double) -> ClosedRange<Double> {
        let span = domain.upperBound - domain.lowerBound
        let pad = span > 0 ? span * fraction : max(abs(domain.lowerBound) * 0.1, 1e-3)
        return (domain.lowerBound - pad) ... (domain.upperBound + pad)
    }
}
