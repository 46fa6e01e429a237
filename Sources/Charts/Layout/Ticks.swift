import Foundation

/// A labelled position on an axis.
public struct Tick: Sendable, Equatable {
    public var value: Double
    public var label: String

    public init(value: Double, label: String) { (self.value, self.label) = (value, label) }
}

/// Choosing and labelling tick positions.
public enum Ticks {
    /// "Nice" ticks (steps of 1, 2, 2.5 or 5 times a power of ten) covering
    /// `range`, about `target` of them. With `integers`, steps are whole numbers.
    public static func linear(_ range: ClosedRange<Double>, target: Int = 6, integers: Bool = false) -> [Tick] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [Tick(value: range.lowerBound, label: format(range.lowerBound, step: 1))] }
        var step = niceStep(span / Double(max(target, 1)))
        if integers { step = max(1, step.rounded(.up)) }
        let first = (range.lowerBound / step - 1e-9).rounded(.up) * step
        var ticks: [Tick] = []
        var v = first
        while v <= range.upperBound + step * 1e-9 {
            let value = abs(v) < step * 1e-9 ? 0 : v
            ticks.append(Tick(value: value, label: format(value, step: step)))
            v += step
        }
        return ticks
    }

    static func niceStep(_ raw: Double) -> Double {
        let magnitude = pow(10, floor(log10(raw)))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// Ticks at 1, 2 and 5 times each power of ten inside `range` (positive).
    /// When that gives more than `maximum`, only the powers of ten are kept.
    public static func logarithmic(_ range: ClosedRange<Double>, maximum: Int = 9) -> [Tick] {
        guard range.lowerBound > 0 else { return [] }
        let low = Int(floor(log10(range.lowerBound)))
        let high = Int(ceil(log10(range.upperBound)))
        func ticks(_ multipliers: [Double]) -> [Tick] {
            var result: [Tick] = []
            for exponent in low ... high {
                for m in multipliers {
                    let value: Double = m * pow(10, Double(exponent))
                    guard value >= range.lowerBound * (1 - 1e-9), value <= range.upperBound * (1 + 1e-9) else { continue }
                    result.append(Tick(value: value, label: format(value, step: value)))
                }
            }
            return result
        }
        let dense = ticks([1, 2, 5])
        return dense.count <= maximum ? dense : ticks([1])
    }

    /// `value` with as many decimals as `step` needs (0.9467 → "0.95" for step 0.05).
    public static func format(_ value: Double, step: Double) -> String {
        let decimals = max(0, min(6, Int(ceil(-log10(abs(step)) - 1e-9))))
        let needed = decimals + (abs(step * pow(10, Double(decimals)) - (step * pow(10, Double(decimals))).rounded()) > 1e-6 ? 1 : 0)
        return String(format: "%.\(needed)f", value)
    }
}

/// Maps data values to positions along one axis.
public struct Scale: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case linear, logarithmic }
    public var kind: Kind
    public var domain: ClosedRange<Double>
    /// Positions of the domain's lower and upper ends (may be reversed, as for y).
    public var from: Double
    public var to: Double

    public init(_ kind: Kind = .linear, domain: ClosedRange<Double>, from: Double, to: Double) {
        (self.kind, self.domain, self.from, self.to) = (kind, domain, from, to)
    }

    func transform(_ v: Double) -> Double {
        kind == .linear ? v : log10(max(v, .leastNonzeroMagnitude))
    }

    public func callAsFunction(_ v: Double) -> Double {
        let (a, b) = (transform(domain.lowerBound), transform(domain.upperBound))
        let t = b == a ? 0.5 : (transform(v) - a) / (b - a)
        return from + t * (to - from)
    }
}
