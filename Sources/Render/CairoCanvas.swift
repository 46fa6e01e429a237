import CCairo
import CPNGCodec
import Charts
import Foundation

/// The one place that draws: it turns a `Scene` (paths, text and images in
/// logical units) into PNG, SVG or PDF bytes with Cairo.
public struct CairoCanvas: Sendable {
    /// Device pixels per logical unit for PNG output (2 for HiDPI).
    public var scale: Double
    /// Stored in every file (PNG `Software`, PDF `Creator`).
    public var software: String
    /// zlib level of PNG files. 3, the default, is the last of zlib's fast
    /// levels: on the gallery at scale 2 it encodes in 0.10 s of CPU what
    /// level 6 (libpng's default) encodes in 0.24 s, for files 23 % larger
    /// (1.19 MB against 0.97 MB); 9 is a few per cent smaller than 6 and
    /// several times slower.
    public var pngCompression: Int
    let fonts: Fonts

    public init(scale: Double = 2, software: String = "make-report", pngCompression: Int = 3) throws(RenderError) {
        guard scale.isFinite, scale > 0, scale <= 16 else { throw .invalidSize(width: 0, height: 0, scale: scale) }
        self.scale = scale
        self.software = software
        self.pngCompression = pngCompression
        self.fonts = try Fonts.shared()
    }

    /// Text measurement with the same fonts and options as drawing.
    public var measurer: CairoTextMeasurer { CairoTextMeasurer(fonts: fonts) }

    /// The scene encoded in `format`.
    public func render(_ scene: Scene, as format: ImageFormat) throws(RenderError) -> [UInt8] {
        switch format {
        case .png: return try png(scene)
        case .svg, .pdf: return try vector(scene, format: format)
        }
    }

    // MARK: PNG

    /// The scene as 8-bit RGBA pixels (straight alpha), at the canvas's scale.
    public func rasterize(_ scene: Scene) throws(RenderError) -> (width: Int, height: Int, rgba: [UInt8]) {
        let (width, height, rgba, _) = try pixels(scene, dropOpaqueAlpha: false)
        return (width, height, rgba)
    }

    func png(_ scene: Scene) throws(RenderError) -> [UInt8] {
        let text = [("Title", scene.title), ("Software", software), ("Description", scene.description)]
        return try withSurface(scene, raster: true) { (surface) throws(RenderError) in
            if surface.isOpaque {
                return try PNG.encode(
                    opaqueARGB32: surface.data, stride: surface.stride, width: surface.width, height: surface.height,
                    text: text, compression: pngCompression)
            }
            return try PNG.encode(pixels: surface.unpacked(channels: 4), width: surface.width, height: surface.height, channels: 4,
                                  text: text, compression: pngCompression)
        }
    }

    /// Draws into an ARGB32 image surface and unpacks it: RGB when every
    /// pixel is opaque and `dropOpaqueAlpha`, RGBA otherwise.
    /// `strokePieces: false` strokes every path whole (for tests).
    func pixels(_ scene: Scene, dropOpaqueAlpha: Bool, strokePieces: Bool = true) throws(RenderError) -> (Int, Int, [UInt8], Int) {
        try withSurface(scene, raster: strokePieces) { surface in
            let channels = dropOpaqueAlpha && surface.isOpaque ? 3 : 4
            return (surface.width, surface.height, surface.unpacked(channels: channels), channels)
        }
    }

    /// The pixels of a drawn ARGB32 surface: premultiplied, native-endian,
    /// one UInt32 0xAARRGGBB per pixel, `stride` bytes from row to row.
    struct Pixels {
        let width: Int, height: Int, stride: Int
        let data: UnsafePointer<UInt32>

        func row(_ y: Int) -> UnsafePointer<UInt32> {
            (UnsafeRawPointer(data) + y * stride).assumingMemoryBound(to: UInt32.self)
        }

        /// Every alpha is 255 when the AND of a row's pixels has alpha 255:
        /// a loop the compiler vectorizes, unlike a search for the first
        /// translucent pixel (0.12 instead of 0.9 ms for a 1600 x 900 chart).
        var isOpaque: Bool {
            for y in 0 ..< height {
                let row = UnsafeBufferPointer(start: row(y), count: width)
                var all: UInt32 = 0xFFFF_FFFF
                for pixel in row { all &= pixel }
                if all >> 24 != 255 { return false }
            }
            return true
        }

        /// Straight (not premultiplied) RGB or RGBA bytes, rows packed.
        func unpacked(channels: Int) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: width * height * channels) { out, count in
                var o = 0
                for y in 0 ..< height {
                    let row = row(y)
                    for x in 0 ..< width {
                        let argb = row[x]
                        let a = argb >> 24
                        var (r, g, b) = ((argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff)
                        if a != 255, a != 0 { (r, g, b) = ((r * 255 + a / 2) / a, (g * 255 + a / 2) / a, (b * 255 + a / 2) / a) }
                        out[o] = UInt8(truncatingIfNeeded: r); out[o + 1] = UInt8(truncatingIfNeeded: g); out[o + 2] = UInt8(truncatingIfNeeded: b)
                        if channels == 4 { out[o + 3] = UInt8(truncatingIfNeeded: a) }
                        o += channels
                    }
                }
                count = o
            }
        }
    }

    /// Draws the scene at the canvas's scale into an image surface that lives
    /// for the duration of `body`.
    ///
    /// The pixels are a private anonymous mapping of their own (zero-filled,
    /// as `cairo_image_surface_create` would give them) that goes back to the
    /// system the moment the picture is done. From malloc, a surface freed on
    /// a worker thread stays resident in that thread's arena: drawing the
    /// diagram during loading kept 14 MB to the end of the run that way.
    func withSurface<T>(_ scene: Scene, raster: Bool, _ body: (Pixels) throws(RenderError) -> T) throws(RenderError) -> T {
        let width = Int((scene.size.width * scale).rounded()), height = Int((scene.size.height * scale).rounded())
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw .invalidSize(width: scene.size.width, height: scene.size.height, scale: scale)
        }
        let stride = Int(cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, Int32(width)))
        guard stride > 0, height <= Int.max / stride else { throw .invalidSize(width: scene.size.width, height: scene.size.height, scale: scale) }
        let byteCount = stride * height
        guard let memory = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), memory != MAP_FAILED else {
            throw .cairo(operation: "mmap of \(byteCount) bytes for a \(width)x\(height) surface", status: String(cString: strerror(errno)))
        }
        defer { munmap(memory, byteCount) }
        let surface = cairo_image_surface_create_for_data(
            memory.assumingMemoryBound(to: UInt8.self), CAIRO_FORMAT_ARGB32, Int32(width), Int32(height), Int32(stride))!
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface), "cairo_image_surface_create_for_data")
        try draw(scene, on: surface, scale: scale, raster: raster)
        cairo_surface_flush(surface)
        let data = UnsafeRawPointer(cairo_image_surface_get_data(surface)!).assumingMemoryBound(to: UInt32.self)
        return try body(Pixels(width: width, height: height, stride: Int(cairo_image_surface_get_stride(surface)), data: data))
    }

    // MARK: SVG and PDF

    func vector(_ scene: Scene, format: ImageFormat) throws(RenderError) -> [UInt8] {
        let sink = ByteSink()
        let context = Unmanaged.passUnretained(sink).toOpaque()
        let write: cairo_write_func_t = { closure, data, length in
            let sink = Unmanaged<ByteSink>.fromOpaque(closure!).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }
        let (w, h) = (scene.size.width, scene.size.height)
        let surface: OpaquePointer
        if format == .svg {
            surface = cairo_svg_surface_create_for_stream(write, context, w, h)
        } else {
            surface = cairo_pdf_surface_create_for_stream(write, context, w, h)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, scene.title)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, software)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, scene.description)
            // Reproducible builds: a fixed creation date when SOURCE_DATE_EPOCH is set.
            if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(Double.init) {
                let date = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: epoch))
                cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date)
            }
        }
        try check(cairo_surface_status(surface), "cairo_\(format.rawValue)_surface_create_for_stream")
        do {
            try draw(scene, on: surface, scale: 1, raster: false)
        } catch {
            cairo_surface_destroy(surface)
            throw error
        }
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        try check(status, "cairo_surface_finish (\(format.rawValue))")
        return sink.bytes
    }

    // MARK: Drawing

    /// `raster`: the surface is an image, so long polylines may be stroked in
    /// pieces (see `strokeInPieces`); vector files always get the path whole.
    func draw(_ scene: Scene, on surface: OpaquePointer, scale: Double, raster: Bool) throws(RenderError) {
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        try check(cairo_status(cr), "cairo_create")
        cairo_scale(cr, scale, scale)
        cairo_set_font_options(cr, fonts.options)
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_GRAY)
        setColor(cr, scene.background)
        cairo_paint(cr)
        for command in scene.commands { draw(command, cr, raster: raster) }
        try check(cairo_status(cr), "drawing \"\(scene.title)\"")
    }

    func draw(_ command: DrawCommand, _ cr: OpaquePointer, raster: Bool) {
        switch command {
        case let .fill(path, color):
            trace(path, cr)
            setColor(cr, color)
            cairo_fill(cr)
        case let .stroke(path, style):
            cairo_set_line_width(cr, style.width)
            cairo_set_line_cap(cr, style.cap == .round ? CAIRO_LINE_CAP_ROUND : style.cap == .square ? CAIRO_LINE_CAP_SQUARE : CAIRO_LINE_CAP_BUTT)
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
            if raster, style.dash.isEmpty, Self.strokesInPieces(path) {
                strokeInPieces(path, color: style.color, cr)
                return
            }
            trace(path, cr)
            setColor(cr, style.color)
            cairo_set_dash(cr, style.dash, Int32(style.dash.count), 0)
            cairo_stroke(cr)
            cairo_set_dash(cr, nil, 0, 0)
        case let .text(string, point, style, anchor, rotation):
            text(string, at: point, style: style, anchor: anchor, rotation: rotation, cr)
        case let .image(bitmap, rect, smooth):
            image(bitmap, in: rect, smooth: smooth, cr)
        case let .clipped(rect, commands):
            cairo_save(cr)
            cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
            cairo_clip(cr)
            for inner in commands { draw(inner, cr, raster: raster) }
            cairo_restore(cr)
        }
    }

    /// Segments per piece when a long polyline is stroked in pieces.
    static let strokePiece = 16

    /// Whether a stroke goes through `strokeInPieces`: a polyline (moves and
    /// lines only) of more than 256 segments.
    static func strokesInPieces(_ path: Charts.Path) -> Bool {
        path.elements.count > 256 && path.elements.allSatisfy {
            switch $0 {
            case .move, .line: true
            case .arc, .close: false
            }
        }
    }

    /// Strokes a long polyline a few segments at a time.
    ///
    /// Cairo's stroker slows down sharply on a long path that crosses itself
    /// often: the raw loss of 10,000 iterations, a band of zigzags, takes 0.35 s
    /// at scale 2 as one path and 0.06 s in pieces of 16 segments. matplotlib's Agg
    /// backend splits long paths the same way (`agg.path.chunksize`). Unlike
    /// matplotlib, a translucent line is drawn opaque into a group that is
    /// then painted with the colour's alpha, so it still darkens only once
    /// where it overlaps itself, as a single stroke does; the pieces share
    /// their end points, and round joins and caps make the seams invisible.
    func strokeInPieces(_ path: Charts.Path, color: Charts.Color, _ cr: OpaquePointer) {
        let translucent = color.alpha < 1
        if translucent { cairo_push_group(cr) }
        setColor(cr, translucent ? color.withAlpha(1) : color)
        cairo_new_path(cr)
        var segments = 0
        for element in path.elements {
            switch element {
            case let .move(p):
                cairo_move_to(cr, p.x, p.y)
            case let .line(p):
                cairo_line_to(cr, p.x, p.y)
                segments += 1
                if segments == Self.strokePiece {
                    cairo_stroke(cr)
                    cairo_move_to(cr, p.x, p.y)
                    segments = 0
                }
            case .arc, .close:
                preconditionFailure("strokeInPieces takes polylines only")
            }
        }
        cairo_stroke(cr)
        if translucent {
            cairo_pop_group_to_source(cr)
            cairo_paint_with_alpha(cr, color.alpha)
        }
    }

    func trace(_ path: Charts.Path, _ cr: OpaquePointer) {
        cairo_new_path(cr)
        for element in path.elements {
            switch element {
            case let .move(p): cairo_move_to(cr, p.x, p.y)
            case let .line(p): cairo_line_to(cr, p.x, p.y)
            case let .arc(c, r, a0, a1): cairo_arc(cr, c.x, c.y, r, a0, a1)
            case .close: cairo_close_path(cr)
            }
        }
    }

    func setColor(_ cr: OpaquePointer, _ c: Color) {
        cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha)
    }

    func text(_ string: String, at p: Point, style: TextStyle, anchor: TextAnchor, rotation: Double, _ cr: OpaquePointer) {
        cairo_save(cr)
        cairo_set_font_face(cr, fonts.face(style.weight))
        cairo_set_font_size(cr, style.size)
        var font = cairo_font_extents_t()
        cairo_font_extents(cr, &font)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, string, &extents)
        let dx: Double = switch anchor.horizontal {
        case .leading: 0
        case .center: -extents.x_advance / 2
        case .trailing: -extents.x_advance
        }
        let dy: Double = switch anchor.vertical {
        case .top: font.ascent
        case .middle: (font.ascent - font.descent) / 2
        case .baseline: 0
        case .bottom: -font.descent
        }
        cairo_translate(cr, p.x, p.y)
        cairo_rotate(cr, rotation)
        cairo_move_to(cr, dx, dy)
        setColor(cr, style.color)
        cairo_show_text(cr, string)
        cairo_restore(cr)
    }

    func image(_ bitmap: Bitmap, in rect: Rect, smooth: Bool, _ cr: OpaquePointer) {
        guard bitmap.width > 0, bitmap.height > 0 else { return }
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(bitmap.width), Int32(bitmap.height))!
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else { return }
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        for y in 0 ..< bitmap.height {
            let row = UnsafeMutableRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0 ..< bitmap.width {
                let o = (y * bitmap.width + x) * 4
                let a = UInt32(bitmap.rgba[o + 3])
                let premultiply = { (c: UInt8) in (UInt32(c) * a + 127) / 255 }
                row[x] = a << 24 | premultiply(bitmap.rgba[o]) << 16 | premultiply(bitmap.rgba[o + 1]) << 8 | premultiply(bitmap.rgba[o + 2])
            }
        }
        cairo_surface_mark_dirty(surface)
        cairo_save(cr)
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(cr)
        cairo_translate(cr, rect.x, rect.y)
        cairo_scale(cr, rect.width / Double(bitmap.width), rect.height / Double(bitmap.height))
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), smooth ? CAIRO_FILTER_GOOD : CAIRO_FILTER_NEAREST)
        cairo_paint(cr)
        cairo_restore(cr)
    }
}

func check(_ status: cairo_status_t, _ operation: String) throws(RenderError) {
    guard status == CAIRO_STATUS_SUCCESS else {
        throw .cairo(operation: operation, status: String(cString: cairo_status_to_string(status)))
    }
}

private final class ByteSink {
    var bytes: [UInt8] = []
}

/// Cairo's measurement of text, with the canvas's fonts and options.
public struct CairoTextMeasurer: TextMeasuring {
    let fonts: Fonts

    public func width(of text: String, style: TextStyle) -> Double {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1)
        let cr = cairo_create(surface)
        defer { cairo_destroy(cr); cairo_surface_destroy(surface) }
        cairo_set_font_options(cr, fonts.options)
        cairo_set_font_face(cr, fonts.face(style.weight))
        cairo_set_font_size(cr, style.size)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, text, &extents)
        return extents.x_advance
    }
}
