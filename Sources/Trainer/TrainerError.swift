/// Why a run could not start or had to stop.
public enum TrainerError: Error, Equatable, CustomStringConvertible, Sendable {
    case invalidConfiguration(String)
    case emptyDataset(String)
    /// The loss stopped being a finite number.
    case diverged(iteration: Int, loss: Double, learningRate: Double)

    public var description: String {
        switch self {
        case let .invalidConfiguration(message):
            return "invalid configuration: \(message)"
        case let .emptyDataset(message):
            return "empty dataset: \(message)"
        case let .diverged(iteration, loss, learningRate):
            return "training diverged: the loss became \(loss.isNaN ? "NaN" : "\(loss)") at iteration \(iteration); "
                + "try a smaller learning rate than \(learningRate)"
        }
    }
}
