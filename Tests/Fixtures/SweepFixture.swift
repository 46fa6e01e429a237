import Foundation
import Sweep
import Trainer

/// Sweeps for the comparison pictures' goldens: no training, every curve a
/// formula of its configuration, so that the pictures show a plausible
/// learning-rate and width effect. Learning rates of 5 and above diverge.
public enum SweepFixture {
    public static func results(_ options: [Setting: String], trials: Int? = nil, iterations: Int = 3000, every: Int = 300) -> SweepResults {
        var base = TrainingConfiguration()
        base.iterations = iterations
        base.evaluateEvery = every
        var choices: [Setting: Choice] = [:]
        for (setting, text) in options { choices[setting] = try! Choice.parse(text, for: setting) }
        let plan = try! SweepPlan(base: base, choices: choices, trials: trials)
        let runs = plan.configurations.enumerated().map { SweepRun(index: $0.offset, run: run($0.element), seconds: 0.5) }
        return SweepResults(plan: plan, runs: runs, seconds: 2, workers: 2)
    }

    public static func run(_ c: TrainingConfiguration) -> TrainingRun {
        var random = RandomSource(seed: c.seed &* 7919 &+ UInt64(c.hiddenSize))
        let speed = c.learningRate * (Double(c.hiddenSize) / 50).squareRoot() * Double(c.batchSize) / 100
        let ceiling = 0.935 + 0.012 * log2(Double(c.hiddenSize) / 25) + 0.012 * random.normal() - (c.learningRate > 1 ? 0.05 : 0)
        let diverges = c.learningRate >= 5 ? c.iterations / 3 + 17 : nil
        let losses = (0 ..< (diverges ?? c.iterations)).map { i in Float(2.3 * exp(-speed * Double(i) / 400) + 0.15) }
        let epochs = stride(from: 0, to: diverges ?? c.iterations, by: c.evaluateEvery).enumerated().map { e, i in
            let test = 0.1 + (ceiling - 0.1) * (1 - exp(-speed * (0.8 + 0.4 * Double(c.seed % 3) / 2) * Double(i) / 150)) + 0.002 * random.normal()
            let train = test + 0.006 * Double(i) / Double(c.iterations) + 0.001 * random.normal()
            return EpochMetrics(epoch: e, iteration: i, trainAccuracy: train, testAccuracy: test, loss: Double(losses[i]), elapsed: 0)
        }
        var weights = RandomSource(seed: 1)
        let network = TwoLayerNetwork<Float>(inputSize: 4, hiddenSize: 2, outputSize: 2, weightScale: 0.1, random: &weights)
        return TrainingRun(
            configuration: c, losses: losses, epochs: epochs, network: network,
            predictions: TestPredictions(labels: [], predicted: [], probabilities: [], classCount: 10), timings: TrainingTimings(),
            trainingSetSize: 60_000, testSetSize: 10_000, divergence: diverges.map { Divergence(iteration: $0, loss: .nan) })
    }
}
