import Foundation
import Inspection
import Testing
import Trainer

@testable import Report

/// A fixed run: three evaluations, twenty test images, fixed timings and facts.
enum ReportFixture {
    static var context: ReportContext {
        var config = TrainingConfiguration()
        config.iterations = 1200
        config.seed = 7
        let epochs = [
            EpochMetrics(epoch: 0, iteration: 0, trainAccuracy: 0.1044, testAccuracy: 0.1028, loss: 2.3, elapsed: 0),
            EpochMetrics(epoch: 1, iteration: 600, trainAccuracy: 0.7972, testAccuracy: 0.8013, loss: 0.93, elapsed: 0.5),
            EpochMetrics(epoch: 2, iteration: 1200, trainAccuracy: 0.8793, testAccuracy: 0.7999, loss: 0.5, elapsed: 1),
        ]
        let labels: [UInt8] = (0 ..< 20).map { UInt8($0 % 10) }
        var predicted = labels
        predicted[3] = 5
        predicted[13] = 5
        predicted[9] = 4
        var random = RandomSource(seed: 1)
        let network = TwoLayerNetwork<Float>(inputSize: 784, hiddenSize: 50, outputSize: 10, weightScale: 0.01, random: &random)
        let run = TrainingRun(
            configuration: config, losses: Array(repeating: 0.5, count: 1200), epochs: epochs, network: network,
            predictions: TestPredictions(labels: labels, predicted: predicted, probabilities: Array(repeating: 0.1, count: 200), classCount: 10),
            timings: TrainingTimings(preparation: 0.1, training: 1.5, evaluation: 0.75, total: 1.6),
            trainingSetSize: 60_000, testSetSize: 20)
        return ReportContext(
            run: run, stageTimings: StageTimings(load: 0.25, train: 1.5, evaluate: 0.75, render: 0.4),
            facts: [("seed", "7"), ("make-report", "0.1.0"), ("OS", "Test OS"), ("build", "release")],
            images: [
                .init(title: "Training vs test accuracy", path: "../images/training_accuracy.png", lookFor: "Both curves climb."),
                .init(title: "Network architecture", path: "../images/network_architecture.png", lookFor: "Where the parameters live."),
            ],
            dataDirectory: "data/mnist", command: "make-report --seed 7 --iterations 1200")
    }
}

@Suite("Markdown report")
struct MarkdownReportTests {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Goldens__")

    @Test("the report of a fixed run matches its golden file")
    func golden() throws {
        let markdown = MarkdownReport.render(ReportFixture.context)
        let golden = Self.goldens.appendingPathComponent("train_neuralnet.md")
        if ProcessInfo.processInfo.environment["GOLDEN_RECORD"] == "all", ProcessInfo.processInfo.environment["CI"] == nil {
            try markdown.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        if markdown != expected {
            let lines = zip(markdown.split(separator: "\n", omittingEmptySubsequences: false), expected.split(separator: "\n", omittingEmptySubsequences: false))
            let first = lines.enumerated().first { $0.element.0 != $0.element.1 }
            Issue.record("report differs from \(golden.path) at line \((first?.offset ?? 0) + 1): \(first.map { "\"\($0.element.0)\" vs \"\($0.element.1)\"" } ?? "length")")
        }
    }

    @Test("the load row says where the data came from")
    func loadSource() {
        var context = ReportFixture.context
        #expect(MarkdownReport.render(context).contains("| load (read and inflate the four IDX files, training images straight into sparse rows) | 0.250 |"))
        context.loadedFromCache = true
        let markdown = MarkdownReport.render(context)
        #expect(markdown.contains("| load (the decoded copy of the four IDX files from make-report's cache: sparse training rows, test pixels) | 0.250 |"))
        #expect(!markdown.contains("inflate"))
    }

    @Test("the report states the results of the run it is given")
    func content() {
        let markdown = MarkdownReport.render(ReportFixture.context)
        #expect(markdown.contains("| final (epoch 2, iteration 1,200) | 87.93 % | 79.99 % |"))
        #expect(markdown.contains("Best test accuracy: **80.13 %** at epoch 1 (iteration 600)"))
        #expect(markdown.contains("classify **85.00 %** of the test set"))  // 17 of 20
        #expect(markdown.contains("| 3 | 2 | 0 | 0.00 % | 5 (2×) |"))
        #expect(markdown.contains("| 9 | 2 | 1 | 50.00 % | 4 (1×) |"))
        #expect(markdown.contains("![Training vs test accuracy](../images/training_accuracy.png)"))
        #expect(markdown.contains("| **total** |  |  | **39,760** |"))
        #expect(markdown.contains("| 2 | 1,200 | 0.8793 | 0.7999 | 0.5000 |"))
        #expect(markdown.contains("| render (after training; the picture that needs no training is drawn on the other core as soon as the test set is in) | 0.400 |"))
        #expect(markdown.contains("| seed | 7 |"))
    }

    @Test("image links are relative to the report's folder", arguments: [
        ("images/a.png", "notebooks", "../images/a.png"),
        ("images/a.png", "", "images/a.png"),
        ("out/images/a.png", "out/notes/deep", "../../images/a.png"),
        ("/tmp/x/images/a.png", "/tmp/x", "images/a.png"),
        ("./images/a.png", "./notebooks/", "../images/a.png"),
    ])
    func relative(target: String, base: String, expected: String) {
        #expect(relativePath(target, from: base) == expected)
    }
}

@Suite("Markdown report of a configuration other than the recipe")
struct MarkdownReportConfigurationTests {
    @Test("points 40 iterations of 50 images apart are evaluations, not epochs, in every sentence")
    func evaluationsNotEpochs() {
        var context = ReportFixture.context
        context.run.configuration.batchSize = 50
        context.run.configuration.evaluateEvery = 40
        context.run.configuration.hiddenSize = 50
        let markdown = MarkdownReport.render(context)
        #expect(markdown.contains("| final (evaluation 2, iteration 1,200) |"))
        #expect(markdown.contains("at evaluation 1 (iteration 600)"))
        #expect(markdown.contains("## Accuracy per evaluation"))
        #expect(markdown.contains("| evaluation | iteration | train accuracy |"))
        #expect(markdown.contains("| evaluation | every 40 iterations from iteration 0 (3 points; 40 × 50 images = 0.0333 epochs) |"))
        #expect(!markdown.contains("epoch "))
    }

    @Test("points one pass over the training set apart are epochs")
    func epochs() {
        let markdown = MarkdownReport.render(ReportFixture.context)
        #expect(markdown.contains("| final (epoch 2, iteration 1,200) |"))
        #expect(markdown.contains("600 × 100 images = one epoch"))
    }
}

@Suite("The report's Inside the network section")
struct InsideSectionTests {
    static func point(_ epoch: Int, inspected: Bool) -> RunInspection.Point {
        let spread = TensorDistribution(of: [-0.5, 0, 0.25, 1])
        var point = RunInspection.Point(
            epoch: epoch, iteration: epoch * 600, w1: spread, b1: spread, w2: spread, b2: spread, activations: nil, explainedVariance: nil)
        if inspected {
            point.activations = ActivationHistogram(of: [0.01, 0.5, 0.97, 0.6], bins: 4)
            point.explainedVariance = [0.25, 0.125]
        }
        return point
    }

    @Test("a row per kept point, and what was kept when the budget did not hold every point")
    func sampled() {
        var context = ReportFixture.context
        context.run.configuration.snapshotBudget = 2 * 39_760 * 4
        context.run.snapshotPlan = SnapshotPlan(points: 3, parameterCount: 39_760, budget: context.run.configuration.snapshotBudget)
        context.inspection = RunInspection(points: [Self.point(0, inspected: true), Self.point(2, inspected: false)], featured: [0, 1], projections: [])
        let markdown = MarkdownReport.render(context)
        #expect(markdown.contains("## Inside the network"))
        #expect(markdown.contains("at 2 of the 3 evaluation points, spread evenly (a copy of the parameters takes 0.2 MiB and the run keeps at most 0.3 MiB)"))
        #expect(markdown.contains("; the last two at 1 of the points, spread evenly."))
        #expect(markdown.contains("| 0 | 0 | 0.5413 | 0.5413 | 50.00 % | 25.0 % + 12.5 % |"))
        #expect(markdown.contains("| 2 | 1,200 | 0.5413 | 0.5413 | — | — |"))
    }

    @Test("no section without an inspection")
    func absent() {
        #expect(!MarkdownReport.render(ReportFixture.context).contains("Inside the network"))
    }
}
