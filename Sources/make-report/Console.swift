import Foundation
import Sweep
import Trainer

/// Where make-report talks: results on stdout, progress on stderr.
struct Console: Sendable {
    let quiet: Bool
    /// stderr is a terminal: progress redraws one line in place.
    let interactive = isatty(STDERR_FILENO) == 1

    func info(_ line: String) {
        guard !quiet else { return }
        // On a terminal, a status line may be showing: clear it first, so the line starts clean.
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        FileHandle.standardOutput.write(Data("\(line)\n".utf8))
    }

    /// On a terminal, replaces the status line; elsewhere, nothing.
    func status(_ line: String) {
        guard !quiet, interactive else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(line)".utf8))
    }

    /// On a terminal, the status line; elsewhere, a plain line.
    func progressLine(_ line: String) {
        if interactive { return status(line) }
        guard !quiet else { return }
        FileHandle.standardError.write(Data("\(line)\n".utf8))
    }

    /// Clears the status line.
    func endProgress() { status("") }
}

/// Turns the trainer's progress events into the status line: iteration,
/// epoch (or evaluation), loss, latest accuracies and time left. On a terminal it redraws at
/// most ten times a second, on iterations and on evaluations (which may land
/// after the last iteration), and always once training is over; otherwise it
/// prints a plain line per evaluation.
final class TrainingProgressView: @unchecked Sendable {
    private let console: Console
    private let configuration: TrainingConfiguration
    private let lock = NSLock()
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var latest: EpochMetrics?
    private var current: (index: Int, loss: Float)?
    /// "epoch" when the evaluation points are one pass over the training set apart, else "evaluation".
    private let pointName: String

    init(console: Console, configuration: TrainingConfiguration, trainingImages: Int) {
        self.console = console
        self.configuration = configuration
        pointName = configuration.evaluateEvery * configuration.batchSize == trainingImages ? "epoch" : "evaluation"
    }

    var update: @Sendable (TrainingProgress) -> Void {
        { [self] event in handle(event) }
    }

    private func handle(_ event: TrainingProgress) {
        guard !console.quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case let .iteration(index, loss):
            current = (index, loss)
            if console.interactive, dueForDraw { draw() }
        case let .evaluated(point):
            latest = point
            if console.interactive {
                // Evaluations finish on another thread, possibly after the last iteration: show them as they land.
                if dueForDraw { draw() }
            } else {
                console.progressLine(String(format: "%@ %d (iteration %d): train %.4f, test %.4f, loss %.4f", pointName,
                                            point.epoch, point.iteration, point.trainAccuracy, point.testAccuracy, point.loss))
            }
        }
    }

    /// Ten redraws a second at most, but always once training is over.
    private var dueForDraw: Bool {
        Date().timeIntervalSince(lastDraw) >= 0.1 || (current.map { $0.index + 1 == configuration.iterations } ?? false)
    }

    /// Redraws the status line from the latest iteration and evaluation (the lock is held).
    private func draw() {
        guard let (index, loss) = current else { return }
        lastDraw = Date()
        let done = Double(index + 1) / Double(configuration.iterations)
        let elapsed = Date().timeIntervalSince(start)
        let eta = done > 0 ? elapsed * (1 - done) / done : 0
        var line = String(format: "iteration %d/%d  %@ %d  loss %.4f", index + 1, configuration.iterations, pointName,
                          index / configuration.evaluateEvery, loss)
        if let latest { line += String(format: "  train %.4f  test %.4f", latest.trainAccuracy, latest.testAccuracy) }
        line += String(format: "  ETA %.1f s", eta)
        console.progressLine(line)
    }

    func finish() { console.endProgress() }
}

/// Wall-clock laps.
struct Stopwatch {
    private let start = DispatchTime.now()
    private var last = DispatchTime.now()

    mutating func lap() -> Double {
        let now = DispatchTime.now()
        defer { last = now }
        return Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e9
    }

    var total: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
}

/// A sweep's status line: runs done of total, the runs in progress and the
/// time left; off a terminal, a line per finished run.
final class SweepProgressView: @unchecked Sendable {
    private let console: Console
    private let plan: SweepPlan
    private let lock = NSLock()

    init(console: Console, plan: SweepPlan) {
        self.console = console
        self.plan = plan
    }

    var update: @Sendable (SweepRunner.Progress) -> Void {
        { [self] progress in handle(progress) }
    }

    /// "lr 0.05, hidden 25, seed 42" (the swept settings of run `index`).
    private func label(_ index: Int) -> String {
        let c = plan.configurations[index]
        return plan.swept.map { $0.label(in: c) }.joined(separator: ", ")
    }

    private func handle(_ progress: SweepRunner.Progress) {
        guard !console.quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        if console.interactive {
            var line = "runs \(progress.finished)/\(progress.total) done"
            if !progress.running.isEmpty { line += "  training " + progress.running.map { "#\($0 + 1) (\(label($0)))" }.joined(separator: ", ") }
            // The rate means little before a twentieth of the work is done.
            if let remaining = progress.remaining, progress.fraction >= 0.05 { line += String(format: "  ETA %.1f s", remaining) }
            console.status(line)
        } else if let run = progress.justFinished {
            var line = "run \(run.index + 1) (\(label(run.index))), \(progress.finished)/\(progress.total) done: "
            if let divergence = run.divergence {
                line += "diverged at iteration \(divergence.iteration)"
            } else if let final = run.final {
                line += String(format: "train %.4f, test %.4f", final.trainAccuracy, final.testAccuracy)
            }
            line += String(format: " in %.2f s", run.seconds)
            if let remaining = progress.remaining, progress.finished < progress.total { line += String(format: "; ETA %.1f s", remaining) }
            console.progressLine(line)
        }
    }

    func finish() { console.endProgress() }
}
