import Foundation
import Testing

@testable import Charts

/// Layout is pure: these run without Cairo, measuring text with DejaVu Sans's
/// average advance, and check what a reader would notice first.
@Suite("Layout")
struct LayoutTests {
    static let measurer = ApproximateTextMeasurer()

    static func textBoxes(_ scene: Scene) -> [(String, Rect)] {
        scene.texts.map { text, point, style, anchor, rotation in
            (text, measurer.bounds(of: text, at: point, style: style, anchor: anchor, rotation: rotation))
        }
    }

    /// Every text lies inside the picture and no two texts overlap.
    static func expectTidy(_ scene: Scene, sourceLocation: SourceLocation = #_sourceLocation) {
        let frame = Rect(x: 0, y: 0, width: scene.size.width, height: scene.size.height)
        let boxes = textBoxes(scene)
        for (text, box) in boxes where !frame.contains(box) {
            Issue.record("\"\(text)\" leaves the picture: \(box)", sourceLocation: sourceLocation)
        }
        for i in boxes.indices {
            for j in boxes.indices where j > i && boxes[i].1.inset(by: 0.5).intersects(boxes[j].1.inset(by: 0.5)) {
                Issue.record("\"\(boxes[i].0)\" overlaps \"\(boxes[j].0)\"", sourceLocation: sourceLocation)
            }
        }
    }

    static let reference: ([Double], [Double]) = (
        [0.1044, 0.7972, 0.8793, 0.8988, 0.9080, 0.9144, 0.9208, 0.9234, 0.9267, 0.9296, 0.9328, 0.9362, 0.9379, 0.9406, 0.9426, 0.9445, 0.9467],
        [0.1028, 0.8013, 0.8849, 0.9030, 0.9129, 0.9172, 0.9214, 0.9246, 0.9269, 0.9305, 0.9321, 0.9369, 0.9375, 0.9391, 0.9403, 0.9408, 0.9430])

    // MARK: Accuracy chart

    @Test("the accuracy chart: title, styles, legend, final values and the inset")
    func accuracyChart() {
        let (train, test) = Self.reference
        let chart = AccuracyChart.make(epochs: Array(0 ..< 17), train: train, test: test, theme: .dark)
        #expect(chart.title == "Training vs Test Accuracy")
        #expect(chart.series[0].dash.isEmpty && chart.series[0].marker == .circle)
        #expect(!chart.series[1].dash.isEmpty && chart.series[1].marker == .square)
        #expect(chart.yAxis.range == 0 ... 1)
        #expect(chart.legend == .lowerRight)
        #expect(chart.inset?.xRange == 8 ... 16)
        let scene = chart.scene(size: Size(800, 500), theme: .dark, measurer: Self.measurer)
        let texts = Set(scene.texts.map(\.0))
        #expect(texts.isSuperset(of: ["Training vs Test Accuracy", "epoch", "accuracy", "train 0.9467", "test 0.9430", "train", "test"]))
        #expect(texts.isSuperset(of: ["0", "8", "16", "0.0", "0.2", "1.0"]))
        Self.expectTidy(scene)
    }

    @Test("the final-value labels are pushed apart when the values nearly coincide")
    func endLabelsSeparate() {
        let chart = AccuracyChart.make(epochs: [0, 1, 2], train: [0.5, 0.9, 0.9501], test: [0.5, 0.9, 0.9500], theme: .dark)
        let scene = chart.scene(size: Size(800, 500), theme: .dark, measurer: Self.measurer)
        let boxes = Self.textBoxes(scene).filter { $0.0.hasPrefix("train 0.95") || $0.0.hasPrefix("test 0.95") }
        #expect(boxes.count == 2)
        #expect(!boxes[0].1.intersects(boxes[1].1))
    }

    @Test("the legend and the inset do not cover each other or the curves")
    func insetPlacement() {
        let (train, test) = Self.reference
        let chart = AccuracyChart.make(epochs: Array(0 ..< 17), train: train, test: test, theme: .dark)
        let scene = chart.scene(size: Size(800, 500), theme: .dark, measurer: Self.measurer)
        let boxes = Self.textBoxes(scene)
        let insetTitle = boxes.first { $0.0.hasPrefix("Epochs 8–16") }!.1
        let legend = boxes.first { $0.0 == "train" }!.1
        #expect(!insetTitle.intersects(legend))
        // The inset sits below the curves' plateau (accuracy ≥ 0.88 is near the top).
        #expect(insetTitle.minY > 150)
    }

    @Test("the legend leaves the lower right when the curves run through it")
    func legendMoves() {
        let low = AccuracyChart.make(epochs: [0, 1, 2], train: [0.1, 0.1, 0.09], test: [0.1, 0.1, 0.09], theme: .dark)
        let high = AccuracyChart.make(epochs: [0, 1, 2], train: [0.5, 0.9, 0.95], test: [0.5, 0.9, 0.94], theme: .dark)
        func legendY(_ chart: LineChart) -> Double {
            chart.scene(size: Size(800, 500), theme: .dark, measurer: Self.measurer).texts.first { $0.0 == "train" }!.1.y
        }
        #expect(legendY(high) > 350)  // the preferred lower right
        #expect(legendY(low) < 150)  // moved up, off the curves
    }

    @Test("any number of epochs and any values in [0, 1] lay out without overlapping text")
    func property() {
        var random = SplitMix(seed: 17)
        for epochs in [1, 2, 3, 4, 5, 10, 17, 40, 99, 100, 250, 500] {
            let train = (0 ..< epochs).map { _ in random.unit() }
            let test = (0 ..< epochs).map { _ in random.unit() }
            let chart = AccuracyChart.make(epochs: Array(0 ..< epochs), train: train, test: test, theme: .dark)
            Self.expectTidy(chart.scene(size: Size(800, 500), theme: .dark, measurer: Self.measurer))
        }
        // The extremes: all zero, all one, identical curves.
        for value in [0.0, 1.0] {
            let flat = Array(repeating: value, count: 12)
            Self.expectTidy(AccuracyChart.make(epochs: Array(0 ..< 12), train: flat, test: flat, theme: .dark)
                .scene(size: Size(800, 500), theme: .dark, measurer: Self.measurer))
        }
    }

    @Test func spread() {
        #expect(LineChart.spread([10, 11], minimumGap: 10, within: 0 ... 100) == [5.5, 15.5])
        #expect(LineChart.spread([99, 100], minimumGap: 10, within: 0 ... 100) == [90, 100])
        #expect(LineChart.spread([50, 10], minimumGap: 10, within: 0 ... 100) == [50, 10])
    }

    // MARK: Loss chart

    @Test func movingAverage() {
        #expect(LossChart.movingAverage([1, 2, 3, 4, 5], window: 3) == [1.5, 2, 3, 4, 4.5])
        #expect(LossChart.movingAverage([1, 2, 3, 4, 5], window: 2) == [1, 1.5, 2.5, 3.5, 4.5])
        #expect(LossChart.movingAverage([4, 2], window: 10) == [3, 3])
        #expect(LossChart.movingAverage([7, 7, 7], window: 1) == [7, 7, 7])
    }

    @Test("the loss chart marks epochs and offers a log axis")
    func lossChart() {
        let losses = (0 ..< 1000).map { 2.3 * exp(-Double($0) / 200) + 0.05 }
        let log = LossChart.make(losses: losses, epochLength: 100, logarithmic: true, theme: .dark)
        #expect(log.guides == stride(from: 100.0, to: 1000, by: 100).map { $0 })
        #expect(log.yAxis.kind == .logarithmic)
        let scene = log.scene(size: Size(800, 450), theme: .dark, measurer: Self.measurer)
        #expect(Set(scene.texts.map(\.0)).isSuperset(of: ["0.1", "1", "loss (log scale)", "iteration"]))
        Self.expectTidy(scene)
        let linear = LossChart.make(losses: losses, epochLength: 100, logarithmic: false, theme: .dark)
        Self.expectTidy(linear.scene(size: Size(800, 450), theme: .dark, measurer: Self.measurer))
    }

    // MARK: Diagram

    @Test("the diagram draws round neurons, a subset with the true count, and the parameter counts")
    func diagram() {
        let diagram = NetworkDiagram.twoLayer(hidden: 50)
        #expect(diagram.totalParameters == 39_760)
        #expect(diagram.parameterCounts.map(\.total) == [39_250, 510])
        let scene = diagram.scene(size: Size(900, 520), theme: .dark, measurer: Self.measurer)
        let texts = Set(scene.texts.map(\.0))
        #expect(texts.isSuperset(of: [
            "W1 784×50 + b1 50 = 39,250", "W2 50×10 + b2 10 = 510", "39,760 parameters", "774 more", "40 more",
            "784 = 28 × 28", "50 units", "10 units", "sigmoid", "softmax", "Two-Layer Network: 784 → 50 → 10",
        ]))
        // Neurons are circles (full arcs), all of one radius: never ellipses.
        let radii = scene.commands.compactMap { command -> Double? in
            guard case let .fill(path, _) = command, path.elements.count == 3, case let .arc(_, r, a0, a1) = path.elements[1],
                  a1 - a0 == 2 * .pi, r > 3 else { return nil }
            return r
        }
        #expect(radii.count == 10 + 10 + 10)
        #expect(Set(radii).count == 1)
        Self.expectTidy(scene)
    }

    @Test("the diagram follows the configuration", arguments: [1, 10, 12, 13, 100, 1000])
    func diagramSizes(hidden: Int) {
        let scene = NetworkDiagram.twoLayer(hidden: hidden).scene(size: Size(900, 520), theme: .dark, measurer: Self.measurer)
        let texts = Set(scene.texts.map(\.0))
        #expect(texts.contains("\(grouped(hidden)) units"))
        #expect(texts.contains("W1 784×\(grouped(hidden)) + b1 \(grouped(hidden)) = \(grouped(784 * hidden + hidden))"))
        #expect(texts.contains { $0.hasSuffix("more") } == true)
        Self.expectTidy(scene)
    }

    @Test("trained weights colour the hidden-to-output edges by sign and magnitude")
    func weightedEdges() {
        let weights: [Double] = (0 ..< 500).map { (i: Int) -> Double in
            let magnitude = Double(i) / 500
            return i % 2 == 0 ? magnitude : -magnitude
        }
        let scene = NetworkDiagram.twoLayer(hidden: 50, outputWeights: weights).scene(size: Size(900, 520), theme: .dark, measurer: Self.measurer)
        let strokes = scene.commands.compactMap { command -> Color? in
            guard case let .stroke(path, style) = command, path.elements.count == 2 else { return nil }
            return style.color
        }
        let positive = strokes.filter { $0.withAlpha(1) == Theme.dark.positive }
        let negative = strokes.filter { $0.withAlpha(1) == Theme.dark.negative }
        #expect(positive.count + negative.count == 100 + 2)  // 10×10 edges and the key's two samples
        let opacities: [Double] = (positive + negative).map { (c: Color) -> Double in c.alpha }
        #expect(Set(opacities).count > 50)
        #expect(scene.texts.contains { $0.0 == "positive" } && scene.texts.contains { $0.0 == "negative" })
    }

    // MARK: Confusion matrix, tiles, digits

    @Test("the confusion matrix shows counts, recall and readable text")
    func confusion() {
        var counts = Array(repeating: Array(repeating: 0, count: 10), count: 10)
        for i in 0 ..< 10 { counts[i][i] = 900 + i; counts[i][(i + 1) % 10] = i * 3 }
        let chart = ConfusionMatrixChart(counts: counts)
        #expect(chart.recall[0] == 1)
        #expect(abs(chart.recall[9] - 909.0 / 936) < 1e-12)
        let scene = chart.scene(size: Size(640, 620), theme: .dark, measurer: Self.measurer)
        let texts = scene.texts
        #expect(texts.contains { $0.0 == "true" } && texts.contains { $0.0 == "predicted" } && texts.contains { $0.0 == "recall" })
        #expect(texts.contains { $0.0 == "97.1 %" })
        // Every count's colour reaches WCAG's 4.5:1 against its cell.
        let cells = scene.commands.compactMap { c -> Color? in if case let .fill(_, color) = c, color != Theme.dark.background { color } else { nil } }
        let counted = texts.filter { $0.2.color == .black || $0.2.color == .white }
        #expect(cells.count == 100 && counted.count == 100)
        for (cell, text) in zip(cells, counted) {
            #expect(cell.contrast(with: text.2.color) >= 4.5)
        }
        Self.expectTidy(scene)
    }

    @Test("hidden units come in a ⌈√n⌉-wide grid", arguments: [(16, 4, 4), (50, 8, 7), (1, 1, 1), (10, 4, 3)])
    func tiles(units: Int, columns: Int, rows: Int) {
        let chart = WeightTilesChart(tiles: (0 ..< units).map { u in (0 ..< 784).map { Double(($0 + u) % 7) - 3 } }, tileShape: (28, 28))
        #expect(chart.gridColumns == columns && chart.gridRows == rows)
        let scene = chart.scene(size: Size(800, chart.preferredHeight(width: 800)), theme: .dark, measurer: Self.measurer)
        let images = scene.commands.filter { if case .image = $0 { true } else { false } }
        #expect(images.count == units + 1)  // the tiles and the colour bar
        #expect(scene.texts.contains { $0.0 == "0" })
        Self.expectTidy(scene)
    }

    @Test("misclassified digits are captioned true → predicted (confidence)")
    func digits() {
        let digit = DigitGalleryChart.Digit(pixels: Array(repeating: 0, count: 784), trueLabel: 4, predicted: 9, confidence: 0.8734)
        #expect(DigitGalleryChart.caption(digit) == "4 → 9 (0.87)")
        let chart = DigitGalleryChart(title: "t", subtitle: "s", digits: Array(repeating: digit, count: 24))
        let scene = chart.scene(size: Size(800, chart.preferredHeight(width: 800, theme: .dark)), theme: .dark, measurer: Self.measurer)
        #expect(scene.texts.count { $0.0 == "4 → 9 (0.87)" } == 24)
        Self.expectTidy(scene)
    }
}

/// A small deterministic generator for property tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
