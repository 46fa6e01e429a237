import Fixtures
import Testing

@testable import Trainer

@Suite("Parameter snapshots at the evaluation points")
struct SnapshotTests {
    static let train = separableImages(count: 300, seed: 1), test = separableImages(count: 120, seed: 2)

    @Test("keeping snapshots leaves the run bit-identical to one that keeps none")
    func unchangedTraining() throws {
        var none = TrainingTests.tinyConfiguration()
        none.snapshotBudget = 0
        let plain = try Trainer(configuration: none).train(train: Self.train, test: Self.test, classCount: 4)
        let kept = try Trainer(configuration: TrainingTests.tinyConfiguration()).train(train: Self.train, test: Self.test, classCount: 4)
        #expect(plain.snapshots.isEmpty && plain.snapshotPlan.kept.isEmpty)
        #expect(kept.snapshots.count == kept.epochs.count)
        #expect(kept.network == plain.network)
        #expect(kept.losses.map(\.bitPattern) == plain.losses.map(\.bitPattern))
        #expect(kept.epochs.map(\.testAccuracy) == plain.epochs.map(\.testAccuracy))
        #expect(kept.predictions == plain.predictions)
    }

    @Test("each snapshot is the network that was evaluated at its point", arguments: [8, 16])
    func snapshotsAreTheEvaluatedNetworks(hidden: Int) throws {
        // 8 units keep W1 row-major; 16 do too, and other widths take the split W1 (see LinedWeights).
        var config = TrainingTests.tinyConfiguration()
        config.hiddenSize = hidden
        let run = try Trainer(configuration: config).train(train: Self.train, test: Self.test, classCount: 4)
        #expect(run.snapshots.map(\.iteration) == run.epochs.map(\.iteration))
        for (snapshot, point) in zip(run.snapshots, run.epochs) {
            #expect(snapshot.epoch == point.epoch)
            #expect(snapshot.network.accuracy(on: Self.test) == point.testAccuracy, "point \(point.epoch)")
            #expect(snapshot.network.accuracy(on: Self.train) == point.trainAccuracy, "point \(point.epoch)")
        }
        #expect(run.snapshots.first!.network != run.snapshots.last!.network)
    }

    @Test("the split W1 is unpacked into every snapshot")
    func linedWeights() throws {
        var config = TrainingTests.tinyConfiguration()
        config.hiddenSize = 50  // 48 + 2: the split layout
        let run = try Trainer(configuration: config).train(
            train: randomImages(count: 200, pixels: 784, classes: 4, seed: 3), test: randomImages(count: 60, pixels: 784, classes: 4, seed: 4),
            classCount: 4)
        #expect(run.snapshots.count == run.epochs.count)
        #expect(run.snapshots.first!.network.w1 != run.snapshots.last!.network.w1)
    }

    @Test("the plan keeps every point that fits, else an even spread with the first and the last")
    func plan() {
        #expect(SnapshotPlan(points: 17, parameterCount: 39_760, budget: SnapshotPlan.defaultBudget).kept == Array(0 ..< 17))
        let large = SnapshotPlan(points: 300, parameterCount: 784 * 200 + 200 + 2010, budget: SnapshotPlan.defaultBudget)
        #expect(large.kept.count == 52)
        #expect(large.kept.first == 0 && large.kept.last == 299)
        #expect(zip(large.kept, large.kept.dropFirst()).allSatisfy { $1 - $0 >= 5 && $1 - $0 <= 6 })
        #expect(!large.keepsAll)
        #expect(SnapshotPlan(points: 10, parameterCount: 100, budget: 0).kept.isEmpty)
        #expect(SnapshotPlan(points: 10, parameterCount: 100, budget: 400).kept == [9])
        #expect(SnapshotPlan(points: 10, parameterCount: 100, budget: 800).kept == [0, 9])
        #expect(SnapshotPlan(points: 0, parameterCount: 100, budget: 800).kept.isEmpty)
        var config = TrainingConfiguration()
        config.iterations = 10_000
        #expect(SnapshotPlan(config, parameterCount: 39_760).points == 17)
    }
}
