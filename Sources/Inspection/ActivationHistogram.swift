/// How a hidden layer's sigmoid outputs are spread over 0…1 on a set of
/// images: counts in equal bins, and the fraction that is saturated, where
/// the sigmoid's slope σ(1 − σ) is below 0.0475 and gradients barely pass.
public struct ActivationHistogram: Sendable, Equatable, Codable {
    /// Below this or above 1 − this an activation counts as saturated.
    public static let saturation = 0.05

    /// counts[k] holds the activations in [k/bins, (k+1)/bins); 1.0 falls in the last bin.
    public var counts: [Int]
    public var total: Int
    /// The fraction of activations below 0.05 or above 0.95.
    public var saturatedFraction: Double
    /// Of those, the fractions below 0.05 and above 0.95.
    public var lowFraction: Double
    public var highFraction: Double

    public init(counts: [Int], total: Int, lowFraction: Double, highFraction: Double) {
        (self.counts, self.total, self.lowFraction, self.highFraction) = (counts, total, lowFraction, highFraction)
        saturatedFraction = lowFraction + highFraction
    }

    public init(of activations: [Float], bins: Int = 40) {
        precondition(bins > 0)
        var counts = [Int](repeating: 0, count: bins)
        var low = 0, high = 0
        // In Double, as the definitions say: a Float product can round onto the next bin's edge.
        let (lowBound, highBound, scale) = (Self.saturation, 1 - Self.saturation, Double(bins))
        counts.withUnsafeMutableBufferPointer { c in
            for a in activations {
                let v = Double(a)
                c[min(max(Int(v * scale), 0), bins - 1)] += 1
                low += v < lowBound ? 1 : 0
                high += v > highBound ? 1 : 0
            }
        }
        let n = Double(max(activations.count, 1))
        self.init(counts: counts, total: activations.count, lowFraction: Double(low) / n, highFraction: Double(high) / n)
    }

    /// Each bin's share of all activations.
    public var fractions: [Double] { counts.map { Double($0) / Double(max(total, 1)) } }
}
