import Foundation
import Trainer

/// The runs a command asks for, in their order.
///
/// - Every option a single value: one run, not a comparison.
/// - Lists: the Cartesian product, in `Setting` order with the last setting
///   varying fastest (`--learning-rate 0.01,0.1 --hidden 25,50` gives
///   (0.01, 25), (0.01, 50), (0.1, 25), (0.1, 50)).
/// - `trials`: a random search, the way the book's ch06
///   `hyperparameter_optimization.py` does it. Each trial draws every ranged
///   setting (the learning rate log-uniformly, whole numbers uniformly, ends
///   included) and every listed one (uniformly from its list) from a
///   generator seeded with the first seed, so a command always gives the
///   same trials; each trial then runs once per listed seed.
public struct SweepPlan: Sendable, Equatable {
    /// The single values (and the first of each list), which every run shares.
    public var base: TrainingConfiguration
    /// The settings that differ between runs, in `Setting` order.
    public var swept: [Setting]
    /// Set for a random search.
    public var trials: Int?
    /// Every run, in order.
    public var configurations: [TrainingConfiguration]
    /// How each option was given.
    public var choices: [Setting: Choice]

    /// More runs than this is refused.
    public static let maximumRuns = 256

    /// True when there is something to compare: a list of two or more values, or a random search.
    public var isComparison: Bool { trials != nil || !swept.isEmpty }

    public init(base: TrainingConfiguration = .init(), choices: [Setting: Choice], trials: Int? = nil) throws(SweepError) {
        var base = base
        for (setting, choice) in choices {
            if let first = choice.values.first { setting.apply(first, to: &base) }
        }
        self.base = base
        self.choices = choices
        self.trials = trials
        let ranged = Setting.allCases.filter { choices[$0]?.isRange == true }
        let listed = Setting.allCases.filter { (choices[$0]?.values.count ?? 0) > 1 }

        guard let trials else {
            if let setting = ranged.first {
                throw SweepError("\(setting.flag): a range (\(Self.rangeText(choices[setting]!, setting))) needs --trials, the number of runs to draw")
            }
            let runs = listed.reduce(1) { $0 * choices[$1]!.values.count }
            try Self.checkCount(runs, listed.map { "\($0.flag) \(choices[$0]!.values.count) values" })
            swept = listed
            configurations = listed.reduce([base]) { configurations, setting in
                configurations.flatMap { configuration in
                    choices[setting]!.values.map { value in
                        var c = configuration
                        setting.apply(value, to: &c)
                        return c
                    }
                }
            }
            return
        }
        guard trials >= 1 else { throw SweepError("--trials must be at least 1, got \(trials)") }
        guard !ranged.isEmpty else {
            throw SweepError("--trials needs a range to draw from, such as --learning-rate 0.001...1 or --hidden 10...200")
        }
        let seeds = choices[.seed]?.values ?? [.whole(base.seed)]
        try Self.checkCount(trials * seeds.count, ["--trials \(trials)"] + (seeds.count > 1 ? ["--seed \(seeds.count) values"] : []))
        swept = Setting.allCases.filter { ranged.contains($0) || listed.contains($0) }
        var random = RandomSource(seed: base.seed)
        var configurations: [TrainingConfiguration] = []
        for _ in 0 ..< trials {
            var trial = base
            for setting in swept where setting != .seed {
                setting.apply(Self.draw(choices[setting]!, using: &random), to: &trial)
            }
            for seed in seeds {
                var c = trial
                Setting.seed.apply(seed, to: &c)
                configurations.append(c)
            }
        }
        self.configurations = configurations
    }

    /// One value of a ranged or listed setting.
    static func draw(_ choice: Choice, using random: inout RandomSource) -> Setting.Value {
        switch choice {
        case let .values(values):
            return values[random.uniformIndex(below: values.count)]
        case let .range(.real(low), .real(high)):
            // Log-uniform: uniform in log(low) ..< log(high).
            return .real(Foundation.exp(Foundation.log(low) + random.unitInterval() * (Foundation.log(high) - Foundation.log(low))))
        case let .range(.whole(low), .whole(high)):
            return .whole(low + UInt64(random.uniformIndex(below: Int(high - low) + 1)))
        case .range:
            preconditionFailure("a range mixes real and whole ends")
        }
    }

    static func checkCount(_ runs: Int, _ factors: [String]) throws(SweepError) {
        guard runs <= maximumRuns else {
            throw SweepError("the sweep would train \(runs) runs (\(factors.joined(separator: " × "))), more than \(maximumRuns); give fewer values")
        }
    }

    static func rangeText(_ choice: Choice, _ setting: Setting) -> String {
        guard case let .range(a, b) = choice else { return "" }
        return "\(setting.text(a))...\(setting.text(b))"
    }

    /// The grid or search in words: "learning rate 0.05, 0.5 × hidden units 25, 100 = 4 runs".
    public var summary: String {
        let parts = swept.map { setting -> String in
            let choice = choices[setting]!
            switch choice {
            case let .values(values): return "\(setting.name) \(values.map(setting.text).joined(separator: ", "))"
            case .range: return "\(setting.name) \(Self.rangeText(choice, setting))\(setting.isLogarithmic ? " (log-uniform)" : " (uniform)")"
            }
        }
        let runs = "\(configurations.count) run\(configurations.count == 1 ? "" : "s")"
        if let trials {
            return "random search: \(trials) trial\(trials == 1 ? "" : "s") drawing \(parts.joined(separator: ", ")) = \(runs)"
        }
        return "\(parts.joined(separator: " × ")) = \(runs)"
    }
}
