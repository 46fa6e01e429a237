/// A vector path in logical units.
public struct Path: Sendable, Equatable {
    public enum Element: Sendable, Equatable {
        case move(Point)
        case line(Point)
        /// A full or partial circle: angles in radians, clockwise on screen.
        case arc(center: Point, radius: Double, from: Double, to: Double)
        case close
    }

    public var elements: [Element] = []

    public init(_ elements: [Element] = []) { self.elements = elements }

    public mutating func move(to p: Point) { elements.append(.move(p)) }
    public mutating func line(to p: Point) { elements.append(.line(p)) }
    public mutating func close() { elements.append(.close) }

    public static func line(from a: Point, to b: Point) -> Path { Path([.move(a), .line(b)]) }

    /// Straight segments through the points; a non-finite point breaks the line.
    public static func polyline(_ points: [Point]) -> Path {
        var path = Path()
        var drawing = false
        for p in points {
            guard p.x.isFinite, p.y.isFinite else { drawing = false; continue }
            path.elements.append(drawing ? .line(p) : .move(p))
            drawing = true
        }
        return path
    }

    /// An × of two strokes through `center`, `radius` from it along each diagonal.
    public static func cross(center c: Point, radius r: Double) -> Path {
        Path([.move(Point(c.x - r, c.y - r)), .line(Point(c.x + r, c.y + r)), .move(Point(c.x - r, c.y + r)), .line(Point(c.x + r, c.y - r))])
    }

    public static func rectangle(_ r: Rect) -> Path {
        Path([.move(Point(r.minX, r.minY)), .line(Point(r.maxX, r.minY)), .line(Point(r.maxX, r.maxY)),
              .line(Point(r.minX, r.maxY)), .close])
    }

    public static func circle(center: Point, radius: Double) -> Path {
        Path([.move(Point(center.x + radius, center.y)), .arc(center: center, radius: radius, from: 0, to: 2 * .pi), .close])
    }

    /// A rectangle with rounded corners.
    public static func roundedRectangle(_ r: Rect, radius: Double) -> Path {
        let k = min(radius, r.width / 2, r.height / 2)
        return Path([
            .move(Point(r.minX + k, r.minY)),
            .arc(center: Point(r.maxX - k, r.minY + k), radius: k, from: -.pi / 2, to: 0),
            .arc(center: Point(r.maxX - k, r.maxY - k), radius: k, from: 0, to: .pi / 2),
            .arc(center: Point(r.minX + k, r.maxY - k), radius: k, from: .pi / 2, to: .pi),
            .arc(center: Point(r.minX + k, r.minY + k), radius: k, from: .pi, to: 3 * .pi / 2),
            .close,
        ])
    }

    /// Every point the path names (arc extremes included), for bounds checks.
    public var bounds: Rect? {
        var xs: [Double] = []
        var ys: [Double] = []
        for e in elements {
            switch e {
            case let .move(p), let .line(p): xs.append(p.x); ys.append(p.y)
            case let .arc(c, r, _, _): xs += [c.x - r, c.x + r]; ys += [c.y - r, c.y + r]
            case .close: break
            }
        }
        guard let minX = xs.min(), let maxX = xs.max(), let minY = ys.min(), let maxY = ys.max() else { return nil }
        return Rect(x: minX, y: minY, width: maxX - minX, height: maxY - minY)
    }
}

public struct StrokeStyle: Sendable, Equatable {
    public enum Cap: Sendable, Equatable { case butt, round, square }
    public var color: Color
    public var width: Double
    /// On/off lengths in logical units; empty for a solid line.
    public var dash: [Double]
    public var cap: Cap

    public init(color: Color, width: Double, dash: [Double] = [], cap: Cap = .butt) {
        (self.color, self.width, self.dash, self.cap) = (color, width, dash, cap)
    }
}

public struct TextStyle: Sendable, Equatable, Hashable {
    public enum Weight: Sendable, Equatable, Hashable { case regular, bold }
    public var size: Double
    public var weight: Weight
    public var color: Color

    public init(size: Double, weight: Weight = .regular, color: Color) {
        (self.size, self.weight, self.color) = (size, weight, color)
    }
}

/// Where a text's reference point sits on its box.
public struct TextAnchor: Sendable, Equatable {
    public enum Horizontal: Sendable, Equatable { case leading, center, trailing }
    /// `top` and `bottom` are the font's ascent and descent lines, `middle`
    /// half-way between them.
    public enum Vertical: Sendable, Equatable { case top, middle, baseline, bottom }
    public var horizontal: Horizontal
    public var vertical: Vertical

    public init(_ horizontal: Horizontal, _ vertical: Vertical) {
        (self.horizontal, self.vertical) = (horizontal, vertical)
    }
}

/// A raster image: `width * height` RGBA pixels, row-major, straight alpha.
public struct Bitmap: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var rgba: [UInt8]

    public init(width: Int, height: Int, rgba: [UInt8]) {
        precondition(rgba.count == width * height * 4)
        (self.width, self.height, self.rgba) = (width, height, rgba)
    }

    /// Maps each value through `color` (row-major values, `width` per row).
    public init(width: Int, height: Int, values: [Double], color: (Double) -> Color) {
        var rgba = [UInt8]()
        rgba.reserveCapacity(values.count * 4)
        for v in values {
            let c = color(v)
            for channel in [c.red, c.green, c.blue, c.alpha] {
                rgba.append(UInt8((min(max(channel, 0), 1) * 255).rounded()))
            }
        }
        self.init(width: width, height: height, rgba: rgba)
    }
}

/// One drawing operation. The canvas knows only these: paths, text and images.
public enum DrawCommand: Sendable, Equatable {
    case fill(Path, Color)
    case stroke(Path, StrokeStyle)
    /// `rotation` in radians, clockwise, about the anchor point.
    case text(String, at: Point, style: TextStyle, anchor: TextAnchor, rotation: Double)
    /// Drawn scaled into `rect`; `smooth: false` keeps pixels sharp.
    case image(Bitmap, in: Rect, smooth: Bool)
    /// The commands, clipped to the rectangle.
    case clipped(Rect, [DrawCommand])
}

/// A finished picture: what a chart lays out and a canvas draws.
public struct Scene: Sendable, Equatable {
    public var size: Size
    public var background: Color
    public var commands: [DrawCommand]
    /// Stored in the image files (PNG tEXt chunks, PDF and SVG metadata).
    public var title: String
    public var description: String

    public init(size: Size, background: Color, commands: [DrawCommand] = [], title: String, description: String = "") {
        (self.size, self.background, self.commands, self.title, self.description) =
            (size, background, commands, title, description)
    }

    public mutating func add(_ command: DrawCommand) { commands.append(command) }
    public mutating func add(contentsOf commands: [DrawCommand]) { self.commands += commands }

    /// Every text command, with its clipping ancestors flattened (for tests).
    public var texts: [(String, Point, TextStyle, TextAnchor, Double)] {
        func walk(_ commands: [DrawCommand]) -> [(String, Point, TextStyle, TextAnchor, Double)] {
            commands.flatMap { command -> [(String, Point, TextStyle, TextAnchor, Double)] in
                switch command {
                case let .text(s, p, style, anchor, rotation): [(s, p, style, anchor, rotation)]
                case let .clipped(_, inner): walk(inner)
                default: []
                }
            }
        }
        return walk(commands)
    }
}
