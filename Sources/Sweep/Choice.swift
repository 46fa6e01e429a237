import Foundation
import Trainer

/// What one recipe option asks for: one value, a comma-separated list of
/// values, or (for a random search) a range `low...high` to draw from.
public enum Choice: Equatable, Sendable {
    case values([Setting.Value])
    case range(Setting.Value, Setting.Value)

    /// The values of a list (one for a single value); empty for a range.
    public var values: [Setting.Value] {
        if case let .values(values) = self { values } else { [] }
    }

    public var isRange: Bool {
        if case .range = self { true } else { false }
    }

    /// Parses an option's text: `0.1`, `0.01,0.1,0.5` or `0.001...1`.
    /// Throws naming the option and the item: an empty item, an item that is
    /// not a number of the setting's kind or outside its bounds, a value
    /// given twice, a range that is not low to high, a range of seeds.
    public static func parse(_ text: String, for setting: Setting) throws(SweepError) -> Choice {
        let flag = setting.flag
        if let dots = text.range(of: "...") {
            let low = String(text[..<dots.lowerBound]), high = String(text[dots.upperBound...])
            guard setting != .seed else {
                throw SweepError("\(flag): a range of seeds (\(text)) is not allowed; list them, as in --seed 1,2,3")
            }
            let a = try value(low, of: setting, in: text), b = try value(high, of: setting, in: text)
            guard a.number < b.number else { throw SweepError("\(flag): the range \(text) must go from low to high") }
            return .range(a, b)
        }
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var values: [Setting.Value] = []
        for item in items {
            let value = try value(item, of: setting, in: text)
            guard !values.contains(value) else {
                throw SweepError("\(flag): \(item.trimmingCharacters(in: .whitespaces)) is given twice in \(text)")
            }
            values.append(value)
        }
        return .values(values)
    }

    /// One item of a list or an end of a range.
    static func value(_ item: String, of setting: Setting, in text: String) throws(SweepError) -> Setting.Value {
        let flag = setting.flag
        let item = item.trimmingCharacters(in: .whitespaces)
        guard !item.isEmpty else {
            throw SweepError(text.contains("...") ? "\(flag): the range \(text) needs a number at each end" : "\(flag): empty item in \(text)")
        }
        switch setting {
        case .learningRate:
            guard let x = Double(item) else { throw SweepError("\(flag): \(item) is not a number") }
            guard x.isFinite, x > 0 else { throw SweepError("\(flag): \(item) must be a finite number above 0") }
            return .real(x)
        case .seed:
            guard let n = UInt64(item) else { throw SweepError("\(flag): \(item) is not a whole number from 0 to \(UInt64.max)") }
            return .whole(n)
        case .hiddenSize, .batchSize, .iterations:
            guard let n = Int(item) else { throw SweepError("\(flag): \(item) is not a whole number") }
            guard n >= 1 else { throw SweepError("\(flag): \(item) must be at least 1") }
            if setting == .batchSize, n > TrainingConfiguration.largestBatch {
                throw SweepError("\(flag): \(item) must be at most \(TrainingConfiguration.largestBatch)")
            }
            return .whole(UInt64(n))
        }
    }
}
