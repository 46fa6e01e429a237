extension TrainingRun {
    /// A 64-bit FNV-1a hash of every bit the run computed, as 16 hex digits:
    /// each iteration's loss, each evaluation point (epoch, iteration, train and
    /// test accuracy, loss; not its time), the final W1, b1, W2, b2, and the test
    /// predictions with their probabilities. Two runs with the same fingerprint
    /// computed the same numbers; one last-bit difference anywhere changes it.
    /// It is a checksum for comparing runs across machines, not a cryptographic hash.
    public var fingerprint: String {
        var hash = FNV1a()
        for loss in losses { hash.add(loss.bitPattern) }
        for point in epochs {
            hash.add(UInt64(point.epoch))
            hash.add(UInt64(point.iteration))
            hash.add(point.trainAccuracy.bitPattern)
            hash.add(point.testAccuracy.bitPattern)
            hash.add(point.loss.bitPattern)
        }
        for tensor in [network.w1, network.b1, network.w2, network.b2] {
            hash.add(UInt64(tensor.count))
            for value in tensor { hash.add(value.bitPattern) }
        }
        for label in predictions.predicted { hash.add(label) }
        for probability in predictions.probabilities { hash.add(probability.bitPattern) }
        let hex = String(hash.value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// FNV-1a, 64 bits: for each byte, hash = (hash XOR byte) · 1099511628211.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Adds an integer's bytes, least significant first.
    mutating func add<T: FixedWidthInteger>(_ integer: T) {
        var bits = integer.littleEndian
        withUnsafeBytes(of: &bits) { bytes in
            for byte in bytes {
                value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
        }
    }
}
