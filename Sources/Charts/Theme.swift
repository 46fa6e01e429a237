/// Every colour, size and stroke a chart uses. Charts never hard-code a
/// colour: a theme is data, like matplotlib's `.mplstyle` files.
public struct Theme: Sendable, Equatable {
    // MARK: Surfaces and text
    public var background: Color
    public var plotBackground: Color
    public var text: Color
    public var mutedText: Color
    public var axis: Color
    public var grid: Color
    public var frame: Color

    // MARK: Data
    /// The accuracy chart's train and test colours (and other first/second series).
    public var primary: Color
    public var secondary: Color
    /// Diagram layers: input, hidden, output.
    public var layerColors: [Color]
    /// Diverging colour map: negative, zero, positive.
    public var negative: Color
    public var neutral: Color
    public var positive: Color
    /// Sequential colour map for heatmaps (low → high).
    public var sequential: Colormap
    /// Ten distinct colours for categories (the digits): Tableau 10, which
    /// stays readable on the dark background.
    public var categorical: [Color] = [
        0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F, 0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F, 0xBAB0AC,
    ].map { Color(hex: $0) }

    // MARK: Type
    public var titleSize: Double
    public var labelSize: Double
    public var tickSize: Double
    public var annotationSize: Double

    // MARK: Strokes
    public var lineWidth: Double
    public var markerRadius: Double
    public var gridWidth: Double
    public var axisWidth: Double

    public init(
        background: Color, plotBackground: Color, text: Color, mutedText: Color, axis: Color, grid: Color, frame: Color,
        primary: Color, secondary: Color, layerColors: [Color], negative: Color, neutral: Color, positive: Color,
        sequential: Colormap, titleSize: Double, labelSize: Double, tickSize: Double, annotationSize: Double,
        lineWidth: Double, markerRadius: Double, gridWidth: Double, axisWidth: Double
    ) {
        self.background = background
        self.plotBackground = plotBackground
        self.text = text
        self.mutedText = mutedText
        self.axis = axis
        self.grid = grid
        self.frame = frame
        self.primary = primary
        self.secondary = secondary
        self.layerColors = layerColors
        self.negative = negative
        self.neutral = neutral
        self.positive = positive
        self.sequential = sequential
        self.titleSize = titleSize
        self.labelSize = labelSize
        self.tickSize = tickSize
        self.annotationSize = annotationSize
        self.lineWidth = lineWidth
        self.markerRadius = markerRadius
        self.gridWidth = gridWidth
        self.axisWidth = axisWidth
    }

    /// The default: near-black, light text, a faint grid, and Paul Tol's
    /// colour-blind-safe pair cyan #88CCEE (L* 79) and orange #EE7733 (L* 64)
    /// for train and test, which differ in lightness as well as hue.
    public static let dark = Theme(
        background: Color(hex: 0x111317),
        plotBackground: Color(hex: 0x16191E),
        text: Color(hex: 0xE8EAED),
        mutedText: Color(hex: 0xA4AAB3),
        axis: Color(hex: 0x80868F),
        grid: Color(hex: 0xFFFFFF, alpha: 0.09),
        frame: Color(hex: 0x3A3F47),
        primary: Color(hex: 0x88CCEE),
        secondary: Color(hex: 0xEE7733),
        layerColors: [Color(hex: 0x88CCEE), Color(hex: 0xDDCC77), Color(hex: 0xEE8866)],
        negative: Color(hex: 0xEE7733),
        neutral: Color(hex: 0x16191E),
        positive: Color(hex: 0x33BBEE),
        sequential: .viridis,
        titleSize: 17, labelSize: 12.5, tickSize: 11, annotationSize: 11,
        lineWidth: 2, markerRadius: 3.6, gridWidth: 0.8, axisWidth: 1)

    public func textStyle(_ size: Double, _ weight: TextStyle.Weight = .regular, muted: Bool = false) -> TextStyle {
        TextStyle(size: size, weight: weight, color: muted ? mutedText : text)
    }

    public var titleStyle: TextStyle { textStyle(titleSize, .bold) }
    public var labelStyle: TextStyle { textStyle(labelSize) }
    public var tickStyle: TextStyle { textStyle(tickSize, muted: true) }
    public var annotationStyle: TextStyle { textStyle(annotationSize) }

    /// `count` evenly spaced colours of the diverging map, from -1 to 1 (a GIF palette's fixed entries).
    public func divergingRamp(_ count: Int) -> [Color] {
        (0 ..< count).map { diverging(Double($0) / Double(max(count - 1, 1)) * 2 - 1) }
    }

    /// Diverging map: t in -1...1 → negative … neutral … positive.
    public func diverging(_ t: Double) -> Color {
        let t = min(max(t, -1), 1)
        return t < 0 ? neutral.mixed(with: negative, -t) : neutral.mixed(with: positive, t)
    }
}
