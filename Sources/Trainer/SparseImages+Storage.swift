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

    /// Rows in memory that `owner` keeps alive and nobody writes, such as a
    /// file mapped read-only: the images use it in place, without a copy, and
    /// hold on to `owner` for as long as any copy of them exists.
    public struct BorrowedRows: @unchecked Sendable {
        public let rowStart: UnsafeBufferPointer<Int32>
        public let column: UnsafeBufferPointer<UInt16>
        public let value: UnsafeBufferPointer<UInt8>
        public let owner: AnyObject & Sendable

        public init(
            rowStart: UnsafeBufferPointer<Int32>, column: UnsafeBufferPointer<UInt16>, value: UnsafeBufferPointer<UInt8>,
            owner: AnyObject & Sendable
        ) {
            (self.rowStart, self.column, self.value, self.owner) = (rowStart, column, value, owner)
        }
    }

    /// Why stored arrays do not make valid sparse rows.
    public struct InvalidStorage: Error, Equatable, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The rows as arrays (a copy, when they are borrowed).
    public var storage: Storage {
        switch memory {
        case let .arrays(rowStart, column, value):
            return Storage(pixelCount: pixelCount, rowStart: rowStart, column: column, value: value, labels: labels)
        case .borrowed:
            return withEntries { rowStart, column, value in
                Storage(pixelCount: pixelCount, rowStart: Array(rowStart), column: Array(column), value: Array(value), labels: labels)
            }
        }
    }

    /// Rebuilds images from `storage`, after checking everything the kernels
    /// rely on: offsets from 0 to the entry count that never go back, at most
    /// `pixelCount` entries per image at strictly increasing columns below
    /// `pixelCount`, non-zero values, labels below `classCount`. So damaged
    /// arrays are an error here, never a read out of bounds later.
    public init(validating storage: Storage, classCount: Int) throws(InvalidStorage) {
        let s = storage
        try s.rowStart.withUnsafeBufferPointer { rowStart throws(InvalidStorage) in
            try s.column.withUnsafeBufferPointer { column throws(InvalidStorage) in
                try s.value.withUnsafeBufferPointer { value throws(InvalidStorage) in
                    try Self.check(rowStart, column, value, labels: s.labels, pixelCount: s.pixelCount, classCount: classCount)
                }
            }
        }
        self.init(pixelCount: s.pixelCount, rowStart: s.rowStart, column: s.column, value: s.value, labels: s.labels)
    }

    /// The same for rows used in place, with the same checks: they are made
    /// once, before any kernel reads the rows.
    public init(validating rows: BorrowedRows, labels: [UInt8], pixelCount: Int, classCount: Int) throws(InvalidStorage) {
        try Self.check(rows.rowStart, rows.column, rows.value, labels: labels, pixelCount: pixelCount, classCount: classCount)
        self.init(pixelCount: pixelCount, memory: .borrowed(rows), labels: labels)
    }

    private static func check(
        _ rowStart: UnsafeBufferPointer<Int32>, _ column: UnsafeBufferPointer<UInt16>, _ value: UnsafeBufferPointer<UInt8>,
        labels: [UInt8], pixelCount: Int, classCount: Int
    ) throws(InvalidStorage) {
        let entries = column.count
        guard pixelCount > 0, pixelCount <= Int(UInt16.max) + 1 else {
            throw InvalidStorage(description: "pixel count \(pixelCount) is out of range")
        }
        guard rowStart.count == labels.count + 1, value.count == entries else {
            throw InvalidStorage(description: "array lengths disagree")
        }
        guard rowStart.first == 0, Int(rowStart.last!) == entries else {
            throw InvalidStorage(description: "row offsets do not span the \(entries) entries")
        }
        if let bad = labels.firstIndex(where: { Int($0) >= classCount }) {
            throw InvalidStorage(description: "label \(labels[bad]) of image \(bad) is not below \(classCount)")
        }
        let bad = ck_check_rows(
            rowStart.baseAddress, Int64(labels.count), column.baseAddress, value.baseAddress, Int64(entries), Int64(pixelCount))
        guard bad == -1 else { throw InvalidStorage(description: "image \(bad) has malformed entries") }
    }
}

/// Where the rows of a `SparseImages` live.
enum RowMemory: Sendable {
    /// Arrays of the images' own (decoded from the data files).
    case arrays(rowStart: [Int32], column: [UInt16], value: [UInt8])
    /// Memory someone else keeps alive (make-report's mapped cache file).
    case borrowed(SparseImages.BorrowedRows)
}
