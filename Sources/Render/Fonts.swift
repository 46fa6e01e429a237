import CCairo
import Charts

/// The one typeface every picture uses: DejaVu Sans, regular and bold,
/// resolved through fontconfig and loaded from its file with FreeType. A
/// fallback to any other family is an error, so text never silently changes.
public final class Fonts: @unchecked Sendable {
    public static let family = "DejaVu Sans"

    /// What fontconfig resolved for one style.
    public struct Resolved: Sendable, Equatable {
        public var family: String
        public var style: String
        public var file: String
    }

    public let regular: Resolved
    public let bold: Resolved
    let regularFace: OpaquePointer
    let boldFace: OpaquePointer
    /// Hinting off, greyscale antialiasing, unhinted metrics: glyph shapes
    /// and advances depend only on the font file, not on the machine.
    let options: OpaquePointer

    /// Loaded once per process; Cairo font faces are thread-safe.
    public static func shared() throws(RenderError) -> Fonts {
        try cache.get()
    }

    private static let cache: Result<Fonts, RenderError> = Result { () throws(RenderError) in try Fonts() }

    private init() throws(RenderError) {
        guard FcInit() != 0 else { throw .font("fontconfig could not start") }
        var library: FT_Library?
        guard FT_Init_FreeType(&library) == 0, let library else { throw .font("FreeType could not start") }
        let regular = try Self.resolve(family: Self.family, style: "Book", weight: FC_WEIGHT_REGULAR)
        let bold = try Self.resolve(family: Self.family, style: "Bold", weight: FC_WEIGHT_BOLD)
        let regularFace = try Self.load(regular, library: library)
        let boldFace = try Self.load(bold, library: library)
        self.regular = regular
        self.bold = bold
        self.regularFace = regularFace
        self.boldFace = boldFace
        let options = cairo_font_options_create()!
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        guard cairo_font_options_status(options) == CAIRO_STATUS_SUCCESS else {
            throw .cairo(operation: "font options", status: "out of memory")
        }
        self.options = options
    }

    /// What fontconfig offers for `family` in `style`; an error unless it is exactly that.
    static func resolve(family: String, style: String, weight: Int32) throws(RenderError) -> Resolved {
        guard let pattern = FcPatternCreate() else { throw .font("fontconfig: out of memory") }
        defer { FcPatternDestroy(pattern) }
        FcPatternAddString(pattern, "family", family)
        FcPatternAddInteger(pattern, "weight", weight)
        FcPatternAddInteger(pattern, "slant", FC_SLANT_ROMAN)
        FcConfigSubstitute(nil, pattern, FcMatchPattern)
        FcDefaultSubstitute(pattern)
        var result = FcResultNoMatch
        guard let match = FcFontMatch(nil, pattern, &result) else {
            throw .font("fontconfig found no font for \(family) \(style); install fonts-dejavu-core")
        }
        defer { FcPatternDestroy(match) }
        let resolved = Resolved(
            family: string(match, "family") ?? "?", style: string(match, "style") ?? "?", file: string(match, "file") ?? "")
        guard resolved.family == family, resolved.style == style else {
            throw .font("\(family) \(style) is not installed (fontconfig offered \(resolved.family) \(resolved.style) from \(resolved.file)); install fonts-dejavu-core")
        }
        return resolved
    }

    /// A Cairo font face for exactly that file.
    private static func load(_ resolved: Resolved, library: FT_Library) throws(RenderError) -> OpaquePointer {
        var face: FT_Face?
        guard FT_New_Face(library, resolved.file, 0, &face) == 0, let face else {
            throw .font("FreeType cannot open \(resolved.file)")
        }
        guard let cairoFace = cairo_ft_font_face_create_for_ft_face(face, 0),
              cairo_font_face_status(cairoFace) == CAIRO_STATUS_SUCCESS
        else { throw .cairo(operation: "cairo_ft_font_face_create_for_ft_face", status: "failed for \(resolved.file)") }
        return cairoFace
    }

    private static func string(_ pattern: OpaquePointer, _ key: String) -> String? {
        var value: UnsafeMutablePointer<FcChar8>?
        guard FcPatternGetString(pattern, key, 0, &value) == FcResultMatch, let value else { return nil }
        return String(cString: value)
    }

    func face(_ weight: TextStyle.Weight) -> OpaquePointer { weight == .bold ? boldFace : regularFace }
}
