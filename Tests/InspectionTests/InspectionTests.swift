import CKernels
import Foundation
import Testing
import Trainer

@testable import Inspection

@Suite("Principal components")
struct PrincipalComponentsTests {
    @Test("points on a line: one component explains everything, and it points along the line")
    func line() throws {
        // x = t·(1, 2, −3) for t = −2 … 2: all the variance along (1, 2, −3)/√14.
        let points = (-2 ... 2).flatMap { t in [Float(t), Float(2 * t), Float(-3 * t)] }
        let pca = try PrincipalComponents(points: points, dimensions: 3)
        #expect(abs(pca.explainedVariance(0) - 1) < 1e-12)
        #expect(abs(pca.explainedVariance(1)) < 1e-12)
        // Sign convention: the entry of largest magnitude (−3) is turned positive.
        let norm = 14.0.squareRoot()
        let expected = [-1 / norm, -2 / norm, 3 / norm]
        for (a, b) in zip(pca.components[0], expected) { #expect(abs(a - b) < 1e-12) }
        // Each point's coordinate is its signed distance along that direction: −t·√14.
        for (k, t) in (-2 ... 2).enumerated() { #expect(abs(pca.projections[k * 2] + Double(t) * norm) < 1e-12) }
    }

    @Test("a known covariance: diag(4, 1) gives eigenvalues 4 and 1 along the axes")
    func knownCovariance() throws {
        // (±2, 0) and (0, ±1), each twice: mean 0, covariance Σxxᵀ/(n − 1) = diag(16, 4)/7… scaled below.
        let points: [Float] = [2, 0, -2, 0, 0, 1, 0, -1, 2, 0, -2, 0, 0, 1, 0, -1]
        let pca = try PrincipalComponents(points: points, dimensions: 2)
        #expect(abs(pca.eigenvalues[0] - 16.0 / 7) < 1e-12)
        #expect(abs(pca.eigenvalues[1] - 4.0 / 7) < 1e-12)
        #expect(abs(pca.explainedVariance(0) - 0.8) < 1e-12)
        #expect(pca.components[0] == [1, 0] || abs(pca.components[0][0] - 1) < 1e-12)
        #expect(abs(pca.components[1][1] - 1) < 1e-12, "the second axis, turned positive")
    }

    @Test("mirrored data gives the same components (the sign is fixed, not arbitrary)")
    func signConvention() throws {
        var random = RandomSource(seed: 3)
        let points = (0 ..< 300).map { _ in Float(random.normal()) }.enumerated().map { $0.offset % 3 == 0 ? $0.element * 3 : $0.element }
        let a = try PrincipalComponents(points: points, dimensions: 3)
        let b = try PrincipalComponents(points: points.map { -$0 }, dimensions: 3)
        for k in 0 ..< 2 {
            for (x, y) in zip(a.components[k], b.components[k]) { #expect(abs(x - y) < 1e-9) }
        }
        // Mirrored points project to mirrored coordinates along the same axes.
        for (x, y) in zip(a.projections, b.projections) { #expect(abs(x + y) < 1e-9) }
    }
}

@Suite("Tensor distributions and activation histograms")
struct DistributionTests {
    @Test("percentiles interpolate between order statistics, as NumPy does")
    func percentiles() {
        let d = TensorDistribution(of: (0 ... 100).map(Float.init).shuffled())
        #expect(d.minimum == 0 && d.maximum == 100 && d.median == 50)
        #expect(abs(d.values[1] - 6.68) < 1e-9 && abs(d.values[7] - 93.32) < 1e-9)
        #expect(abs(d.mean - 50) < 1e-12)
        let squares: Int = (0 ... 100).map { ($0 - 50) * ($0 - 50) }.reduce(0, +)
        let deviation = (Double(squares) / 101).squareRoot()
        #expect(abs(d.standardDeviation - deviation) < 1e-9)
    }

    @Test("saturated activations are those below 0.05 or above 0.95; 1.0 falls in the last bin")
    func histogram() {
        let h = ActivationHistogram(of: [0, 0.01, 0.049, 0.05, 0.5, 0.95, 0.951, 1], bins: 10)
        #expect(h.counts[0] == 4 && h.counts[5] == 1 && h.counts[9] == 3)
        #expect(h.lowFraction == 3.0 / 8 && h.highFraction == 2.0 / 8 && h.saturatedFraction == 5.0 / 8)
    }
}

@Suite("Inspecting a run")
struct InspectionTests {
    @Test("featured points: the first, an early one and the last, without repeats")
    func featured() {
        #expect(RunInspection.featured(count: 17) == [0, 1, 16])
        #expect(RunInspection.featured(count: 300) == [0, 19, 299])
        #expect(RunInspection.featured(count: 2) == [0, 1])
        #expect(RunInspection.featured(count: 1) == [0])
        #expect(RunInspection.featured(count: 0) == [])
        #expect(SnapshotPlan.spread(count: 17, limit: 24) == Array(0 ..< 17))
        #expect(SnapshotPlan.spread(count: 100, limit: 24).count == 24)
        #expect(SnapshotPlan.spread(count: 100, limit: 24).last == 99)
    }

    @Test("every kept point is inspected on the test set, with its weights' spread and the activations' statistics")
    func run() throws {
        var random = RandomSource(seed: 5)
        func images(_ count: Int) -> SparseImages {
            let pixels = (0 ..< count * 16).map { _ in UInt8(random.uniformIndex(below: 3) == 0 ? 0 : random.uniformIndex(below: 256)) }
            return SparseImages(pixels: pixels, labels: (0 ..< count).map { UInt8($0 % 4) }, pixelCount: 16)
        }
        let train = images(200), test = images(80)
        let config = TrainingConfiguration(hiddenSize: 6, iterations: 200, batchSize: 10, learningRate: 0.5, evaluateEvery: 40, weightScale: 0.3, seed: 2)
        let run = try Trainer(configuration: config).train(train: train, test: test, classCount: 4)
        let inspection = try RunInspection(run: run, test: test)
        #expect(inspection.points.map(\.iteration) == [0, 40, 80, 120, 160])
        #expect(inspection.featured == [0, 1, 4])
        #expect(inspection.projections.map(\.iteration) == [0, 40, 160])
        for (point, snapshot) in zip(inspection.points, run.snapshots) {
            #expect(point.w1 == TensorDistribution(of: snapshot.network.w1))
            let activations = snapshot.network.hiddenActivations(on: test)
            #expect(activations.count == 80 * 6)
            #expect(point.activations == ActivationHistogram(of: activations))
            #expect(point.explainedVariance?.count == 2)
        }
        let last = try #require(inspection.projections.last)
        #expect(last.coordinates.count == 80 * 2 && last.labels == test.labels)
    }
}

@Suite("The covariance kernel")
struct CovarianceKernelTests {
    @Test("ck_covariance sums each entry over the rows in order, one fused multiply-add a term", arguments: [1, 3, 4, 5, 50, 53])
    func bitForBit(dimensions d: Int) {
        var random = RandomSource(seed: UInt64(d))
        let n = 37
        let x = (0 ..< n * d).map { _ in Float(random.normal()) }
        let mean = (0 ..< d).map { j in (0 ..< n).map { Double(x[$0 * d + j]) }.reduce(0, +) / Double(n) }
        var c = [Double](repeating: 0, count: d * d), scratch = [Double](repeating: 0, count: d)
        ck_covariance(x, Int64(n), Int64(d), mean, &c, &scratch)
        var expected = [Double](repeating: 0, count: d * d)
        for i in 0 ..< n {
            let centred = (0 ..< d).map { Double(x[i * d + $0]) - mean[$0] }
            for j in 0 ..< d { for k in j ..< d { expected[j * d + k].addProduct(centred[j], centred[k]) } }
        }
        #expect(c.map(\.bitPattern) == expected.map(\.bitPattern))
    }
}
