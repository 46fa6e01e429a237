import Charts
import Foundation
import Gallery
import MNIST
import Render
import Report
import Sweep
import Trainer
import TrainingData

/// Comparison mode: a list on a recipe option, or `--trials`. Trains every run
/// of the plan on data loaded once, two at a time, then draws the comparison
/// pictures and writes `notebooks/compare.md`; nothing is written unless the
/// whole sweep succeeds and at least one run finished.
extension MakeReport {
    func compare(_ plan: SweepPlan) throws {
        let outputDir = imagesFolder(comparing: true), report = reportPath(comparing: true)
        let console = Console(quiet: quiet)
        var clock = Stopwatch()
        Interrupts.exitOnInterrupt()

        let canvasSlot = ResultSlots<CairoCanvas>(count: 1)
        let canvasReady = DispatchGroup()
        DispatchQueue.global(qos: .userInitiated).async(group: canvasReady) { [scale] in
            canvasSlot[0] = Result { () throws(RenderError) in try CairoCanvas(scale: scale, software: "make-report \(Self.version)") }
        }

        console.status("Loading \(dataDir)")
        let data = try TrainingData.load(from: dataDir, cache: dataCache)
        let load = clock.lap()
        console.info("Loaded \(data.train.count) training and \(data.test.count) test images in \(String(format: "%.2f", load)) s; "
                     + "training \(plan.summary)")
        canvasReady.wait()
        let canvas = try canvasSlot[0]!.get()

        let progress = SweepProgressView(console: console, plan: plan)
        let results = try SweepRunner(plan: plan).run(
            train: data.train, test: data.sparseTest, classCount: ImageSet.classCount, progress: progress.update)
        progress.finish()
        let train = clock.lap()
        guard results.finishedCount > 0 else {
            let first = results.runs.compactMap(\.divergence).min { $0.iteration < $1.iteration }
            throw CompareFailure(
                "every run diverged (the earliest at iteration \(first?.iteration ?? 0)); nothing was written. Try smaller learning rates.")
        }

        // The pictures, each in every format, in parallel.
        let images = Comparison.images(results, measurer: canvas.measurer)
        let drawn = ResultSlots<DrawnImage>(count: images.count)
        DispatchQueue.concurrentPerform(iterations: images.count) { i in
            drawn[i] = Result { try Self.draw(images[i], formats: formats, with: canvas) }
        }
        var files = StagedFiles()
        let reportImages = stage(try images.indices.map { try drawn[$0]!.get() }, into: &files, outputDir: outputDir, report: report)
        let render = clock.lap()

        let timings = StageTimings(load: load, train: train, evaluate: results.runs.reduce(0) { $0 + $1.run.timings.evaluation }, render: render)
        let context = ComparisonReport.Context(
            results: results, stageTimings: timings, facts: SystemFacts.collect(configuration: plan.base, version: Self.version),
            images: reportImages, dataDirectory: dataDir, command: commandLine)
        files.add(report, text: ComparisonReport.render(context))
        if let metricsJson { files.add(metricsJson, try SweepMetricsJSON(results: results, stageTimings: timings).encoded()) }
        try Interrupts.deferred { try files.commit() }

        for path in files.paths { console.info("wrote \(path)") }
        if let best = results.best, let test = best.finalTest, let trainAccuracy = best.finalTrain {
            console.info(String(
                format: "%d of %d runs finished; best %@: train %.4f, test %.4f; total %.2f s", results.finishedCount, results.runs.count,
                best.label(results.plan.swept).isEmpty ? "run" : best.label(results.plan.swept), trainAccuracy.mean, test.mean, clock.total))
        }
    }
}

/// Why a comparison wrote nothing.
struct CompareFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Ctrl-C (or SIGTERM, SIGHUP) during a sweep: one line, exit status 130,
/// and no file touched. Nothing is written before the end, and while the
/// files are being moved into place the signal waits until they all are.
enum Interrupts {
    nonisolated(unsafe) static var committing: sig_atomic_t = 0
    nonisolated(unsafe) static var pending: sig_atomic_t = 0

    static func exitOnInterrupt() {
        for s in [SIGINT, SIGTERM, SIGHUP] {
            signal(s) { _ in
                if Interrupts.committing != 0 {
                    Interrupts.pending = 1
                    return
                }
                // Only async-signal-safe calls here: write(2) of a static string, then _exit(2).
                let message: StaticString = "\nmake-report: interrupted; no file was written or changed\n"
                _ = write(STDERR_FILENO, message.utf8Start, message.utf8CodeUnitCount)
                _exit(130)
            }
        }
    }

    /// Runs `body` with interrupts held back; one that came meanwhile exits afterwards.
    static func deferred(_ body: () throws -> Void) throws {
        committing = 1
        defer {
            committing = 0
            if pending != 0 {
                FileHandle.standardError.write(Data("make-report: interrupted after the files were written\n".utf8))
                exit(130)
            }
        }
        try body()
    }
}
