import Charts
import Foundation
import Sweep
import Trainer

/// The sentences under a sweep's pictures, from the sweep's own numbers.
extension Sentences {
    /// "lr 0.5, hidden 100", or "seed 7" when only seeds vary.
    static func name(_ group: RunGroup, _ results: SweepResults) -> String {
        let label = group.label(results.plan.swept)
        return label.isEmpty ? "the seeds' mean" : label
    }

    /// "0.9494", or "0.9494 ± 0.0012 over 3 seeds".
    static func value(_ statistic: Statistic) -> String {
        statistic.count > 1
            ? String(format: "%.4f ± %.4f over %d seeds", statistic.mean, statistic.standardDeviation, statistic.count)
            : String(format: "%.4f", statistic.mean)
    }

    /// "; 1 of 4 runs diverged (lr 5, hidden 25 at iteration 812)", or "".
    static func divergences(_ results: SweepResults) -> String {
        let diverged = results.runs.filter { $0.divergence != nil }
        guard !diverged.isEmpty else { return "" }
        let named = diverged.prefix(3).map { run in
            "\(results.plan.swept.map { $0.label(in: run.configuration) }.joined(separator: ", ")) at iteration \(run.divergence!.iteration)"
        }
        return "; \(diverged.count) of \(results.runs.count) runs diverged (\(named.joined(separator: "; "))\(diverged.count > 3 ? "; …" : ""))"
    }

    static func testAccuracy(_ results: SweepResults) -> String {
        let ranked = results.ranked.filter { !$0.diverged }
        guard let best = ranked.first, let top = best.finalTest else { return "Every run diverged" + divergences(results) + "." }
        var text = "Of \(results.groups.count) \(results.hasSeedGroups ? "settings" : "runs"), \(name(best, results)) ends highest, at \(value(top)) test accuracy"
        if ranked.count > 1, let worst = ranked.last, let bottom = worst.finalTest {
            text += ", and \(name(worst, results)) lowest, at \(value(bottom))"
            // Where the two are furthest apart, against where they end.
            let gaps = zip(best.points, worst.points).map { ($0.iteration, $0.test.mean - $1.test.mean) }
            if let widest = gaps.max(by: { $0.1 < $1.1 }), widest.1 > top.mean - bottom.mean + 0.005 {
                text += String(format: "; the two are furthest apart at iteration %@ (%.2f points) and end %.2f points apart",
                               grouped(widest.0), widest.1 * 100, (top.mean - bottom.mean) * 100)
            }
        }
        return text + divergences(results) + "."
    }

    static func smallMultiples(_ results: SweepResults) -> String {
        let finished = results.groups.filter { !$0.diverged }
        guard let best = results.best, let bestTest = best.finalTest, let bestTrain = best.finalTrain else {
            return "Every run diverged" + divergences(results) + "."
        }
        let gaps = finished.compactMap { group in group.finalTrain.flatMap { train in group.finalTest.map { (group, train.mean - $0.mean) } } }
        var text = String(format: "The best run, %@, ends %.2f points above its test accuracy on the training set", name(best, results),
                          (bestTrain.mean - bestTest.mean) * 100)
        if gaps.count > 1, let widest = gaps.max(by: { $0.1 < $1.1 }) {
            text += widest.0.members == best.members
                ? "; no run has a wider train-test gap"
                : String(format: "; the widest train-test gap is %.2f points, for %@", widest.1 * 100, name(widest.0, results))
        }
        text += "."
        if results.groups.count > Comparison.smallMultiplesLimit {
            text += " Only the best \(Comparison.smallMultiplesLimit) of \(results.groups.count) are drawn; the report's table has them all."
        }
        return text
    }

    static func finalAccuracy(_ results: SweepResults) -> String {
        guard let best = results.best, let top = best.finalTest else { return "Every run diverged" + divergences(results) + "." }
        let varying = results.varying
        let finished = results.groups.filter { !$0.diverged }
        var text = "Best: \(name(best, results)), at \(value(top)) final test accuracy"
        if results.plan.trials != nil {
            // Where the best quarter of the draws lie.
            let quarter = Array(results.ranked.filter { !$0.diverged }.prefix(max(1, finished.count / 4)))
            if quarter.count > 1 {
                let ranges = varying.map { setting -> String in
                    let values = quarter.map { setting.value(in: $0.configuration) }
                    let (low, high) = (values.min { $0.number < $1.number }!, values.max { $0.number < $1.number }!)
                    return "\(setting.name) \(setting.text(low)) to \(setting.text(high))"
                }
                text += "; the best \(quarter.count) of \(finished.count) draws have " + ranges.joined(separator: " and ")
            }
        } else if varying.count >= 1 {
            // How far the mean final test accuracy moves along each setting.
            let spans = varying.map { setting -> (Setting, Double) in
                let values = results.plan.choices[setting]!.values
                let means = values.compactMap { value -> Double? in
                    let tests = finished.filter { setting.value(in: $0.configuration) == value }.compactMap { $0.finalTest?.mean }
                    return tests.isEmpty ? nil : tests.reduce(0, +) / Double(tests.count)
                }
                return (setting, (means.max() ?? 0) - (means.min() ?? 0))
            }
            if spans.count == 1 {
                text += String(format: "; over the %@ values tried it spans %.2f points", spans[0].0.name, spans[0].1 * 100)
            } else if let most = spans.max(by: { $0.1 < $1.1 }) {
                let others = spans.filter { $0.0 != most.0 }.map { String(format: "%.2f along the %@", $0.1 * 100, $0.0.name) }
                text += String(format: "; averaged over the other settings, it moves %.2f points along the %@ against ", most.1 * 100, most.0.name)
                    + others.joined(separator: " and ")
            }
        }
        return text + divergences(results) + "."
    }
}
