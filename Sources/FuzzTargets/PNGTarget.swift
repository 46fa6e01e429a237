import Render

extension FuzzTarget {
    /// The PNG decoder the golden-image tests read pictures with (libpng
    /// behind `CPNGCodec`): any bytes give an image or an error.
    public static let png = FuzzTarget(name: "png") { bytes in
        do {
            let image = try PNG.decode(Array(bytes))
            precondition(image.rgba.count == image.width * image.height * 4)
            var sum = 0
            for byte in image.rgba { sum &+= Int(byte) }
            for (key, value) in image.text { sum &+= key.utf8.count + value.utf8.count }
            return sum >= 0
        } catch {
            return false
        }
    }
}
