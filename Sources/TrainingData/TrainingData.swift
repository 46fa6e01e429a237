import Foundation
import MNIST
import Trainer

/// The data folder as make-report needs it: the training set as sparse rows
/// (its dense pixels are never needed), and the test set both dense, for the
/// pictures, and sparse, for the trainer.
public struct TrainingData: Sendable {
    public let train: SparseImages
    public let test: ImageSet
    public let sparseTest: SparseImages
    /// Where the data came from, and what happened to the cache.
    public let origin: Origin

    public enum Origin: Sendable, Equatable {
        /// Read from the cache file at `path`.
        case cache(path: String)
        /// Inflated from the data folder's files; `cache` says why the cache
        /// was not read and whether it was written (nil: no cache asked for).
        case files(cache: String?)
    }

    // MARK: Loading

    /// Loads `directory`, from `cache` when it holds a copy of these very
    /// files, else from the files themselves (then writes the copy for next
    /// time; a cache that cannot be read or written never fails the load).
    /// `whenTestSetLoaded` gets the test set on the loading thread as soon as
    /// it is in, while the training set may still be loading.
    public static func load(
        from directory: String, cache: DataCache? = nil, whenTestSetLoaded: @escaping @Sendable (ImageSet) -> Void = { _ in }
    ) throws -> TrainingData {
        let files = try Dataset.Files(in: directory)
        guard let cache else { return try fromFiles(files, whenTestSetLoaded: whenTestSetLoaded, origin: .files(cache: nil)) }

        // The fingerprint is taken before the files are read: a file that changes while it is read leaves a stale tag.
        let fingerprint: SourceFingerprint
        do {
            fingerprint = try SourceFingerprint(files: files)
        } catch {
            return try fromFiles(files, whenTestSetLoaded: whenTestSetLoaded, origin: .files(cache: "not used: \(error)"))
        }
        let path = cache.file(for: directory)
        let miss: DataCache.Miss
        do {
            let sparseTest = ResultSlots<SparseImages>(count: 1)
            let converted = DispatchGroup()
            // The test set's sparse rows are made on another core while the training set is read.
            let (train, test) = try cache.read(path, fingerprint: fingerprint) { test in
                DispatchQueue.global(qos: .userInitiated).async(group: converted) { sparseTest[0] = .success(SparseImages(test)) }
            }
            // Only now: a file found damaged further on must not have handed anything out.
            whenTestSetLoaded(test)
            converted.wait()
            return try checked(TrainingData(train: train, test: test, sparseTest: sparseTest[0]!.get(), origin: .cache(path: path)), files)
        } catch let error as DataCache.Miss {
            miss = error
        }
        let data = try fromFiles(files, whenTestSetLoaded: whenTestSetLoaded, origin: .files(cache: nil))
        let note: String
        do {
            try cache.write(data.train, data.test, fingerprint: fingerprint, to: path)
            note = "\(miss); wrote \(path)"
        } catch {
            note = "\(miss); could not write it: \(error)"
        }
        return TrainingData(train: data.train, test: data.test, sparseTest: data.sparseTest, origin: .files(cache: note))
    }

    /// The two halves on two cores: the training set inflated straight into sparse rows on this one.
    static func fromFiles(_ files: Dataset.Files, whenTestSetLoaded: @escaping @Sendable (ImageSet) -> Void, origin: Origin) throws -> TrainingData {
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
        return try checked(TrainingData(train: try train.get(), test: test, sparseTest: sparseTest, origin: origin), files)
    }

    /// `data`, unless one of its sets is empty.
    static func checked(_ data: TrainingData, _ files: Dataset.Files) throws -> TrainingData {
        for (count, path) in [(data.train.count, files.trainImages), (data.test.count, files.testImages)] where count == 0 {
            throw EmptyData(description: "\(path): holds no images")
        }
        return data
    }
}

public struct EmptyData: Error, CustomStringConvertible {
    public var description: String
}
