import Trainer

/// Small random "images" (bytes, about 40 % zero, like MNIST's background)
/// with labels, for tests that need exact control of the data.
public func randomImages(count: Int, pixels: Int, classes: Int, seed: UInt64) -> SparseImages {
    var random = RandomSource(seed: seed)
    let bytes = (0 ..< count * pixels).map { _ -> UInt8 in random.uniformIndex(below: 10) < 4 ? 0 : UInt8(random.uniformIndex(below: 256)) }
    let labels = (0 ..< count).map { _ in UInt8(random.uniformIndex(below: classes)) }
    return SparseImages(pixels: bytes, labels: labels, pixelCount: pixels)
}

/// Images whose class is written in their pixels: class k lights up pixel
/// block k, plus noise. A network can learn these quickly.
public func separableImages(count: Int, classes: Int = 4, blockSize: Int = 4, seed: UInt64) -> SparseImages {
    var random = RandomSource(seed: seed)
    let pixels = classes * blockSize
    var bytes: [UInt8] = []
    var labels: [UInt8] = []
    for _ in 0 ..< count {
        let label = random.uniformIndex(below: classes)
        labels.append(UInt8(label))
        for p in 0 ..< pixels {
            bytes.append(p / blockSize == label ? UInt8(180 + random.uniformIndex(below: 76)) : (random.uniformIndex(below: 4) == 0 ? UInt8(random.uniformIndex(below: 60)) : 0))
        }
    }
    return SparseImages(pixels: bytes, labels: labels, pixelCount: pixels)
}
