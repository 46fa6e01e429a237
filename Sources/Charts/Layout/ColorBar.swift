import Foundation

/// A colour scale's key: a vertical strip of the colour map with its values
/// marked beside it, and a title above. The map runs from the bottom
/// (`domain.lowerBound`) to the top, on a log scale when `logarithmic`.
public struct ColorBar: Sendable, Equatable {
    public var title: String
    public var colormap: Colormap
    public var domain: ClosedRange<Double>
    public var logarithmic: Bool
    /// The values to mark, with their labels; nil marks nice round values of the domain.
    public var marks: [Tick]?

    public init(title: String, colormap: Colormap, domain: ClosedRange<Double>, logarithmic: Bool = false, marks: [Tick]? = nil) {
        (self.title, self.colormap, self.domain, self.logarithmic, self.marks) = (title, colormap, domain, logarithmic, marks)
    }

    /// Where `value` sits on the map, 0...1 (0.5 when the domain is a single value).
    public func position(_ value: Double) -> Double {
        let f: (Double) -> Double = logarithmic ? { log10(max($0, .leastNonzeroMagnitude)) } : { $0 }
        let (a, b) = (f(domain.lowerBound), f(domain.upperBound))
        return b == a ? 0.5 : min(max((f(value) - a) / (b - a), 0), 1)
    }

    public func color(_ value: Double) -> Color { colormap(position(value)) }

    static let stripWidth = 12.0

    /// The ticks shown beside the strip.
    func ticks(height: Double, theme: Theme) -> [Tick] {
        if let marks { return marks }
        return logarithmic
            ? Ticks.logarithmic(domain, maximum: max(2, Int(height / (theme.tickSize * 2))))
            : Axes.fittingYTicks(domain, height: height, style: theme.tickStyle, kind: .linear, target: 5).filter { domain.contains($0.value) }
    }

    /// The width the bar takes: strip, tick labels and title.
    func width(height: Double, theme: Theme, measurer: some TextMeasuring) -> Double {
        let labels = ticks(height: height, theme: theme).map { measurer.width(of: $0.label, style: theme.tickStyle) }.max() ?? 0
        return max(Self.stripWidth + Axes.tickLength + Axes.tickGap + labels, measurer.width(of: title, style: theme.tickStyle))
    }

    /// Title at `rect`'s top, strip below it down to the bottom, labels to its right.
    func commands(in rect: Rect, theme: Theme, measurer: some TextMeasuring) -> [DrawCommand] {
        let titleHeight = theme.tickSize * FontMetrics.lineHeight + 6
        let strip = Rect(x: rect.minX, y: rect.minY + titleHeight, width: Self.stripWidth, height: rect.height - titleHeight)
        let steps = 256
        let values = (0 ..< steps).map { 1 - Double($0) / Double(steps - 1) }
        var commands: [DrawCommand] = [
            .text(title, at: Point(rect.minX, rect.minY), style: theme.tickStyle, anchor: TextAnchor(.leading, .top), rotation: 0),
            .image(Bitmap(width: 1, height: steps, values: values, color: { colormap($0) }), in: strip, smooth: true),
            .stroke(.rectangle(strip), StrokeStyle(color: theme.frame, width: 1)),
        ]
        var marks = Path()
        for tick in ticks(height: strip.height, theme: theme) {
            let y = strip.maxY - position(tick.value) * strip.height
            marks.move(to: Point(strip.maxX, y)); marks.line(to: Point(strip.maxX + Axes.tickLength, y))
            commands.append(.text(tick.label, at: Point(strip.maxX + Axes.tickLength + Axes.tickGap, y), style: theme.tickStyle,
                                  anchor: TextAnchor(.leading, .middle), rotation: 0))
        }
        commands.append(.stroke(marks, StrokeStyle(color: theme.axis, width: theme.axisWidth)))
        return commands
    }
}

extension Colormap {
    /// The part of the map between `low` and `high` (0...1), stretched over 0...1:
    /// viridis from 0.25 keeps lines visible on the dark background.
    public func cropped(_ low: Double, _ high: Double) -> Colormap {
        Colormap(name: "\(name) \(low)-\(high)", stops: (0 ... 16).map { self(low + (high - low) * Double($0) / 16) })
    }
}
