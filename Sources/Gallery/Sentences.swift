import Charts
import Foundation
import Trainer

/// The sentences under the pictures that state what this run shows, each
/// from the run's own numbers and configuration.
enum Sentences {
    /// "epoch 16 (iteration 9,600)", or "evaluation 16 (…)" when the points are not epochs apart.
    static func point(_ point: EpochMetrics, of run: TrainingRun) -> String {
        run.caption(epoch: point.epoch, iteration: point.iteration)
    }

    static func accuracy(_ run: TrainingRun, hasInset: Bool) -> String {
        guard let first = run.epochs.first, let final = run.final, let best = run.bestTest else { return "" }
        var text = "Test accuracy " + (final.testAccuracy >= first.testAccuracy ? "rises" : "falls")
            + " from \(percent(first.testAccuracy)) at iteration \(grouped(first.iteration)) to \(percent(final.testAccuracy)) at "
            + point(final, of: run)
        let gap = (final.trainAccuracy - final.testAccuracy) * 100
        let points = String(format: "%.2f points", abs(gap))
        if run.epochs.count == 1 {
            text += "."
        } else if abs(gap) < 0.5 {
            text += "; the training curve ends \(points) \(gap >= 0 ? "above" : "below") it, so what the network learned "
                + "carries over to digits it never saw."
        } else if gap > 0 {
            text += "; the training curve ends \(points) above it: the network fits its training images better than new "
                + "ones, the mark of overfitting."
        } else {
            text += "; the test curve ends \(points) above the training curve."
        }
        if (best.testAccuracy - final.testAccuracy) * 100 >= 0.5 {
            text += " Test accuracy peaked at \(percent(best.testAccuracy)) at \(point(best, of: run)) and fell after it."
        }
        if hasInset { text += " The inset zooms into the last \(run.epochs.count - run.epochs.count / 2) points." }
        return text
    }

    /// `movingAverage` is the loss chart's centred average of the mini-batch losses.
    static func loss(_ run: TrainingRun, movingAverage: [Double]) -> String {
        guard let start = run.losses.first, let end = movingAverage.last else { return "" }
        let interval = run.configuration.evaluateEvery
        let early = movingAverage[min(interval, movingAverage.count - 1)]
        let span = run.evaluatesEachEpoch ? "the first epoch (\(grouped(interval)) iterations)" : "the first \(grouped(interval)) iterations"
        var text = String(format: "The mini-batch loss starts at %.2f; its moving average is %.2f after ", start, early) + span
        text += String(format: " and %.3f at the end", end)
        if movingAverage.count > interval {
            text += early < Double(start) && end < early ? ": a steep drop, then a slow descent" : ""
        }
        return text + ". The noise around the average is the price of batches of \(run.configuration.batchSize)."
    }

    static func percent(_ x: Double) -> String { String(format: "%.2f %%", x * 100) }
}
