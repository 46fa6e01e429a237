import Foundation

/// A data folder: the four standard MNIST file names, each either gzip
/// (`name.gz`) or plain IDX (`name`). Any IDX dataset of 28x28 images in ten
/// classes laid out this way works.
public struct Dataset: Sendable {
    public let train: ImageSet
    public let test: ImageSet

    public init(train: ImageSet, test: ImageSet) {
        self.train = train
        self.test = test
    }

    public static let trainImages = "train-images-idx3-ubyte"
    public static let trainLabels = "train-labels-idx1-ubyte"
    public static let testImages = "t10k-images-idx3-ubyte"
    public static let testLabels = "t10k-labels-idx1-ubyte"

    /// The folder bundled with the package, relative to the package root.
    public static let bundledDirectory = "data/mnist"

    /// The four files of a data folder, each found as `name.gz` or `name`.
    public struct Files: Sendable {
        public let trainImages, trainLabels, testImages, testLabels: String

        public init(in directory: String) throws(MNISTError) {
            trainImages = try Dataset.locate(Dataset.trainImages, in: directory)
            trainLabels = try Dataset.locate(Dataset.trainLabels, in: directory)
            testImages = try Dataset.locate(Dataset.testImages, in: directory)
            testLabels = try Dataset.locate(Dataset.testLabels, in: directory)
        }
    }

    /// Loads the four files of `directory`, the training and test halves in parallel.
    public static func load(from directory: String) throws(MNISTError) -> Dataset {
        let files = try Files(in: directory)
        let paths = [files.trainImages, files.trainLabels, files.testImages, files.testLabels]
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            let result = Result { () throws(MNISTError) in
                try ImageSet.read(images: paths[2 * half], labels: paths[2 * half + 1])
            }
            results.set(half, result)
        }
        return Dataset(train: try results.get(0), test: try results.get(1))
    }

    /// `directory/name.gz` when it exists, else `directory/name`.
    static func locate(_ name: String, in directory: String) throws(MNISTError) -> String {
        let base = (directory as NSString).appendingPathComponent(name)
        for candidate in [base + ".gz", base] where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        throw .missingFile(path: base + ".gz", alternative: name)
    }
}

/// Collects the two halves' results from `concurrentPerform`.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: Result<ImageSet, MNISTError>] = [:]

    func set(_ index: Int, _ result: Result<ImageSet, MNISTError>) {
        lock.withLock { results[index] = result }
    }

    func get(_ index: Int) throws(MNISTError) -> ImageSet {
        try lock.withLock { results[index]! }.get()
    }
}
