/// Everything that can be wrong with an IDX data folder, each case carrying the
/// file it is about. `description` is the one-line message users see.
public enum MNISTError: Error, Equatable, CustomStringConvertible, Sendable {
    case missingFile(path: String, alternative: String)
    case unreadable(path: String, reason: String)
    case notGzip(path: String)
    case corruptGzip(path: String, reason: String)
    case truncated(path: String, expectedBytes: Int, actualBytes: Int)
    case wrongMagic(path: String, found: UInt32, expected: UInt32)
    case wrongImageSize(path: String, rows: Int, columns: Int)
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    case labelOutOfRange(path: String, index: Int, label: UInt8)
    case trailingBytes(path: String, count: Int)

    public var description: String {
        switch self {
        case let .missingFile(path, alternative):
            return "\(path): no such file (nor \(alternative))"
        case let .unreadable(path, reason):
            return "\(path): cannot read: \(reason)"
        case let .notGzip(path):
            return "\(path): not a gzip file (bad gzip header)"
        case let .corruptGzip(path, reason):
            return "\(path): corrupt gzip stream: \(reason)"
        case let .truncated(path, expected, actual):
            return "\(path): truncated: the header promises \(expected) bytes of data but only \(actual) follow"
        case let .wrongMagic(path, found, expected):
            return "\(path): wrong magic number \(hex(found)) (expected \(hex(expected)))"
        case let .wrongImageSize(path, rows, columns):
            return "\(path): images are \(rows)x\(columns), expected 28x28"
        case let .countMismatch(images, imageCount, labels, labelCount):
            return "\(images) has \(imageCount) images but \(labels) has \(labelCount) labels"
        case let .labelOutOfRange(path, index, label):
            return "\(path): label \(label) at index \(index) is outside 0-9"
        case let .trailingBytes(path, count):
            return "\(path): \(count) trailing bytes after the last record"
        }
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
