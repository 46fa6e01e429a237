import Charts
import Foundation
import Inspection
import MNIST
import Trainer

/// One picture of the gallery: its file name, what it shows, and the scene.
public struct GalleryImage: Sendable {
    /// File name without extension: "training_accuracy".
    public var name: String
    /// Short title for tables.
    public var title: String
    /// One sentence on what to look for in it.
    public var lookFor: String
    public var scene: Scene
}

/// Choices that change the pictures.
public struct GalleryOptions: Sendable, Equatable {
    /// Loss chart with a logarithmic y axis.
    public var logarithmicLoss = true
    /// Colour the diagram's hidden → output edges by the trained W2.
    public var weightedEdges = false
    /// How many misclassified test digits to show.
    public var misclassifiedCount = 24

    public init(logarithmicLoss: Bool = true, weightedEdges: Bool = false, misclassifiedCount: Int = 24) {
        self.logarithmicLoss = logarithmicLoss
        self.weightedEdges = weightedEdges
        self.misclassifiedCount = misclassifiedCount
    }
}

/// Every picture of a run, in gallery order, drawn from the in-memory run.
public enum Gallery {
    /// The pictures' names, in gallery order.
    public static let names = [
        "training_accuracy", "network_architecture", "loss_curve", "confusion_matrix", "hidden_units", "misclassified",
        "weight_distributions", "hidden_activations", "hidden_projection",
    ]

    /// The pictures drawn from `RunInspection`, which need the run's parameter snapshots.
    public static let insideNames: Set<String> = ["weight_distributions", "hidden_activations", "hidden_projection"]

    /// Every picture the run has what it needs for, in gallery order.
    public static func images(
        for run: TrainingRun, testImages: ImageSet, inspection: RunInspection? = nil, theme: Theme = .dark,
        measurer: some TextMeasuring, options: GalleryOptions = .init()
    ) -> [GalleryImage] {
        names.compactMap {
            image(named: $0, for: run, testImages: testImages, inspection: inspection, theme: theme, measurer: measurer, options: options)
        }
    }

    /// One picture of the gallery by name, with the run's configuration in its
    /// description; nil for an unknown name, or for a picture of the network
    /// over time without an inspection that has it.
    public static func image(
        named name: String, for run: TrainingRun, testImages: ImageSet, inspection: RunInspection? = nil, theme: Theme = .dark,
        measurer: some TextMeasuring, options: GalleryOptions = .init()
    ) -> GalleryImage? {
        let image: GalleryImage
        switch name {
        case "training_accuracy": image = accuracy(run, theme: theme, measurer: measurer)
        case "network_architecture":
            image = architecture(run, testImages: testImages, theme: theme, measurer: measurer, weighted: options.weightedEdges)
        case "loss_curve": image = loss(run, theme: theme, measurer: measurer, logarithmic: options.logarithmicLoss)
        case "confusion_matrix": image = confusion(run, theme: theme, measurer: measurer)
        case "hidden_units": image = hiddenUnits(run, theme: theme, measurer: measurer)
        case "misclassified":
            image = misclassified(run, testImages: testImages, theme: theme, measurer: measurer, count: options.misclassifiedCount)
        case "weight_distributions":
            guard let inspection, let drawn = weightDistributions(run, inspection, theme: theme, measurer: measurer) else { return nil }
            image = drawn
        case "hidden_activations":
            guard let inspection, let drawn = hiddenActivations(run, inspection, theme: theme, measurer: measurer) else { return nil }
            image = drawn
        case "hidden_projection":
            guard let inspection, let drawn = hiddenProjection(run, inspection, theme: theme, measurer: measurer) else { return nil }
            image = drawn
        default: return nil
        }
        return described(image, configuration: run.configuration, inputSize: run.network.inputSize, classCount: run.network.outputSize)
    }

    /// The pictures that need no trained weights, only the configuration and
    /// the test images, so they can be drawn while the network trains: the
    /// architecture diagram, unless its edges show the trained weights. Each is
    /// the same picture `image(named:for:...)` draws after training.
    public static func untrainedImages(
        configuration: TrainingConfiguration, inputSize: Int, classCount: Int, testImages: ImageSet, theme: Theme = .dark,
        measurer: some TextMeasuring, options: GalleryOptions = .init()
    ) -> [GalleryImage] {
        guard !options.weightedEdges else { return [] }
        let diagram = architecture(
            inputSize: inputSize, hidden: configuration.hiddenSize, outputs: classCount, testImages: testImages,
            outputWeights: nil, theme: theme, measurer: measurer)
        return [described(diagram, configuration: configuration, inputSize: inputSize, classCount: classCount)]
    }

    /// Every file says which run it comes from (PNG Description, PDF Subject).
    static func described(_ image: GalleryImage, configuration: TrainingConfiguration, inputSize: Int, classCount: Int) -> GalleryImage {
        var image = image
        image.scene.description = "Configuration: \(configuration.summary(inputSize: inputSize, classCount: classCount)). \(image.scene.description)"
        return image
    }

    public static func accuracy(_ run: TrainingRun, theme: Theme, measurer: some TextMeasuring) -> GalleryImage {
        let chart = AccuracyChart.make(
            epochs: run.epochs.map(\.epoch), train: run.epochs.map(\.trainAccuracy), test: run.epochs.map(\.testAccuracy), theme: theme,
            iterationsApart: run.evaluatesEachEpoch ? nil : run.configuration.evaluateEvery)
        return GalleryImage(
            name: "training_accuracy", title: "Training vs test accuracy",
            lookFor: Sentences.accuracy(run, hasInset: chart.inset != nil),
            scene: chart.scene(size: Size(800, 500), theme: theme, measurer: measurer))
    }

    public static func architecture(
        _ run: TrainingRun, testImages: ImageSet, theme: Theme, measurer: some TextMeasuring, weighted: Bool
    ) -> GalleryImage {
        let net = run.network
        return architecture(
            inputSize: net.inputSize, hidden: net.hiddenSize, outputs: net.outputSize, testImages: testImages,
            outputWeights: weighted ? net.w2.map(Double.init) : nil, theme: theme, measurer: measurer)
    }

    static func architecture(
        inputSize: Int, hidden: Int, outputs: Int, testImages: ImageSet, outputWeights: [Double]?, theme: Theme,
        measurer: some TextMeasuring
    ) -> GalleryImage {
        let side = Int(Double(inputSize).squareRoot())
        let shape = side * side == inputSize ? (side, side) : (1, inputSize)
        let diagram = NetworkDiagram.twoLayer(
            inputShape: shape, hidden: hidden, outputs: outputs,
            inputPixels: testImages.count > 0 && shape.0 * shape.1 == ImageSet.pixelCount ? Array(testImages.image(0)) : nil,
            outputWeights: outputWeights)
        return GalleryImage(
            name: "network_architecture", title: "Network architecture",
            lookFor: "Where the \(grouped(diagram.totalParameters)) parameters live: almost all of them in W1, one weight per pixel and hidden unit.",
            scene: diagram.scene(size: Size(900, 520), theme: theme, measurer: measurer))
    }

    public static func loss(_ run: TrainingRun, theme: Theme, measurer: some TextMeasuring, logarithmic: Bool) -> GalleryImage {
        let losses = run.losses.map(Double.init)
        let chart = LossChart.make(
            losses: losses, epochLength: run.configuration.evaluateEvery, logarithmic: logarithmic, theme: theme,
            isEpoch: run.evaluatesEachEpoch)
        return GalleryImage(
            name: "loss_curve", title: "Training loss",
            lookFor: Sentences.loss(run, movingAverage: LossChart.movingAverage(losses, window: max(1, min(run.configuration.evaluateEvery, losses.count)))),
            scene: chart.scene(size: Size(800, 450), theme: theme, measurer: measurer))
    }

    public static func confusion(_ run: TrainingRun, theme: Theme, measurer: some TextMeasuring) -> GalleryImage {
        let counts = run.predictions.confusionMatrix
        let chart = ConfusionMatrixChart(counts: counts)
        let mistakes = counts.indices.flatMap { t in counts.indices.filter { $0 != t }.map { (t, $0, counts[t][$0]) } }
            .filter { $0.2 > 0 }.sorted { ($0.2, $1.0, $1.1) > ($1.2, $0.0, $0.1) }.prefix(3)
        let worstClass = chart.recall.indices.min { chart.recall[$0] < chart.recall[$1] }
        var lookFor = "Bright cells off the diagonal are the digits the network mixes up"
        if !mistakes.isEmpty {
            lookFor += "; in this run most often " + mistakes.map { "\($0.0) taken for \($0.1) (\($0.2)×)" }.joined(separator: ", ")
        }
        if let worstClass { lookFor += String(format: ". The recall column ranks the classes: %d is the hardest (%.1f %%)", worstClass, chart.recall[worstClass] * 100) }
        return GalleryImage(
            name: "confusion_matrix", title: "Confusion matrix",
            lookFor: lookFor + ".",
            scene: chart.scene(size: Size(640, 620), theme: theme, measurer: measurer))
    }

    public static func hiddenUnits(_ run: TrainingRun, theme: Theme, measurer: some TextMeasuring) -> GalleryImage {
        let net = run.network
        let side = Int(Double(net.inputSize).squareRoot())
        let shape = side * side == net.inputSize ? (side, side) : (1, net.inputSize)
        let tiles = (0 ..< net.hiddenSize).map { j in (0 ..< net.inputSize).map { Double(net.w1[$0 * net.hiddenSize + j]) } }
        let chart = WeightTilesChart(tiles: tiles, tileShape: shape)
        return GalleryImage(
            name: "hidden_units", title: "Hidden-unit weights",
            lookFor: "Each tile is a pattern a hidden unit responds to: blue pixels excite it, orange ones inhibit it, and the quiet border is the part of the image that is always blank.",
            scene: chart.scene(size: Size(800, chart.preferredHeight(width: 800).rounded()), theme: theme, measurer: measurer))
    }

    public static func misclassified(
        _ run: TrainingRun, testImages: ImageSet, theme: Theme, measurer: some TextMeasuring, count: Int
    ) -> GalleryImage {
        let p = run.predictions
        let wrong = p.misclassified.prefix(count)
        let digits = wrong.map { i in
            DigitGalleryChart.Digit(
                pixels: Array(testImages.image(i)), trueLabel: Int(p.labels[i]), predicted: Int(p.predicted[i]),
                confidence: Double(p.confidence(i)))
        }
        let chart = DigitGalleryChart(
            title: "Misclassified Test Digits",
            subtitle: "The \(digits.count) most confident mistakes of \(grouped(p.misclassified.count)): true → predicted (confidence)",
            digits: digits)
        return GalleryImage(
            name: "misclassified", title: "Misclassified digits",
            lookFor: "Many of the confident mistakes are digits a person would hesitate over too; the rest show what a "
                + "\(run.network.hiddenSize)-unit network cannot yet see.",
            scene: chart.scene(size: Size(800, chart.preferredHeight(width: 800, theme: theme).rounded()), theme: theme, measurer: measurer))
    }
}
