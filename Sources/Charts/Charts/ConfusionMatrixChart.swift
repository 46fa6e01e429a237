import Foundation

/// The test-set confusion matrix as a heatmap: rows are true classes,
/// columns predicted ones; each cell shows its count, coloured on a log scale
/// so that the rare mistakes stay visible next to the large diagonal.
public struct ConfusionMatrixChart: Sendable, Equatable {
    /// `counts[true][predicted]`.
    public var counts: [[Int]]
    public var labels: [String]

    public init(counts: [[Int]], labels: [String]? = nil) {
        precondition(!counts.isEmpty && counts.allSatisfy { $0.count == counts.count })
        self.counts = counts
        self.labels = labels ?? counts.indices.map(String.init)
    }

    /// Per-class recall: the diagonal over each row's total.
    public var recall: [Double] {
        counts.enumerated().map { i, row in
            let total = row.reduce(0, +)
            return total == 0 ? 0 : Double(row[i]) / Double(total)
        }
    }

    public var accuracy: Double {
        let total = counts.joined().reduce(0, +)
        return total == 0 ? 0 : Double(counts.indices.map { counts[$0][$0] }.reduce(0, +)) / Double(total)
    }

    /// The colour position of a count: log(1 + count) / log(1 + largest).
    func level(_ count: Int, maximum: Int) -> Double {
        maximum == 0 ? 0 : log1p(Double(count)) / log1p(Double(maximum))
    }

    public func scene(size: Size, theme: Theme, measurer: some TextMeasuring) -> Scene {
        let n = counts.count
        let total = counts.joined().reduce(0, +)
        var scene = Scene(
            size: size, background: theme.background, title: "Confusion Matrix (test set)",
            description: "Rows: true class, columns: predicted class; " + counts.map { $0.map(String.init).joined(separator: " ") }.joined(separator: " | "))
        let pad = 18.0
        let lineHeight = FontMetrics.lineHeight
        let header = scene.addHeader(
            "Confusion Matrix (test set)",
            subtitle: String(format: "%@ images, accuracy %.2f %% · colour: log(1 + count)", grouped(total), accuracy * 100),
            theme: theme, padding: pad)

        // Grid geometry: axis title and class labels on the left and on top, recall on the right.
        let top = header + 17 + theme.labelSize * lineHeight + 6 + theme.tickSize * lineHeight + 6
        let recallStyle = theme.textStyle(theme.tickSize)
        let recallWidth = max(measurer.width(of: "100.0 %", style: recallStyle), measurer.width(of: "recall", style: theme.labelStyle)) + 16
        let left = pad + theme.labelSize * lineHeight + 10 + (labels.map { measurer.width(of: $0, style: theme.tickStyle) }.max() ?? 0) + 8
        let side = min(size.width - left - recallWidth - pad, size.height - top - pad)
        let cell = side / Double(n)
        let grid = Rect(x: left, y: top, width: cell * Double(n), height: cell * Double(n))
        let maximum = counts.joined().max() ?? 0
        let countSize = min(theme.annotationSize, cell * 0.34)

        for (i, row) in counts.enumerated() {
            for (j, count) in row.enumerated() {
                let rect = Rect(x: grid.minX + Double(j) * cell, y: grid.minY + Double(i) * cell, width: cell, height: cell)
                let color = theme.sequential(level(count, maximum: maximum))
                scene.add(.fill(.rectangle(rect.inset(by: 0.5)), color))
                let ink = color.contrast(with: .black) >= color.contrast(with: .white) ? Color.black : Color.white
                scene.add(.text(String(count), at: rect.center, style: TextStyle(size: countSize, weight: i == j ? .bold : .regular, color: ink),
                                anchor: TextAnchor(.center, .middle), rotation: 0))
            }
            let y = grid.minY + (Double(i) + 0.5) * cell
            scene.add(.text(labels[i], at: Point(grid.minX - 8, y), style: theme.tickStyle, anchor: TextAnchor(.trailing, .middle), rotation: 0))
            scene.add(.text(String(format: "%.1f %%", recall[i] * 100), at: Point(grid.maxX + 10, y), style: recallStyle,
                            anchor: TextAnchor(.leading, .middle), rotation: 0))
        }
        for j in 0 ..< n {
            scene.add(.text(labels[j], at: Point(grid.minX + (Double(j) + 0.5) * cell, grid.minY - 6), style: theme.tickStyle,
                            anchor: TextAnchor(.center, .bottom), rotation: 0))
        }
        scene.add(.text("predicted", at: Point(grid.midX, grid.minY - 6 - theme.tickSize * lineHeight - 6), style: theme.labelStyle,
                        anchor: TextAnchor(.center, .bottom), rotation: 0))
        scene.add(.text("true", at: Point(pad, grid.midY), style: theme.labelStyle, anchor: TextAnchor(.center, .top), rotation: -.pi / 2))
        scene.add(.text("recall", at: Point(grid.maxX + 10, grid.minY - 6), style: theme.labelStyle, anchor: TextAnchor(.leading, .bottom), rotation: 0))
        return scene
    }
}
