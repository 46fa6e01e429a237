import MNIST

/// Images stored by their non-zero pixels only (compressed sparse rows).
///
/// About 81 % of MNIST pixels are zero, so the first layer's products
/// X·W1 and Xᵀ·dZ1 touch only a fifth of W1's rows when they skip them.
/// Values stay the file's bytes and become `byte / 255` inside the kernels.
public struct SparseImages: Sendable {
    /// Pixels per image (the input size of the network).
    public let pixelCount: Int
    /// Image `i`'s entries are `rowStart[i] ..< rowStart[i + 1]`.
    let rowStart: [Int32]
    let column: [UInt16]
    let value: [UInt8]
    /// The class of each image.
    public let labels: [UInt8]

    public var count: Int { labels.count }

    /// `pixels` holds `labels.count` images of `pixelCount` bytes each.
    public init(pixels: [UInt8], labels: [UInt8], pixelCount: Int) {
        precondition(pixels.count == labels.count * pixelCount && pixelCount <= Int(UInt16.max) + 1)
        var rowStart = [Int32]()
        rowStart.reserveCapacity(labels.count + 1)
        var column = [UInt16]()
        var value = [UInt8]()
        let expected = pixels.count / 4
        column.reserveCapacity(expected)
        value.reserveCapacity(expected)
        rowStart.append(0)
        for image in 0 ..< labels.count {
            let base = image * pixelCount
            for pixel in 0 ..< pixelCount where pixels[base + pixel] != 0 {
                column.append(UInt16(pixel))
                value.append(pixels[base + pixel])
            }
            rowStart.append(Int32(column.count))
        }
        self.pixelCount = pixelCount
        self.rowStart = rowStart
        self.column = column
        self.value = value
        self.labels = labels
    }

    public init(_ set: ImageSet) {
        self.init(pixels: set.pixels, labels: set.labels, pixelCount: ImageSet.pixelCount)
    }

    /// Fraction of pixels that are not zero.
    public var density: Double {
        Double(column.count) / Double(max(1, count * pixelCount))
    }
}

// MARK: - Kernels

extension SparseImages {
    /// out[r, :] = bias + Σₚ x[images[r], p] · w[p, :] for each listed image,
    /// where x = byte / 255, `w` is pixelCount×width and `out` is rows×width.
    func multiply<Scalar: BLASScalar>(
        images: some Collection<Int>, by w: UnsafePointer<Scalar>, width: Int,
        bias: UnsafePointer<Scalar>, into out: UnsafeMutablePointer<Scalar>
    ) {
        let scale = 1 / Scalar(255)
        var row = out
        for image in images {
            row.update(from: bias, count: width)
            for entry in Int(rowStart[image]) ..< Int(rowStart[image + 1]) {
                let x = Scalar(value[entry]) * scale
                let wRow = w + Int(column[entry]) * width
                for j in 0 ..< width { row[j] += x * wRow[j] }
            }
            row += width
        }
    }

    /// grad[p, :] += Σᵣ x[images[r], p] · delta[r, :]: the product Xᵀ·delta,
    /// accumulated into the rows of `grad` that the images touch.
    func accumulateTransposedProduct<Scalar: BLASScalar>(
        images: some Collection<Int>, delta: UnsafePointer<Scalar>, width: Int,
        into grad: UnsafeMutablePointer<Scalar>
    ) {
        let scale = 1 / Scalar(255)
        var deltaRow = delta
        for image in images {
            for entry in Int(rowStart[image]) ..< Int(rowStart[image + 1]) {
                let x = Scalar(value[entry]) * scale
                let gRow = grad + Int(column[entry]) * width
                for j in 0 ..< width { gRow[j] += x * deltaRow[j] }
            }
            deltaRow += width
        }
    }
}
