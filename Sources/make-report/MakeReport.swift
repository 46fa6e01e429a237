import ArgumentParser
import Charts
import Foundation
import Gallery
import Inspection
import MNIST
import Render
import Report
import Sweep
import Trainer
import TrainingData

/// Trains the two-layer network on MNIST, draws the gallery and writes the
/// Markdown report: `swift run make-report`.
@main
struct MakeReport: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "make-report",
        abstract: "Train a 784-50-10 network on MNIST from scratch and write its visual report.",
        discussion: """
            With no options: trains on the bundled data/mnist with the book's recipe, writes the gallery \
            into images/ and the summary to notebooks/train_neuralnet.md. Nothing is replaced unless the \
            whole run succeeds.
            """,
        version: version)

    // MARK: Data and outputs

    @Option(help: ArgumentHelp("Folder with the four MNIST IDX files (gzip or plain).", valueName: "path"))
    var dataDir = Dataset.bundledDirectory

    @Option(help: ArgumentHelp("Folder for the gallery images. (default: images; images/compare when comparing runs)", valueName: "path"))
    var outputDir: String?

    @Option(help: ArgumentHelp(
        "Path of the Markdown summary. (default: notebooks/train_neuralnet.md; notebooks/compare.md when comparing runs)", valueName: "path"))
    var report: String?

    @Option(help: ArgumentHelp("Also write the whole run as JSON to this path.", valueName: "path"))
    var metricsJson: String?

    @Option(help: ArgumentHelp(
        "Folder for the decoded copy of the data that later runs read instead of inflating the files. (default: $XDG_CACHE_HOME/make-report or ~/.cache/make-report)",
        valueName: "path"))
    var cacheDir: String?

    @Flag(help: "Read the data files themselves, and neither read nor write the cache.")
    var noCache = false

    // MARK: Recipe (each option also takes a list, or a range with --trials, to compare runs)

    @Option(help: ArgumentHelp("Seed of the random number generator (weights and batches); a list compares seeds.", valueName: "n"))
    var seed = String(TrainingConfiguration().seed)

    @Option(help: ArgumentHelp("SGD iterations.", valueName: "n"))
    var iterations = String(TrainingConfiguration().iterations)

    @Option(help: ArgumentHelp("Images per mini-batch, drawn with replacement.", valueName: "n"))
    var batchSize = String(TrainingConfiguration().batchSize)

    @Option(help: ArgumentHelp(
        "SGD learning rate. A comma-separated list (0.01,0.1,0.5), here or on any recipe option, trains every combination and compares them; a range (0.001...1) is drawn from by --trials.",
        valueName: "rate"))
    var learningRate = String(TrainingConfiguration().learningRate)

    @Option(help: ArgumentHelp("Hidden units.", valueName: "n"))
    var hidden = String(TrainingConfiguration().hiddenSize)

    @Option(help: ArgumentHelp(
        "Evaluate on the full train and test sets every n iterations, from iteration 0 (one value, shared by every run compared).",
        valueName: "n"))
    var evalEvery = String(TrainingConfiguration().evaluateEvery)

    @Option(help: ArgumentHelp(
        "Random search: train n runs whose settings are drawn from the ranges given (the learning rate log-uniformly, whole numbers uniformly) with the first seed.",
        valueName: "n"))
    var trials: Int?

    // MARK: Pictures

    @Option(name: .customLong("format"), help: ArgumentHelp("Image format: png, svg or pdf; repeat for several.", valueName: "format"))
    var formats: [ImageFormat] = [.png]

    @Option(help: ArgumentHelp("Pixels per logical unit in PNGs (2 for HiDPI).", valueName: "factor"))
    var scale = 2.0

    @Option(help: ArgumentHelp("Loss chart y axis: log or linear.", valueName: "axis"))
    var lossScale: LossScale = .log

    @Flag(help: "Colour the diagram's hidden-to-output edges by the trained weights.")
    var weightedEdges = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    enum LossScale: String, ExpressibleByArgument, CaseIterable { case log, linear }

    // MARK: Validation (exit status 64)

    func validate() throws {
        _ = try plan()
        guard scale.isFinite, scale > 0, scale <= 8 else { throw ValidationError("--scale must be above 0 and at most 8, got \(scale)") }
        guard !formats.isEmpty else { throw ValidationError("--format needs at least one of png, svg, pdf") }
        if cacheDir != nil, noCache { throw ValidationError("--cache-dir and --no-cache contradict each other") }
        if cacheDir?.isEmpty == true { throw ValidationError("--cache-dir must not be empty") }
    }

    /// The runs the recipe options ask for: one, or a sweep to compare.
    func plan() throws(ValidationError) -> SweepPlan {
        guard !evalEvery.contains(","), !evalEvery.contains("...") else {
            throw ValidationError("--eval-every takes one value, shared by every run so that their points line up; got \(evalEvery)")
        }
        guard let every = Int(evalEvery.trimmingCharacters(in: .whitespaces)) else {
            throw ValidationError("--eval-every: \(evalEvery) is not a whole number")
        }
        guard every >= 1 else { throw ValidationError("--eval-every must be at least 1, got \(every)") }
        var base = TrainingConfiguration()
        base.evaluateEvery = every
        do {
            var choices: [Setting: Choice] = [:]
            for (setting, text) in [(Setting.learningRate, learningRate), (.hiddenSize, hidden), (.batchSize, batchSize),
                                    (.iterations, iterations), (.seed, seed)] {
                choices[setting] = try Choice.parse(text, for: setting)
            }
            return try SweepPlan(base: base, choices: choices, trials: trials)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The data cache the options ask for, if any.
    var dataCache: DataCache? {
        if noCache { return nil }
        return (cacheDir ?? DataCache.defaultDirectory()).map(DataCache.init(directory:))
    }

    /// Where the pictures go: `--output-dir`, or the default of a single run or of a comparison.
    func imagesFolder(comparing: Bool) -> String { outputDir ?? (comparing ? "images/compare" : "images") }

    /// Where the Markdown goes: `--report`, or the default of a single run or of a comparison.
    func reportPath(comparing: Bool) -> String { report ?? (comparing ? "notebooks/compare.md" : "notebooks/train_neuralnet.md") }

    // MARK: Run (exit status 1 with one line on stderr)

    func run() throws {
        // A file-size limit (or a full disk) must come back as a write error, not kill the process.
        signal(SIGXFSZ, SIG_IGN)
        // Ctrl-C must work even when the parent spawned us with signals blocked
        // (a blocked mask is inherited; an ignored signal stays ignored on purpose).
        var interrupts = sigset_t()
        sigemptyset(&interrupts)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&interrupts, signal) }
        pthread_sigmask(SIG_UNBLOCK, &interrupts, nil)
        do {
            let plan = try plan()
            if plan.isComparison { try compare(plan) } else { try produce(plan.base) }
        } catch {
            FileHandle.standardError.write(Data("make-report: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    func produce(_ config: TrainingConfiguration) throws {
        let outputDir = imagesFolder(comparing: false), report = reportPath(comparing: false)
        let console = Console(quiet: quiet)
        var clock = Stopwatch()

        // Fontconfig and FreeType start on the other core while this one loads
        // the data; a missing font then stops the run before training, not after.
        let canvasSlot = ResultSlots<CairoCanvas>(count: 1)
        let canvasReady = DispatchGroup()
        DispatchQueue.global(qos: .userInitiated).async(group: canvasReady) { [scale] in
            canvasSlot[0] = Result { () throws(RenderError) in try CairoCanvas(scale: scale, software: "make-report \(Self.version)") }
        }

        // The pictures that need no trained weights (the architecture diagram)
        // are drawn on the other core as soon as the test set is in, while this
        // one still reads the training set and then trains.
        let options = GalleryOptions(logarithmicLoss: lossScale == .log, weightedEdges: weightedEdges)
        let early = ResultSlots<[DrawnImage]>(count: 1)
        let earlyDone = DispatchGroup()
        console.status("Loading \(dataDir)")
        let canvas: CairoCanvas, test: ImageSet, sparseTest: SparseImages, run: TrainingRun, load: Double, loadedFromCache: Bool
        do {  // the training set (27 MB of sparse rows) goes at the end of this block, before the pictures are drawn
            let data = try TrainingData.load(from: dataDir, cache: dataCache) { [formats] test in
                DispatchQueue.global(qos: .userInitiated).async(group: earlyDone) {
                    canvasReady.wait()
                    guard case .success(let canvas)? = canvasSlot[0] else { return }  // reported below
                    let images = Gallery.untrainedImages(
                        configuration: config, inputSize: ImageSet.pixelCount, classCount: ImageSet.classCount, testImages: test,
                        measurer: canvas.measurer, options: options)
                    early[0] = Result { try images.map { try Self.draw($0, formats: formats, with: canvas) } }
                }
            }
            load = clock.lap()
            let source: String
            loadedFromCache = if case .cache = data.origin { true } else { false }
            switch data.origin {
            case let .cache(path): source = "\(dataDir) (decoded copy: \(path))"
            case let .files(note?): source = "\(dataDir) (cache: \(note))"
            case .files(nil): source = dataDir
            }
            console.info("Loaded \(data.train.count) training and \(data.test.count) test images from \(source) in \(String(format: "%.2f", load)) s")
            canvasReady.wait()
            canvas = try canvasSlot[0]!.get()

            let progress = TrainingProgressView(console: console, configuration: config, trainingImages: data.train.count)
            run = try Trainer(configuration: config).train(
                train: data.train, test: data.sparseTest, classCount: ImageSet.classCount, progress: progress.update)
            progress.finish()
            _ = clock.lap()
            test = data.test
            sparseTest = data.sparseTest
        }

        // The animation needs only the snapshots: it is drawn and encoded alongside the rest,
        // whose pictures of the network over time first need the snapshots inspected on the test set.
        let animation = ResultSlots<(bytes: [UInt8], frames: Int)?>(count: 1)
        let animationDone = DispatchGroup()
        DispatchQueue.global(qos: .userInitiated).async(group: animationDone) {
            animation[0] = Result { try Self.animation(run, canvas: canvas) }
        }
        let inspection = try RunInspection(run: run, test: sparseTest)
        earlyDone.wait()
        let drawn = try draw(run, testImages: test, inspection: inspection, options: options, after: early[0]?.get() ?? [], with: canvas)
        var files = StagedFiles()
        var reportImages = stage(drawn, into: &files, outputDir: outputDir, report: report)
        let reportFolder = (report as NSString).deletingLastPathComponent
        animationDone.wait()
        if let animation = try animation[0]!.get() {
            let path = (outputDir as NSString).appendingPathComponent("\(Self.animationName).gif")
            files.add(path, animation.bytes)
            reportImages.append(ReportContext.Image(
                title: "Training, frame by frame", path: relativePath(path, from: reportFolder),
                lookFor: Gallery.animationLookFor(run, frames: animation.frames)))
        }
        let render = clock.lap()

        let timings = StageTimings(load: load, train: run.timings.training, evaluate: run.timings.evaluation, render: render)
        let context = ReportContext(
            run: run, stageTimings: timings, facts: SystemFacts.collect(configuration: config, version: Self.version),
            images: reportImages,
            dataDirectory: dataDir, loadedFromCache: loadedFromCache, command: commandLine,
            reproducibility: SparseImages.reproducibility, inspection: inspection)
        files.add(report, text: MarkdownReport.render(context))
        if let metricsJson { files.add(metricsJson, try MetricsJSON(run: run, stageTimings: timings, inspection: inspection).encoded()) }
        try files.commit()

        for path in files.paths { console.info("wrote \(path)") }
        if let final = run.final {
            console.info(String(format: "final accuracy: train %.4f, test %.4f (%@ %d); total %.2f s", final.trainAccuracy, final.testAccuracy,
                                run.pointName, final.epoch, clock.total))
        }
    }

    /// A picture and its bytes in each format.
    typealias DrawnImage = (image: GalleryImage, files: [(ImageFormat, [UInt8])])

    /// The pictures to draw after training, slowest first so that the two
    /// cores finish together (seconds per PNG at scale 2 on one core, scene,
    /// drawing and encoding: loss curve 0.12-0.13, hidden units 0.08,
    /// accuracy and confusion matrix 0.05, misclassified digits 0.04; the
    /// diagram, 0.15-0.17, is drawn on the other core as soon as the test set
    /// is in, unless it shows the trained weights).
    static let slowestFirst = [
        "hidden_projection", "loss_curve", "hidden_units", "weight_distributions", "training_accuracy", "hidden_activations",
        "confusion_matrix", "misclassified", "network_architecture",
    ]

    /// The training animation's file name (without `.gif`).
    static let animationName = "training"

    /// The training animation as a GIF, its frames drawn in parallel at scale 1 (800 × 400 pixels):
    /// nil when the run kept no snapshots.
    static func animation(_ run: TrainingRun, canvas: CairoCanvas) throws -> (bytes: [UInt8], frames: Int)? {
        guard let scenes = Gallery.trainingFrames(run, measurer: canvas.measurer) else { return nil }
        let frameCanvas = { var c = canvas; c.scale = 1; return c }()
        // The tiles' diverging ramp first in the palette, so the weights keep their shades.
        let bytes = try GIF.animation(
            scenes, canvas: frameCanvas, delay: Gallery.frameDelay, lastDelay: Gallery.lastFrameDelay,
            fixed: Theme.dark.divergingRamp(128))
        return (bytes, scenes.count)
    }

    /// The whole gallery in gallery order: `drawn` as it is, and every other
    /// picture built and drawn in every format in parallel (each on its own
    /// Cairo surface).
    func draw(
        _ run: TrainingRun, testImages: ImageSet, inspection: RunInspection, options: GalleryOptions, after drawn: [DrawnImage],
        with canvas: CairoCanvas
    ) throws -> [DrawnImage] {
        let rank = { (name: String) in Self.slowestFirst.firstIndex(of: name) ?? Self.slowestFirst.count }
        let names = Gallery.names.filter { name in !drawn.contains { $0.image.name == name } }.sorted { rank($0) < rank($1) }
        let results = ResultSlots<DrawnImage?>(count: names.count)
        DispatchQueue.concurrentPerform(iterations: names.count) { i in
            results[i] = Result {
                // Nil for a picture of the network over time when the run kept no snapshots.
                guard let image = Gallery.image(
                    named: names[i], for: run, testImages: testImages, inspection: inspection, measurer: canvas.measurer, options: options)
                else { return nil }
                return try Self.draw(image, formats: formats, with: canvas)
            }
        }
        let all = try drawn + names.indices.compactMap { try results[$0]!.get() }
        return Gallery.names.compactMap { name in all.first { $0.image.name == name } }
    }

    /// One picture in every format asked for (each once).
    static func draw(_ image: GalleryImage, formats: [ImageFormat], with canvas: CairoCanvas) throws -> DrawnImage {
        let distinct = formats.reduce(into: [ImageFormat]()) { if !$0.contains($1) { $0.append($1) } }
        return (image, try distinct.map { ($0, try canvas.render(image.scene, as: $0)) })
    }

    /// Adds every drawn picture's files under `outputDir` to `files`, and returns the pictures as the
    /// report at `report` links them (the PNG when there is one).
    func stage(_ drawn: [DrawnImage], into files: inout StagedFiles, outputDir: String, report: String) -> [ReportContext.Image] {
        let reportFolder = (report as NSString).deletingLastPathComponent
        let linked = formats.contains(.png) ? ImageFormat.png : formats[0]
        return drawn.map { image, bytes in
            for (format, data) in bytes { files.add(imagePath(image.name, format, in: outputDir), data) }
            return ReportContext.Image(
                title: image.title, path: relativePath(imagePath(image.name, linked, in: outputDir), from: reportFolder), lookFor: image.lookFor)
        }
    }

    func imagePath(_ name: String, _ format: ImageFormat, in outputDir: String) -> String {
        (outputDir as NSString).appendingPathComponent("\(name).\(format.fileExtension)")
    }

    /// The command as it was typed, for the report.
    var commandLine: String {
        (["make-report"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    }
}

extension ImageFormat: ExpressibleByArgument {}
