import Foundation
import Inspection
import MNIST
import Trainer

/// A fixed run for the golden images: no training, every number chosen here.
enum Fixture {
    /// Per-epoch accuracies of the reference NumPy run (shared/reference/README.md).
    static let train = [0.1044, 0.7972, 0.8793, 0.8988, 0.9080, 0.9144, 0.9208, 0.9234, 0.9267, 0.9296, 0.9328, 0.9362, 0.9379, 0.9406, 0.9426, 0.9445, 0.9467]
    static let test = [0.1028, 0.8013, 0.8849, 0.9030, 0.9129, 0.9172, 0.9214, 0.9246, 0.9269, 0.9305, 0.9321, 0.9369, 0.9375, 0.9391, 0.9403, 0.9408, 0.9430]

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The bundled MNIST test images (real digits for the misclassified grid).
    static let testImages: ImageSet = {
        let folder = packageRoot.appendingPathComponent(Dataset.bundledDirectory).path
        return try! ImageSet.read(images: folder + "/t10k-images-idx3-ubyte.gz", labels: folder + "/t10k-labels-idx1-ubyte.gz")
    }()

    static let run: TrainingRun = {
        var random = RandomSource(seed: 2024)
        let config = TrainingConfiguration()
        // A loss that falls like the real one, with seeded mini-batch noise.
        let losses = (0 ..< config.iterations).map { i -> Float in
            let mean = 2.2 * exp(-Double(i) / 450) + 0.32 * exp(-Double(i) / 4000) + 0.12
            return Float(mean * exp(0.35 * random.normal()))
        }
        let epochs = train.indices.map { e in
            EpochMetrics(epoch: e, iteration: e * 600, trainAccuracy: train[e], testAccuracy: test[e], loss: Double(losses[e * 600]), elapsed: Double(e) * 0.12)
        }
        // Weights: a smooth blob per hidden unit plus noise, so the tiles show structure.
        var network = TwoLayerNetwork<Float>(inputSize: 784, hiddenSize: 50, outputSize: 10, weightScale: 0.02, random: &random)
        for j in 0 ..< 50 {
            let (cx, cy) = (7 + Double(j % 7) * 2.3, 7 + Double(j / 7) * 2)
            for p in 0 ..< 784 {
                let (x, y) = (Double(p % 28), Double(p / 28))
                let d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy)
                network.w1[p * 50 + j] += Float((j % 2 == 0 ? 0.25 : -0.25) * exp(-d2 / 18) - 0.12 * exp(-d2 / 60))
            }
        }
        // Predictions: right except for a fixed, label-dependent set of mistakes.
        let labels = testImages.labels
        var predicted = labels
        var probabilities = [Float](repeating: 0, count: labels.count * 10)
        for i in labels.indices {
            if (i * 7919) % 19 == 0 { predicted[i] = UInt8((Int(labels[i]) + 1 + i % 3 * 2) % 10) }
            let confidence = Float(0.55 + 0.44 * Double((i * 2654435761) % 1000) / 1000)
            for c in 0 ..< 10 { probabilities[i * 10 + c] = (1 - confidence) / 9 }
            probabilities[i * 10 + Int(predicted[i])] = confidence
        }
        return TrainingRun(
            configuration: config, losses: losses, epochs: epochs, network: network,
            predictions: TestPredictions(labels: labels, predicted: predicted, probabilities: probabilities, classCount: 10),
            timings: TrainingTimings(preparation: 0.08, training: 2, evaluation: 1, total: 2.2),
            trainingSetSize: 60_000, testSetSize: labels.count)
    }()
}

/// The fixture run with parameter snapshots at its 17 points, and their
/// inspection on the first 2,000 test images: the weights grow from a
/// twentieth of the fixture's to all of it, and the biases drift.
enum InsideFixture {
    static let run: TrainingRun = {
        var run = Fixture.run
        let base = run.network
        run.snapshots = run.epochs.map { point in
            let grown = point.epoch == 0 ? 0.05 : 0.3 + 0.7 * Double(point.epoch) / 16
            var network = base
            network.w1 = base.w1.map { Float(Double($0) * grown) }
            network.b1 = (0 ..< base.hiddenSize).map { Float(0.6 * grown * sin(Double($0) * 1.7)) }
            network.w2 = base.w2.map { Float(Double($0) * 40 * grown) }
            network.b2 = (0 ..< base.outputSize).map { Float(0.1 * grown * cos(Double($0))) }
            return ParameterSnapshot(epoch: point.epoch, iteration: point.iteration, network: network)
        }
        run.snapshotPlan = SnapshotPlan(points: 17, parameterCount: base.parameterCount, budget: SnapshotPlan.defaultBudget)
        return run
    }()

    static let testImages: SparseImages = {
        let count = 2000
        let subset = ImageSet(pixels: Array(Fixture.testImages.pixels.prefix(count * ImageSet.pixelCount)),
                              labels: Array(Fixture.testImages.labels.prefix(count)))
        return SparseImages(subset)
    }()

    static let inspection = try! RunInspection(run: run, test: testImages)
}
