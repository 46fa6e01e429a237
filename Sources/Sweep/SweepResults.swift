import Trainer

/// Everything a sweep produced: its plan, every run, and the runs grouped by
/// configuration across seeds.
public struct SweepResults: Sendable {
    public var plan: SweepPlan
    /// In plan order.
    public var runs: [SweepRun]
    /// Groups in plan order of their first member.
    public var groups: [RunGroup]
    /// Wall seconds of the whole sweep (all runs, both cores).
    public var seconds: Double
    /// How many runs trained at once.
    public var workers: Int

    public init(plan: SweepPlan, runs: [SweepRun], seconds: Double, workers: Int = 1) {
        self.workers = workers
        self.plan = plan
        self.runs = runs
        self.seconds = seconds
        var keys: [TrainingConfiguration] = []
        var members: [[Int]] = []
        for (i, run) in runs.enumerated() {
            var key = run.configuration
            key.seed = 0
            if let k = keys.firstIndex(of: key) { members[k].append(i) } else { keys.append(key); members.append([i]) }
        }
        groups = members.map { RunGroup(members: $0, of: runs) }
    }

    /// The settings that tell the groups apart (the swept ones but the seed), in `Setting` order.
    public var varying: [Setting] { plan.swept.filter { $0 != .seed } }

    /// True when the runs include more than one seed per configuration.
    public var hasSeedGroups: Bool { groups.contains { $0.members.count > 1 } }

    /// Groups by final test accuracy (mean over seeds), best first; groups that
    /// all diverged last, latest divergence first; ties in plan order.
    public var ranked: [RunGroup] {
        groups.enumerated().sorted { a, b in
            switch (a.element.finalTest?.mean, b.element.finalTest?.mean) {
            case let (x?, y?): return x != y ? x > y : a.offset < b.offset
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil):
                let (i, j) = (a.element.firstDivergence?.iteration ?? 0, b.element.firstDivergence?.iteration ?? 0)
                return i != j ? i > j : a.offset < b.offset
            }
        }.map(\.element)
    }

    /// The best group, if any run finished.
    public var best: RunGroup? { ranked.first.flatMap { $0.diverged ? nil : $0 } }

    /// Runs that finished (did not diverge).
    public var finishedCount: Int { runs.count { $0.divergence == nil } }
}
