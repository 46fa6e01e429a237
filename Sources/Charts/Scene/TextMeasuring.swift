import Foundation

/// Measures text for layout. Render's Cairo canvas measures with the real
/// font; tests can use `ApproximateTextMeasurer`, so layout is testable
/// without Cairo.
public protocol TextMeasuring: Sendable {
    /// The advance width of `text` in logical units.
    func width(of text: String, style: TextStyle) -> Double
}

extension TextMeasuring {
    /// The box a text occupies when drawn at `point` with `anchor` (no rotation).
    /// Its height is the font's ascent plus descent, taken as 1.17 × size
    /// (DejaVu Sans: ascent 0.928, descent 0.236 of the em).
    public func bounds(of text: String, at point: Point, style: TextStyle, anchor: TextAnchor) -> Rect {
        let width = self.width(of: text, style: style)
        let ascent = FontMetrics.ascent * style.size
        let descent = FontMetrics.descent * style.size
        let x: Double = switch anchor.horizontal {
        case .leading: point.x
        case .center: point.x - width / 2
        case .trailing: point.x - width
        }
        let top: Double = switch anchor.vertical {
        case .top: point.y
        case .middle: point.y - (ascent + descent) / 2
        case .baseline: point.y - ascent
        case .bottom: point.y - ascent - descent
        }
        return Rect(x: x, y: top, width: width, height: ascent + descent)
    }

    /// The bounding box of the text turned by `rotation` radians about `point`.
    public func bounds(of text: String, at point: Point, style: TextStyle, anchor: TextAnchor, rotation: Double) -> Rect {
        let box = bounds(of: text, at: point, style: style, anchor: anchor)
        guard rotation != 0 else { return box }
        let (c, s) = (cos(rotation), sin(rotation))
        let corners = [Point(box.minX, box.minY), Point(box.maxX, box.minY), Point(box.minX, box.maxY), Point(box.maxX, box.maxY)]
            .map { p in
                let (dx, dy) = (p.x - point.x, p.y - point.y)
                return Point(point.x + dx * c - dy * s, point.y + dx * s + dy * c)
            }
        let xs = corners.map(\.x), ys = corners.map(\.y)
        return Rect(x: xs.min()!, y: ys.min()!, width: xs.max()! - xs.min()!, height: ys.max()! - ys.min()!)
    }
}

/// DejaVu Sans's vertical metrics as fractions of the font size.
public enum FontMetrics {
    public static let ascent = 0.928
    public static let descent = 0.236
    public static var lineHeight: Double { ascent + descent }
}

/// DejaVu Sans's average advance is about 0.6 em; good enough for tests of layout.
public struct ApproximateTextMeasurer: TextMeasuring {
    public var advance: Double

    public init(advance: Double = 0.6) { self.advance = advance }

    public func width(of text: String, style: TextStyle) -> Double {
        Double(text.count) * advance * style.size * (style.weight == .bold ? 1.1 : 1)
    }
}
