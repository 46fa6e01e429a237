/// A sweep that cannot be run as asked: the message names the option and the
/// item at fault (make-report prints it and exits with status 64).
public struct SweepError: Error, Equatable, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
