import Foundation
import MNIST
import Trainer

/// The data folder as make-report needs it: the training set straight into
/// sparse rows (its dense pixels are never needed), and the test set both
/// dense, for the pictures, and sparse, for the trainer. The two halves load
/// on two cores.
struct TrainingData: Sendable {
    let train: SparseImages
    let test: ImageSet
    let sparseTest: SparseImages

    /// `whenTestSetLoaded` gets the test set on the loading thread as soon as
    /// it is in, while the training set may still be inflating.
    static func load(from directory: String, whenTestSetLoaded: @escaping @Sendable (ImageSet) -> Void = { _ in }) throws -> TrainingData {
        let files = try Dataset.Files(in: directory)
        let testHalf = ResultSlots<(ImageSet, SparseImages)>(count: 1)
        let done = DispatchGroup()
        DispatchQueue.global(qos: .userInitiated).async(group: done) {
            testHalf[0] = Result {
                let test = try ImageSet.read(images: files.testImages, labels: files.testLabels)
                whenTestSetLoaded(test)
                return (test, SparseImages(test))
            }
        }
        let train = Result { try SparseImages.read(images: files.trainImages, labels: files.trainLabels) }
        done.wait()
        let (test, sparseTest) = try testHalf[0]!.get()
        for (count, path) in [(try train.get().count, files.trainImages), (test.count, files.testImages)] where count == 0 {
            throw EmptyData(description: "\(path): holds no images")
        }
        return TrainingData(train: try train.get(), test: test, sparseTest: sparseTest)
    }
}

struct EmptyData: Error, CustomStringConvertible {
    var description: String
}
