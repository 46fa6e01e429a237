import Inspection
import Trainer

/// Everything the Markdown summary is made from. The summary is a pure
/// function of this value, so a fixed context gives a fixed document.
public struct ReportContext: Sendable {
    /// One gallery picture as the report links it.
    public struct Image: Sendable, Equatable {
        public var title: String
        /// Path relative to the report's folder.
        public var path: String
        public var lookFor: String

        public init(title: String, path: String, lookFor: String) {
            (self.title, self.path, self.lookFor) = (title, path, lookFor)
        }
    }

    public var run: TrainingRun
    public var stageTimings: StageTimings
    /// Ordered (name, value) facts: seed, version, OS, CPU, kernels, build.
    public var facts: [(String, String)]
    public var images: [Image]
    public var dataDirectory: String
    /// The data came from make-report's decoded copy, not from inflating the files.
    public var loadedFromCache: Bool
    public var command: String
    /// What the seed and configuration pin down on the machine that ran it.
    public var reproducibility: String
    /// The network inside at its kept evaluation points (no section without it).
    public var inspection: RunInspection?

    public init(run: TrainingRun, stageTimings: StageTimings, facts: [(String, String)], images: [Image],
                dataDirectory: String, loadedFromCache: Bool = false, command: String,
                reproducibility: String = "The same seed and configuration give a bit-identical run.",
                inspection: RunInspection? = nil) {
        self.run = run
        self.stageTimings = stageTimings
        self.facts = facts
        self.images = images
        self.dataDirectory = dataDirectory
        self.loadedFromCache = loadedFromCache
        self.command = command
        self.reproducibility = reproducibility
        self.inspection = inspection
    }
}

/// `target` relative to the folder `base` (both relative to one root or both absolute).
public func relativePath(_ target: String, from base: String) -> String {
    func parts(_ p: String) -> [String] { p.split(separator: "/").map(String.init).filter { $0 != "." && !$0.isEmpty } }
    let t = parts(target), b = parts(base)
    var common = 0
    while common < min(t.count, b.count), t[common] == b[common] { common += 1 }
    let up = Array(repeating: "..", count: b.count - common)
    return (up + t[common...]).joined(separator: "/")
}
