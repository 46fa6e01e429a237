import Foundation

/// A sequential colour map, sampled at evenly spaced stops and interpolated
/// linearly between them.
public struct Colormap: Sendable, Equatable {
    public var name: String
    public var stops: [Color]

    public init(name: String, stops: [Color]) {
        precondition(stops.count >= 2)
        self.name = name
        self.stops = stops
    }

    /// The colour at t in 0...1 (clamped).
    public func callAsFunction(_ t: Double) -> Color {
        let t = t.isFinite ? min(max(t, 0), 1) : 0
        let position = t * Double(stops.count - 1)
        let i = min(Int(position), stops.count - 2)
        return stops[i].mixed(with: stops[i + 1], position - Double(i))
    }

    /// matplotlib's viridis (perceptually uniform, colour-blind safe), sampled at 0, 0.1, …, 1.
    public static let viridis = Colormap(name: "viridis", stops: [
        0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C, 0x22A884, 0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725,
    ].map { Color(hex: $0) })
}
