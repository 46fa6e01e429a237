/// The title block every picture opens with: a bold title and a muted
/// subtitle at the top left.
extension Scene {
    /// The y just below a header drawn `padding` from the top edge.
    public static func headerBottom(theme: Theme, subtitle: Bool, padding: Double) -> Double {
        padding + theme.titleSize * FontMetrics.lineHeight + (subtitle ? 3 + theme.labelSize * FontMetrics.lineHeight : 0)
    }

    /// Draws the title (and subtitle) `padding` from the top left; returns the y just below.
    @discardableResult
    public mutating func addHeader(_ title: String, subtitle: String?, theme: Theme, padding: Double) -> Double {
        add(.text(title, at: Point(padding, padding), style: theme.titleStyle, anchor: TextAnchor(.leading, .top), rotation: 0))
        if let subtitle {
            add(.text(subtitle, at: Point(padding, padding + theme.titleSize * FontMetrics.lineHeight + 3),
                      style: theme.textStyle(theme.labelSize, muted: true), anchor: TextAnchor(.leading, .top), rotation: 0))
        }
        return Self.headerBottom(theme: theme, subtitle: subtitle != nil, padding: padding)
    }
}
