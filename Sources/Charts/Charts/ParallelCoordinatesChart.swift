import Foundation

/// Parallel coordinates: one vertical axis per setting and one for the
/// result, one line per run through its values, coloured by the result.
/// Lines without a result (diverged runs) end at a "diverged" mark below the
/// last axis, dashed. The best line is drawn last and widest.
public struct ParallelCoordinatesChart: Sendable, Equatable {
    public struct Axis: Sendable, Equatable {
        public var title: String
        public var domain: ClosedRange<Double>
        public var logarithmic: Bool
        /// The values to label; nil for nice round ones.
        public var ticks: [Tick]?
        public init(title: String, domain: ClosedRange<Double>, logarithmic: Bool = false, ticks: [Tick]? = nil) {
            (self.title, self.domain, self.logarithmic, self.ticks) = (title, domain, logarithmic, ticks)
        }
    }

    public struct Line: Sendable, Equatable {
        /// A value per axis; nil on the last axis for a run without a result.
        public var values: [Double?]
        public var highlighted: Bool
        public init(values: [Double?], highlighted: Bool = false) { (self.values, self.highlighted) = (values, highlighted) }
    }

    public var title: String
    public var subtitle: String?
    public var axes: [Axis]
    public var lines: [Line]
    public var colorBar: ColorBar
    public var description: String

    public init(title: String, subtitle: String?, axes: [Axis], lines: [Line], colorBar: ColorBar, description: String = "") {
        precondition(axes.count >= 2 && lines.allSatisfy { $0.values.count == axes.count })
        (self.title, self.subtitle, self.axes, self.lines, self.colorBar, self.description) = (title, subtitle, axes, lines, colorBar, description)
    }

    public func scene(size: Size, theme: Theme, measurer: some TextMeasuring) -> Scene {
        let pad = 18.0, lineHeight = FontMetrics.lineHeight
        var scene = Scene(size: size, background: theme.background, title: title, description: description)
        let header = scene.addHeader(title, subtitle: subtitle, theme: theme, padding: pad)
        let tickStyle = theme.tickStyle
        let top = header + 18 + theme.labelSize * lineHeight + 10
        let divergedRow = lines.contains { $0.values.last! == nil } ? theme.tickSize * lineHeight + 14 : 0
        let bottom = size.height - pad - divergedRow
        let height = bottom - top
        let barWidth = colorBar.width(height: height, theme: theme, measurer: measurer)
        let ticks = axes.map { axis in
            axis.ticks ?? (axis.logarithmic
                ? Ticks.logarithmic(axis.domain, maximum: 7)
                : Axes.fittingYTicks(axis.domain, height: height, style: tickStyle, kind: .linear, target: 5).filter { axis.domain.contains($0.value) })
        }
        let firstLabels = ticks[0].map { measurer.width(of: $0.label, style: tickStyle) }.max() ?? 0
        let left = pad + max(firstLabels + Axes.tickLength + Axes.tickGap, measurer.width(of: axes[0].title, style: theme.labelStyle) / 2)
        let lastTitle = measurer.width(of: axes.last!.title, style: theme.labelStyle) / 2
        let right = size.width - pad - barWidth - 30 - lastTitle
        let spacing = (right - left) / Double(axes.count - 1)
        let xs = axes.indices.map { left + Double($0) * spacing }
        let scales = axes.map { Scale($0.logarithmic ? .logarithmic : .linear, domain: $0.domain, from: bottom, to: top) }

        // Lines: worst first, so the best lie on top; the runs without a result first of all.
        let divergedY = bottom + divergedRow - 6
        func value(_ line: Line) -> Double { line.values.last!.map { $0 } ?? -.infinity }
        for line in lines.sorted(by: { ($0.highlighted ? 1 : 0, value($0)) < ($1.highlighted ? 1 : 0, value($1)) }) {
            let points = line.values.enumerated().map { k, v in Point(xs[k], v.map { scales[k]($0) } ?? divergedY) }
            guard let result = line.values.last! else {
                scene.add(.stroke(.polyline(points), StrokeStyle(color: theme.mutedText.withAlpha(0.6), width: 1.2, dash: [4, 3])))
                continue
            }
            let color = colorBar.color(result)
            if line.highlighted {
                scene.add(.stroke(.polyline(points), StrokeStyle(color: theme.background, width: 6, cap: .round)))
            }
            scene.add(.stroke(.polyline(points), StrokeStyle(color: color.withAlpha(line.highlighted ? 1 : 0.85), width: line.highlighted ? 3.2 : 1.6, cap: .round)))
        }

        // Axes over the lines: a rule, ticks with labels on its left, the title on top.
        for (k, axis) in axes.enumerated() {
            let x = xs[k]
            var marks = Path.line(from: Point(x, top), to: Point(x, bottom))
            for tick in ticks[k] {
                let y = scales[k](tick.value)
                marks.move(to: Point(x - Axes.tickLength, y)); marks.line(to: Point(x, y))
                let label = Point(x - Axes.tickLength - Axes.tickGap, y)
                let box = measurer.bounds(of: tick.label, at: label, style: tickStyle, anchor: TextAnchor(.trailing, .middle))
                scene.add(.fill(.roundedRectangle(box.inset(by: -1.5), radius: 2), theme.background.withAlpha(0.75)))
                scene.add(.text(tick.label, at: label, style: tickStyle, anchor: TextAnchor(.trailing, .middle), rotation: 0))
            }
            scene.add(.stroke(marks, StrokeStyle(color: theme.axis, width: 1.4)))
            scene.add(.text(axis.title, at: Point(x, top - 10), style: TextStyle(size: theme.labelSize, weight: .bold, color: theme.text),
                            anchor: TextAnchor(.center, .bottom), rotation: 0))
        }
        if divergedRow > 0 {
            scene.add(.text("diverged", at: Point(xs.last! + 6, divergedY), style: tickStyle, anchor: TextAnchor(.leading, .middle), rotation: 0))
        }
        scene.add(contentsOf: colorBar.commands(
            in: Rect(x: size.width - pad - barWidth, y: top - theme.tickSize * lineHeight - 6, width: barWidth,
                     height: bottom - top + theme.tickSize * lineHeight + 6),
            theme: theme, measurer: measurer))
        return scene
    }
}
