import FuzzTargets

#if FUZZING
/// libFuzzer's entry point: `make fuzz` builds this program with
/// `--sanitize=fuzzer -Xswiftc -DFUZZING`, and libFuzzer's main drives it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.idx.fuzz(data, size)
}
#else
/// Without libFuzzer: replays the files and folders it is given (see `FuzzDriver`).
@main
enum FuzzIDX {
    static func main() { FuzzDriver.main(.idx) }
}
#endif
