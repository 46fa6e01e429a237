import Foundation

/// The architecture diagram: a 28×28 input image, then columns of round
/// neurons for each layer, a representative subset with an ellipsis and the
/// true count, translucent edges, and every parameter counted.
public struct NetworkDiagram: Sendable, Equatable {
    public struct Layer: Sendable, Equatable {
        public var name: String
        public var size: Int
        /// "sigmoid", "softmax", or a note for the input.
        public var detail: String
        public init(name: String, size: Int, detail: String) { (self.name, self.size, self.detail) = (name, size, detail) }
    }

    public var layers: [Layer]
    /// Rows and columns of the input image (28×28 for MNIST).
    public var inputShape: (rows: Int, columns: Int)
    /// One example input, `rows * columns` grey levels 0-255, drawn as the image.
    public var inputPixels: [UInt8]?
    /// Labels of the output units (the digits).
    public var outputLabels: [String]
    /// Trained weights between the last two layers (row-major, previous × next):
    /// when present the edges take their colour from the sign and their
    /// opacity from the magnitude.
    public var outputWeights: [Double]?

    public init(layers: [Layer], inputShape: (rows: Int, columns: Int), inputPixels: [UInt8]? = nil,
                outputLabels: [String] = [], outputWeights: [Double]? = nil) {
        precondition(layers.count == 3, "the diagram draws input, hidden and output layers")
        self.layers = layers
        self.inputShape = inputShape
        self.inputPixels = inputPixels
        self.outputLabels = outputLabels
        self.outputWeights = outputWeights
    }

    public static func == (a: NetworkDiagram, b: NetworkDiagram) -> Bool {
        a.layers == b.layers && a.inputShape == b.inputShape && a.inputPixels == b.inputPixels
            && a.outputLabels == b.outputLabels && a.outputWeights == b.outputWeights
    }

    /// The two-layer network: `inputs`-`hidden`-`outputs`, sigmoid then softmax.
    public static func twoLayer(inputShape: (rows: Int, columns: Int) = (28, 28), hidden: Int, outputs: Int = 10,
                                inputPixels: [UInt8]? = nil, outputWeights: [Double]? = nil) -> NetworkDiagram {
        let inputs = inputShape.rows * inputShape.columns
        return NetworkDiagram(
            layers: [
                Layer(name: "Input", size: inputs, detail: "pixels ÷ 255"),
                Layer(name: "Hidden", size: hidden, detail: "sigmoid"),
                Layer(name: "Output", size: outputs, detail: "softmax"),
            ],
            inputShape: inputShape, inputPixels: inputPixels, outputLabels: (0 ..< outputs).map(String.init),
            outputWeights: outputWeights)
    }

    /// Weights plus biases between consecutive layers: [(rows, columns, total)].
    public var parameterCounts: [(rows: Int, columns: Int, total: Int)] {
        zip(layers, layers.dropFirst()).map { ($0.size, $1.size, $0.size * $1.size + $1.size) }
    }

    public var totalParameters: Int { parameterCounts.map(\.total).reduce(0, +) }

    public var title: String { "Two-Layer Network: " + layers.map { grouped($0.size) }.joined(separator: " → ") }

    /// Which units a column shows: all of a small layer, else the first and
    /// last `half` with an ellipsis between (nil marks the ellipsis).
    static func shownUnits(_ size: Int, maximum: Int = 10) -> [Int?] {
        if size <= maximum + 2 { return Array(0 ..< size) }
        let half = maximum / 2
        return Array(0 ..< half) + [nil] + Array(size - half ..< size)
    }
}

// MARK: - Layout

extension NetworkDiagram {
    public func scene(size: Size, theme: Theme, measurer: some TextMeasuring) -> Scene {
        let counts = parameterCounts
        var scene = Scene(
            size: size, background: theme.background, title: title,
            description: "Layers " + layers.map { "\($0.name) \($0.size) (\($0.detail))" }.joined(separator: ", ")
                + "; \(totalParameters) parameters" + (outputWeights == nil ? "" : "; edges coloured by trained W2"))
        let pad = 18.0
        let subtitle = "\(grouped(totalParameters)) trainable parameters"
            + (outputWeights == nil ? "" : " · hidden → output edges coloured by trained weight")
        let header = scene.addHeader(title, subtitle: subtitle, theme: theme, padding: pad)

        if outputWeights != nil { scene.add(contentsOf: weightKey(right: size.width - pad, top: pad + 4, theme: theme, measurer: measurer)) }

        // Vertical bands: neurons, then the three-line layer captions, then the parameter line.
        let lineHeight = FontMetrics.lineHeight
        let captionHeight = theme.labelSize * lineHeight * 3 + 4
        let paramHeight = theme.annotationSize * lineHeight + 8
        let top = header + 23
        let bottom = size.height - pad - captionHeight - paramHeight - 10
        let band = Rect(x: pad, y: top, width: size.width - 2 * pad, height: bottom - top)

        // Input image on the left, then three columns.
        let imageSide = min(band.height * 0.62, size.width * 0.19)
        let imageRect = Rect(x: pad + 6, y: band.midY - imageSide / 2, width: imageSide, height: imageSide)
        let captionStyle = TextStyle(size: theme.labelSize, weight: .bold, color: theme.text)
        let captionHalf = measurer.width(of: "\(layers[2].name) layer", style: captionStyle) / 2 + 4
        let labelRoom = max((outputLabels.map { measurer.width(of: $0, style: theme.annotationStyle) }.max() ?? 0) + 30, captionHalf)
        let firstColumn = imageRect.maxX + 95
        let lastColumn = size.width - pad - labelRoom
        let columnsX = (0 ..< 3).map { firstColumn + (lastColumn - firstColumn) * Double($0) / 2 }

        let shown = layers.map { Self.shownUnits($0.size) }
        let slots = Double(shown.map(\.count).max()!)
        let spacing = band.height / slots
        let radius = min(11, spacing * 0.36)
        func positions(_ column: Int) -> [Point?] {
            let units = shown[column]
            let start = band.midY - spacing * Double(units.count - 1) / 2
            return units.enumerated().map { i, unit in unit == nil ? nil : Point(columnsX[column], start + spacing * Double(i)) }
        }
        let points = (0 ..< 3).map(positions)

        // Edges, behind the neurons.
        for (column, (from, to)) in zip(points, points.dropFirst()).enumerated() {
            let weighted = column == 1 ? outputWeights : nil
            scene.add(contentsOf: edges(from: from, to: to, fromUnits: shown[column], toUnits: shown[column + 1],
                                        nextSize: layers[column + 1].size, weights: weighted, theme: theme, radius: radius))
        }

        // Neurons and ellipses.
        for column in 0 ..< 3 {
            let color = theme.layerColors[column % theme.layerColors.count]
            for (i, p) in points[column].enumerated() {
                if let p {
                    let circle = Path.circle(center: p, radius: radius)
                    scene.add(.fill(circle, color))
                    scene.add(.stroke(circle, StrokeStyle(color: theme.background, width: 1.2)))
                    if column == 2, i < outputLabels.count, shown[2][i] != nil {
                        scene.add(.text(outputLabels[shown[2][i]!], at: Point(p.x + radius + 8, p.y), style: theme.annotationStyle,
                                        anchor: TextAnchor(.leading, .middle), rotation: 0))
                    }
                } else {
                    let center = band.midY - spacing * Double(shown[column].count - 1) / 2 + spacing * Double(i)
                    for k in -1 ... 1 {
                        scene.add(.fill(.circle(center: Point(columnsX[column], center + Double(k) * min(6, spacing * 0.22)), radius: 1.8), theme.mutedText))
                    }
                    let hidden = layers[column].size - shown[column].compactMap { $0 }.count
                    let style = theme.textStyle(theme.tickSize, muted: true)
                    let at = Point(columnsX[column] + radius + 6, center)
                    let box = measurer.bounds(of: "\(grouped(hidden)) more", at: at, style: style, anchor: TextAnchor(.leading, .middle))
                    scene.add(.fill(.roundedRectangle(box.inset(by: -3), radius: 3), theme.background.withAlpha(0.9)))
                    scene.add(.text("\(grouped(hidden)) more", at: at, style: style, anchor: TextAnchor(.leading, .middle), rotation: 0))
                }
            }
        }

        // The input image and the flatten arrow.
        scene.add(contentsOf: inputImage(in: imageRect, theme: theme))
        let arrowY = band.midY
        let arrowStart = Point(imageRect.maxX + 10, arrowY), arrowEnd = Point(columnsX[0] - radius - 10, arrowY)
        scene.add(.stroke(.line(from: arrowStart, to: arrowEnd), StrokeStyle(color: theme.mutedText, width: 1.5)))
        scene.add(.fill(Path([.move(arrowEnd), .line(Point(arrowEnd.x - 8, arrowY - 4.5)), .line(Point(arrowEnd.x - 8, arrowY + 4.5)), .close]), theme.mutedText))
        scene.add(.text("flatten", at: Point((arrowStart.x + arrowEnd.x) / 2, arrowY - 6), style: theme.textStyle(theme.tickSize, muted: true),
                        anchor: TextAnchor(.center, .bottom), rotation: 0))
        scene.add(.text("\(inputShape.rows) × \(inputShape.columns) image", at: Point(imageRect.midX, imageRect.maxY + 8),
                        style: theme.textStyle(theme.tickSize, muted: true), anchor: TextAnchor(.center, .top), rotation: 0))

        // Captions under each column.
        let captionTop = bottom + 10
        for (column, layer) in layers.enumerated() {
            let x = columnsX[column]
            let lines: [(String, TextStyle)] = [
                ("\(layer.name) layer", TextStyle(size: theme.labelSize, weight: .bold, color: theme.layerColors[column % theme.layerColors.count])),
                (column == 0 ? "\(grouped(layer.size)) = \(inputShape.rows) × \(inputShape.columns)" : "\(grouped(layer.size)) units", theme.labelStyle),
                (layer.detail, theme.textStyle(theme.labelSize, muted: true)),
            ]
            for (i, (text, style)) in lines.enumerated() {
                scene.add(.text(text, at: Point(x, captionTop + Double(i) * theme.labelSize * lineHeight), style: style,
                                anchor: TextAnchor(.center, .top), rotation: 0))
            }
        }

        // Parameter counts between the columns, and the total.
        let paramY = size.height - pad
        for (i, count) in counts.enumerated() {
            let text = "W\(i + 1) \(grouped(count.rows))×\(grouped(count.columns)) + b\(i + 1) \(grouped(count.columns)) = \(grouped(count.total))"
            scene.add(.text(text, at: Point((columnsX[i] + columnsX[i + 1]) / 2, paramY), style: theme.annotationStyle,
                            anchor: TextAnchor(.center, .bottom), rotation: 0))
        }
        scene.add(.text("\(grouped(totalParameters)) parameters", at: Point(pad, paramY), style: TextStyle(size: theme.annotationSize, weight: .bold, color: theme.text),
                        anchor: TextAnchor(.leading, .bottom), rotation: 0))
        return scene
    }

    func edges(from: [Point?], to: [Point?], fromUnits: [Int?], toUnits: [Int?], nextSize: Int, weights: [Double]?,
               theme: Theme, radius: Double) -> [DrawCommand] {
        var commands: [DrawCommand] = []
        if let weights, let limit = weights.map(abs).max(), limit > 0 {
            // One stroke per edge: colour from the sign, opacity from the magnitude.
            var ordered: [(Double, Point, Point, Double)] = []
            for (a, unitA) in zip(from, fromUnits) {
                guard let a, let i = unitA else { continue }
                for (b, unitB) in zip(to, toUnits) {
                    guard let b, let j = unitB else { continue }
                    ordered.append((abs(weights[i * nextSize + j]) / limit, a, b, weights[i * nextSize + j]))
                }
            }
            for (magnitude, a, b, w) in ordered.sorted(by: { $0.0 < $1.0 }) {
                let color = (w >= 0 ? theme.positive : theme.negative).withAlpha(0.06 + 0.84 * magnitude)
                commands.append(.stroke(.line(from: Point(a.x + radius, a.y), to: Point(b.x - radius, b.y)),
                                        StrokeStyle(color: color, width: 0.6 + 1.6 * magnitude)))
            }
            return commands
        }
        var path = Path()
        for a in from.compactMap({ $0 }) {
            for b in to.compactMap({ $0 }) {
                path.move(to: Point(a.x + radius, a.y)); path.line(to: Point(b.x - radius, b.y))
            }
        }
        return [.stroke(path, StrokeStyle(color: theme.text.withAlpha(0.13), width: 0.8))]
    }

    /// "— positive  — negative" for weight-coloured edges, right-aligned.
    func weightKey(right: Double, top: Double, theme: Theme, measurer: some TextMeasuring) -> [DrawCommand] {
        let style = theme.textStyle(theme.tickSize, muted: true)
        var commands: [DrawCommand] = []
        var x = right
        for (name, color) in [("negative", theme.negative), ("positive", theme.positive)] {
            let width = measurer.width(of: name, style: style)
            x -= width
            commands.append(.text(name, at: Point(x, top + 6), style: style, anchor: TextAnchor(.leading, .middle), rotation: 0))
            x -= 26
            commands.append(.stroke(.line(from: Point(x, top + 6), to: Point(x + 20, top + 6)), StrokeStyle(color: color, width: 2.2)))
            x -= 14
        }
        commands.append(.text("W2 weight:", at: Point(x, top + 6), style: style, anchor: TextAnchor(.trailing, .middle), rotation: 0))
        return commands
    }

    func inputImage(in rect: Rect, theme: Theme) -> [DrawCommand] {
        let (rows, columns) = inputShape
        let ink = theme.text
        let paper = theme.plotBackground
        let pixels = inputPixels ?? Array(repeating: 0, count: rows * columns)
        let bitmap = Bitmap(width: columns, height: rows, values: pixels.map { Double($0) / 255 }) { paper.mixed(with: ink, $0) }
        var grid = Path()
        for r in 1 ..< rows {
            let y = rect.minY + rect.height * Double(r) / Double(rows)
            grid.move(to: Point(rect.minX, y)); grid.line(to: Point(rect.maxX, y))
        }
        for c in 1 ..< columns {
            let x = rect.minX + rect.width * Double(c) / Double(columns)
            grid.move(to: Point(x, rect.minY)); grid.line(to: Point(x, rect.maxY))
        }
        return [
            .image(bitmap, in: rect, smooth: false),
            .stroke(grid, StrokeStyle(color: theme.text.withAlpha(0.07), width: 0.5)),
            .stroke(.rectangle(rect), StrokeStyle(color: theme.layerColors[0], width: 1.2)),
        ]
    }
}
