import Fixtures
import Sweep
import Testing
import Trainer

@Suite("Training a sweep")
struct RunnerTests {
    static let train = separableImages(count: 240, seed: 1)
    static let test = separableImages(count: 60, seed: 2)

    static func plan(_ options: [Setting: String]) throws -> SweepPlan {
        var base = TrainingConfiguration(hiddenSize: 8, iterations: 120, batchSize: 16, learningRate: 0.5, evaluateEvery: 30, weightScale: 0.1, seed: 5)
        base.snapshotBudget = 0
        var choices: [Setting: Choice] = [:]
        for (setting, text) in options { choices[setting] = try Choice.parse(text, for: setting) }
        return try SweepPlan(base: base, choices: choices)
    }

    /// Evaluation points without their timing.
    static func points(_ run: TrainingRun) -> [[Double]] {
        run.epochs.map { [Double($0.epoch), Double($0.iteration), $0.trainAccuracy, $0.testAccuracy, $0.loss] }
    }

    @Test("each run of a sweep is bit for bit the same configuration trained alone, whatever the workers")
    func sameAsAlone() throws {
        let plan = try Self.plan([.learningRate: "0.1,0.5", .hiddenSize: "4,8", .seed: "5,6"])
        let parallel = try SweepRunner(plan: plan, workers: 2, helperThreads: false).run(train: Self.train, test: Self.test, classCount: 4)
        let serial = try SweepRunner(plan: plan, workers: 1, helperThreads: true).run(train: Self.train, test: Self.test, classCount: 4)
        #expect(parallel.runs.count == 8)
        for (k, configuration) in plan.configurations.enumerated() {
            let alone = try Trainer(configuration: configuration).train(train: Self.train, test: Self.test, classCount: 4)
            for swept in [parallel.runs[k], serial.runs[k]] {
                #expect(swept.index == k)
                #expect(swept.configuration.learningRate == configuration.learningRate && swept.configuration.seed == configuration.seed)
                #expect(Self.points(swept.run) == Self.points(alone))
                #expect(swept.run.losses.map(\.bitPattern) == alone.losses.map(\.bitPattern))
                #expect(swept.run.network == alone.network)
                #expect(swept.run.predictions.predicted == alone.predictions.predicted)
                #expect(swept.fingerprint == alone.fingerprint)
            }
        }
    }

    @Test("a diverging run is a result: it ends where the loss stopped being finite and the others go on")
    func divergence() throws {
        let plan = try Self.plan([.learningRate: "0.5,3e38"])
        let results = try SweepRunner(plan: plan).run(train: Self.train, test: Self.test, classCount: 4)
        #expect(results.runs[0].divergence == nil && results.runs[0].final != nil)
        let diverged = try #require(results.runs[1].divergence)
        #expect(!diverged.loss.isFinite)
        #expect(results.runs[1].final == nil)
        #expect(results.runs[1].run.losses.count == diverged.iteration)
        #expect(results.runs[1].run.epochs.allSatisfy { $0.iteration < diverged.iteration })
        #expect(results.finishedCount == 1)
        #expect(results.ranked.map { $0.members } == [[0], [1]], "the diverged run ranks last")
        #expect(results.best?.members == [0])
    }

    @Test("runs that differ only in the seed are one group, with mean, standard deviation and extremes over the seeds")
    func seedGroups() throws {
        let plan = try Self.plan([.hiddenSize: "4,8", .seed: "1,2,3"])
        let results = try SweepRunner(plan: plan).run(train: Self.train, test: Self.test, classCount: 4)
        #expect(results.groups.map(\.members) == [[0, 1, 2], [3, 4, 5]])
        #expect(results.groups.map(\.seeds) == [[1, 2, 3], [1, 2, 3]])
        #expect(results.varying == [.hiddenSize])
        #expect(results.hasSeedGroups)
        for group in results.groups {
            let finals = group.members.map { results.runs[$0].final!.testAccuracy }
            let test = try #require(group.finalTest)
            #expect(test.count == 3)
            #expect(abs(test.mean - finals.reduce(0, +) / 3) < 1e-12)
            #expect(test.minimum == finals.min() && test.maximum == finals.max())
            #expect(group.points.count == 4)
            let last = try #require(group.points.last)
            #expect(last.test.minimum == finals.min() && abs(last.test.mean - test.mean) < 1e-12)
        }
    }

    @Test("the mean and sample standard deviation")
    func statistic() throws {
        let s = try #require(Statistic([2, 4, 4, 4, 5, 5, 7, 9]))
        #expect(s.mean == 5)
        #expect(abs(s.standardDeviation - 2.138089935299395) < 1e-12)
        #expect(Statistic([3])?.standardDeviation == 0)
        #expect(Statistic([]) == nil)
    }

    @Test("progress counts the runs and the share of work done, and ends complete")
    func progress() throws {
        let plan = try Self.plan([.hiddenSize: "4,8,16"])
        let log = Log()
        _ = try SweepRunner(plan: plan).run(train: Self.train, test: Self.test, classCount: 4) { log.add($0) }
        let reports = log.reports
        #expect(reports.last?.finished == 3)
        #expect(reports.last?.fraction == 1)
        #expect(reports.allSatisfy { $0.total == 3 })
        #expect(reports.compactMap(\.justFinished).map(\.index).sorted() == [0, 1, 2])
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.finished <= $1.finished })
    }
}

final class Log: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [SweepRunner.Progress] = []
    func add(_ p: SweepRunner.Progress) { lock.lock(); items.append(p); lock.unlock() }
    var reports: [SweepRunner.Progress] { lock.lock(); defer { lock.unlock() }; return items }
}

import Foundation
