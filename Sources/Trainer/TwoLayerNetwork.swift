import CKernels

/// The two-layer network of the book's `two_layer_net.py`:
///
///     Z1 = X·W1 + b1    A1 = σ(Z1)            (hidden layer, sigmoid)
///     Z2 = A1·W2 + b2   Y  = softmax(Z2)      (output layer)
///     L  = −(1/N) Σᵢ log(Y[i, tᵢ] + 1e-7)     (cross-entropy)
///
/// X is N×inputSize (pixels / 255), W1 inputSize×hidden, W2 hidden×outputs;
/// all matrices are row-major. Generic over the scalar so the gradient check
/// runs this same code in `Double` while training runs it in `Float`.
public struct TwoLayerNetwork<Scalar: NetworkScalar>: Sendable, Codable, Equatable {
    public let inputSize: Int
    public let hiddenSize: Int
    public let outputSize: Int
    public var w1: [Scalar]
    public var b1: [Scalar]
    public var w2: [Scalar]
    public var b2: [Scalar]

    /// Weights drawn from N(0, weightScale²), biases zero. W1 is drawn
    /// before W2, each in row-major order.
    public init(
        inputSize: Int, hiddenSize: Int, outputSize: Int, weightScale: Double,
        random: inout RandomSource
    ) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.outputSize = outputSize
        w1 = (0 ..< inputSize * hiddenSize).map { _ in Scalar(weightScale * random.normal()) }
        b1 = Array(repeating: 0, count: hiddenSize)
        w2 = (0 ..< hiddenSize * outputSize).map { _ in Scalar(weightScale * random.normal()) }
        b2 = Array(repeating: 0, count: outputSize)
    }

    /// W1 + b1 + W2 + b2: 39,760 for 784-50-10.
    public var parameterCount: Int {
        w1.count + b1.count + w2.count + b2.count
    }

    /// The same network in another precision.
    public func converted<Other: NetworkScalar>(to _: Other.Type = Other.self) -> TwoLayerNetwork<Other> {
        TwoLayerNetwork<Other>(
            inputSize: inputSize, hiddenSize: hiddenSize, outputSize: outputSize,
            w1: w1.map(Other.init), b1: b1.map(Other.init), w2: w2.map(Other.init), b2: b2.map(Other.init))
    }

    public init(inputSize: Int, hiddenSize: Int, outputSize: Int, w1: [Scalar], b1: [Scalar], w2: [Scalar], b2: [Scalar]) {
        precondition(w1.count == inputSize * hiddenSize && b1.count == hiddenSize)
        precondition(w2.count == hiddenSize * outputSize && b2.count == outputSize)
        (self.inputSize, self.hiddenSize, self.outputSize) = (inputSize, hiddenSize, outputSize)
        (self.w1, self.b1, self.w2, self.b2) = (w1, b1, w2, b2)
    }
}

/// ∂L/∂(W1, b1, W2, b2), shaped like the parameters.
public struct Gradients<Scalar: NetworkScalar>: Sendable {
    public var w1: [Scalar]
    public var b1: [Scalar]
    public var w2: [Scalar]
    public var b2: [Scalar]

    public init(zerosLike network: TwoLayerNetwork<Scalar>) {
        w1 = Array(repeating: 0, count: network.w1.count)
        b1 = Array(repeating: 0, count: network.b1.count)
        w2 = Array(repeating: 0, count: network.w2.count)
        b2 = Array(repeating: 0, count: network.b2.count)
    }
}

/// Scratch matrices for batches of up to `capacity` rows, reused across
/// iterations so the training loop does not allocate.
public struct Workspace<Scalar: NetworkScalar> {
    let capacity: Int
    var hidden: [Scalar]  // A1, capacity×hidden
    var output: [Scalar]  // Z2, then Y, then dZ2: capacity×outputs
    var hiddenDelta: [Scalar]  // dA1, then dZ1: capacity rows, hidden or (in `step`) deltaStride apart
    var outputScratch: [Scalar]  // W2ᵀ and column sums for ck_output_backward
    /// The row stride of dZ1 in `step`: hidden rounded up to whole 32-byte
    /// vectors, so the first layer's descent reads it with aligned loads.
    let deltaStride: Int

    public init(for network: TwoLayerNetwork<Scalar>, capacity: Int) {
        self.capacity = capacity
        hidden = Array(repeating: 0, count: capacity * network.hiddenSize)
        output = Array(repeating: 0, count: capacity * network.outputSize)
        deltaStride = Int(ck_delta_stride(Int64(network.hiddenSize)))
        hiddenDelta = Array(repeating: 0, count: capacity * deltaStride)
        outputScratch = Array(
            repeating: 0, count: Int(ck_output_backward_scratch(Int64(network.hiddenSize), Int64(network.outputSize))))
    }
}

// MARK: - Forward pass

extension TwoLayerNetwork {
    /// A1 = σ(X·W1 + b1) and Z2 = A1·W2 + b2 (Y = softmax(Z2) if `probabilities`)
    /// for the listed images, into the workspace. `firstLayer`, when given,
    /// holds W1 in place of `w1` (the training loop's split copy).
    @_specialize(where Scalar == Float)
    func forward(
        _ images: ImageSelection, of data: SparseImages, workspace: inout Workspace<Scalar>,
        probabilities: Bool, firstLayer: LinedWeights? = nil
    ) {
        let n = images.count
        precondition(n <= workspace.capacity && data.pixelCount == inputSize)
        w1.withUnsafeBufferPointer { w1 in
            b1.withUnsafeBufferPointer { b1 in
                workspace.hidden.withUnsafeMutableBufferPointer { a1 in
                    if let firstLayer, Scalar.self == Float.self, !data.usesReferenceKernels {
                        data.multiply(images, by: firstLayer, bias: b1.baseAddress!.floats, into: a1.baseAddress!.floats)
                    } else {
                        data.multiply(images, by: w1.baseAddress!, width: hiddenSize, bias: b1.baseAddress!, into: a1.baseAddress!)
                    }
                    Activations.sigmoid(UnsafeMutableBufferPointer(rebasing: a1[0 ..< n * hiddenSize]), reference: data.usesReferenceKernels)
                }
            }
        }
        workspace.output.withUnsafeMutableBufferPointer { z2 in
            if Scalar.self == Float.self, !data.usesReferenceKernels {
                // Z2 = A1·W2 + b2 in C, four rows at a time.
                workspace.hidden.withUnsafeBufferPointer { a1 in
                    w2.withUnsafeBufferPointer { w2 in
                        b2.withUnsafeBufferPointer { b2 in
                            ck_output_forward(
                                a1.baseAddress!.floats, w2.baseAddress!.floats, b2.baseAddress!.floats, Int64(n),
                                Int64(hiddenSize), Int64(outputSize), z2.baseAddress!.floats)
                        }
                    }
                }
            } else {
                for r in 0 ..< n { (z2.baseAddress! + r * outputSize).update(from: b2, count: outputSize) }
                DenseProducts.multiply(
                    transposeA: false, transposeB: false, m: n, n: outputSize, k: hiddenSize,
                    a: workspace.hidden, lda: hiddenSize, b: w2, ldb: outputSize, accumulate: true,
                    c: z2.baseAddress!, ldc: outputSize)
            }
            if probabilities {
                Activations.softmaxRows(z2.baseAddress!, rows: n, columns: outputSize, reference: data.usesReferenceKernels)
            }
        }
    }

    /// The mean cross-entropy loss on the listed images.
    @_specialize(where Scalar == Float)
    public func loss(on images: [Int], of data: SparseImages) -> Scalar {
        var workspace = Workspace(for: self, capacity: images.count)
        forward(.indices(images), of: data, workspace: &workspace, probabilities: true)
        return Activations.crossEntropy(
            probabilities: workspace.output, images: images, labels: data.labels, columns: outputSize)
    }
}

// MARK: - Backward pass

extension TwoLayerNetwork {
    /// Backpropagation for one mini-batch: fills `gradients` and returns the
    /// batch loss of this forward pass.
    ///
    ///     dZ2 = (Y − T) / N                  dW2 = A1ᵀ·dZ2   db2 = Σᵢ dZ2
    ///     dZ1 = (dZ2·W2ᵀ) ⊙ A1 ⊙ (1 − A1)    dW1 = Xᵀ·dZ1    db1 = Σᵢ dZ1
    @_specialize(where Scalar == Float)
    public func gradient(
        on images: [Int], of data: SparseImages, workspace: inout Workspace<Scalar>,
        into gradients: inout Gradients<Scalar>
    ) -> Scalar {
        let loss = backpropagate(on: images, of: data, workspace: &workspace, into: &gradients)
        workspace.hiddenDelta.withUnsafeBufferPointer { dZ1 in
            gradients.w1.withUnsafeMutableBufferPointer { dW1 in
                data.transposedProduct(images, delta: dZ1.baseAddress!, width: hiddenSize, into: dW1.baseAddress!)
            }
        }
        return loss
    }

    /// One SGD step on a mini-batch: `gradient` then `descend`, with the same
    /// result. In `Float` with the C kernels, W1 is updated straight from the
    /// batch grouped by pixel (`groups`, made by `SparseImages.group`), row by
    /// row as each row's gradient is summed, so dW1 never exists as a matrix.
    /// With `firstLayer` (Float and the C kernels only) W1 is read and updated
    /// there instead of in `w1`, which is then left as it was.
    @_specialize(where Scalar == Float)
    mutating func step(
        on images: [Int], grouped groups: PixelGroups, of data: SparseImages, learningRate: Scalar,
        workspace: inout Workspace<Scalar>, gradients: inout Gradients<Scalar>, firstLayer: LinedWeights? = nil
    ) -> Scalar {
        guard Scalar.self == Float.self, !data.usesReferenceKernels else {
            precondition(firstLayer == nil, "the split W1 is for the Float C kernels")
            let loss = gradient(on: images, of: data, workspace: &workspace, into: &gradients)
            descend(along: gradients, learningRate: learningRate)
            return loss
        }
        let stride = workspace.deltaStride
        let loss = backpropagate(
            on: images, of: data, workspace: &workspace, into: &gradients, deltaStride: stride, firstLayer: firstLayer)
        let (pixels, width, rate, ldd) = (Int64(inputSize), Int64(hiddenSize), Float(learningRate), Int64(stride))
        workspace.hiddenDelta.withUnsafeBufferPointer { dZ1 in
            groups.start.withUnsafeBufferPointer { start in
                groups.entries.withUnsafeBufferPointer { entries in
                    let (start, entries, delta) = (start.baseAddress, entries.baseAddress, dZ1.baseAddress!.floats)
                    if let firstLayer {
                        ck_lined_grouped_descend(start, entries, pixels, delta, ldd, width, rate, firstLayer.body, firstLayer.side)
                    } else {
                        w1.withUnsafeMutableBufferPointer { w1 in
                            ck_grouped_descend(start, entries, pixels, delta, ldd, width, rate, w1.baseAddress!.floats)
                        }
                    }
                }
            }
        }
        descend(along: gradients, learningRate: learningRate, includingW1: false)
        return loss
    }

    /// Everything of `gradient` but dW1: fills b1, W2 and b2 of `gradients`,
    /// leaves dZ1 in `workspace.hiddenDelta`, rows `deltaStride` apart, and
    /// returns the loss. A stride other than `hiddenSize` needs the Float C kernels.
    @_specialize(where Scalar == Float)
    func backpropagate(
        on images: [Int], of data: SparseImages, workspace: inout Workspace<Scalar>,
        into gradients: inout Gradients<Scalar>, deltaStride: Int? = nil, firstLayer: LinedWeights? = nil
    ) -> Scalar {
        let n = images.count
        let deltaStride = deltaStride ?? hiddenSize
        precondition(
            deltaStride == hiddenSize || (Scalar.self == Float.self && !data.usesReferenceKernels && deltaStride >= hiddenSize),
            "a padded dZ1 is for the Float C kernels")
        forward(.indices(images), of: data, workspace: &workspace, probabilities: true, firstLayer: firstLayer)
        let loss = Activations.crossEntropy(
            probabilities: workspace.output, images: images, labels: data.labels, columns: outputSize)
        let (hiddenSize, outputSize) = (self.hiddenSize, self.outputSize)
        let inverseN = 1 / Scalar(n)

        workspace.output.withUnsafeMutableBufferPointer { y in
            // dZ2 = (Y − T) / N, in place of Y.
            for (r, image) in images.enumerated() {
                y[r * outputSize + Int(data.labels[image])] -= 1
            }
            for i in 0 ..< n * outputSize { y[i] *= inverseN }
            let dZ2 = UnsafePointer(y.baseAddress!)
            if Scalar.self == Float.self, !data.usesReferenceKernels {
                // dW2, db2, dZ1 and db1 in one C call, each sum in the reference order.
                let (h, o) = (Int64(hiddenSize), Int64(outputSize))
                workspace.hidden.withUnsafeBufferPointer { a1 in
                    w2.withUnsafeBufferPointer { w2 in
                        workspace.hiddenDelta.withUnsafeMutableBufferPointer { dZ1 in
                            workspace.outputScratch.withUnsafeMutableBufferPointer { scratch in
                                gradients.w2.withUnsafeMutableBufferPointer { dW2 in
                                    gradients.b2.withUnsafeMutableBufferPointer { db2 in
                                        gradients.b1.withUnsafeMutableBufferPointer { db1 in
                                            ck_output_backward(
                                                a1.baseAddress!.floats, dZ2.floats, w2.baseAddress!.floats, Int64(n), h, o,
                                                dW2.baseAddress!.floats, db2.baseAddress!.floats, dZ1.baseAddress!.floats,
                                                Int64(deltaStride), db1.baseAddress!.floats, scratch.baseAddress!.floats)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                return
            }
            gradients.w2.withUnsafeMutableBufferPointer { dW2 in
                DenseProducts.multiply(
                    transposeA: true, transposeB: false, m: hiddenSize, n: outputSize, k: n,
                    a: workspace.hidden, lda: hiddenSize, b: dZ2, ldb: outputSize, accumulate: false,
                    c: dW2.baseAddress!, ldc: outputSize)
            }
            columnSums(dZ2, rows: n, columns: outputSize, into: &gradients.b2)
            workspace.hiddenDelta.withUnsafeMutableBufferPointer { dA1 in
                DenseProducts.multiply(
                    transposeA: false, transposeB: true, m: n, n: hiddenSize, k: outputSize,
                    a: dZ2, lda: outputSize, b: w2, ldb: outputSize, accumulate: false,
                    c: dA1.baseAddress!, ldc: hiddenSize)
            }
        }
        if Scalar.self == Float.self, !data.usesReferenceKernels { return loss }  // ck_output_backward did the rest
        workspace.hiddenDelta.withUnsafeMutableBufferPointer { dZ1 in
            workspace.hidden.withUnsafeBufferPointer { a1 in
                for i in 0 ..< n * hiddenSize { dZ1[i] *= a1[i] * (1 - a1[i]) }
            }
            columnSums(dZ1.baseAddress!, rows: n, columns: hiddenSize, into: &gradients.b1)
        }
        return loss
    }

    /// Plain SGD: θ ← θ − η·∂L/∂θ for every parameter, each element as one
    /// fused multiply-add, θ = fma(−η, g, θ), like the first layer's descent.
    @_specialize(where Scalar == Float)
    public mutating func descend(along gradients: Gradients<Scalar>, learningRate: Scalar) {
        descend(along: gradients, learningRate: learningRate, includingW1: true)
    }

    @_specialize(where Scalar == Float)
    mutating func descend(along gradients: Gradients<Scalar>, learningRate: Scalar, includingW1: Bool) {
        func step(_ parameters: inout [Scalar], _ gradient: [Scalar]) {
            parameters.withUnsafeMutableBufferPointer { p in
                gradient.withUnsafeBufferPointer { g in
                    if Scalar.self == Float.self {
                        ck_descend(p.baseAddress!.floats, g.baseAddress!.floats, Int64(p.count), Float(learningRate))
                    } else {
                        DenseProducts.descend(p, along: g.baseAddress!, learningRate: learningRate)
                    }
                }
            }
        }
        if includingW1 { step(&w1, gradients.w1) }
        step(&b1, gradients.b1)
        step(&w2, gradients.w2)
        step(&b2, gradients.b2)
    }
}

/// sums[j] = Σᵣ m[r, j], adding the rows in order.
private func columnSums<Scalar: NetworkScalar>(
    _ m: UnsafePointer<Scalar>, rows: Int, columns: Int, into sums: inout [Scalar]
) {
    sums.withUnsafeMutableBufferPointer { sums in
        let s = sums.baseAddress!
        s.update(repeating: 0, count: columns)
        for r in 0 ..< rows {
            let row = m + r * columns
            for j in 0 ..< columns { s[j] += row[j] }
        }
    }
}
