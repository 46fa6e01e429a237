import Dispatch
import Foundation
import Trainer

/// Trains a plan's runs, `workers` at a time, on data loaded once.
///
/// Each run is an ordinary `Trainer` run of its configuration, so it is bit
/// for bit the run that configuration gives alone: the same weights, losses
/// and evaluation points (`Trainer` results never depend on threads). Runs
/// start longest first (by `cost`), so the two cores finish together; a run
/// that diverges ends there and the sweep goes on.
///
/// What a sweep keeps of each run: its losses, evaluation points, final
/// weights and predicted classes. Not kept: parameter snapshots (no picture of
/// a sweep needs them) and the test set's class probabilities.
public struct SweepRunner: Sendable {
    /// Where a sweep stands, reported at each run's start and end and about ten times a second in between.
    public struct Progress: Sendable {
        public var finished: Int
        public var total: Int
        /// The runs in progress (plan indices).
        public var running: [Int]
        /// The share of the whole sweep's work done, 0...1 (by `cost`, running runs counted by iterations done).
        public var fraction: Double
        /// Wall seconds since the sweep started.
        public var elapsed: Double
        /// Set in the report that a run's end sends.
        public var justFinished: Finished?

        /// A run that just ended.
        public struct Finished: Sendable {
            public var index: Int
            public var final: EpochMetrics?
            public var divergence: Divergence?
            public var seconds: Double
        }

        /// Seconds left at the rate so far (nil before any work is done).
        public var remaining: Double? { fraction > 0 ? elapsed * (1 - fraction) / fraction : nil }
    }

    public var plan: SweepPlan
    /// Runs trained at once: one per core, as long as there are runs.
    public var workers: Int
    /// Each run prepares its batches and evaluates on a helper thread of its
    /// own. By default only when the runs leave a core free: with one run per
    /// core, helpers only add switching (the 4-run sweep of `make bench` took
    /// 0.93 s with them and 0.89 s without, against 0.97 s one run at a time with helpers).
    public var helperThreads: Bool

    public init(plan: SweepPlan, workers: Int? = nil, helperThreads: Bool? = nil) {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        self.plan = plan
        self.workers = max(1, min(workers ?? cores, plan.configurations.count))
        self.helperThreads = helperThreads ?? (self.workers < cores)
    }

    /// The configuration a run of the plan trains with: no snapshots.
    public static func configuration(_ configuration: TrainingConfiguration, helperThread: Bool = true) -> TrainingConfiguration {
        var c = configuration
        c.snapshotBudget = 0
        c.usesHelperThread = helperThread
        return c
    }

    /// Relative work of a run: multiply-adds of its steps (forward and two
    /// backward products per image) and evaluations (one forward pass per image), per hidden unit.
    public static func cost(_ c: TrainingConfiguration, trainCount: Int, testCount: Int) -> Double {
        let points = Double((c.iterations - 1) / c.evaluateEvery + 1)
        return Double(c.hiddenSize + 10) * (3 * Double(c.iterations) * Double(c.batchSize) + points * Double(trainCount + testCount))
    }

    /// Trains every run; returns them in plan order. Throws (a `TrainerError`) only
    /// for what stops every run, an empty data set; divergence is a run's result.
    public func run(
        train: SparseImages, test: SparseImages, classCount: Int, progress: @escaping @Sendable (Progress) -> Void = { _ in }
    ) throws -> SweepResults {
        let start = DispatchTime.now()
        let configurations = plan.configurations.map { Self.configuration($0, helperThread: helperThreads) }
        for c in configurations { try c.validate() }
        let costs = configurations.map { Self.cost($0, trainCount: train.count, testCount: test.count) }
        let order = costs.indices.sorted { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : $0 < $1 }
        let state = State(costs: costs, start: start, report: progress)
        let slots = ResultSlots<SweepRun>(count: configurations.count)

        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = state.next(order) {
                let c = configurations[index]
                let runStart = DispatchTime.now()
                let result = Result { () throws(TrainerError) in
                    try Trainer(configuration: c, onDivergence: .stop).train(
                        train: train, test: test, classCount: classCount,
                        progress: { event in
                            if case let .iteration(i, _) = event { state.advance(index, to: Double(i + 1) / Double(c.iterations)) }
                        })
                }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - runStart.uptimeNanoseconds) / 1e9
                slots[index] = result.map { run in
                    let fingerprint = run.fingerprint
                    var run = run
                    run.predictions.probabilities = []
                    return SweepRun(index: index, run: run, seconds: seconds, fingerprint: fingerprint)
                }.mapError { $0 as any Error }
                state.finish(index, result.map {
                    Progress.Finished(index: index, final: $0.final, divergence: $0.divergence, seconds: seconds)
                })
            }
        }
        let runs = try configurations.indices.map { try slots[$0]!.get() }
        return SweepResults(plan: plan, runs: runs, seconds: Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9,
                            workers: workers)
    }

    // MARK: Shared state of the workers

    /// The queue of runs and the progress, behind one lock.
    final class State: @unchecked Sendable {
        private let lock = NSLock()
        private let costs: [Double]
        private let total: Double
        private let start: DispatchTime
        private let report: @Sendable (Progress) -> Void
        private var taken = 0
        private var finished = 0
        private var done = 0.0
        private var running: [Int: Double] = [:]
        private var lastReport = DispatchTime(uptimeNanoseconds: 0)

        init(costs: [Double], start: DispatchTime, report: @escaping @Sendable (Progress) -> Void) {
            self.costs = costs
            total = max(costs.reduce(0, +), 1)
            self.start = start
            self.report = report
        }

        func next(_ order: [Int]) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard taken < order.count else { return nil }
            let index = order[taken]
            taken += 1
            running[index] = 0
            send(force: true)
            return index
        }

        func advance(_ index: Int, to fraction: Double) {
            lock.lock()
            defer { lock.unlock() }
            running[index] = fraction
            send(force: false)
        }

        func finish(_ index: Int, _ result: Result<Progress.Finished, TrainerError>) {
            lock.lock()
            defer { lock.unlock() }
            running[index] = nil
            finished += 1
            done += costs[index]
            send(force: true, finished: try? result.get())
        }

        /// Reports at most ten times a second, unless `force` (the lock is held).
        private func send(force: Bool, finished run: Progress.Finished? = nil) {
            let now = DispatchTime.now()
            guard force || now.uptimeNanoseconds - lastReport.uptimeNanoseconds >= 100_000_000 else { return }
            lastReport = now
            let partial = running.reduce(0.0) { $0 + costs[$1.key] * $1.value }
            report(Progress(
                finished: finished, total: costs.count, running: running.keys.sorted(), fraction: min((done + partial) / total, 1),
                elapsed: Double(now.uptimeNanoseconds - start.uptimeNanoseconds) / 1e9, justFinished: run))
        }
    }
}
