import Foundation
import Trainer

/// The facts that make a run reproducible, read from this machine.
enum SystemFacts {
    static func collect(configuration: TrainingConfiguration, version: String) -> [(String, String)] {
        [
            ("seed", "\(configuration.seed)"),
            ("make-report", version),
            ("Swift", swiftVersion),
            ("OS", operatingSystem),
            ("CPU", "\(cpuModel), \(ProcessInfo.processInfo.activeProcessorCount) cores"),
            ("kernels", "\(SparseImages.kernelImplementation), in C: every matrix product and parameter update"),
            ("build", buildConfiguration),
        ]
    }

    /// The compiler's language version, as far as `#if compiler` can tell.
    static var swiftVersion: String {
        #if compiler(>=6.4)
        "6.4 or later"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #else
        "6.0 or 6.1"
        #endif
    }

    static var buildConfiguration: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    static var operatingSystem: String {
        let release = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        let pretty = release.split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }
            .map { $0.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        var name = utsname()
        uname(&name)
        let kernel = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let machine = withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return "\(pretty ?? ProcessInfo.processInfo.operatingSystemVersionString), Linux \(kernel) \(machine)"
    }

    static var cpuModel: String {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let line = info.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.flatMap { $0.split(separator: ":", maxSplits: 1).last }.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
    }
}
