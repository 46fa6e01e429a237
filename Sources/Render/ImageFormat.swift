/// The file formats a scene can be written in.
public enum ImageFormat: String, CaseIterable, Sendable, Codable {
    /// 8-bit RGB through libpng, at the canvas's scale factor.
    case png
    /// Cairo's SVG surface, in logical units.
    case svg
    /// Cairo's PDF surface, in logical units (1 unit = 1 pt).
    case pdf

    public var fileExtension: String { rawValue }
}
