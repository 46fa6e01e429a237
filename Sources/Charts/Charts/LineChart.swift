import Foundation

/// A line chart as a plain value: series, axes, legend, annotations and an
/// optional zoomed inset. `scene(size:theme:measurer:)` lays it out.
public struct LineChart: Sendable, Equatable {
    public enum Marker: Sendable, Equatable { case none, circle, square, cross }

    public struct Series: Sendable, Equatable {
        public var name: String
        /// Data coordinates.
        public var points: [Point]
        public var color: Color
        public var width: Double
        public var dash: [Double]
        public var marker: Marker
        public var opacity: Double
        public var inLegend: Bool
        /// Annotate the last value at the right edge ("train 0.9467").
        public var labelsEnd: Bool
        public var valueDecimals: Int
        /// The end label's text in place of "name value".
        public var endText: String?
        /// A marker at the last point only (a cross where a run diverged).
        public var endMarker: Marker

        public init(
            name: String, points: [Point], color: Color, width: Double = 2, dash: [Double] = [], marker: Marker = .none,
            opacity: Double = 1, inLegend: Bool = true, labelsEnd: Bool = false, valueDecimals: Int = 4, endText: String? = nil,
            endMarker: Marker = .none
        ) {
            self.endText = endText
            self.endMarker = endMarker
            self.name = name
            self.points = points
            self.color = color
            self.width = width
            self.dash = dash
            self.marker = marker
            self.opacity = opacity
            self.inLegend = inLegend
            self.labelsEnd = labelsEnd
            self.valueDecimals = valueDecimals
        }
    }

    public struct Axis: Sendable, Equatable {
        public var label: String
        /// nil fits the data.
        public var range: ClosedRange<Double>?
        public var kind: Scale.Kind
        public var integerTicks: Bool

        public init(label: String, range: ClosedRange<Double>? = nil, kind: Scale.Kind = .linear, integerTicks: Bool = false) {
            (self.label, self.range, self.kind, self.integerTicks) = (label, range, kind, integerTicks)
        }
    }

    /// A magnified copy of the plot over `xRange`, with its own y range fitted
    /// to the data there, placed where it covers the fewest data points.
    public struct Inset: Sendable, Equatable {
        public var xRange: ClosedRange<Double>
        public var title: String
        public init(xRange: ClosedRange<Double>, title: String) { (self.xRange, self.title) = (xRange, title) }
    }

    /// A shaded region between two curves (a group's minimum and maximum), drawn under the series.
    public struct Band: Sendable, Equatable {
        public var lower: [Point]
        public var upper: [Point]
        public var color: Color
        public init(lower: [Point], upper: [Point], color: Color) { (self.lower, self.upper, self.color) = (lower, upper, color) }

        /// The closed outline between the two curves on `axes`; nil when it encloses nothing.
        func area(on axes: Axes) -> Path? {
            let points = (upper + lower.reversed()).map(axes.point).filter { $0.x.isFinite && $0.y.isFinite }
            guard points.count > 2 else { return nil }
            var path = Path.polyline(points)
            path.close()
            return path
        }
    }

    /// The preferred corner; the legend moves to another when the data runs through it.
    public enum LegendPlacement: Sendable, Equatable { case lowerRight, upperRight, hidden }

    public var title: String
    public var subtitle: String?
    public var xAxis: Axis
    public var yAxis: Axis
    public var series: [Series]
    public var legend: LegendPlacement
    public var inset: Inset?
    /// Faint vertical lines at these x values (epoch boundaries, say).
    public var guides: [Double]
    public var description: String
    public var bands: [Band]
    /// A colour scale's key at the right edge, when colour encodes a value.
    public var colorBar: ColorBar?

    public init(
        title: String, subtitle: String? = nil, xAxis: Axis, yAxis: Axis, series: [Series],
        legend: LegendPlacement = .lowerRight, inset: Inset? = nil, guides: [Double] = [], description: String = "",
        bands: [Band] = [], colorBar: ColorBar? = nil
    ) {
        self.bands = bands
        self.colorBar = colorBar
        self.title = title
        self.subtitle = subtitle
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
        self.legend = legend
        self.inset = inset
        self.guides = guides
        self.description = description
    }
}

// MARK: - Layout

extension LineChart {
    static let padding = 18.0

    public func scene(size: Size, theme: Theme, measurer: some TextMeasuring) -> Scene {
        var scene = Scene(size: size, background: theme.background, title: title, description: description)
        let frame = Rect(x: 0, y: 0, width: size.width, height: size.height).inset(by: Self.padding)

        let top = scene.addHeader(title, subtitle: subtitle, theme: theme, padding: Self.padding) + 14

        // Domains.
        let xDomain = padded(xAxis.range ?? dataRange(\.x) ?? 0 ... 1, kind: xAxis.kind, fraction: xAxis.range == nil ? 0.03 : 0)
        let yDomain = yAxis.range ?? padded(dataRange(\.y) ?? 0 ... 1, kind: yAxis.kind, fraction: 0.05)

        // Margins: y label and tick labels on the left, x ticks and label below, end labels on the right.
        let tickStyle = theme.tickStyle
        let lineHeight = FontMetrics.lineHeight
        let bottomSpace = Axes.tickLength + Axes.tickGap + theme.tickSize * lineHeight + 8 + theme.labelSize * lineHeight
        let plotHeight = frame.maxY - bottomSpace - top
        let yTicks = Axes.fittingYTicks(yDomain, height: plotHeight, style: tickStyle, kind: yAxis.kind)
        let yTickWidth = yTicks.map { measurer.width(of: $0.label, style: tickStyle) }.max() ?? 0
        let leftSpace = theme.labelSize * lineHeight + 8 + yTickWidth + Axes.tickGap + Axes.tickLength
        let endLabels = series.filter { $0.labelsEnd && !$0.points.isEmpty }
        let endStyle = TextStyle(size: theme.annotationSize, weight: .bold, color: theme.text)
        let endWidth = endLabels.map { measurer.width(of: endLabelText($0), style: endStyle) }.max().map { $0 + 16 } ?? 4
        let barWidth = colorBar.map { $0.width(height: plotHeight, theme: theme, measurer: measurer) + 16 } ?? 0
        let plot = Rect(
            x: frame.minX + leftSpace, y: top, width: frame.maxX - barWidth - endWidth - frame.minX - leftSpace, height: plotHeight)

        let xTicks = Axes.fittingXTicks(
            xDomain, width: plot.width, integers: xAxis.integerTicks, style: tickStyle, measurer: measurer, kind: xAxis.kind)
            .filter { (xAxis.range ?? dataRange(\.x) ?? xDomain).contains($0.value) || xAxis.kind == .logarithmic }
        let axes = Axes(
            plot: plot, x: Scale(xAxis.kind, domain: xDomain, from: plot.minX, to: plot.maxX),
            y: Scale(yAxis.kind, domain: yDomain, from: plot.maxY, to: plot.minY), xTicks: xTicks, yTicks: yTicks)

        scene.add(contentsOf: axes.backdrop(theme: theme))
        scene.add(contentsOf: guideLines(axes, theme: theme))
        scene.add(contentsOf: axes.tickLabels(theme: theme, style: tickStyle))
        scene.add(.text(xAxis.label, at: Point(plot.midX, frame.maxY), style: theme.labelStyle,
                        anchor: TextAnchor(.center, .bottom), rotation: 0))
        scene.add(.text(yAxis.label, at: Point(frame.minX, plot.midY), style: theme.labelStyle,
                        anchor: TextAnchor(.center, .top), rotation: -.pi / 2))

        scene.add(.clipped(plot.inset(by: -theme.markerRadius - 2), bandCommands(axes) + seriesCommands(axes, theme: theme, markerScale: 1)))
        if let colorBar {
            let width = colorBar.width(height: plotHeight, theme: theme, measurer: measurer)
            scene.add(contentsOf: colorBar.commands(
                in: Rect(x: frame.maxX - width, y: plot.minY, width: width, height: plot.height), theme: theme, measurer: measurer))
        }

        let legendBox = legend == .hidden ? nil : legendRect(in: axes, theme: theme, measurer: measurer)
        if let inset, let box = insetRect(in: axes, avoiding: legendBox, theme: theme) {
            scene.add(contentsOf: insetCommands(inset, in: box, main: axes, theme: theme, measurer: measurer))
        }
        if let legendBox { scene.add(contentsOf: legendCommands(in: legendBox, theme: theme)) }
        scene.add(contentsOf: endLabelCommands(endLabels, axes: axes, style: endStyle, theme: theme))
        return scene
    }

    func dataRange(_ coordinate: KeyPath<Point, Double>) -> ClosedRange<Double>? {
        let logarithmic = (coordinate == \Point.y ? yAxis.kind : xAxis.kind) == .logarithmic
        // The bands too: a group's minimum may lie below every mean.
        let points = series.flatMap(\.points) + bands.flatMap { $0.lower + $0.upper }
        return points.map { $0[keyPath: coordinate] }
            .filter { $0.isFinite && (!logarithmic || $0 > 0) }
            .finiteRange
    }

    func padded(_ range: ClosedRange<Double>, kind: Scale.Kind, fraction: Double) -> ClosedRange<Double> {
        if kind == .logarithmic {
            let low = log10(max(range.lowerBound, 1e-12)), high = log10(max(range.upperBound, 1e-12))
            let pad = max((high - low) * fraction, 0.05)
            return pow(10, low - pad) ... pow(10, high + pad)
        }
        let span = range.upperBound - range.lowerBound
        let pad = span > 0 ? span * fraction : max(abs(range.lowerBound) * 0.1, 0.5)
        return (range.lowerBound - pad) ... (range.upperBound + pad)
    }

    func endLabelText(_ s: Series) -> String {
        s.endText ?? String(format: "%@ %.\(s.valueDecimals)f", s.name, s.points.last!.y)
    }

    func bandCommands(_ axes: Axes) -> [DrawCommand] {
        bands.compactMap { band in band.area(on: axes).map { .fill($0, band.color) } }
    }

    func guideLines(_ axes: Axes, theme: Theme) -> [DrawCommand] {
        guard !guides.isEmpty else { return [] }
        var path = Path()
        for g in guides where axes.x.domain.contains(g) {
            path.move(to: Point(axes.x(g), axes.plot.minY)); path.line(to: Point(axes.x(g), axes.plot.maxY))
        }
        return [.stroke(path, StrokeStyle(color: theme.mutedText.withAlpha(0.22), width: 0.8, dash: [2, 3]))]
    }

    // MARK: Series

    /// Markers are drawn at most about 30 times per series (plus the last point), so dense data stays readable.
    func seriesCommands(_ axes: Axes, theme: Theme, markerScale: Double, xRange: ClosedRange<Double>? = nil) -> [DrawCommand] {
        var commands: [DrawCommand] = []
        for s in series {
            let points = s.points.filter { xRange?.contains($0.x) ?? true }.map(axes.point)
            let color = s.color.withAlpha(s.color.alpha * s.opacity)
            commands.append(.stroke(.polyline(points), StrokeStyle(color: color, width: s.width, dash: s.dash, cap: .round)))
            let step = max(1, Int((Double(points.count) / 30).rounded(.up)))
            for (i, p) in points.enumerated() where i % step == 0 || i == points.count - 1 {
                commands += marker(s.marker, at: p, color: color, radius: theme.markerRadius * markerScale, theme: theme)
            }
            if let last = points.last {
                commands += marker(s.endMarker, at: last, color: color, radius: theme.markerRadius * markerScale * 1.4, theme: theme)
            }
        }
        return commands
    }

    func marker(_ kind: Marker, at p: Point, color: Color, radius: Double, theme: Theme) -> [DrawCommand] {
        guard p.x.isFinite, p.y.isFinite else { return [] }
        let outline = StrokeStyle(color: theme.plotBackground, width: 1)
        switch kind {
        case .none: return []
        case .circle:
            let path = Path.circle(center: p, radius: radius)
            return [.fill(path, color), .stroke(path, outline)]
        case .square:
            let r = radius * 0.9
            let path = Path.rectangle(Rect(x: p.x - r, y: p.y - r, width: 2 * r, height: 2 * r))
            return [.fill(path, color), .stroke(path, outline)]
        case .cross:
            let path = Path.cross(center: p, radius: radius)
            return [.stroke(path, StrokeStyle(color: theme.plotBackground, width: 4.5, cap: .round)),
                    .stroke(path, StrokeStyle(color: color, width: 2.2, cap: .round))]
        }
    }

    // MARK: Legend

    static let legendSample = 30.0

    /// The legend's box: in the preferred corner unless the data runs
    /// through it there, then in the corner that covers the fewest points.
    func legendRect(in axes: Axes, theme: Theme, measurer: some TextMeasuring) -> Rect? {
        let entries = series.filter(\.inLegend)
        guard !entries.isEmpty else { return nil }
        let plot = axes.plot
        let style = theme.annotationStyle
        let rowHeight = style.size * FontMetrics.lineHeight + 5
        let width = Self.legendSample + 8 + (entries.map { measurer.width(of: $0.name, style: style) }.max() ?? 0) + 20
        let height = rowHeight * Double(entries.count) + 12
        let (left, right) = (plot.minX + 10, plot.maxX - width - 10)
        let (top, bottom) = (plot.minY + 10, plot.maxY - height - 10)
        let corners = legend == .lowerRight
            ? [(right, bottom), (right, top), (left, top), (left, bottom)]
            : [(right, top), (right, bottom), (left, top), (left, bottom)]
        let samples = series.flatMap { densified($0.points.map(axes.point)) }
        let boxes = corners.map { Rect(x: $0.0, y: $0.1, width: width, height: height) }
        let covered = boxes.map { box in samples.count { box.inset(by: -4).contains($0) } }
        return boxes[covered.indices.min { covered[$0] < covered[$1] }!]
    }

    func legendCommands(in box: Rect, theme: Theme) -> [DrawCommand] {
        let style = theme.annotationStyle
        let rowHeight = style.size * FontMetrics.lineHeight + 5
        var commands: [DrawCommand] = [
            .fill(.roundedRectangle(box, radius: 4), theme.plotBackground.withAlpha(0.92)),
            .stroke(.roundedRectangle(box, radius: 4), StrokeStyle(color: theme.frame, width: 1)),
        ]
        for (i, s) in series.filter(\.inLegend).enumerated() {
            let y = box.minY + 6 + rowHeight * (Double(i) + 0.5)
            let x0 = box.minX + 10
            let color = s.color.withAlpha(s.color.alpha * max(s.opacity, 0.6))
            commands.append(.stroke(.line(from: Point(x0, y), to: Point(x0 + Self.legendSample, y)),
                                    StrokeStyle(color: color, width: max(s.width, 1.5), dash: s.dash, cap: .round)))
            commands += marker(s.marker, at: Point(x0 + Self.legendSample / 2, y), color: color, radius: theme.markerRadius, theme: theme)
            commands.append(.text(s.name, at: Point(x0 + Self.legendSample + 8, y), style: style,
                                  anchor: TextAnchor(.leading, .middle), rotation: 0))
        }
        return commands
    }

    // MARK: End labels

    /// The last value of each series at the right edge, pushed apart so they never overlap.
    func endLabelCommands(_ labelled: [Series], axes: Axes, style: TextStyle, theme: Theme) -> [DrawCommand] {
        guard !labelled.isEmpty else { return [] }
        let height = style.size * FontMetrics.lineHeight + 2
        let anchors = labelled.map { axes.point($0.points.last!) }
        let positions = Self.spread(anchors.map(\.y), minimumGap: height, within: axes.plot.minY + height / 2 ... axes.plot.maxY - height / 2)
        var commands: [DrawCommand] = []
        for (i, s) in labelled.enumerated() {
            let start = Point(axes.plot.maxX + 2, anchors[i].y)
            let end = Point(axes.plot.maxX + 10, positions[i])
            commands.append(.stroke(Path([.move(start), .line(end)]), StrokeStyle(color: s.color.withAlpha(0.8), width: 1)))
            commands.append(.text(endLabelText(s), at: Point(end.x + 3, end.y), style: TextStyle(size: style.size, weight: style.weight, color: s.color),
                                  anchor: TextAnchor(.leading, .middle), rotation: 0))
        }
        return commands
    }

    /// Moves the values as little as possible (least squares) so that
    /// neighbours are at least `minimumGap` apart and all stay within `bounds`
    /// (when they fit). Sorted and shifted by `rank × gap`, the positions must
    /// only not decrease: pool-adjacent-violators gives the closest such
    /// sequence (each pool at its members' mean), and clamping it into the
    /// bounds, which are the same for every shifted value, keeps it closest.
    static func spread(_ values: [Double], minimumGap: Double, within bounds: ClosedRange<Double>) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        let shifted = order.enumerated().map { rank, index in values[index] - Double(rank) * minimumGap }
        var pools: [(sum: Double, count: Int)] = []
        for v in shifted {
            pools.append((v, 1))
            while pools.count > 1, pools[pools.count - 2].sum / Double(pools[pools.count - 2].count) > pools[pools.count - 1].sum / Double(pools[pools.count - 1].count) {
                let last = pools.removeLast()
                pools[pools.count - 1].sum += last.sum
                pools[pools.count - 1].count += last.count
            }
        }
        let low = bounds.lowerBound, high = max(bounds.upperBound - Double(max(values.count - 1, 0)) * minimumGap, low)
        var placed: [Double] = []
        for pool in pools {
            let mean = min(max(pool.sum / Double(pool.count), low), high)
            placed += Array(repeating: mean, count: pool.count)
        }
        placed = placed.enumerated().map { $0.element + Double($0.offset) * minimumGap }
        var result = values
        for (rank, index) in order.enumerated() { result[index] = placed[rank] }
        return result
    }
}
