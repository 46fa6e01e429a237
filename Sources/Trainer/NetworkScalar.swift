import RealModule

/// A floating-point type the network computes in: `Float` (training) and
/// `Double` (the gradient check). The network is generic over it so both run
/// the very same code.
public protocol NetworkScalar: Real, BinaryFloatingPoint, Codable, Sendable {}

extension Float: NetworkScalar {}
extension Double: NetworkScalar {}
