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
        var pixels = [UInt8]()
        let labels = try stream(images: imagesPath, labels: labelsPath) { chunk in
            if chunk.first == 0 { pixels.reserveCapacity(chunk.total * pixelCount) }
            pixels.append(contentsOf: chunk.pixels)
        }
        return ImageSet(pixels: pixels, labels: labels)
    }

    /// Some consecutive images of a file being read.
    public struct Chunk {
        /// The index of the first image here.
        public let first: Int
        /// How many images the file holds.
        public let total: Int
        /// Whole images, `pixelCount` bytes each; valid only during the call.
        public let pixels: UnsafeBufferPointer<UInt8>

        public var count: Int { pixels.count / ImageSet.pixelCount }
    }

    /// Reads like `read`, but hands the images to `body` in order, in chunks
    /// of at most `imagesPerChunk`, as the file is inflated: all of its pixels
    /// (47 MB for MNIST's training set) never exist at once. Returns the labels.
    /// The checks are those of `read`; a file that turns out truncated or too
    /// long throws after its chunks were handed over.
    public static func stream(
        images imagesPath: String, labels labelsPath: String, imagesPerChunk: Int = 1024, _ body: (Chunk) -> Void
    ) throws(MNISTError) -> [UInt8] {
        precondition(imagesPerChunk > 0)
        let headerSize = 16
        var header = [UInt8]()
        var labels = [UInt8]()
        var total = 0, payload = 0, received = 0, extra = 0
        var chunk = [UInt8]()
        var delivered = 0

        func deliver() {
            chunk.withUnsafeBufferPointer { body(Chunk(first: delivered, total: total, pixels: $0)) }
            delivered += chunk.count / pixelCount
            chunk.removeAll(keepingCapacity: true)
        }

        try IDX.stream(imagesPath) { (piece) throws(MNISTError) in
            var offset = 0
            func take(_ n: Int) -> UnsafeRawBufferPointer {
                defer { offset += n }
                return UnsafeRawBufferPointer(rebasing: piece[offset ..< offset + n])
            }
            if header.count < headerSize {
                header.append(contentsOf: take(min(headerSize - header.count, piece.count)))
                guard header.count == headerSize else { return }
                let found = IDX.readUInt32(header, at: 0)
                guard found == IDX.imagesMagic else { throw .wrongMagic(path: imagesPath, found: found, expected: IDX.imagesMagic) }
                let (rows, columns) = (Int(IDX.readUInt32(header, at: 8)), Int(IDX.readUInt32(header, at: 12)))
                guard rows == Self.rows, columns == Self.columns else {
                    throw .wrongImageSize(path: imagesPath, rows: rows, columns: columns)
                }
                total = Int(IDX.readUInt32(header, at: 4))
                payload = total * pixelCount
                labels = try readLabels(labelsPath, count: total, imagesPath: imagesPath)
                chunk.reserveCapacity(min(imagesPerChunk, max(total, 1)) * pixelCount)
            }
            while offset < piece.count {
                guard received < payload else {
                    extra += piece.count - offset
                    return
                }
                let n = min(piece.count - offset, payload - received, imagesPerChunk * pixelCount - chunk.count)
                chunk.append(contentsOf: take(n))
                received += n
                if chunk.count == imagesPerChunk * pixelCount || received == payload { deliver() }
            }
        }
        if header.count < headerSize {
            // A file too short for its header: a wrong magic number says more, when there is one.
            if header.count >= 4, IDX.readUInt32(header, at: 0) != IDX.imagesMagic {
                throw .wrongMagic(path: imagesPath, found: IDX.readUInt32(header, at: 0), expected: IDX.imagesMagic)
            }
            throw .truncated(path: imagesPath, expectedBytes: headerSize, actualBytes: header.count)
        }
        if received < payload { throw .truncated(path: imagesPath, expectedBytes: payload, actualBytes: received) }
        if extra > 0 { throw .trailingBytes(path: imagesPath, count: extra) }
        return labels
    }

    /// A labels file's labels, checked against the images file's count.
    static func readLabels(_ path: String, count: Int, imagesPath: String) throws(MNISTError) -> [UInt8] {
        var bytes = try IDX.contents(of: path)
        let shape = try IDX.header(bytes, magic: IDX.labelsMagic, path: path)
        guard shape[0] == count else {
            throw .countMismatch(images: imagesPath, imageCount: count, labels: path, labelCount: shape[0])
        }
        bytes.removeFirst(8)
        if let bad = bytes.firstIndex(where: { $0 >= classCount }) {
            throw .labelOutOfRange(path: path, index: bad, label: bytes[bad])
        }
        return bytes
    }
}
