import Foundation

/// Writes a set of files all-or-nothing: each goes to a temporary file in its
/// own folder first, and only when every one is complete are they renamed
/// into place. On any failure the temporaries are removed and the existing
/// files stay byte for byte as they were.
public struct StagedFiles {
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    private var files: [(path: String, bytes: [UInt8])] = []

    public init() {}

    /// Adds a file; adding the same path again replaces its bytes.
    public mutating func add(_ path: String, _ bytes: [UInt8]) {
        if let i = files.firstIndex(where: { $0.path == path }) {
            files[i].bytes = bytes
        } else {
            files.append((path, bytes))
        }
    }
    public mutating func add(_ path: String, text: String) { add(path, Array(text.utf8)) }

    public var paths: [String] { files.map(\.path) }

    /// Writes every file, or none. Folders are created as needed. SIGINT,
    /// SIGTERM and SIGHUP wait until the files are in place or cleaned up, so
    /// an interrupt never leaves a temporary file behind.
    public func commit() throws(Failure) {
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&blocked, signal) }
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try commitUnblocked()
    }

    private func commitUnblocked() throws(Failure) {
        var staged: [(temporary: String, final: String)] = []
        func removeStaged() { for s in staged { unlink(s.temporary) } }
        for file in files {
            let folder = (file.path as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
            } catch {
                removeStaged()
                throw Failure(path: folder, reason: "cannot create the folder (\(Self.reason(error)))")
            }
            let temporary = (folder.isEmpty ? "." : folder) + "/." + (file.path as NSString).lastPathComponent + ".\(getpid()).tmp"
            do {
                try Self.write(file.bytes, to: temporary)
                staged.append((temporary, file.path))
            } catch {
                unlink(temporary)
                removeStaged()
                throw Failure(path: file.path, reason: error.description)
            }
        }
        for (i, s) in staged.enumerated() where rename(s.temporary, s.final) != 0 {
            let reason = String(cString: strerror(errno))
            for rest in staged[i...] { unlink(rest.temporary) }
            throw Failure(path: s.final, reason: "cannot move into place: \(reason)")
        }
    }

    struct WriteError: Error, CustomStringConvertible { var description: String }

    /// open/write/fsync/close, so a full disk or a file-size limit surfaces here.
    static func write(_ bytes: [UInt8], to path: String) throws(WriteError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(description: "cannot create: \(String(cString: strerror(errno)))") }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw WriteError(description: "cannot write: \(reason)")
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw WriteError(description: "cannot write: \(reason)")
        }
        guard close(fd) == 0 else { throw WriteError(description: "cannot write: \(String(cString: strerror(errno)))") }
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}
