/// A set of labelled 28x28 grey-level images, kept as the file stores them:
/// one byte per pixel (0 = background, 255 = ink), row-major, image after image.
public struct ImageSet: Sendable {
    public static let rows = 28
    public static let columns = 28
    /// Pixels per image: 784.
    public static let pixelCount = rows * columns
    /// Number of classes: the digits 0-9.
    public static let classCount = 10

    /// `count * pixelCount` bytes.
    public let pixels: [UInt8]
    /// One label in 0..<10 per image.
    public let labels: [UInt8]

    public var count: Int { labels.count }

    /// Builds a set from raw pixels and labels, checking their shapes.
    public init(pixels: [UInt8], labels: [UInt8]) {
        precondition(pixels.count == labels.count * Self.pixelCount, "pixels and labels disagree")
        precondition(!labels.contains { $0 >= Self.classCount }, "label outside 0-9")
        self.pixels = pixels
        self.labels = labels
    }

    /// The pixels of image `index`.
    public func image(_ index: Int) -> ArraySlice<UInt8> {
        pixels[index * Self.pixelCount ..< (index + 1) * Self.pixelCount]
    }

    /// Reads an images file and a labels file (IDX, gzip or plain) and checks
    /// that they belong together.
    public static func read(images imagesPath: String, labels labelsPath: String) throws(MNISTError) -> ImageSet {
        var imageBytes = try IDX.contents(of: imagesPath)
        let imageShape = try IDX.header(imageBytes, magic: IDX.imagesMagic, path: imagesPath)
        guard imageShape[1] == rows, imageShape[2] == columns else {
            throw .wrongImageSize(path: imagesPath, rows: imageShape[1], columns: imageShape[2])
        }
        var labelBytes = try IDX.contents(of: labelsPath)
        let labelShape = try IDX.header(labelBytes, magic: IDX.labelsMagic, path: labelsPath)
        guard imageShape[0] == labelShape[0] else {
            throw .countMismatch(images: imagesPath, imageCount: imageShape[0], labels: labelsPath, labelCount: labelShape[0])
        }
        // Drop the headers in place: no second copy of 47 MB of pixels.
        labelBytes.removeFirst(8)
        if let bad = labelBytes.firstIndex(where: { $0 >= classCount }) {
            throw .labelOutOfRange(path: labelsPath, index: bad, label: labelBytes[bad])
        }
        imageBytes.removeFirst(16)
        return ImageSet(pixels: imageBytes, labels: labelBytes)
    }
}
