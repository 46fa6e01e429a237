import Foundation
import Render
import Testing

/// The real executable on a small configuration: every file it writes, and
/// every way it can fail.
@Suite("make-report end to end", .serialized)
struct MakeReportTests {
    /// A quick recipe: 120 iterations, 16 hidden units, evaluations at 0, 40 and 80.
    static let small = ["--iterations", "120", "--hidden", "16", "--eval-every", "40", "--batch-size", "50", "--scale", "1"]

    static func arguments(_ scratch: Scratch, extra: [String] = []) -> [String] {
        ["--data-dir", Executable.bundledData, "--output-dir", scratch.path("gallery"), "--report", scratch.path("notes/summary.md")]
            + small + extra
    }

    // MARK: Success

    @Test("a small run writes every picture, the report and the JSON, all consistent")
    func success() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = try Executable.run(
            Self.arguments(scratch, extra: ["--metrics-json", scratch.path("run.json"), "--format", "png", "--format", "svg", "--format", "pdf"]),
            in: scratch.url)
        #expect(result.status == 0, "\(result.stderr)")

        // Pictures: valid PNGs of the expected size, plus SVG and PDF.
        let sizes = ["training_accuracy": (800, 500), "network_architecture": (900, 520), "loss_curve": (800, 450),
                     "confusion_matrix": (640, 620), "hidden_units": (800, -1), "misclassified": (800, -1),
                     "weight_distributions": (900, 620), "hidden_activations": (960, 380), "hidden_projection": (1020, 420)]
        for (name, size) in sizes {
            let png = try PNG.decode(Array(Data(contentsOf: URL(fileURLWithPath: scratch.path("gallery/\(name).png")))))
            #expect(png.width == size.0, "\(name)")
            if size.1 > 0 { #expect(png.height == size.1, "\(name)") }
            #expect(png.text["Software"]?.hasPrefix("make-report") == true)
            let svg = try String(contentsOfFile: scratch.path("gallery/\(name).svg"), encoding: .utf8)
            #expect(svg.contains("<svg"))
            let pdf = try Data(contentsOf: URL(fileURLWithPath: scratch.path("gallery/\(name).pdf")))
            #expect(pdf.starts(with: Data("%PDF-".utf8)))
        }
        // 16 hidden units: a 4×4 grid of 28×28 tiles, whose height follows from the width.
        let tiles = try PNG.decode(Array(Data(contentsOf: URL(fileURLWithPath: scratch.path("gallery/hidden_units.png")))))
        #expect(tiles.text["Description"]?.hasPrefix("Configuration: 784-16-10 sigmoid/softmax network, 120 SGD iterations of batch 50") == true)
        #expect(tiles.text["Description"]?.contains("Incoming weights of 16 hidden units") == true)

        // The JSON and the report agree with each other.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scratch.path("run.json")))) as! [String: Any]
        let epochs = json["epochs"] as! [[String: Any]]
        #expect(epochs.map { $0["iteration"] as! Int } == [0, 40, 80])
        #expect(epochs.map { $0["epoch"] as! Int } == [0, 1, 2])
        #expect((json["losses"] as! [Double]).count == 120)
        #expect((json["configuration"] as! [String: Any])["hiddenSize"] as? Int == 16)
        #expect(Set((json["timings"] as! [String: Double]).keys) == ["load", "train", "evaluate", "render"])
        let network = json["network"] as! [String: Any]
        #expect((network["w1"] as! [Double]).count == 784 * 16 && (network["b2"] as! [Double]).count == 10)
        let predictions = json["predictions"] as! [String: Any]
        #expect((predictions["predicted"] as! [Int]).count == 10_000)
        #expect((predictions["probabilities"] as! [Double]).count == 100_000)
        let last = epochs.last!
        let report = try String(contentsOfFile: scratch.path("notes/summary.md"), encoding: .utf8)
        let train = String(format: "%.2f %%", (last["trainAccuracy"] as! Double) * 100)
        let test = String(format: "%.2f %%", (last["testAccuracy"] as! Double) * 100)
        // 40 iterations of 50 images are not an epoch: every sentence names the points evaluations.
        #expect(report.contains("| final (evaluation 2, iteration 80) | \(train) | \(test) |"))
        #expect(report.contains("## Accuracy per evaluation"))
        #expect(report.contains("| evaluation | every 40 iterations from iteration 0 (3 points; 40 × 50 images = 0.0333 epochs) |"))
        #expect(report.contains("what a 16-unit network cannot yet see"))
        #expect(report.contains("its moving average is") && report.contains("after the first 40 iterations"))
        #expect(report.contains("price of batches of 50"))
        for constant in ["50-unit", "epoch 2", "each epoch", "10,000 SGD", "600 iterations", "17 points", "17 full-set", "batches of 100"] {
            #expect(!report.contains(constant), "the report says \"\(constant)\"")
        }
        let accuracyPNG = try PNG.decode(Array(Data(contentsOf: URL(fileURLWithPath: scratch.path("gallery/training_accuracy.png")))))
        #expect(accuracyPNG.text["Description"]?.contains("Train and test accuracy per evaluation: ") == true)
        let lossPNG = try PNG.decode(Array(Data(contentsOf: URL(fileURLWithPath: scratch.path("gallery/loss_curve.png")))))
        #expect(lossPNG.text["Description"]?.contains("over 120 iterations") == true)
        #expect(report.contains(String(format: "| 2 | 80 | %.4f | %.4f |", last["trainAccuracy"] as! Double, last["testAccuracy"] as! Double)))
        #expect(report.contains("![Training vs test accuracy](../gallery/training_accuracy.png)"))
        #expect(report.contains("| hidden | 16 | sigmoid | W1 784×16 + b1 16 = 12,560 |"))

        // Progress is plain lines on stderr when it is not a terminal; results go to stdout.
        #expect(result.stderr.contains("evaluation 0 (iteration 0): train"))
        #expect(result.stderr.contains("evaluation 2 (iteration 80): train"))
        #expect(result.stdout.contains("wrote \(scratch.path("gallery/training_accuracy.png"))"))
        #expect(result.stdout.contains("wrote \(scratch.path("notes/summary.md"))"))
        #expect(result.stdout.contains(String(format: "final accuracy: train %.4f, test %.4f (evaluation 2)", last["trainAccuracy"] as! Double, last["testAccuracy"] as! Double)))

        // Inside the network: a row per evaluation point, the same points in the JSON, a frame each in the animation.
        #expect(report.contains("## Inside the network"))
        #expect(report.contains("The run kept a copy of its parameters at all 3 evaluation points. The table gives, at each,"))
        #expect(report.contains("| evaluation | iteration | W1 std | W2 std | saturated | PC1 + PC2 |"))
        #expect(report.contains("![Training, frame by frame](../gallery/training.gif)"))
        let inside = json["inside"] as! [[String: Any]]
        #expect(inside.map { $0["iteration"] as! Int } == [0, 40, 80])
        #expect(inside.allSatisfy { ($0["explainedVariance"] as? [Double])?.count == 2 })
        let gif = try GIF.decode(Array(Data(contentsOf: URL(fileURLWithPath: scratch.path("gallery/training.gif")))))
        #expect(gif.count == 3 && gif.allSatisfy { $0.width == 800 && $0.height == 400 })

        // Nothing else was left behind.
        let files = try scratch.snapshot().keys.sorted()
        #expect(files.count == 9 * 3 + 1 + 2)
        #expect(!files.contains { $0.contains(".tmp") })
    }

    @Test("--quiet prints nothing, and the same seed gives the same report")
    func quietAndReproducible() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let first = try Executable.run(Self.arguments(scratch, extra: ["--quiet", "--seed", "9"]), in: scratch.url)
        #expect(first.status == 0 && first.stdout.isEmpty && first.stderr.isEmpty, "\(first.stderr)")
        let before = try scratch.snapshot()
        let second = try Executable.run(Self.arguments(scratch, extra: ["--quiet", "--seed", "9"]), in: scratch.url)
        #expect(second.status == 0)
        let after = try scratch.snapshot()
        // Pictures are byte for byte the same; the report differs only in its timings section (the
        // seconds, however long a stage takes, and where the data came from: the files, then the cache).
        for name in before.keys where name.hasSuffix(".png") { #expect(before[name] == after[name], "\(name)") }
        func withoutTimings(_ data: Data?) -> String {
            var inTimings = false
            return String(decoding: data ?? Data(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).filter { line in
                if line.hasPrefix("## ") { inTimings = line == "## Timings" }
                return !inTimings
            }.joined(separator: "\n")
        }
        let report = withoutTimings(after["notes/summary.md"])
        #expect(report.contains("## Reproducibility") && !report.contains("## Timings"))
        #expect(withoutTimings(before["notes/summary.md"]) == report)
    }

    @Test("a second run reads the decoded data from the cache and gives the same run")
    func cache() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cacheHome = scratch.path("xdg")
        func run(_ extra: [String]) throws -> (Executable.Result, [String: Data]) {
            let result = try Executable.run(
                Self.arguments(scratch, extra: ["--metrics-json", scratch.path("run.json")] + extra), in: scratch.url, cacheHome: cacheHome)
            #expect(result.status == 0, "\(result.stderr)")
            return (result, try scratch.snapshot().filter { !$0.key.hasPrefix("xdg/") })
        }
        // The first run inflates the files and writes the copy into $XDG_CACHE_HOME/make-report.
        let (first, cold) = try run([])
        #expect(first.stdout.contains("(cache: no cache yet; wrote \(cacheHome)/make-report/mnist-"), "\(first.stdout)")
        let cached = try FileManager.default.contentsOfDirectory(atPath: cacheHome + "/make-report")
        #expect(cached.count == 1 && cached[0].hasSuffix(".cache"), "\(cached)")
        // The second reads it: the same pictures byte for byte, the same run apart from the timings.
        let (second, warm) = try run([])
        #expect(second.stdout.contains("(decoded copy: \(cacheHome)/make-report/\(cached[0]))"), "\(second.stdout)")
        for name in cold.keys where name.hasSuffix(".png") { #expect(cold[name] == warm[name], "\(name)") }
        func withoutTimings(_ data: Data?) throws -> Data {
            var json = try JSONSerialization.jsonObject(with: data ?? Data()) as? [String: Any] ?? [:]
            #expect(json["losses"] != nil && json["timings"] != nil)
            json["timings"] = nil
            json["epochs"] = (json["epochs"] as? [[String: Any]])?.map { $0.filter { $0.key != "elapsed" } }
            return try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        }
        #expect(try withoutTimings(cold["run.json"]) == withoutTimings(warm["run.json"]))
        #expect(String(decoding: warm["notes/summary.md"] ?? Data(), as: UTF8.self).contains("the decoded copy of the four IDX files"))
        // --no-cache reads the files and leaves the cache alone; --cache-dir puts it elsewhere.
        let (uncached, _) = try run(["--no-cache"])
        #expect(!uncached.stdout.contains("cache"), "\(uncached.stdout)")
        let (elsewhere, _) = try run(["--cache-dir", scratch.path("other")])
        #expect(elsewhere.stdout.contains("wrote \(scratch.path("other"))/mnist-"), "\(elsewhere.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cacheHome + "/make-report") == cached)
    }

    @Test("a damaged cache file is read past and replaced; an unwritable cache folder only costs the copy")
    func damagedCache() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = scratch.path("cache")
        let first = try Executable.run(Self.arguments(scratch, extra: ["--cache-dir", folder]), in: scratch.url)
        #expect(first.status == 0, "\(first.stderr)")
        let file = folder + "/" + (try FileManager.default.contentsOfDirectory(atPath: folder)[0])
        let good = try Data(contentsOf: URL(fileURLWithPath: file))
        try good.prefix(good.count / 2).write(to: URL(fileURLWithPath: file))
        let second = try Executable.run(Self.arguments(scratch, extra: ["--cache-dir", folder]), in: scratch.url)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("(cache: \(file) is damaged ("), "\(second.stdout)")
        #expect(second.stdout.contains("; wrote \(file))"), "\(second.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == good)
        // A cache folder under a regular file cannot be made; the run goes on without it.
        try Data("x".utf8).write(to: URL(fileURLWithPath: scratch.path("plain")))
        let third = try Executable.run(Self.arguments(scratch, extra: ["--cache-dir", scratch.path("plain/cache")]), in: scratch.url)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stdout.contains("(cache: no cache yet; could not write it: cannot create \(scratch.path("plain/cache"))"), "\(third.stdout)")
    }

    @Test("on a terminal, progress is one line redrawn in place")
    func terminal() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // script(1) gives the command a pseudo-terminal for stdout and stderr.
        let command = ([Executable.url.path] + Self.arguments(scratch, extra: ["--iterations", "3000", "--cache-dir", scratch.path("cache")]))
            .map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, scratch.path("typescript")]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let screen = try String(decoding: Data(contentsOf: URL(fileURLWithPath: scratch.path("typescript"))), as: UTF8.self)
        #expect(screen.contains("\r\u{1B}[2Kiteration "))
        #expect(screen.contains("/3000  evaluation "))  // 40 iterations of 50 images are not an epoch
        #expect(screen.contains("  ETA "))
        #expect(screen.contains("  train 0."))  // the latest accuracies, once the first evaluation is in
        #expect(!screen.contains("evaluation 0 (iteration 0): train"))  // no plain lines on a terminal
        #expect(screen.contains("final accuracy: train"))
    }

    @Test("with no data flag it uses the bundled MNIST from the package root")
    func defaults() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = try Executable.run(
            ["--output-dir", scratch.path("img"), "--report", scratch.path("r.md"), "--quiet"] + Self.small, in: Executable.packageRoot)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOfFile: scratch.path("r.md"), encoding: .utf8).contains("`data/mnist`: 60,000 training and 10,000 test images"))
    }

    @Test("--help explains each option with its default")
    func help() throws {
        let result = try Executable.run(["--help"], in: Executable.packageRoot)
        #expect(result.status == 0)
        let help = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for text in ["--data-dir <path>", "(default: data/mnist)", "(default: images; images/compare when comparing runs)",
                     "(default: notebooks/train_neuralnet.md; notebooks/compare.md when comparing runs)",
                     "--iterations <n> SGD iterations. (default: 10000)", "--learning-rate <rate> SGD learning rate. A comma-separated list (0.01,0.1,0.5), here or on any recipe option, trains every combination",
                     "(default: 0.1)", "--trials <n> Random search",
                     "--hidden <n> Hidden units. (default: 50)", "(default: 600)", "--batch-size <n>", "(default: 100)",
                     "--seed <n>", "(default: 42)", "--format <format>", "(values: png, svg, pdf; default: png)",
                     "--scale <factor>", "(default: 2.0)", "--metrics-json <path>", "--quiet", "--weighted-edges",
                     "--cache-dir <path>", "(default: $XDG_CACHE_HOME/make-report or ~/.cache/make-report)", "--no-cache"] {
            #expect(help.contains(text), "\(text)")
        }
    }

    // MARK: Bad usage: exit 64, nothing touched

    @Test("bad usage exits 64 with a message naming the flag", arguments: [
        (["--bogus"], "--bogus"),
        (["--iterations", "many"], "many"),
        (["--iterations", "0"], "--iterations: 0 must be at least 1"),
        (["--batch-size", "-5"], "--batch-size"),
        (["--hidden", "0"], "--hidden: 0 must be at least 1"),
        (["--eval-every", "0"], "--eval-every must be at least 1"),
        (["--learning-rate", "nan"], "--learning-rate: nan must be a finite number above 0"),
        (["--learning-rate", "inf"], "--learning-rate: inf must be a finite number above 0"),
        (["--learning-rate", "0"], "--learning-rate: 0 must be a finite number above 0"),
        (["--learning-rate", "-0.1"], "--learning-rate"),
        (["--format", "gif"], "gif"),
        (["--scale", "0"], "--scale"),
        (["--cache-dir", "c", "--no-cache"], "--cache-dir and --no-cache contradict each other"),
        (["--cache-dir", ""], "--cache-dir must not be empty"),
    ])
    func usage(arguments: [String], message: String) throws {
        try expectUsageError(arguments, message: message)
    }

    // MARK: Run errors: exit 1, one line, earlier outputs untouched

    /// Runs once successfully, then `failing`, and checks the earlier outputs survive byte for byte.
    func expectFailureKeepsOutputs(
        _ failing: [String], shellPrefix: String? = nil, message: String, sourceLocation: SourceLocation = #_sourceLocation,
        prepare: (Scratch) throws -> Void = { _ in }
    ) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let first = try Executable.run(Self.arguments(scratch, extra: ["--quiet"]), in: scratch.url)
        #expect(first.status == 0, sourceLocation: sourceLocation)
        try prepare(scratch)
        let before = try scratch.snapshot()
        let result = try Executable.run(Self.arguments(scratch, extra: ["--quiet"] + failing), in: scratch.url, shellPrefix: shellPrefix)
        #expect(result.status == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("make-report: "), sourceLocation: sourceLocation)
        #expect(result.stderr.contains(message), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        let after = try scratch.snapshot()
        #expect(after == before, "outputs changed: \(Set(after.keys).symmetricDifference(before.keys))", sourceLocation: sourceLocation)
    }

    @Test("a missing data folder")
    func missingData() throws {
        try expectFailureKeepsOutputs(["--data-dir", "/nonexistent/mnist"],
                                      message: "/nonexistent/mnist/train-images-idx3-ubyte.gz: no such file (nor train-images-idx3-ubyte)")
    }

    @Test("a corrupt data file")
    func corruptData() throws {
        try expectFailureKeepsOutputs(["--data-dir", "broken"], message: "broken/t10k-images-idx3-ubyte.gz: corrupt gzip stream") { scratch in
            try FileManager.default.createDirectory(atPath: scratch.path("broken"), withIntermediateDirectories: true)
            for name in ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
                try FileManager.default.copyItem(atPath: Executable.bundledData + "/" + name, toPath: scratch.path("broken/" + name))
            }
            var bytes = try Data(contentsOf: URL(fileURLWithPath: Executable.bundledData + "/t10k-images-idx3-ubyte.gz"))
            for i in 1000 ..< 1100 { bytes[i] ^= 0xA5 }
            try bytes.write(to: URL(fileURLWithPath: scratch.path("broken/t10k-images-idx3-ubyte.gz")))
        }
    }

    @Test("a data folder whose training file holds no images")
    func emptyData() throws {
        try expectFailureKeepsOutputs(["--data-dir", "empty"], message: "empty/train-images-idx3-ubyte: holds no images") { scratch in
            try FileManager.default.createDirectory(atPath: scratch.path("empty"), withIntermediateDirectories: true)
            func header(_ words: [UInt32]) -> Data { Data(words.flatMap { w in [24, 16, 8, 0].map { UInt8((w >> UInt32($0)) & 0xff) } }) }
            try header([0x803, 0, 28, 28]).write(to: URL(fileURLWithPath: scratch.path("empty/train-images-idx3-ubyte")))
            try header([0x801, 0]).write(to: URL(fileURLWithPath: scratch.path("empty/train-labels-idx1-ubyte")))
            for name in ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
                try FileManager.default.copyItem(atPath: Executable.bundledData + "/" + name, toPath: scratch.path("empty/" + name))
            }
        }
    }

    @Test("a diverging run")
    func divergence() throws {
        try expectFailureKeepsOutputs(["--learning-rate", "3e38"], message: "training diverged: the loss became NaN at iteration")
    }

    @Test("an output folder that cannot be created")
    func unwritableFolder() throws {
        try expectFailureKeepsOutputs(["--output-dir", "blocker/images"], message: "blocker/images: cannot create the folder") { scratch in
            try Data("a file, not a folder".utf8).write(to: URL(fileURLWithPath: scratch.path("blocker")))
        }
    }

    /// ThreadSanitizer's runtime itself dies with SIGBUS under a file-size limit (a three-line Swift
    /// program that prints a struct does too; see docs/testing.md), so `make sanitize` skips this one test there.
    @Test("a disk that fills up while writing (a file-size limit)",
          .disabled(if: ProcessInfo.processInfo.environment["MAKE_REPORT_SANITIZER"] == "thread",
                    "ThreadSanitizer's runtime cannot run under ulimit -f"))
    func fullDisk() throws {
        // ulimit -f counts 512-byte blocks: 50 KB is enough for the report, not for every picture.
        try expectFailureKeepsOutputs([], shellPrefix: "ulimit -f 100;", message: "cannot write: File too large")
    }

    @Test("Ctrl-C during training leaves the earlier outputs and no temporary files")
    func interrupt() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let first = try Executable.run(Self.arguments(scratch, extra: ["--quiet"]), in: scratch.url)
        #expect(first.status == 0)
        let before = try scratch.snapshot()
        let arguments = ["--data-dir", Executable.bundledData, "--output-dir", scratch.path("gallery"), "--report", scratch.path("notes/summary.md"),
                         "--iterations", "100000", "--eval-every", "50"]
        let result = try Executable.run(arguments, in: scratch.url, interruptAfter: "evaluation 1 (iteration 50)")
        #expect(result.signalled && result.status == SIGINT, "status \(result.status), stderr \(result.stderr)")
        #expect(try scratch.snapshot() == before)
    }
}
