import CKernels

/// The arrays behind `SparseImages`, for code that stores them (make-report's
/// cache of the decoded data) and rebuilds them later.
extension SparseImages {
    /// Image `i`'s entries are `rowStart[i] ..< rowStart[i + 1]` of `column`
    /// (its pixel index) and `value` (its byte, never 0), by increasing column.
    public struct Storage: Sendable, Equatable {
        public var pixelCount: Int
        public var rowStart: [Int32]
        public var column: [UInt16]
        public var value: [UInt8]
        public var labels: [UInt8]

        public init(pixelCount: Int, rowStart: [Int32], column: [UInt16], value: [UInt8], labels: [UInt8]) {
            self.pixelCount = pixelCount
            self.rowStart = rowStart
            self.column = column
            self.value = value
            self.labels = labels
        }
    }

    /// Why stored arrays do not make valid sparse rows.
    public struct InvalidStorage: Error, Equatable, CustomStringConvertible, Sendable {
        public let description: String
    }

    public var storage: Storage {
        Storage(pixelCount: pixelCount, rowStart: rowStart, column: column, value: value, labels: labels)
    }

    /// Rebuilds images from `storage`, after checking everything the kernels
    /// rely on: offsets from 0 to the entry count that never go back, at most
    /// `pixelCount` entries per image at strictly increasing columns below
    /// `pixelCount`, non-zero values, labels below `classCount`. So damaged
    /// arrays are an error here, never a read out of bounds later.
    public init(validating storage: Storage, classCount: Int) throws(InvalidStorage) {
        let s = storage
        let entries = s.column.count
        guard s.pixelCount > 0, s.pixelCount <= Int(UInt16.max) + 1 else {
            throw InvalidStorage(description: "pixel count \(s.pixelCount) is out of range")
        }
        guard s.rowStart.count == s.labels.count + 1, s.value.count == entries else {
            throw InvalidStorage(description: "array lengths disagree")
        }
        guard s.rowStart.first == 0, Int(s.rowStart.last!) == entries else {
            throw InvalidStorage(description: "row offsets do not span the \(entries) entries")
        }
        if let bad = s.labels.firstIndex(where: { Int($0) >= classCount }) {
            throw InvalidStorage(description: "label \(s.labels[bad]) of image \(bad) is not below \(classCount)")
        }
        let bad = ck_check_rows(s.rowStart, Int64(s.labels.count), s.column, s.value, Int64(entries), Int64(s.pixelCount))
        guard bad == -1 else { throw InvalidStorage(description: "image \(bad) has malformed entries") }
        self.init(pixelCount: s.pixelCount, rowStart: s.rowStart, column: s.column, value: s.value, labels: s.labels)
    }
}
