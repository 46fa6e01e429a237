import Foundation
import Testing

/// Runs the built `make-report` and collects what it printed.
struct Executable {
    struct Result {
        var status: Int32
        var signalled: Bool
        var stdout: String
        var stderr: String
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let bundledData = packageRoot.appendingPathComponent("data/mnist").path

    /// The test runner sits next to the products it was built with.
    static var url: URL {
        let folder = Bundle.main.bundleURL.pathExtension == "xctest" ? Bundle.main.bundleURL.deletingLastPathComponent() : Bundle.main.bundleURL
        for candidate in [folder, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("make-report")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return packageRoot.appendingPathComponent(".build/debug/make-report")
    }

    /// `make-report arguments…` in `directory`; `shellPrefix` (like `ulimit -f 100;`) runs it through sh.
    /// The data cache's default folder is `cacheHome/make-report` (`XDG_CACHE_HOME`), by default a
    /// folder of this run's own that goes with it: no test reads or fills the user's cache.
    /// `environment` adds to (or replaces) variables of the test's own environment.
    static func run(
        _ arguments: [String], in directory: URL, shellPrefix: String? = nil, interruptAfter marker: String? = nil,
        cacheHome: String? = nil, environment extra: [String: String] = [:]
    ) throws -> Result {
        let process = Process()
        if let shellPrefix {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            let quoted = ([url.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            process.arguments = ["-c", "\(shellPrefix) exec \(quoted.joined(separator: " "))"]
        } else {
            process.executableURL = url
            process.arguments = arguments
        }
        process.currentDirectoryURL = directory
        // Output goes to files, polled for the interrupt marker: no pipe can fill up and stall the child.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("make-report-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CACHE_HOME"] = cacheHome ?? folder.appendingPathComponent("cache").path
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let outURL = folder.appendingPathComponent("stdout"), errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        if let marker {
            while process.isRunning {
                if let text = try? String(contentsOf: errURL, encoding: .utf8), text.contains(marker) {
                    process.interrupt()
                    break
                }
                usleep(20_000)
            }
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(
            status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
            stdout: try String(contentsOf: outURL, encoding: .utf8), stderr: try String(contentsOf: errURL, encoding: .utf8))
    }
}

/// Runs make-report with bad usage in an empty folder: exit 64, a message that says `message`, and no file written.
func expectUsageError(_ arguments: [String], message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let result = try Executable.run(arguments, in: scratch.url)
    #expect(result.status == 64, "\(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(message), "\(result.stderr)", sourceLocation: sourceLocation)
    #expect(try scratch.snapshot().isEmpty, sourceLocation: sourceLocation)
}

/// A scratch folder for one test.
struct Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("make-report-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    /// Every file below the folder with its bytes, for before/after comparisons.
    func snapshot() throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: url.path)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = path(relative)
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[relative] = try Data(contentsOf: URL(fileURLWithPath: full))
            }
        }
        return result
    }
}
