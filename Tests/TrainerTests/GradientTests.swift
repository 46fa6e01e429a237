import CKernels
import Fixtures
import Testing

@testable import Trainer

/// Backpropagation against central differences, in Double, for every parameter.
@Suite("Gradient check", .serialized)
struct GradientTests {
    @Test("analytic gradients match central differences (relative error < 1e-4)")
    func gradientCheck() {
        let data = randomImages(count: 5, pixels: 12, classes: 3, seed: 11)
        var random = RandomSource(seed: 3)
        // Larger initial weights than training uses, so every gradient is well above rounding noise.
        let network = TwoLayerNetwork<Double>(inputSize: 12, hiddenSize: 4, outputSize: 3, weightScale: 0.5, random: &random)
        let batch = [0, 1, 2, 3, 4, 2]  // with a repeat, as sampling with replacement does
        var workspace = Workspace(for: network, capacity: batch.count)
        var analytic = Gradients(zerosLike: network)
        _ = network.gradient(on: batch, of: data, workspace: &workspace, into: &analytic)

        let h = 1e-5
        var worst = 0.0
        var checked = 0
        let parameters: [(WritableKeyPath<TwoLayerNetwork<Double>, [Double]>, [Double])] =
            [(\.w1, analytic.w1), (\.b1, analytic.b1), (\.w2, analytic.w2), (\.b2, analytic.b2)]
        for (path, gradient) in parameters {
            for i in network[keyPath: path].indices {
                var plus = network, minus = network
                plus[keyPath: path][i] += h
                minus[keyPath: path][i] -= h
                let numeric = (plus.loss(on: batch, of: data) - minus.loss(on: batch, of: data)) / (2 * h)
                let scale = max(abs(numeric), abs(gradient[i]), 1e-8)
                let relative = abs(numeric - gradient[i]) / scale
                // Entries whose pixel is zero in every image have a zero gradient both ways.
                if scale > 1e-8 { worst = max(worst, relative) } else { #expect(abs(gradient[i]) < 1e-12) }
                checked += 1
            }
        }
        #expect(checked == 12 * 4 + 4 + 4 * 3 + 3)
        #expect(worst < 1e-4, "largest relative error \(worst)")
    }

    @Test("the Float C kernels agree with the generic Swift loops")
    func kernelsAgree() {
        let data = randomImages(count: 40, pixels: 784, classes: 10, seed: 5)
        var random = RandomSource(seed: 9)
        let network = TwoLayerNetwork<Float>(inputSize: 784, hiddenSize: 50, outputSize: 10, weightScale: 0.1, random: &random)
        let batch = (0 ..< 30).map { _ in random.uniformIndex(below: 40) }
        func run(reference: Bool) -> (Float, Gradients<Float>, Double) {
            let images = reference ? data.withReferenceKernels() : data
            var workspace = Workspace(for: network, capacity: batch.count)
            var gradients = Gradients(zerosLike: network)
            let loss = network.gradient(on: batch, of: images, workspace: &workspace, into: &gradients)
            return (loss, gradients, network.accuracy(on: images))
        }
        let (fastLoss, fast, fastAccuracy) = run(reference: false)
        let (slowLoss, slow, slowAccuracy) = run(reference: true)
        #expect(abs(fastLoss - slowLoss) < 1e-5)
        #expect(fastAccuracy == slowAccuracy)
        for (a, b) in [(fast.w1, slow.w1), (fast.b1, slow.b1), (fast.w2, slow.w2), (fast.b2, slow.b2)] {
            let largest = b.map(abs).max()!
            #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 * largest + 1e-9 })
        }
    }

    // Every tail of the AVX2 kernels' last 8-float chunk: 1 to 8 floats.
    @Test("the backward pass of a network of another width (not a multiple of 8) agrees too", arguments: [1, 3, 4, 5, 7, 9, 11, 12, 13, 64, 70])
    func otherWidths(hidden: Int) {
        expectGradientsMatchDouble(batchSize: 12, pixels: 30, hidden: hidden, outputs: 5, seed: UInt64(hidden))
    }

    // ck_output_backward works in blocks of 5 outputs by 16 hidden units (dW2) and of
    // 3 batch rows by 32 hidden units (dZ1): every remainder of each.
    @Test(
        "every gradient of the output layer's C kernel agrees with Double, for any batch, width and output count",
        arguments: [(1, 1, 1), (2, 9, 2), (4, 17, 3), (5, 50, 4), (7, 33, 6), (8, 64, 7), (100, 50, 10), (11, 70, 11)])
    func outputLayerShapes(batchSize: Int, hidden: Int, outputs: Int) {
        expectGradientsMatchDouble(
            batchSize: batchSize, pixels: 20, hidden: hidden, outputs: outputs, seed: UInt64(batchSize * 100 + hidden))
    }

    /// The Float C kernels' gradients (W1, b1, W2, b2) of one batch against the
    /// generic loops in Double, within 1e-4 of each gradient's largest entry.
    private func expectGradientsMatchDouble(batchSize: Int, pixels: Int, hidden: Int, outputs: Int, seed: UInt64) {
        let data = randomImages(count: batchSize, pixels: pixels, classes: outputs, seed: seed)
        var random = RandomSource(seed: UInt64(outputs))
        let network = TwoLayerNetwork<Float>(inputSize: pixels, hiddenSize: hidden, outputSize: outputs, weightScale: 0.3, random: &random)
        let reference = network.converted(to: Double.self)
        let batch = Array(0 ..< batchSize)
        var fastWorkspace = Workspace(for: network, capacity: batchSize)
        var fast = Gradients(zerosLike: network)
        _ = network.gradient(on: batch, of: data, workspace: &fastWorkspace, into: &fast)
        var slowWorkspace = Workspace(for: reference, capacity: batchSize)
        var slow = Gradients(zerosLike: reference)
        _ = reference.gradient(on: batch, of: data, workspace: &slowWorkspace, into: &slow)
        for (a, b) in [(fast.w1, slow.w1), (fast.b1, slow.b1), (fast.w2, slow.w2), (fast.b2, slow.b2)] {
            #expect(a.count == b.count)
            let largest = b.map(abs).max()!
            #expect(zip(a, b).allSatisfy { abs(Double($0) - $1) <= 1e-4 * largest + 1e-9 })
        }
    }

    @Test("a batch grouped by pixel lists each pixel's values in batch order", arguments: [false, true])
    func grouping(withScratch: Bool) {
        let pixels = 30
        let data = randomImages(count: 9, pixels: pixels, classes: 3, seed: 4)
        let rows = data.storage
        let dense = (0 ..< data.count).map { image in
            var row = [UInt8](repeating: 0, count: pixels)
            for e in Int(rows.rowStart[image]) ..< Int(rows.rowStart[image + 1]) { row[Int(rows.column[e])] = rows.value[e] }
            return row
        }
        let batch = [3, 0, 8, 3, 5]  // image 3 twice, as sampling with replacement allows
        var groups = PixelGroups(pixelCount: pixels)
        if withScratch {
            var scratch: [ck_entry] = []
            data.group(batch, into: &groups, scratch: &scratch)
            #expect(scratch.count == pixels * batch.count)  // the buckets were used
        } else {
            data.group(batch, into: &groups)
        }
        #expect(groups.count == batch.reduce(0) { $0 + Int(rows.rowStart[$1 + 1] - rows.rowStart[$1]) })
        for p in 0 ..< pixels {
            let listed = groups.entries[Int(groups.start[p]) ..< Int(groups.start[p + 1])].map { (Int($0.bits >> 8), UInt8($0.bits & 0xFF)) }
            let expected = batch.enumerated().filter { dense[$0.element][p] != 0 }.map { ($0.offset, dense[$0.element][p]) }
            #expect(listed.map(\.0) == expected.map(\.0))
            #expect(listed.map(\.1) == expected.map(\.1))
        }
        #expect(groups.start[pixels] == Int32(groups.count))
    }

    // 167 rows of 784 pixels fit the 131,072-entry scratch, 168 do not (the
    // counting sort then runs even though a scratch was passed).
    @Test("grouping through the scratch's buckets gives the counting sort's groups", arguments: [1, 2, 100, 167, 168, 300])
    func groupingWaysAgree(batchSize: Int) {
        let pixels = 784
        let data = randomImages(count: 200, pixels: pixels, classes: 10, seed: UInt64(batchSize))
        var random = RandomSource(seed: 5)
        var scratch: [ck_entry] = []
        for round in 0 ..< 3 {  // the same scratch serves batch after batch
            let batch = (0 ..< batchSize).map { _ in random.uniformIndex(below: data.count) }
            var sorted = PixelGroups(pixelCount: pixels)
            data.group(batch, into: &sorted)
            var bucketed = PixelGroups(pixelCount: pixels)
            data.group(batch, into: &bucketed, scratch: &scratch)
            #expect(scratch.count == (batchSize <= 167 ? pixels * batchSize : 0), "round \(round)")
            #expect(bucketed.count == sorted.count)
            #expect(bucketed.start == sorted.start)
            #expect(bucketed.entries.prefix(bucketed.count).map(\.bits) == sorted.entries.prefix(sorted.count).map(\.bits))
        }
    }

    @Test("one fused SGD step gives exactly the weights of gradient then descend", arguments: [50, 9, 11, 12, 13, 16])
    func fusedStep(hidden: Int) {
        let data = randomImages(count: 40, pixels: 784, classes: 10, seed: 6)
        var random = RandomSource(seed: 8)
        let network = TwoLayerNetwork<Float>(inputSize: 784, hiddenSize: hidden, outputSize: 10, weightScale: 0.1, random: &random)
        let batch = (0 ..< 30).map { _ in random.uniformIndex(below: 40) }
        var workspace = Workspace(for: network, capacity: batch.count)
        var gradients = Gradients(zerosLike: network)

        var twoSteps = network
        let loss = twoSteps.gradient(on: batch, of: data, workspace: &workspace, into: &gradients)
        twoSteps.descend(along: gradients, learningRate: 0.1)

        var fused = network
        var groups = PixelGroups(pixelCount: 784)
        data.group(batch, into: &groups)
        let fusedLoss = fused.step(on: batch, grouped: groups, of: data, learningRate: 0.1, workspace: &workspace, gradients: &gradients)
        #expect(fusedLoss == loss)
        #expect(fused == twoSteps)
        #expect(fused != network)
    }

    @Test("W1 split at whole cache lines: the same forward pass, steps and evaluation, bit for bit", arguments: [17, 24, 36, 50, 56])
    func linedWeights(hidden: Int) throws {
        let data = randomImages(count: 40, pixels: 784, classes: 10, seed: 11)
        var random = RandomSource(seed: 12)
        let network = TwoLayerNetwork<Float>(inputSize: 784, hiddenSize: hidden, outputSize: 10, weightScale: 0.1, random: &random)
        let lined = try #require(LinedWeights(packing: network.w1, pixels: 784, width: hidden))
        var unpacked = [Float](repeating: .nan, count: network.w1.count)
        lined.unpack(into: &unpacked)
        #expect(unpacked == network.w1)

        // Three steps, one kept in w1 and one in the split copy.
        var workspace = Workspace(for: network, capacity: 30)
        var gradients = Gradients(zerosLike: network)
        var rowMajor = network, split = network
        var groups = PixelGroups(pixelCount: 784)
        for _ in 0 ..< 3 {
            let batch = (0 ..< 30).map { _ in random.uniformIndex(below: 40) }
            data.group(batch, into: &groups)
            let a = rowMajor.step(on: batch, grouped: groups, of: data, learningRate: 0.2, workspace: &workspace, gradients: &gradients)
            let b = split.step(
                on: batch, grouped: groups, of: data, learningRate: 0.2, workspace: &workspace, gradients: &gradients,
                firstLayer: lined)
            #expect(a == b)
        }
        #expect(split.w1 == network.w1, "the split step leaves w1 alone")
        lined.unpack(into: &split.w1)
        #expect(split == rowMajor)
        #expect(split != network)

        // Evaluation through the split copy.
        var scratch = Workspace(for: network, capacity: 40)
        #expect(split.correctCount(on: data, range: 0 ..< 40, workspace: &scratch, firstLayer: lined.copy())
            == rowMajor.correctCount(on: data, range: 0 ..< 40, workspace: &scratch))
    }

    @Test("widths the split does not fit keep the row-major W1", arguments: [1, 9, 16, 48, 60, 64, 70])
    func linedWeightsNotApplicable(hidden: Int) {
        var random = RandomSource(seed: 1)
        let network = TwoLayerNetwork<Float>(inputSize: 30, hiddenSize: hidden, outputSize: 3, weightScale: 0.1, random: &random)
        #expect(LinedWeights(packing: network.w1, pixels: 30, width: hidden) == nil)
    }
}
