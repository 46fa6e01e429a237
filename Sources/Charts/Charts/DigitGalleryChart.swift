import Foundation

/// A grid of digit images with a caption under each, for the test digits the
/// network got wrong: "true → predicted (confidence)".
public struct DigitGalleryChart: Sendable, Equatable {
    public struct Digit: Sendable, Equatable {
        public var pixels: [UInt8]
        public var trueLabel: Int
        public var predicted: Int
        public var confidence: Double
        public init(pixels: [UInt8], trueLabel: Int, predicted: Int, confidence: Double) {
            (self.pixels, self.trueLabel, self.predicted, self.confidence) = (pixels, trueLabel, predicted, confidence)
        }
    }

    public var title: String
    public var subtitle: String
    public var digits: [Digit]
    public var shape: (rows: Int, columns: Int)
    public var gridColumns: Int

    public init(title: String, subtitle: String, digits: [Digit], shape: (rows: Int, columns: Int) = (28, 28), gridColumns: Int = 8) {
        precondition(digits.allSatisfy { $0.pixels.count == shape.rows * shape.columns })
        (self.title, self.subtitle, self.digits, self.shape, self.gridColumns) = (title, subtitle, digits, shape, gridColumns)
    }

    public static func == (a: DigitGalleryChart, b: DigitGalleryChart) -> Bool {
        a.title == b.title && a.subtitle == b.subtitle && a.digits == b.digits && a.shape == b.shape && a.gridColumns == b.gridColumns
    }

    public static func caption(_ d: Digit) -> String {
        String(format: "%d → %d (%.2f)", d.trueLabel, d.predicted, d.confidence)
    }

    public func scene(size: Size, theme: Theme, measurer: some TextMeasuring) -> Scene {
        var scene = Scene(size: size, background: theme.background, title: title,
                          description: subtitle + ": " + digits.map(Self.caption).joined(separator: ", "))
        let pad = 18.0
        let lineHeight = FontMetrics.lineHeight
        let top = scene.addHeader(title, subtitle: subtitle, theme: theme, padding: pad) + 19
        guard !digits.isEmpty else {
            scene.add(.text("No misclassified digits.", at: Point(size.width / 2, size.height / 2), style: theme.labelStyle,
                            anchor: TextAnchor(.center, .middle), rotation: 0))
            return scene
        }
        let columns = min(gridColumns, digits.count)
        let rows = (digits.count + columns - 1) / columns
        let captionStyle = theme.textStyle(theme.annotationSize)
        let captionHeight = theme.annotationSize * lineHeight + 8
        let cellWidth = (size.width - 2 * pad) / Double(columns)
        let cellHeight = (size.height - top - pad) / Double(rows)
        let side = max(4, min(cellWidth - 14, cellHeight - captionHeight - 10))
        for (k, digit) in digits.enumerated() {
            let cx = pad + (Double(k % columns) + 0.5) * cellWidth
            let y = top + Double(k / columns) * cellHeight
            let rect = Rect(x: cx - side / 2, y: y, width: side, height: side)
            let bitmap = Bitmap(width: shape.columns, height: shape.rows, values: digit.pixels.map { Double($0) / 255 }) {
                theme.plotBackground.mixed(with: theme.text, $0)
            }
            scene.add(.image(bitmap, in: rect, smooth: false))
            scene.add(.stroke(.rectangle(rect), StrokeStyle(color: theme.secondary.withAlpha(0.55), width: 1)))
            scene.add(.text(Self.caption(digit), at: Point(cx, rect.maxY + 5), style: captionStyle, anchor: TextAnchor(.center, .top), rotation: 0))
        }
        return scene
    }

    /// A good height for `width`, so the digits come out square.
    public func preferredHeight(width: Double, theme: Theme) -> Double {
        let columns = max(1, min(gridColumns, digits.count))
        let rows = max(1, (digits.count + columns - 1) / columns)
        let cellWidth = (width - 36) / Double(columns)
        let header = Scene.headerBottom(theme: theme, subtitle: true, padding: 18) + 19
        return header + 18 + Double(rows) * (cellWidth - 14 + theme.annotationSize * FontMetrics.lineHeight + 18)
    }
}
