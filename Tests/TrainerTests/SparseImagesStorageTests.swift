import Testing

@testable import Trainer

@Suite("Sparse rows from stored arrays")
struct SparseImagesStorageTests {
    /// Three images: pixels 3 and 700 of the first, none of the second, 0 and 783 of the third.
    static let good = SparseImages.Storage(
        pixelCount: 784, rowStart: [0, 2, 2, 4], column: [3, 700, 0, 783], value: [9, 255, 1, 40], labels: [1, 0, 9])

    @Test("valid arrays come back as the same images, the ones the dense pixels give")
    func roundTrip() throws {
        let images = try SparseImages(validating: Self.good, classCount: 10)
        #expect(images.storage == Self.good)
        #expect(images.count == 3)
        let ink = [3: UInt8(9), 700: 255, 2 * 784: 1, 2 * 784 + 783: 40]
        let dense = SparseImages(pixels: (0 ..< 3 * 784).map { ink[$0] ?? 0 }, labels: [1, 0, 9], pixelCount: 784)
        #expect(dense.storage == Self.good)
    }

    /// One way to break `good`, and the error it must give.
    enum Breakage: CaseIterable, CustomTestStringConvertible {
        case columnOutOfRange, repeatedColumn, decreasingColumns, zeroValue, offsetsGoingBack, offsetPastTheEnd
        case lastOffset, firstOffset, label, valueCount, labelCount, tooManyEntries, pixelCount

        var testDescription: String { "\(self)" }

        func apply(to s: inout SparseImages.Storage) {
            switch self {
            case .columnOutOfRange: s.column[3] = 784
            case .repeatedColumn: s.column[1] = 3
            case .decreasingColumns: s.column = [700, 3, 0, 783]
            case .zeroValue: s.value[2] = 0
            case .offsetsGoingBack: s.rowStart = [0, 2, 1, 4]
            case .offsetPastTheEnd: s.rowStart = [0, 5, 2, 4]
            case .lastOffset: s.rowStart[3] = 3
            case .firstOffset: s.rowStart[0] = 1
            case .label: s.labels[1] = 10
            case .valueCount: s.value.removeLast()
            case .labelCount: s.labels.append(0)
            case .tooManyEntries: s = SparseImages.Storage(pixelCount: 2, rowStart: [0, 3], column: [0, 1, 1], value: [1, 1, 1], labels: [0])
            case .pixelCount: s.pixelCount = 0
            }
        }

        var message: String {
            switch self {
            case .columnOutOfRange, .zeroValue: "image 2 has malformed entries"
            case .repeatedColumn, .decreasingColumns, .offsetPastTheEnd, .tooManyEntries: "image 0 has malformed entries"
            case .offsetsGoingBack: "image 1 has malformed entries"
            case .lastOffset, .firstOffset: "row offsets do not span the 4 entries"
            case .label: "label 10 of image 1 is not below 10"
            case .valueCount, .labelCount: "array lengths disagree"
            case .pixelCount: "pixel count 0 is out of range"
            }
        }
    }

    @Test("every broken rule is an error naming it", arguments: Breakage.allCases)
    func invalid(breakage: Breakage) {
        var storage = Self.good
        breakage.apply(to: &storage)
        #expect(throws: SparseImages.InvalidStorage(description: breakage.message)) {
            try SparseImages(validating: storage, classCount: 10)
        }
        #expect(throws: SparseImages.InvalidStorage(description: breakage.message)) {
            try Self.borrowing(storage) { try SparseImages(validating: $0, labels: storage.labels, pixelCount: storage.pixelCount, classCount: 10) }
        }
    }

    @Test("rows used in place are the same images, and keep their owner alive")
    func borrowed() throws {
        weak var owner: Owner?
        do {
            let images = try Self.borrowing(Self.good) { rows in
                owner = rows.owner as? Owner
                return try SparseImages(validating: rows, labels: Self.good.labels, pixelCount: 784, classCount: 10)
            }
            #expect(images.storage == Self.good)
            let dense = try SparseImages(validating: Self.good, classCount: 10)
            var a = [Float](repeating: 0, count: 3 * 5), b = a
            let w = (0 ..< 784 * 5).map { Float($0 % 7) - 3 }, bias = [Float](repeating: 0.5, count: 5)
            images.multiply(.range(0 ..< 3), by: w, width: 5, bias: bias, into: &a)
            dense.multiply(.range(0 ..< 3), by: w, width: 5, bias: bias, into: &b)
            #expect(a == b)
            withExtendedLifetime(images) { #expect(owner != nil) }
        }
        #expect(owner == nil)
    }

    /// Keeps copies of arrays alive for `BorrowedRows` that point into them.
    final class Owner: @unchecked Sendable {
        let rowStart: UnsafeMutableBufferPointer<Int32>
        let column: UnsafeMutableBufferPointer<UInt16>
        let value: UnsafeMutableBufferPointer<UInt8>

        init(_ s: SparseImages.Storage) {
            (rowStart, column, value) = (.allocate(capacity: s.rowStart.count), .allocate(capacity: s.column.count), .allocate(capacity: s.value.count))
            _ = rowStart.initialize(from: s.rowStart)
            _ = column.initialize(from: s.column)
            _ = value.initialize(from: s.value)
        }

        deinit { rowStart.deallocate(); column.deallocate(); value.deallocate() }
    }

    static func borrowing<R>(_ s: SparseImages.Storage, _ body: (SparseImages.BorrowedRows) throws -> R) rethrows -> R {
        let owner = Owner(s)
        return try body(SparseImages.BorrowedRows(
            rowStart: UnsafeBufferPointer(owner.rowStart), column: UnsafeBufferPointer(owner.column),
            value: UnsafeBufferPointer(owner.value), owner: owner))
    }
}
