import Foundation

/// What each hidden unit looks for: its incoming weights (a column of W1)
/// drawn as an image tile, on a diverging colour map centred at zero.
public struct WeightTilesChart: Sendable, Equatable {
    /// One array of `rows * columns` weights per hidden unit.
    public var tiles: [[Double]]
    public var tileShape: (rows: Int, columns: Int)

    public init(tiles: [[Double]], tileShape: (rows: Int, columns: Int)) {
        precondition(tiles.allSatisfy { $0.count == tileShape.rows * tileShape.columns })
        self.tiles = tiles
        self.tileShape = tileShape
    }

    public static func == (a: WeightTilesChart, b: WeightTilesChart) -> Bool {
        a.tiles == b.tiles && a.tileShape == b.tileShape
    }

    /// Columns of the grid: ⌈√n⌉ (16 units → 4×4).
    public var gridColumns: Int { max(1, Int(Double(tiles.count).squareRoot().rounded(.up))) }
    public var gridRows: Int { (tiles.count + gridColumns - 1) / gridColumns }

    /// The colour scale runs over ±limit: the 99.5th percentile of |w|, so a
    /// few extreme weights do not wash out the rest.
    public var limit: Double {
        let magnitudes = tiles.joined().map(abs).sorted()
        guard !magnitudes.isEmpty else { return 1 }
        let value = magnitudes[min(magnitudes.count - 1, Int(Double(magnitudes.count) * 0.995))]
        return value > 0 ? value : 1
    }

    /// A good height for the picture at `width`, so the tiles are square.
    public func preferredHeight(width: Double) -> Double {
        let layout = Self.chrome
        let gridWidth = width - layout.horizontal
        let tile = gridWidth / Double(gridColumns)
        return layout.vertical + tile * Double(gridRows)
    }

    static let chrome = (horizontal: 18.0 * 2 + 90, vertical: 18.0 * 2 + 64)

    /// The side of a grid cell in `area` and the gap inside it.
    static func tileSize(in area: Rect, columns: Int, rows: Int) -> (tile: Double, gap: Double) {
        let tile = min(area.width / Double(columns), area.height / Double(rows))
        return (tile, max(1.5, tile * 0.06))
    }

    /// The tiles in a grid from the top left of `area`, each unit's weights
    /// coloured on the diverging map over ±`limit`.
    func tileCommands(in area: Rect, limit: Double, theme: Theme) -> [DrawCommand] {
        let (tile, gap) = Self.tileSize(in: area, columns: gridColumns, rows: gridRows)
        var commands: [DrawCommand] = []
        for (k, weights) in tiles.enumerated() {
            let rect = Rect(x: area.minX + Double(k % gridColumns) * tile, y: area.minY + Double(k / gridColumns) * tile, width: tile - gap, height: tile - gap)
            let bitmap = Bitmap(width: tileShape.columns, height: tileShape.rows, values: weights) { theme.diverging($0 / limit) }
            commands.append(.image(bitmap, in: rect, smooth: false))
            commands.append(.stroke(.rectangle(rect), StrokeStyle(color: theme.frame, width: 0.6)))
        }
        return commands
    }

    public func scene(size: Size, theme: Theme, measurer: some TextMeasuring) -> Scene {
        let limit = self.limit
        var scene = Scene(size: size, background: theme.background, title: "Hidden-Unit Weights",
                          description: "Incoming weights of \(tiles.count) hidden units as \(tileShape.rows)x\(tileShape.columns) tiles, colour scale ±\(String(format: "%.3g", limit))")
        let pad = 18.0
        scene.addHeader(
            "Hidden-Unit Weights",
            subtitle: "Incoming weights of each of the \(tiles.count) hidden units (columns of W1), as \(tileShape.rows) × \(tileShape.columns) images",
            theme: theme, padding: pad)
        let area = Rect(x: pad, y: pad + Self.chrome.vertical - 2 * pad, width: size.width - Self.chrome.horizontal, height: size.height - Self.chrome.vertical)
        let (tile, gap) = Self.tileSize(in: area, columns: gridColumns, rows: gridRows)
        scene.add(contentsOf: tileCommands(in: area, limit: limit, theme: theme))

        // Colour bar.
        let bar = Rect(x: size.width - pad - 62, y: area.minY, width: 14, height: min(area.height, tile * Double(gridRows)) - gap)
        let steps = 64
        let bitmap = Bitmap(width: 1, height: steps, values: (0 ..< steps).map { 1 - 2 * (Double($0) + 0.5) / Double(steps) }) { theme.diverging($0) }
        scene.add(.image(bitmap, in: bar, smooth: true))
        scene.add(.stroke(.rectangle(bar), StrokeStyle(color: theme.frame, width: 0.8)))
        let style = theme.tickStyle
        for (value, fraction) in [(limit, 0.0), (0, 0.5), (-limit, 1.0)] {
            let y = bar.minY + bar.height * fraction
            scene.add(.stroke(.line(from: Point(bar.maxX, y), to: Point(bar.maxX + 4, y)), StrokeStyle(color: theme.axis, width: 1)))
            scene.add(.text(value == 0 ? "0" : String(format: "%+.2f", value), at: Point(bar.maxX + 7, y), style: style,
                            anchor: TextAnchor(.leading, .middle), rotation: 0))
        }
        return scene
    }
}
