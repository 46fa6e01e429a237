import Foundation

/// Mean, sample standard deviation and extremes of a few numbers (a group's
/// seeds): the standard deviation divides by n − 1, and is 0 for one number.
public struct Statistic: Sendable, Equatable, Codable {
    public var mean: Double
    public var standardDeviation: Double
    public var minimum: Double
    public var maximum: Double
    public var count: Int

    /// nil for no numbers.
    public init?(_ values: [Double]) {
        guard let minimum = values.min(), let maximum = values.max() else { return nil }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        self.mean = mean
        standardDeviation = values.count > 1 ? (squares / (n - 1)).squareRoot() : 0
        self.minimum = minimum
        self.maximum = maximum
        count = values.count
    }
}
