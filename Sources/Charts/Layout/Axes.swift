/// A plot area with its two scales and ticks: draws the background, grid,
/// frame and tick labels of a line chart (the main plot or an inset).
struct Axes {
    var plot: Rect
    var x: Scale
    var y: Scale
    var xTicks: [Tick]
    var yTicks: [Tick]

    func point(_ p: Point) -> Point { Point(x(p.x), y(p.y)) }

    /// Background, grid lines at every tick, and the frame.
    func backdrop(theme: Theme, grid: Bool = true) -> [DrawCommand] {
        var commands: [DrawCommand] = [.fill(.rectangle(plot), theme.plotBackground)]
        if grid {
            var lines = Path()
            for t in xTicks { lines.move(to: Point(x(t.value), plot.minY)); lines.line(to: Point(x(t.value), plot.maxY)) }
            for t in yTicks { lines.move(to: Point(plot.minX, y(t.value))); lines.line(to: Point(plot.maxX, y(t.value))) }
            commands.append(.stroke(lines, StrokeStyle(color: theme.grid, width: theme.gridWidth)))
        }
        commands.append(.stroke(.rectangle(plot), StrokeStyle(color: theme.frame, width: theme.axisWidth)))
        return commands
    }

    static let tickLength = 4.0
    static let tickGap = 3.0

    /// Tick marks outside the frame and their labels.
    func tickLabels(theme: Theme, style: TextStyle) -> [DrawCommand] {
        var marks = Path()
        var commands: [DrawCommand] = []
        for t in xTicks {
            let px = x(t.value)
            marks.move(to: Point(px, plot.maxY)); marks.line(to: Point(px, plot.maxY + Self.tickLength))
            commands.append(.text(t.label, at: Point(px, plot.maxY + Self.tickLength + Self.tickGap), style: style,
                                  anchor: TextAnchor(.center, .top), rotation: 0))
        }
        for t in yTicks {
            let py = y(t.value)
            marks.move(to: Point(plot.minX - Self.tickLength, py)); marks.line(to: Point(plot.minX, py))
            commands.append(.text(t.label, at: Point(plot.minX - Self.tickLength - Self.tickGap, py), style: style,
                                  anchor: TextAnchor(.trailing, .middle), rotation: 0))
        }
        return [.stroke(marks, StrokeStyle(color: theme.axis, width: theme.axisWidth))] + commands
    }

    /// Lowers the tick count until the x labels have room between them.
    static func fittingXTicks(
        _ domain: ClosedRange<Double>, width: Double, integers: Bool, style: TextStyle, measurer: some TextMeasuring,
        kind: Scale.Kind = .linear
    ) -> [Tick] {
        if kind == .logarithmic { return Ticks.logarithmic(domain) }
        var target = 10
        while true {
            let ticks = Ticks.linear(domain, target: target, integers: integers)
            let widest = ticks.map { measurer.width(of: $0.label, style: style) }.max() ?? 0
            let span = domain.upperBound - domain.lowerBound
            let spacing = ticks.count > 1 && span > 0 ? (ticks[1].value - ticks[0].value) / span * width : .infinity
            if spacing >= widest + 12 || target <= 2 { return ticks }
            target -= 1
        }
    }

    /// Lowers the tick count until the y labels are at least two lines apart.
    static func fittingYTicks(
        _ domain: ClosedRange<Double>, height: Double, style: TextStyle, kind: Scale.Kind, target: Int = 6
    ) -> [Tick] {
        if kind == .logarithmic { return Ticks.logarithmic(domain, maximum: max(2, Int(height / (style.size * 2)))) }
        var target = target
        while true {
            let ticks = Ticks.linear(domain, target: target)
            let span = domain.upperBound - domain.lowerBound
            let spacing = ticks.count > 1 && span > 0 ? (ticks[1].value - ticks[0].value) / span * height : .infinity
            if spacing >= style.size * 1.9 || target <= 2 { return ticks }
            target -= 1
        }
    }
}

extension Array where Element == Double {
    /// The smallest range holding every finite element (nil when none is).
    var finiteRange: ClosedRange<Double>? {
        let finite = filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        return low ... high
    }
}
