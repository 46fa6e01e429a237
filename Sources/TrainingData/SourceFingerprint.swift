import Foundation
import MNIST

/// What identifies the four files of a data folder on this machine: for each,
/// its resolved path, device, inode, size, and modification and status-change
/// times to the nanosecond (the fields `git` uses to tell that a file changed
/// without reading it). Rewriting, replacing, touching or renaming a file
/// changes it; so does copying the folder elsewhere.
struct SourceFingerprint: Equatable, Sendable {
    /// One line per file, tab-separated: path, device, inode, size, mtime, ctime.
    let text: String

    init(text: String) { self.text = text }

    init(files: Dataset.Files) throws {
        var lines = ""
        for path in [files.trainImages, files.trainLabels, files.testImages, files.testLabels] {
            var info = stat()
            guard stat(path, &info) == 0 else { throw CacheFileError.system("stat \(path)") }
            let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            let fields: [String] = [
                resolved, "\(info.st_dev)", "\(info.st_ino)", "\(info.st_size)",
                "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)", "\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)",
            ]
            lines += fields.joined(separator: "\t") + "\n"
        }
        text = lines
    }
}
