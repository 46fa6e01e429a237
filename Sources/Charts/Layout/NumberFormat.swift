import Foundation

/// 39250 → "39,250" (grouped in threes, whatever the user's locale).
public func grouped(_ n: Int) -> String {
    n.formatted(.number.locale(Locale(identifier: "en_US")))
}

/// 0.3172 → "31.7 %".
func percent(_ x: Double) -> String { String(format: "%.1f %%", x * 100) }
