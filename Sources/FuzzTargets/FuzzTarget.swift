/// Code that reads untrusted bytes, wrapped for a fuzzer: `run` takes any
/// bytes and must never crash, hang, leak or read out of bounds; it returns
/// whether the code under test accepted the input (true) or refused it with
/// its error (false).
public struct FuzzTarget: Sendable {
    public let name: String
    public let run: @Sendable (UnsafeRawBufferPointer) -> Bool

    public init(name: String, run: @escaping @Sendable (UnsafeRawBufferPointer) -> Bool) {
        (self.name, self.run) = (name, run)
    }

    /// The three targets `make fuzz` runs.
    public static let all = [idx, cache, png]

    /// libFuzzer's `LLVMFuzzerTestOneInput`: runs the target; always 0, since
    /// refusing an input is a result and a failure is a crash.
    public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        _ = run(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }

    /// Runs the target on an array of bytes.
    public func callAsFunction(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { run($0) }
    }
}
