import Foundation
import Trainer

/// A recipe option a sweep can vary. The cases are in the order the grid is
/// built in: the product runs through the learning rates slowest and the
/// seeds fastest, like nested loops in this order.
public enum Setting: Int, CaseIterable, Comparable, Hashable, Sendable, Codable {
    case learningRate, hiddenSize, batchSize, iterations, seed

    /// A value of a setting: the learning rate is real, the rest are whole numbers.
    public enum Value: Hashable, Sendable {
        case real(Double)
        case whole(UInt64)

        /// The value as a number on an axis (a seed above 2⁵³ rounds; it is never drawn to scale).
        public var number: Double {
            switch self {
            case let .real(x): x
            case let .whole(n): Double(n)
            }
        }
    }

    public static func < (a: Setting, b: Setting) -> Bool { a.rawValue < b.rawValue }

    /// The command-line option: "--learning-rate".
    public var flag: String {
        switch self {
        case .learningRate: "--learning-rate"
        case .hiddenSize: "--hidden"
        case .batchSize: "--batch-size"
        case .iterations: "--iterations"
        case .seed: "--seed"
        }
    }

    /// For sentences and axis labels: "learning rate".
    public var name: String {
        switch self {
        case .learningRate: "learning rate"
        case .hiddenSize: "hidden units"
        case .batchSize: "batch size"
        case .iterations: "iterations"
        case .seed: "seed"
        }
    }

    /// For compact labels: "lr 0.1", "hidden 50".
    public var shortName: String {
        switch self {
        case .learningRate: "lr"
        case .hiddenSize: "hidden"
        case .batchSize: "batch"
        case .iterations: "iterations"
        case .seed: "seed"
        }
    }

    /// The learning rate spans decades: its axes and random draws are logarithmic.
    public var isLogarithmic: Bool { self == .learningRate }

    // MARK: Reading and writing a configuration

    public func value(in configuration: TrainingConfiguration) -> Value {
        switch self {
        case .learningRate: .real(configuration.learningRate)
        case .hiddenSize: .whole(UInt64(configuration.hiddenSize))
        case .batchSize: .whole(UInt64(configuration.batchSize))
        case .iterations: .whole(UInt64(configuration.iterations))
        case .seed: .whole(configuration.seed)
        }
    }

    public func apply(_ value: Value, to configuration: inout TrainingConfiguration) {
        switch (self, value) {
        case let (.learningRate, .real(x)): configuration.learningRate = x
        case let (.hiddenSize, .whole(n)): configuration.hiddenSize = Int(n)
        case let (.batchSize, .whole(n)): configuration.batchSize = Int(n)
        case let (.iterations, .whole(n)): configuration.iterations = Int(n)
        case let (.seed, .whole(n)): configuration.seed = n
        default: preconditionFailure("\(value) is not a value of \(self)")
        }
    }

    /// The value as it is written in tables and labels: "0.1", "50"
    /// (a learning rate drawn at random, to four significant digits).
    public func text(_ value: Value) -> String {
        switch value {
        case let .real(x): Self.shortest(x)
        case let .whole(n): String(n)
        }
    }

    public func text(in configuration: TrainingConfiguration) -> String { text(value(in: configuration)) }

    /// "lr 0.1"
    public func label(in configuration: TrainingConfiguration) -> String { "\(shortName) \(text(in: configuration))" }

    /// The shorter of Swift's exact description and four significant digits.
    static func shortest(_ x: Double) -> String {
        let exact = "\(x)"
        var rounded = String(format: "%.4g", x)
        if rounded.contains("e") { rounded = rounded.replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(of: "e+0", with: "e+") }
        return exact.count <= rounded.count ? exact : rounded
    }
}
