import CKernels

/// Whole-set evaluation, in chunks so the scratch space stays small.
extension TwoLayerNetwork {
    static var evaluationChunk: Int { 1000 }

    /// Fraction of `data` whose most probable class is its label.
    @_specialize(where Scalar == Float)
    public func accuracy(on data: SparseImages) -> Double {
        var workspace = Workspace(for: self, capacity: Self.evaluationChunk)
        let correct = stride(from: 0, to: data.count, by: Self.evaluationChunk).reduce(0) { sum, start in
            sum + correctCount(on: data, range: start ..< min(start + Self.evaluationChunk, data.count), workspace: &workspace)
        }
        return Double(correct) / Double(max(data.count, 1))
    }

    /// How many images of `range` (at most the workspace's capacity) have
    /// their label as the most probable class.
    @_specialize(where Scalar == Float)
    func correctCount(
        on data: SparseImages, range: Range<Int>, workspace: inout Workspace<Scalar>, firstLayer: LinedWeights? = nil
    ) -> Int {
        forward(.range(range), of: data, workspace: &workspace, probabilities: false, firstLayer: firstLayer)
        if Scalar.self == Float.self, !data.usesReferenceKernels {
            // The same argmax as `Activations.argmaxRows`, counted in C: 17 evaluations argmax 1.2 million rows.
            let matches = workspace.output.withUnsafeBufferPointer { z in
                data.labels.withUnsafeBufferPointer { labels in
                    ck_count_argmax_matches(z.baseAddress!.floats, Int64(range.count), Int64(outputSize), labels.baseAddress! + range.lowerBound)
                }
            }
            return Int(matches)
        }
        var predicted = [UInt8]()
        predicted.reserveCapacity(range.count)
        workspace.output.withUnsafeBufferPointer {
            Activations.argmaxRows($0.baseAddress!, rows: range.count, columns: outputSize, into: &predicted)
        }
        return zip(predicted, data.labels[range]).count { $0 == $1 }
    }

    /// The hidden layer's outputs σ(X·W1 + b1) for every image of `data`,
    /// row-major (images × hidden units).
    @_specialize(where Scalar == Float)
    public func hiddenActivations(on data: SparseImages) -> [Scalar] {
        var activations = [Scalar]()
        activations.reserveCapacity(data.count * hiddenSize)
        let chunk = Self.evaluationChunk
        var workspace = Workspace(for: self, capacity: chunk)
        for start in stride(from: 0, to: data.count, by: chunk) {
            let range = start ..< min(start + chunk, data.count)
            forward(.range(range), of: data, workspace: &workspace, probabilities: false)
            activations.append(contentsOf: workspace.hidden[0 ..< range.count * hiddenSize])
        }
        return activations
    }

    /// Predicted classes and softmax probabilities for every image of `data`.
    @_specialize(where Scalar == Float)
    public func predictions(on data: SparseImages) -> TestPredictions {
        var predicted = [UInt8]()
        var probabilities = [Float]()
        predicted.reserveCapacity(data.count)
        probabilities.reserveCapacity(data.count * outputSize)
        forEachChunk(of: data, probabilities: true) { range, output in
            Activations.argmaxRows(output, rows: range.count, columns: outputSize, into: &predicted)
            for i in 0 ..< range.count * outputSize { probabilities.append(Float(output[i])) }
        }
        return TestPredictions(labels: data.labels, predicted: predicted, probabilities: probabilities, classCount: outputSize)
    }

    @_specialize(where Scalar == Float)
    private func forEachChunk(
        of data: SparseImages, probabilities: Bool, _ body: (Range<Int>, UnsafePointer<Scalar>) -> Void
    ) {
        let chunk = Self.evaluationChunk
        var workspace = Workspace(for: self, capacity: chunk)
        for start in stride(from: 0, to: data.count, by: chunk) {
            let range = start ..< min(start + chunk, data.count)
            forward(.range(range), of: data, workspace: &workspace, probabilities: probabilities)
            workspace.output.withUnsafeBufferPointer { body(range, $0.baseAddress!) }
        }
    }
}
