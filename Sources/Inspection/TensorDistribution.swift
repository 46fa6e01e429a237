/// The spread of one parameter tensor's values at one evaluation point, as
/// TensorBoard's distribution dashboard draws it: the values at the basis
/// points of a normal distribution's ±1.5σ, ±1σ, ±0.5σ (7, 16, 31, 69, 84,
/// 93 %), the median, the minimum and the maximum.
public struct TensorDistribution: Sendable, Equatable, Codable {
    /// The percentiles of `values`, in percent: 0, 6.68, 15.87, 30.85, 50, 69.15, 84.13, 93.32, 100.
    public static let percents = [0, 6.68, 15.87, 30.85, 50, 69.15, 84.13, 93.32, 100]

    /// `values[k]` is the `percents[k]` percentile: from the minimum to the maximum.
    public var values: [Double]
    public var mean: Double
    /// The population standard deviation.
    public var standardDeviation: Double

    public init(values: [Double], mean: Double, standardDeviation: Double) {
        (self.values, self.mean, self.standardDeviation) = (values, mean, standardDeviation)
    }

    /// The distribution of `tensor`. A percentile p interpolates linearly between the
    /// sorted values at ranks ⌊r⌋ and ⌈r⌉, r = p/100 · (n − 1) (NumPy's default).
    public init(of tensor: [Float]) {
        precondition(!tensor.isEmpty)
        let sorted = tensor.sorted()  // Floats: a Double's ordering is the same, and the sort moves half the bytes
        values = Self.percents.map { p in
            let rank = p / 100 * Double(sorted.count - 1)
            let low = Int(rank.rounded(.down)), high = Int(rank.rounded(.up))
            return Double(sorted[low]) + (Double(sorted[high]) - Double(sorted[low])) * (rank - Double(low))
        }
        let n = Double(sorted.count)
        let mean = sorted.reduce(0.0) { $0 + Double($1) } / n
        self.mean = mean
        standardDeviation = (sorted.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n).squareRoot()
    }

    public var minimum: Double { values[0] }
    public var median: Double { values[4] }
    public var maximum: Double { values[8] }
}
