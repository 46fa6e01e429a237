import Foundation
import Render
import Testing

/// Comparison mode of the real executable: a list on a recipe option.
@Suite("make-report compares runs, end to end", .serialized)
struct CompareTests {
    /// Four quick runs: learning rate × hidden units, 60 iterations, evaluations at 0, 20 and 40.
    static let grid = ["--data-dir", Executable.bundledData, "--learning-rate", "0.1,0.5", "--hidden", "8,16", "--iterations", "60",
                       "--eval-every", "20", "--batch-size", "50", "--scale", "1"]

    @Test("a small grid writes its pictures and report to images/compare and notebooks/compare.md, leaving the single run's alone")
    func grid() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let single = try Executable.run(["--data-dir", Executable.bundledData, "--iterations", "60", "--eval-every", "20", "--hidden", "8",
                                         "--batch-size", "50", "--scale", "1", "--quiet", "--metrics-json", "alone.json"], in: scratch.url)
        #expect(single.status == 0, "\(single.stderr)")
        let before = try scratch.snapshot()

        let result = try Executable.run(Self.grid + ["--metrics-json", "runs.json", "--format", "png", "--format", "svg"], in: scratch.url)
        #expect(result.status == 0, "\(result.stderr)")
        let after = try scratch.snapshot()
        for (path, bytes) in before { #expect(after[path] == bytes, "\(path) changed") }

        for (name, width) in [("test_accuracy", 1000), ("final_accuracy", 760), ("small_multiples", 800)] {
            let png = try PNG.decode(Array(try #require(after["images/compare/\(name).png"])))
            #expect(png.width == width, "\(name)")
            #expect(String(decoding: try #require(after["images/compare/\(name).svg"]), as: UTF8.self).contains("<svg"))
        }
        // The report links every picture where it is, and has a row per run.
        let report = String(decoding: try #require(after["notebooks/compare.md"]), as: UTF8.self)
        let links = report.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("!["), let open = line.lastIndex(of: "("), line.hasSuffix(")") else { return nil }
            return String(line[line.index(after: open) ..< line.index(before: line.endIndex)])
        }
        #expect(links == ["../images/compare/test_accuracy.png", "../images/compare/final_accuracy.png", "../images/compare/small_multiples.png"])
        for link in links { #expect(FileManager.default.fileExists(atPath: scratch.path("notebooks/" + link)), "\(link)") }
        #expect(report.contains("learning rate 0.1, 0.5 × hidden units 8, 16 = 4 runs"))
        #expect(report.contains("| # | learning rate | hidden units | final train | final test | best train |"))
        #expect(report.split(separator: "\n").filter { $0.hasPrefix("| ") && $0.contains(" %") }.count == 4)
        #expect(result.stdout.contains("4 of 4 runs finished; best lr "))

        // JSON: a run per configuration, in plan order; the one also trained alone has the same fingerprint.
        let json = try JSONSerialization.jsonObject(with: try #require(after["runs.json"])) as! [String: Any]
        let runs = json["runs"] as! [[String: Any]]
        #expect(runs.map { ($0["configuration"] as! [String: Any])["hiddenSize"] as! Int } == [8, 16, 8, 16])
        #expect(runs.map { ($0["configuration"] as! [String: Any])["learningRate"] as! Double } == [0.1, 0.1, 0.5, 0.5])
        #expect(runs.allSatisfy { ($0["epochs"] as! [Any]).count == 3 && ($0["losses"] as! [Any]).count == 60 && $0["network"] == nil })
        let alone = try JSONSerialization.jsonObject(with: try #require(after["alone.json"])) as! [String: Any]
        #expect(runs[0]["fingerprint"] as? String == alone["fingerprint"] as? String)
        #expect(runs[0]["fingerprint"] as? String != runs[1]["fingerprint"] as? String)

        // The same command gives the same pictures.
        let again = try Executable.run(Self.grid + ["--quiet", "--output-dir", "again"], in: scratch.url)
        #expect(again.status == 0)
        for name in ["test_accuracy", "final_accuracy", "small_multiples"] {
            #expect(try scratch.snapshot()["again/\(name).png"] == after["images/compare/\(name).png"], "\(name)")
        }
    }

    @Test("a diverging run is marked in the table and the JSON, and the sweep still succeeds")
    func divergence() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let arguments = ["--data-dir", Executable.bundledData, "--learning-rate", "0.5,3e38", "--iterations", "60", "--eval-every", "20",
                         "--hidden", "8", "--scale", "1", "--metrics-json", "runs.json"]
        let result = try Executable.run(arguments, in: scratch.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("1 of 2 runs finished"))
        let report = try String(contentsOfFile: scratch.path("notebooks/compare.md"), encoding: .utf8)
        #expect(report.contains("| 2 | 3e+38 | diverged at iteration "))
        let runs = (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scratch.path("runs.json")))) as! [String: Any])["runs"]
            as! [[String: Any]]
        #expect(runs[0]["divergence"] == nil)
        let divergence = try #require(runs[1]["divergence"] as? [String: Any])
        #expect(divergence["loss"] as? String == "nan")
    }

    @Test("when every run diverges: exit 1, one line, nothing written")
    func allDiverge() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = try Executable.run(
            ["--data-dir", Executable.bundledData, "--learning-rate", "3e38,3.4e38", "--iterations", "60", "--hidden", "8", "--quiet"],
            in: scratch.url)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("make-report: every run diverged (the earliest at iteration "))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try scratch.snapshot().isEmpty)
    }

    /// 20 hidden sizes × 13 seeds.
    static let tooMany = ["--hidden", (1 ... 20).map(String.init).joined(separator: ","), "--seed", (1 ... 13).map(String.init).joined(separator: ",")]

    @Test("bad lists exit 64 with one message naming the flag and the item", arguments: [
        (["--learning-rate", "0.1,,0.5"], "--learning-rate: empty item in 0.1,,0.5"),
        (["--hidden", "25,fifty"], "--hidden: fifty is not a whole number"),
        (["--learning-rate", "0.1,0.5,0.1"], "--learning-rate: 0.1 is given twice in 0.1,0.5,0.1"),
        (["--eval-every", "100,200"], "--eval-every takes one value, shared by every run so that their points line up; got 100,200"),
        (["--learning-rate", "0.001...1"], "--learning-rate: a range (0.001...1) needs --trials"),
        (["--trials", "10"], "--trials needs a range to draw from"),
        (["--trials", "10", "--learning-rate", "0.1,0.2"], "--trials needs a range to draw from"),
        (tooMany, "the sweep would train 260 runs (--hidden 20 values × --seed 13 values), more than 256; give fewer values"),
    ] as [([String], String)])
    func usage(arguments: [String], message: String) throws {
        try expectUsageError(arguments, message: message)
    }

    @Test("Ctrl-C during a sweep: exit 130 with one line, the earlier comparison untouched, no temporary files")
    func interrupt() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        #expect(try Executable.run(Self.grid + ["--quiet"], in: scratch.url).status == 0)
        let before = try scratch.snapshot()
        let long = ["--data-dir", Executable.bundledData, "--learning-rate", "0.1,0.2,0.3,0.4,0.5,0.6", "--iterations", "60,20000"]
        let result = try Executable.run(long, in: scratch.url, interruptAfter: "2/12 done")
        #expect(!result.signalled && result.status == 130, "status \(result.status), stderr \(result.stderr)")
        #expect(result.stderr.hasSuffix("make-report: interrupted; no file was written or changed\n"))
        #expect(try scratch.snapshot() == before)
    }
}
