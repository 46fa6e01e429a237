import FuzzTargets

#if FUZZING
/// libFuzzer's entry point: `make fuzz` builds this program with
/// `--sanitize=fuzzer -Xswiftc -DFUZZING`, and libFuzzer's main drives it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCACHE(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.cache.fuzz(data, size)
}
#else
/// Without libFuzzer: replays the files and folders it is given (see `FuzzDriver`).
@main
enum FuzzCACHE {
    static func main() { FuzzDriver.main(.cache) }
}
#endif
