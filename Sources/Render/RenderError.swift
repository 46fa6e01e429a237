/// Why a picture could not be drawn or encoded.
public enum RenderError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A Cairo call returned this status.
    case cairo(operation: String, status: String)
    case font(String)
    case png(String)
    case gif(String)
    case invalidSize(width: Double, height: Double, scale: Double)

    public var description: String {
        switch self {
        case let .cairo(operation, status): "cairo: \(operation) failed: \(status)"
        case let .font(message): "font: \(message)"
        case let .png(message): "png: \(message)"
        case let .gif(message): "gif: \(message)"
        case let .invalidSize(width, height, scale): "cannot draw a \(width)x\(height) picture at scale \(scale)"
        }
    }
}
