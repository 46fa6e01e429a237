import Charts
import Foundation
@testable import Render
import Testing

@Suite("Cairo canvas")
struct CanvasTests {
    static let scene = AccuracyChart.make(epochs: Array(0 ..< 17), train: Fixture.train, test: Fixture.test, theme: .dark)
        .scene(size: Size(800, 500), theme: .dark, measurer: try! CairoCanvas(scale: 1).measurer)

    @Test("text is DejaVu Sans, resolved through fontconfig and never a fallback")
    func font() throws {
        let fonts = try Fonts.shared()
        #expect(fonts.regular.family == "DejaVu Sans")
        #expect(fonts.regular.style == "Book")
        #expect(fonts.bold.family == "DejaVu Sans")
        #expect(fonts.bold.style == "Bold")
        #expect(fonts.regular.file.hasSuffix("/DejaVuSans.ttf"))
        #expect(fonts.bold.file.hasSuffix("/DejaVuSans-Bold.ttf"))
        #expect(FileManager.default.fileExists(atPath: fonts.regular.file))
    }

    @Test("a font that is not installed is an error, not a silent fallback")
    func missingFont() {
        let error = #expect(throws: RenderError.self) { try Fonts.resolve(family: "No Such Font Sans", style: "Book", weight: 80) }
        #expect(error?.description.hasPrefix("font: No Such Font Sans Book is not installed (fontconfig offered") == true)
    }

    @Test("Cairo measures with the same font: known DejaVu Sans advances")
    func measure() throws {
        let measurer = try CairoCanvas(scale: 1).measurer
        // DejaVu Sans: "0" advances 1303/2048 em; at 20 px that is 12.72 px.
        #expect(abs(measurer.width(of: "0", style: TextStyle(size: 20, color: .white)) - 20 * 1303 / 2048) < 0.01)
        #expect(measurer.width(of: "W", style: TextStyle(size: 20, weight: .bold, color: .white)) > measurer.width(of: "W", style: TextStyle(size: 20, color: .white)))
    }

    @Test("PNG: 8-bit, text chunks, no timestamp, identical bytes for identical input")
    func png() throws {
        let canvas = try CairoCanvas(scale: 1, software: "make-report test")
        let bytes = try canvas.render(Self.scene, as: .png)
        #expect(try canvas.render(Self.scene, as: .png) == bytes)
        #expect(Array(bytes[24 ..< 26]) == [8, 2])  // IHDR bit depth 8, colour type 2 (RGB)
        #expect(!String(decoding: bytes, as: UTF8.self).contains("tIME"))
        let image = try PNG.decode(bytes)
        #expect(image.width == 800 && image.height == 500)
        #expect(image.text["Title"] == "Training vs Test Accuracy")
        #expect(image.text["Software"] == "make-report test")
        #expect(image.text["Description"]?.hasPrefix("Train and test accuracy per epoch: 0.1044/0.1028") == true)
    }

    @Test("the scale factor multiplies the pixel size", arguments: [1.0, 2.0, 1.5])
    func scale(factor: Double) throws {
        let image = try PNG.decode(try CairoCanvas(scale: factor).render(Self.scene, as: .png))
        #expect(image.width == Int(800 * factor) && image.height == Int(500 * factor))
    }

    @Test("SVG and PDF come from Cairo's own surfaces")
    func vector() throws {
        let canvas = try CairoCanvas(scale: 2)
        let svg = String(decoding: try canvas.render(Self.scene, as: .svg), as: UTF8.self)
        #expect(svg.hasPrefix("<?xml"))
        #expect(svg.contains("<svg") && svg.contains("width=\"800pt\"") && svg.contains("height=\"500pt\""))
        let pdf = try canvas.render(Self.scene, as: .pdf)
        #expect(String(decoding: pdf.prefix(5), as: UTF8.self) == "%PDF-")
        #expect(String(decoding: pdf, as: UTF8.self).contains("Training vs Test Accuracy"))
    }

    @Test("a Cairo failure becomes a Swift error")
    func cairoError() throws {
        let huge = Scene(size: Size(40_000, 10), background: .black, title: "too wide")
        let error = #expect(throws: RenderError.self) { try CairoCanvas(scale: 1).render(huge, as: .png) }
        #expect(error == .cairo(operation: "cairo_image_surface_create_for_data", status: "invalid value (typically too big) for the size of the input (surface, pattern, etc.)"))
        #expect(throws: RenderError.invalidSize(width: 0, height: 10, scale: 1)) {
            try CairoCanvas(scale: 1).render(Scene(size: Size(0, 10), background: .black, title: "empty"), as: .png)
        }
        #expect(throws: RenderError.self) { try CairoCanvas(scale: .nan) }
    }

    @Test("with DejaVu Sans's real widths, no text overlaps another or leaves the picture", arguments: [1, 2, 4, 17, 60, 300])
    func realLayout(epochs: Int) throws {
        let measurer = try CairoCanvas(scale: 1).measurer
        let train = (0 ..< epochs).map { 0.95 - 0.85 * exp(-Double($0) / 3) }
        let test = train.map { $0 - 0.004 }
        let scene = AccuracyChart.make(epochs: Array(0 ..< epochs), train: train, test: test, theme: .dark)
            .scene(size: Size(800, 500), theme: .dark, measurer: measurer)
        let frame = Rect(x: 0, y: 0, width: 800, height: 500)
        let boxes = scene.texts.map { ($0.0, measurer.bounds(of: $0.0, at: $0.1, style: $0.2, anchor: $0.3, rotation: $0.4)) }
        for (text, box) in boxes { #expect(frame.contains(box), "\(text)") }
        for i in boxes.indices {
            for j in boxes.indices where j > i {
                #expect(!boxes[i].1.inset(by: 0.5).intersects(boxes[j].1.inset(by: 0.5)), "\(boxes[i].0) / \(boxes[j].0)")
            }
        }
    }

    @Test("PNG decoding reports broken files")
    func brokenPNG() {
        #expect(throws: RenderError.png("not a PNG file (bad signature)")) { try PNG.decode([1, 2, 3]) }
    }

    @Test("opaque Cairo rows encode to the file their unpacked RGB gives, row padding skipped")
    func opaqueARGB32() throws {
        let (width, height, wordsPerRow) = (5, 3, 7)  // two words of padding per row
        var words = [UInt32](repeating: 0x1234_5678, count: wordsPerRow * height)
        var rgb: [UInt8] = []
        for y in 0 ..< height {
            for x in 0 ..< width {
                let (r, g, b) = (UInt8(x * 50), UInt8(y * 90 + 7), UInt8(255 - x * y * 10))
                words[y * wordsPerRow + x] = 0xFF00_0000 | UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
                rgb += [r, g, b]
            }
        }
        let text = [("Title", "opaque")]
        let direct = try words.withUnsafeBufferPointer { words in
            try PNG.encode(opaqueARGB32: words.baseAddress!, stride: wordsPerRow * 4, width: width, height: height, text: text)
        }
        #expect(direct == (try PNG.encode(pixels: rgb, width: width, height: height, channels: 3, text: text)))
        let decoded = try PNG.decode(direct)
        #expect(Array(decoded.rgba[4 ..< 8]) == [50, 7, 255, 255])
    }

    @Test("a surface is opaque only if every pixel's alpha is 255, whatever the row padding holds")
    func opaquePixels() {
        let (width, height, wordsPerRow) = (5, 3, 7)
        var words = [UInt32](repeating: 0x0000_0000, count: wordsPerRow * height)  // transparent padding
        for y in 0 ..< height {
            for x in 0 ..< width { words[y * wordsPerRow + x] = 0xFF00_0000 | UInt32(x * 40 + y) }
        }
        func opaque(_ words: [UInt32]) -> Bool {
            words.withUnsafeBufferPointer {
                CairoCanvas.Pixels(width: width, height: height, stride: wordsPerRow * 4, data: $0.baseAddress!).isOpaque
            }
        }
        #expect(opaque(words))
        for (y, x, alpha) in [(0, 0, 0xFE), (2, 4, 0x7F), (1, 2, 0x00)] as [(Int, Int, UInt32)] {
            var changed = words
            changed[y * wordsPerRow + x] = alpha << 24 | changed[y * wordsPerRow + x] & 0xFF_FFFF
            #expect(!opaque(changed), "pixel (\(x), \(y)) with alpha \(alpha)")
        }
    }

    @Test("a picture with transparent pixels stays RGBA")
    func translucentPNG() throws {
        var scene = Scene(size: Size(4, 2), background: Color(hex: 0x102030).withAlpha(0.5), title: "see-through")
        scene.add(.fill(.rectangle(Rect(x: 2, y: 0, width: 2, height: 2)), Color(hex: 0xFF8800)))
        let bytes = try CairoCanvas(scale: 1).render(scene, as: .png)
        #expect(Array(bytes[24 ..< 26]) == [8, 6])  // IHDR bit depth 8, colour type 6 (RGBA)
        let image = try PNG.decode(bytes)
        #expect(Array(image.rgba[8 ..< 12]) == [0xFF, 0x88, 0x00, 255])
        #expect(image.rgba[3] == 128 || image.rgba[3] == 127)
    }

    @Test("pixels come out where the scene puts them")
    func pixels() throws {
        var scene = Scene(size: Size(4, 2), background: Color(hex: 0x102030), title: "dot")
        scene.add(.fill(.rectangle(Rect(x: 2, y: 0, width: 2, height: 2)), Color(hex: 0xFF8800)))
        let (width, height, rgba) = try CairoCanvas(scale: 1).rasterize(scene)
        #expect(width == 4 && height == 2)
        #expect(Array(rgba[0 ..< 4]) == [0x10, 0x20, 0x30, 255])
        #expect(Array(rgba[8 ..< 12]) == [0xFF, 0x88, 0x00, 255])
    }

    // MARK: Long polylines

    /// A translucent white line that runs `count` times back and forth over
    /// the same stretch, on black.
    static func overlappingLine(count: Int) -> Scene {
        var scene = Scene(size: Size(200, 40), background: .black, title: "back and forth")
        let points = (0 ... count).map { Point($0 % 2 == 0 ? 20 : 180, 20) }
        scene.add(.stroke(.polyline(points), StrokeStyle(color: Color.white.withAlpha(0.5), width: 4, cap: .round)))
        return scene
    }

    @Test("a long translucent line drawn in pieces still darkens once where it overlaps itself")
    func longLineOverlap() throws {
        let scene = Self.overlappingLine(count: 1000)
        #expect(CairoCanvas.strokesInPieces(scene.commands.compactMap { if case let .stroke(path, _) = $0 { path } else { nil } }[0]))
        let (width, _, rgba) = try CairoCanvas(scale: 1).rasterize(scene)
        let centre = (20 * width + 100) * 4
        // One 50 % white coat over black, not a thousand.
        #expect(abs(Int(rgba[centre]) - 128) <= 1)
    }

    @Test("a long noisy line looks the same in pieces as stroked whole", arguments: [1.0, 2.0])
    func longLinePieces(scale: Double) throws {
        var scene = Scene(size: Size(400, 200), background: Color(hex: 0x14171C), title: "noise")
        // Deterministic noise in −1…1 (a fixed hash of i), as jagged as a mini-batch loss.
        func noise(_ i: Int) -> Double { let h = sin(Double(i) * 12.9898) * 43758.5453; return 2 * (h - h.rounded(.down)) - 1 }
        let points = (0 ..< 5000).map { i in Point(10 + 380 * Double(i) / 5000, 100 + 60 * noise(i)) }
        scene.add(.stroke(.polyline(points), StrokeStyle(color: Color(hex: 0x88CCEE).withAlpha(0.35), width: 0.7, cap: .round)))
        let canvas = try CairoCanvas(scale: scale)
        let pieces = try canvas.pixels(scene, dropOpaqueAlpha: false).2
        let whole = try canvas.pixels(scene, dropOpaqueAlpha: false, strokePieces: false).2
        let differences = zip(pieces, whole).map { Double(Int($0) - Int($1)) }
        let rms = (differences.map { $0 * $0 }.reduce(0, +) / Double(differences.count)).squareRoot()
        // Pieces add up edge coverage where they overlap (a + b − ab) instead of
        // covering the union once, so antialiased edges may differ a little:
        // measured RMS 2.6 (scale 1, 13 points a pixel) and 1.3 (scale 2), at most
        // 19 of 255 in a channel. A gap between pieces or a doubled coat of the
        // 35 % colour would differ by 60 or more.
        #expect(rms < 3)
        #expect(differences.map(abs).max()! <= 32)
    }
}
