import Foundation

/// A grid of cells coloured by value, with the value written in every cell
/// and one cell outlined: final test accuracy over two swept settings.
public struct HeatmapChart: Sendable, Equatable {
    public struct Cell: Sendable, Equatable {
        /// nil: no value (every run there diverged); the cell is drawn empty.
        public var value: Double?
        /// Written in the cell, a line per element ("0.9494", "± 0.0012").
        public var lines: [String]
        public init(value: Double?, lines: [String]) { (self.value, self.lines) = (value, lines) }
    }

    public var title: String
    public var subtitle: String?
    public var rowTitle: String
    public var columnTitle: String
    public var rows: [String]
    public var columns: [String]
    /// `cells[row][column]`.
    public var cells: [[Cell]]
    /// The outlined cell.
    public var highlighted: (row: Int, column: Int)?
    public var colorBar: ColorBar
    public var description: String

    public init(
        title: String, subtitle: String?, rowTitle: String, columnTitle: String, rows: [String], columns: [String], cells: [[Cell]],
        highlighted: (row: Int, column: Int)?, colorBar: ColorBar, description: String = ""
    ) {
        precondition(cells.count == rows.count && cells.allSatisfy { $0.count == columns.count })
        (self.title, self.subtitle, self.rowTitle, self.columnTitle) = (title, subtitle, rowTitle, columnTitle)
        (self.rows, self.columns, self.cells, self.highlighted, self.colorBar, self.description) =
            (rows, columns, cells, highlighted, colorBar, description)
    }

    public static func == (a: HeatmapChart, b: HeatmapChart) -> Bool {
        a.title == b.title && a.subtitle == b.subtitle && a.rowTitle == b.rowTitle && a.columnTitle == b.columnTitle && a.rows == b.rows
            && a.columns == b.columns && a.cells == b.cells && a.highlighted?.row == b.highlighted?.row
            && a.highlighted?.column == b.highlighted?.column && a.colorBar == b.colorBar && a.description == b.description
    }

    public func scene(size: Size, theme: Theme, measurer: some TextMeasuring) -> Scene {
        let pad = 18.0, lineHeight = FontMetrics.lineHeight
        var scene = Scene(size: size, background: theme.background, title: title, description: description)
        let header = scene.addHeader(title, subtitle: subtitle, theme: theme, padding: pad)
        let tick = theme.textStyle(theme.labelSize, muted: true)
        let top = header + 16 + theme.labelSize * lineHeight + 4 + tick.size * lineHeight + 6
        let left = pad + theme.labelSize * lineHeight + 10 + (rows.map { measurer.width(of: $0, style: tick) }.max() ?? 0) + 10
        let barHeight = size.height - top - pad
        let barWidth = colorBar.width(height: barHeight, theme: theme, measurer: measurer)
        let available = Size(size.width - left - pad - barWidth - 36, size.height - top - pad)
        let cell = min(available.width / Double(columns.count), available.height / Double(rows.count), 150)
        let grid = Rect(x: left, y: top, width: cell * Double(columns.count), height: cell * Double(rows.count))

        let largest = cells.joined().map { $0.lines.count }.max() ?? 1
        let textSize = min(theme.annotationSize + 2, cell * 0.2, cell / (Double(largest) * lineHeight + 0.6))
        for (i, row) in cells.enumerated() {
            for (j, entry) in row.enumerated() {
                let rect = Rect(x: grid.minX + Double(j) * cell, y: grid.minY + Double(i) * cell, width: cell, height: cell)
                let color = entry.value.map(colorBar.color) ?? theme.plotBackground
                scene.add(.fill(.rectangle(rect.inset(by: 1)), color))
                if entry.value == nil {
                    scene.add(.stroke(.rectangle(rect.inset(by: 1)), StrokeStyle(color: theme.frame, width: 1, dash: [3, 3])))
                }
                let ink = entry.value == nil ? theme.mutedText
                    : (color.contrast(with: .black) >= color.contrast(with: .white) ? Color.black : Color.white)
                let best = highlighted.map { $0.row == i && $0.column == j } ?? false
                let first = rect.midY - Double(entry.lines.count - 1) * textSize * lineHeight / 2
                for (k, line) in entry.lines.enumerated() {
                    let style = TextStyle(size: k == 0 ? textSize : textSize * 0.85, weight: k == 0 && best ? .bold : .regular, color: ink)
                    scene.add(.text(line, at: Point(rect.midX, first + Double(k) * textSize * lineHeight), style: style,
                                    anchor: TextAnchor(.center, .middle), rotation: 0))
                }
            }
            scene.add(.text(rows[i], at: Point(grid.minX - 10, grid.minY + (Double(i) + 0.5) * cell), style: tick,
                            anchor: TextAnchor(.trailing, .middle), rotation: 0))
        }
        for (j, column) in columns.enumerated() {
            scene.add(.text(column, at: Point(grid.minX + (Double(j) + 0.5) * cell, grid.minY - 6), style: tick,
                            anchor: TextAnchor(.center, .bottom), rotation: 0))
        }
        if let (i, j) = highlighted {
            let rect = Rect(x: grid.minX + Double(j) * cell, y: grid.minY + Double(i) * cell, width: cell, height: cell)
            scene.add(.stroke(.rectangle(rect.inset(by: 2)), StrokeStyle(color: theme.background, width: 5)))
            scene.add(.stroke(.rectangle(rect.inset(by: 2)), StrokeStyle(color: theme.text, width: 2.5)))
        }
        scene.add(.text(columnTitle, at: Point(grid.midX, grid.minY - 6 - tick.size * lineHeight - 4), style: theme.labelStyle,
                        anchor: TextAnchor(.center, .bottom), rotation: 0))
        scene.add(.text(rowTitle, at: Point(pad, grid.midY), style: theme.labelStyle, anchor: TextAnchor(.center, .top), rotation: -.pi / 2))
        scene.add(contentsOf: colorBar.commands(
            in: Rect(x: grid.maxX + 36, y: grid.minY - theme.tickSize * lineHeight - 6, width: barWidth,
                     height: grid.height + theme.tickSize * lineHeight + 6),
            theme: theme, measurer: measurer))
        return scene
    }
}
