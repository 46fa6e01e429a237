import Foundation
import Testing

/// The libraries make-report runs on choose some of their code by processor at
/// run time: glibc's maths functions (an FMA or an SSE2 `expf`, `log`, `sin`…)
/// and pixman's compositing (SSE2, SSSE3 or plain C). A result that depended on
/// their choice would differ between two machines of this kind. Here the same
/// run is made twice, once with those choices forced to their plainest paths,
/// and every byte must agree. (OpenBLAS's choice is not varied: make-report
/// links no BLAS, and some hosts set OPENBLAS_CORETYPE on purpose.)
@Suite("make-report does not depend on the libraries' choice of kernels", .serialized)
struct HostIndependenceEndToEndTests {
    static let plainestKernels = [
        "GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX2,-FMA,-AVX512F",
        "PIXMAN_DISABLE": "mmx sse2 ssse3 avx2",
    ]

    @Test("make-report loads the reference LAPACK and BLAS, never OpenBLAS, whatever Debian's alternatives say")
    func referenceLAPACK() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        process.arguments = [Executable.url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let libraries = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(!output.contains("openblas"), "\(output)")
        let lapack = try #require(libraries.first { $0.hasPrefix("liblapack.so.3") })
        let blas = try #require(libraries.first { $0.hasPrefix("libblas.so.3") })
        #expect(lapack.contains("/lapack/liblapack.so.3"), "\(lapack)")
        #expect(blas.contains("/blas/libblas.so.3"), "\(blas)")
    }

    @Test("pictures, report and metrics are byte-identical with glibc's and pixman's plainest kernels")
    func libraryKernels() throws {
        func run(_ environment: [String: String]) throws -> [String: Data] {
            let scratch = try Scratch()
            defer { scratch.remove() }
            let result = try Executable.run(
                MakeReportTests.arguments(scratch, extra: ["--metrics-json", scratch.path("run.json"), "--no-cache", "--quiet"]),
                in: scratch.url, environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            return try scratch.snapshot()
        }
        let usual = try run([:]), plain = try run(Self.plainestKernels)
        #expect(usual.keys.sorted() == plain.keys.sorted())
        #expect(usual.keys.filter { $0.hasSuffix(".png") }.count == 9)
        #expect(usual.keys.contains { $0.hasSuffix("training.gif") })
        for name in usual.keys.sorted() where name.hasSuffix(".png") || name.hasSuffix(".gif") {
            #expect(usual[name] == plain[name], "\(name) differs")
        }
        // The JSON and the report hold timings; everything the run computed must agree.
        func fingerprint(_ files: [String: Data]) throws -> String? {
            let json = try JSONSerialization.jsonObject(with: try #require(files["run.json"])) as? [String: Any]
            return json?["fingerprint"] as? String
        }
        let usualFingerprint = try #require(try fingerprint(usual))
        #expect(try fingerprint(plain) == usualFingerprint)
        let report = String(decoding: try #require(usual["notes/summary.md"]), as: UTF8.self)
        #expect(report.contains("is `\(usualFingerprint)`"))
        #expect(!report.contains("BLAS"))
    }
}
