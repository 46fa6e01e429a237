import Foundation
import CPNGCodec

/// PNG encoding and decoding through libpng (see CPNGCodec).
public enum PNG {
    /// A decoded PNG: 8-bit RGBA pixels and the file's text chunks.
    public struct Image: Sendable, Equatable {
        public var width: Int
        public var height: Int
        public var rgba: [UInt8]
        public var text: [String: String]

        public init(width: Int, height: Int, rgba: [UInt8], text: [String: String] = [:]) {
            precondition(rgba.count == width * height * 4)
            (self.width, self.height, self.rgba, self.text) = (width, height, rgba, text)
        }
    }

    /// 8-bit RGB (`channels` 3) or RGBA (4) pixels as PNG. zlib level 6 is
    /// libpng's default balance; 9 is a little smaller and several times slower.
    public static func encode(
        pixels: [UInt8], width: Int, height: Int, channels: Int, text: [(String, String)], compression: Int = 6
    ) throws(RenderError) -> [UInt8] {
        precondition(pixels.count == width * height * channels)
        return try encode(text: text) { keys, values, count, buffer, error, errorSize in
            pngc_encode(pixels, UInt32(width), UInt32(height), Int32(channels), Int32(compression), keys, values, count,
                        buffer, error, errorSize)
        }
    }

    /// Opaque native-endian 0xAARRGGBB pixels (Cairo's ARGB32 with every alpha
    /// 255), `stride` bytes per row, as an RGB PNG: the same file `encode`
    /// makes from the unpacked RGB, without unpacking.
    public static func encode(
        opaqueARGB32 pixels: UnsafePointer<UInt32>, stride: Int, width: Int, height: Int, text: [(String, String)],
        compression: Int = 6
    ) throws(RenderError) -> [UInt8] {
        precondition(stride >= width * 4)
        return try encode(text: text) { keys, values, count, buffer, error, errorSize in
            pngc_encode_opaque_argb32(pixels, stride, UInt32(width), UInt32(height), Int32(compression), keys, values, count,
                                      buffer, error, errorSize)
        }
    }

    /// Runs one of the codec's encoders with the text chunks as C strings.
    private static func encode(
        text: [(String, String)],
        _ encoder: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?, Int32,
                    UnsafeMutablePointer<pngc_buffer>, UnsafeMutablePointer<CChar>, Int) -> Int32
    ) throws(RenderError) -> [UInt8] {
        var buffer = pngc_buffer()
        var error = [CChar](repeating: 0, count: 256)
        let keys = text.map { strdup($0.0) }
        let values = text.map { strdup($0.1) }
        defer { (keys + values).forEach { free($0) } }
        let ok = keys.map { UnsafePointer($0) }.withUnsafeBufferPointer { k in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { v in
                error.withUnsafeMutableBufferPointer { e in
                    encoder(k.baseAddress, v.baseAddress, Int32(text.count), &buffer, e.baseAddress!, e.count)
                }
            }
        }
        defer { pngc_free(&buffer) }
        guard ok != 0 else { throw .png(message(error)) }
        return Array(UnsafeBufferPointer(start: buffer.data, count: buffer.size))
    }

    public static func decode(_ bytes: [UInt8]) throws(RenderError) -> Image {
        var pixels = pngc_buffer(), text = pngc_buffer()
        var width: UInt32 = 0, height: UInt32 = 0
        var error = [CChar](repeating: 0, count: 256)
        let ok = pngc_decode(bytes, bytes.count, &pixels, &width, &height, &text, &error, error.count)
        defer { pngc_free(&pixels); pngc_free(&text) }
        guard ok != 0 else { throw .png(message(error)) }
        let strings = text.size == 0 ? [] : UnsafeBufferPointer(start: text.data, count: text.size)
            .split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        var chunks: [String: String] = [:]
        for i in stride(from: 0, to: strings.count - 1, by: 2) { chunks[strings[i]] = strings[i + 1] }
        return Image(width: Int(width), height: Int(height), rgba: Array(UnsafeBufferPointer(start: pixels.data, count: pixels.size)), text: chunks)
    }
}

private func message(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
