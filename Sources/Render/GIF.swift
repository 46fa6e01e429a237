import CGIF
import Charts
import Dispatch

/// Animated GIF through giflib: frames of equal size, one global palette of
/// at most 256 colours (`Palette`), a delay per frame, looping for ever.
public enum GIF {
    /// One frame: opaque 8-bit RGBA pixels (alpha ignored) and how long it shows, in hundredths of a second.
    public struct Frame: Sendable {
        public var width: Int
        public var height: Int
        public var rgba: [UInt8]
        public var delay: Int

        public init(width: Int, height: Int, rgba: [UInt8], delay: Int) {
            precondition(rgba.count == width * height * 4 && delay >= 0)
            (self.width, self.height, self.rgba, self.delay) = (width, height, rgba, delay)
        }
    }

    /// Scenes as the frames of a looping GIF: each rasterized by `canvas` (in
    /// parallel), `delay` hundredths of a second each and the last `lastDelay`;
    /// the palette starts with `fixed` (colours that must survive exactly, like
    /// a colour map's ramp) and fills up with the frames' own colours.
    public static func animation(
        _ scenes: [Scene], canvas: CairoCanvas, delay: Int, lastDelay: Int, fixed: [Color]
    ) throws(RenderError) -> [UInt8] {
        // One slot per scene, each written by one iteration only; no array is mutated concurrently.
        nonisolated(unsafe) let slots = UnsafeMutableBufferPointer<Result<(width: Int, height: Int, rgba: [UInt8]), RenderError>?>
            .allocate(capacity: scenes.count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize().deallocate() }
        DispatchQueue.concurrentPerform(iterations: scenes.count) { i in
            slots[i] = Result { () throws(RenderError) in try canvas.rasterize(scenes[i]) }
        }
        var frames: [Frame] = []
        for (i, slot) in slots.enumerated() {
            let p = try slot!.get()
            frames.append(Frame(width: p.width, height: p.height, rgba: p.rgba, delay: i == scenes.count - 1 ? lastDelay : delay))
        }
        return try encode(frames, palette: Palette(fixed: fixed, frames: frames.map(\.rgba)))
    }

    /// The frames as a looping GIF89a, every pixel mapped to its palette entry.
    /// After the first, a frame holds only the rectangle that changed, and in it
    /// the pixels whose palette entry did not change are transparent (the
    /// previous frame shows through), which LZW packs into almost nothing.
    public static func encode(_ frames: [Frame], palette: Palette) throws(RenderError) -> [UInt8] {
        guard let first = frames.first else { throw .gif("a GIF needs at least one frame") }
        guard frames.allSatisfy({ $0.width == first.width && $0.height == first.height }) else {
            throw .gif("the frames of a GIF must share one size")
        }
        let output = ByteSink()
        var error: Int32 = 0
        guard let gif = EGifOpen(Unmanaged.passUnretained(output).toOpaque(), { file, bytes, count in
            let sink = Unmanaged<ByteSink>.fromOpaque(file!.pointee.UserData).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: bytes, count: Int(count)))
            return count
        }, &error) else { throw .gif("giflib could not start (error \(error))") }
        var closed = false
        defer { if !closed { EGifCloseFile(gif, &error) } }
        func check(_ status: Int32, _ what: String) throws(RenderError) {
            if status != GIF_OK { throw .gif("giflib: \(what) failed (error \(gif.pointee.Error))") }
        }

        EGifSetGifVersion(gif, true)
        let colors = palette.colors
        precondition(colors.count < 256, "entry 255 marks unchanged pixels")
        guard let map = GifMakeMapObject(256, nil) else { throw .gif("giflib: out of memory") }
        defer { GifFreeMapObject(map) }
        for k in 0 ..< 256 {
            let c = k < colors.count ? colors[k] : colors[0]
            map.pointee.Colors[k] = GifColorType(Red: c.0, Green: c.1, Blue: c.2)
        }
        try check(EGifPutScreenDesc(gif, Int32(first.width), Int32(first.height), 8, 0, map), "the screen descriptor")
        // NETSCAPE2.0: loop for ever.
        try check(EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE), "the loop extension")
        try check(Array("NETSCAPE2.0".utf8).withUnsafeBytes { EGifPutExtensionBlock(gif, 11, $0.baseAddress) }, "the loop extension")
        try check([UInt8]([1, 0, 0]).withUnsafeBytes { EGifPutExtensionBlock(gif, 3, $0.baseAddress) }, "the loop extension")
        try check(EGifPutExtensionTrailer(gif), "the loop extension")

        let (width, height) = (first.width, first.height)
        var previous: [UInt8]? = nil
        for frame in frames {
            var indices = [UInt8](repeating: 0, count: width * height)
            for p in 0 ..< width * height {
                indices[p] = palette.index(frame.rgba[p * 4], frame.rgba[p * 4 + 1], frame.rgba[p * 4 + 2])
            }
            // The rectangle that changed since the previous frame (all of the first; one pixel when none did).
            var (x0, y0, x1, y1) = (0, 0, width - 1, height - 1)
            if let previous {
                (x0, y0, x1, y1) = (width, height, -1, -1)
                for y in 0 ..< height {
                    for x in 0 ..< width where indices[y * width + x] != previous[y * width + x] {
                        (x0, y0, x1, y1) = (min(x0, x), min(y0, y), max(x1, x), max(y1, y))
                    }
                }
                if x1 < 0 { (x0, y0, x1, y1) = (0, 0, 0, 0) }
            }
            var control = GraphicsControlBlock(
                DisposalMode: DISPOSE_DO_NOT, UserInputFlag: false, DelayTime: Int32(frame.delay),
                TransparentColor: previous == nil ? NO_TRANSPARENT_COLOR : Self.unchanged)
            var extensionBytes = [GifByteType](repeating: 0, count: 4)
            let length = EGifGCBToExtension(&control, &extensionBytes)
            try check(EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, Int32(length), extensionBytes), "a frame's delay")
            try check(EGifPutImageDesc(gif, Int32(x0), Int32(y0), Int32(x1 - x0 + 1), Int32(y1 - y0 + 1), false, nil), "a frame")
            var line = [GifPixelType](repeating: 0, count: x1 - x0 + 1)
            for y in y0 ... y1 {
                for x in x0 ... x1 {
                    let p = y * width + x
                    line[x - x0] = previous.map { $0[p] == indices[p] } == true ? GifPixelType(Self.unchanged) : indices[p]
                }
                try check(EGifPutLine(gif, &line, Int32(line.count)), "a row")
            }
            previous = indices
        }
        closed = true
        guard EGifCloseFile(gif, &error) == GIF_OK else { throw .gif("giflib could not finish the file (error \(error))") }
        return output.bytes
    }

    /// The palette entry that marks a pixel unchanged since the previous frame.
    static let unchanged: Int32 = 255

    /// Every frame of a GIF this encoder wrote, as it shows: each drawn over
    /// the one before (no disposal), its transparent pixels leaving that one visible.
    public static func decode(_ bytes: [UInt8]) throws(RenderError) -> [Frame] {
        let input = ByteSource(bytes)
        var error: Int32 = 0
        guard let gif = DGifOpen(Unmanaged.passUnretained(input).toOpaque(), { file, buffer, count in
            let source = Unmanaged<ByteSource>.fromOpaque(file!.pointee.UserData).takeUnretainedValue()
            let n = min(Int(count), source.bytes.count - source.offset)
            for k in 0 ..< n { buffer![k] = source.bytes[source.offset + k] }
            source.offset += n
            return Int32(n)
        }, &error) else { throw .gif("not a GIF (giflib error \(error))") }
        defer { DGifCloseFile(gif, &error) }
        guard DGifSlurp(gif) == GIF_OK else { throw .gif("giflib could not read the file (error \(gif.pointee.Error))") }
        let width = Int(gif.pointee.SWidth), height = Int(gif.pointee.SHeight)
        var frames: [Frame] = []
        var rgba = [UInt8](repeating: 255, count: width * height * 4)
        for k in 0 ..< Int(gif.pointee.ImageCount) {
            let image = gif.pointee.SavedImages[k]
            let d = image.ImageDesc
            let (left, top, w, h) = (Int(d.Left), Int(d.Top), Int(d.Width), Int(d.Height))
            guard let map = d.ColorMap ?? gif.pointee.SColorMap, left >= 0, top >= 0, left + w <= width, top + h <= height else {
                throw .gif("frame \(k) lies outside the picture or has no palette")
            }
            var control = GraphicsControlBlock()
            _ = DGifSavedExtensionToGCB(gif, Int32(k), &control)
            for y in 0 ..< h {
                for x in 0 ..< w {
                    let index = Int32(image.RasterBits[y * w + x])
                    guard index != control.TransparentColor else { continue }
                    let c = map.pointee.Colors[Int(index)]
                    let p = (top + y) * width + left + x
                    (rgba[p * 4], rgba[p * 4 + 1], rgba[p * 4 + 2]) = (c.Red, c.Green, c.Blue)
                }
            }
            frames.append(Frame(width: width, height: height, rgba: rgba, delay: Int(control.DelayTime)))
        }
        return frames
    }
}

private final class ByteSink { var bytes: [UInt8] = [] }

private final class ByteSource {
    let bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// At most 256 colours and the nearest of them for any colour. Built from
/// `fixed` colours first (the tiles' diverging ramp, so the weights keep their
/// shades) and then the most frequent colours of the frames, each the mean of
/// the pixels in its 5-bit-per-channel cell, skipping cells already covered.
/// A table of 32,768 cells (5 bits per channel) maps a pixel to the nearest
/// entry, by squared distance in RGB. Deterministic: same frames, same palette.
public struct Palette: Sendable {
    public private(set) var colors: [(UInt8, UInt8, UInt8)]
    private var table: [UInt8]

    /// `size` colours at most: 255 for a GIF, whose last entry marks unchanged pixels.
    public init(fixed: [Color], frames: [[UInt8]], size: Int = 255) {
        precondition(fixed.count <= size && size <= 256)
        func byte(_ v: Double) -> UInt8 { UInt8((min(max(v, 0), 1) * 255).rounded()) }
        var colors = fixed.map { (byte($0.red), byte($0.green), byte($0.blue)) }
        func cell(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int { Int(r >> 3) << 10 | Int(g >> 3) << 5 | Int(b >> 3) }
        var counts = [Int](repeating: 0, count: 32768)
        var sums = [(Int, Int, Int)](repeating: (0, 0, 0), count: 32768)
        for rgba in frames {
            for i in stride(from: 0, to: rgba.count, by: 4) {
                let c = cell(rgba[i], rgba[i + 1], rgba[i + 2])
                counts[c] += 1
                sums[c].0 += Int(rgba[i]); sums[c].1 += Int(rgba[i + 1]); sums[c].2 += Int(rgba[i + 2])
            }
        }
        var covered = Set(colors.map { cell($0.0, $0.1, $0.2) })
        // Most frequent first; equal counts in cell order.
        for c in counts.indices.filter({ counts[$0] > 0 }).sorted(by: { (counts[$0], $1) > (counts[$1], $0) }) where colors.count < size {
            guard !covered.contains(c) else { continue }
            covered.insert(c)
            let n = counts[c]
            colors.append((UInt8(sums[c].0 / n), UInt8(sums[c].1 / n), UInt8(sums[c].2 / n)))
        }
        if colors.isEmpty { colors = [(0, 0, 0)] }
        self.colors = colors
        table = (0 ..< 32768).map { c in
            let (r, g, b) = ((c >> 10) << 3 | 4, (c >> 5 & 31) << 3 | 4, (c & 31) << 3 | 4)
            var best = 0, bestDistance = Int.max
            for (k, p) in colors.enumerated() {
                let (dr, dg, db) = (Int(p.0) - r, Int(p.1) - g, Int(p.2) - b)
                let d = dr * dr + dg * dg + db * db
                if d < bestDistance { (best, bestDistance) = (k, d) }
            }
            return UInt8(best)
        }
    }

    /// The palette entry for a colour.
    @inline(__always)
    public func index(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        table[Int(r >> 3) << 10 | Int(g >> 3) << 5 | Int(b >> 3)]
    }
}
