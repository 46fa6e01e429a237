import Foundation

/// One small train/test chart per run, on shared axes, in a grid read row by
/// row (the order given: best first). Tick labels only on the outer panels,
/// as matplotlib's `sharex`/`sharey` do.
public struct SmallMultiplesChart: Sendable, Equatable {
    public struct Panel: Sendable, Equatable {
        public var title: String
        public var train: [Point]
        public var test: [Point]
        /// Min-max bands of a group of seeds (empty for one run).
        public var trainBand: LineChart.Band?
        public var testBand: LineChart.Band?
        /// Written at the top right: "0.9494", "diverged at 812".
        public var note: String
        /// Outlined: the best run.
        public var highlighted: Bool
        /// Marked with a cross at its last point.
        public var diverged: Bool

        public init(
            title: String, train: [Point], test: [Point], trainBand: LineChart.Band? = nil, testBand: LineChart.Band? = nil,
            note: String, highlighted: Bool = false, diverged: Bool = false
        ) {
            (self.title, self.train, self.test, self.trainBand, self.testBand) = (title, train, test, trainBand, testBand)
            (self.note, self.highlighted, self.diverged) = (note, highlighted, diverged)
        }
    }

    public var title: String
    public var subtitle: String?
    public var xLabel: String
    public var yLabel: String
    public var panels: [Panel]
    public var xDomain: ClosedRange<Double>
    public var yDomain: ClosedRange<Double>
    public var columns: Int
    public var description: String

    public init(
        title: String, subtitle: String?, xLabel: String, yLabel: String, panels: [Panel], xDomain: ClosedRange<Double>,
        yDomain: ClosedRange<Double>, columns: Int, description: String = ""
    ) {
        (self.title, self.subtitle, self.xLabel, self.yLabel, self.panels) = (title, subtitle, xLabel, yLabel, panels)
        (self.xDomain, self.yDomain, self.columns, self.description) = (xDomain, yDomain, max(1, columns), description)
    }

    public var rows: Int { (panels.count + columns - 1) / columns }

    /// A height that gives each panel about `panelHeight` at `width`.
    public static func height(rows: Int, panelHeight: Double = 150, subtitle: Bool = true, theme: Theme = .dark) -> Double {
        Scene.headerBottom(theme: theme, subtitle: subtitle, padding: 18) + 30 + Double(rows) * (panelHeight + 8)
            + theme.tickSize * FontMetrics.lineHeight + theme.labelSize * FontMetrics.lineHeight + 34
    }

    public func scene(size: Size, theme: Theme, measurer: some TextMeasuring) -> Scene {
        let pad = 18.0, lineHeight = FontMetrics.lineHeight
        var scene = Scene(size: size, background: theme.background, title: title, description: description)
        let header = scene.addHeader(title, subtitle: subtitle, theme: theme, padding: pad)
        scene.add(contentsOf: legend(rightEdge: size.width - pad, y: pad + theme.titleSize * lineHeight / 2, theme: theme, measurer: measurer))

        let tickStyle = theme.tickStyle
        let yTicks = Ticks.linear(yDomain, target: 3).filter { yDomain.contains($0.value) }
        let yTickWidth = yTicks.map { measurer.width(of: $0.label, style: tickStyle) }.max() ?? 0
        let left = pad + theme.labelSize * lineHeight + 6 + yTickWidth + Axes.tickGap + Axes.tickLength
        let bottom = size.height - pad - theme.labelSize * lineHeight - 6 - tickStyle.size * lineHeight - Axes.tickGap - Axes.tickLength
        let top = header + 12
        let gapX = 14.0, titleHeight = theme.tickSize * lineHeight + 4, gapY = 8.0
        let cellWidth = (size.width - pad - left - gapX * Double(columns - 1)) / Double(columns)
        let cellHeight = (bottom - top - gapY * Double(max(rows - 1, 0))) / Double(max(rows, 1))

        for (i, panel) in panels.enumerated() {
            let (row, column) = (i / columns, i % columns)
            let cell = Rect(x: left + Double(column) * (cellWidth + gapX), y: top + Double(row) * (cellHeight + gapY),
                            width: cellWidth, height: cellHeight)
            let plot = Rect(x: cell.minX, y: cell.minY + titleHeight, width: cell.width, height: cell.height - titleHeight)
            let xTicks = Axes.fittingXTicks(xDomain, width: plot.width, integers: true, style: tickStyle, measurer: measurer)
                .filter { xDomain.contains($0.value) }
            let grid = Axes(plot: plot, x: Scale(domain: xDomain, from: plot.minX, to: plot.maxX),
                            y: Scale(domain: yDomain, from: plot.maxY, to: plot.minY), xTicks: xTicks, yTicks: yTicks)
            scene.add(contentsOf: grid.backdrop(theme: theme))
            var labelled = grid
            let lastInColumn = i + columns >= panels.count
            labelled.xTicks = lastInColumn ? xTicks : []
            labelled.yTicks = column == 0 ? yTicks : []
            scene.add(contentsOf: labelled.tickLabels(theme: theme, style: tickStyle))

            var curves: [DrawCommand] = []
            for (band, color) in [(panel.trainBand, theme.primary), (panel.testBand, theme.secondary)] {
                if let area = band?.area(on: grid) { curves.append(.fill(area, color.withAlpha(0.22))) }
            }
            curves.append(.stroke(.polyline(panel.train.map(grid.point)), StrokeStyle(color: theme.primary, width: 2.4, cap: .round)))
            curves.append(.stroke(.polyline(panel.test.map(grid.point)), StrokeStyle(color: theme.secondary, width: 1.5, dash: [4, 3], cap: .round)))
            if panel.diverged, let last = (panel.test.last ?? panel.train.last).map(grid.point) {
                curves.append(.stroke(.cross(center: last, radius: 4.5), StrokeStyle(color: theme.text, width: 2, cap: .round)))
            }
            scene.add(.clipped(plot.inset(by: -6), curves))
            if panel.highlighted {
                scene.add(.stroke(.rectangle(plot.inset(by: -1.5)), StrokeStyle(color: theme.text, width: 2)))
            }

            // Title on the left, the note on the right; the title gives way.
            let noteStyle = TextStyle(size: theme.tickSize, weight: .bold, color: panel.diverged ? theme.mutedText : theme.secondary)
            let noteWidth = measurer.width(of: panel.note, style: noteStyle)
            let titleStyle = TextStyle(size: theme.tickSize, weight: panel.highlighted ? .bold : .regular, color: theme.text)
            let title = Self.fitted(panel.title, width: cell.width - noteWidth - 8, style: titleStyle, measurer: measurer)
            scene.add(.text(title, at: Point(cell.minX, cell.minY), style: titleStyle, anchor: TextAnchor(.leading, .top), rotation: 0))
            scene.add(.text(panel.note, at: Point(cell.maxX, cell.minY), style: noteStyle, anchor: TextAnchor(.trailing, .top), rotation: 0))
        }
        scene.add(.text(xLabel, at: Point((left + size.width - pad) / 2, size.height - pad), style: theme.labelStyle,
                        anchor: TextAnchor(.center, .bottom), rotation: 0))
        scene.add(.text(yLabel, at: Point(pad, (top + bottom) / 2), style: theme.labelStyle, anchor: TextAnchor(.center, .top), rotation: -.pi / 2))
        return scene
    }

    /// "train ── test - -" at the top right.
    func legend(rightEdge: Double, y: Double, theme: Theme, measurer: some TextMeasuring) -> [DrawCommand] {
        let style = theme.annotationStyle
        var x = rightEdge
        var commands: [DrawCommand] = []
        for (name, color, dash) in [("test", theme.secondary, [4.0, 3]), ("train", theme.primary, [])] {
            let width = measurer.width(of: name, style: style)
            commands.append(.text(name, at: Point(x, y), style: style, anchor: TextAnchor(.trailing, .middle), rotation: 0))
            x -= width + 6
            commands.append(.stroke(.line(from: Point(x - 24, y), to: Point(x, y)), StrokeStyle(color: color, width: 2, dash: dash, cap: .round)))
            x -= 24 + 16
        }
        return commands
    }

    /// `text`, cut with an ellipsis until it fits `width`.
    static func fitted(_ text: String, width: Double, style: TextStyle, measurer: some TextMeasuring) -> String {
        guard measurer.width(of: text, style: style) > width else { return text }
        var cut = text
        while !cut.isEmpty, measurer.width(of: cut + "…", style: style) > width { cut.removeLast() }
        return cut + "…"
    }
}
