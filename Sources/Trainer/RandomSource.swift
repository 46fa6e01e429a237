import RealModule

/// The trainer's seeded random number generator: xoshiro256** (Blackman and
/// Vigna, 2018), its 256-bit state filled from the seed by SplitMix64.
///
/// Everything random in a run (the initial weights, then every mini-batch)
/// comes from one `RandomSource` in a fixed order, so a seed and a
/// configuration determine the whole run bit for bit. The algorithms are
/// written out here rather than taken from the standard library, whose
/// `random(in:using:)` may change between Swift versions.
public struct RandomSource: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64
    private var spareNormal: Double?

    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        (s0, s1, s2, s3) = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
    }

    /// xoshiro256**: `rotl(s1 * 5, 7) * 9`, then the xor-shift state update.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A uniform integer in `0..<bound`, by Lemire's multiply-shift with
    /// rejection (exactly uniform, no modulo bias).
    public mutating func uniformIndex(below bound: Int) -> Int {
        precondition(bound > 0)
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func unitInterval() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal N(0, 1) by the Box-Muller transform: from uniform
    /// u1 in (0, 1] and u2 in [0, 1), `sqrt(-2 ln u1) * (cos 2πu2, sin 2πu2)`
    /// are two independent normals; the second is kept for the next call.
    public mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let u1 = 1 - unitInterval()
        let u2 = unitInterval()
        let radius = (-2 * Double.log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spareNormal = radius * Double.sin(angle)
        return radius * Double.cos(angle)
    }
}

@inline(__always)
private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
}
