@_spi(Fuzzing) import TrainingData

extension FuzzTarget {
    /// make-report's reader of its decoded-data cache. Any bytes in place of
    /// a cache file must give a miss or the data, never a crash and never a
    /// mapping used unchecked. The input is a flags byte and the file: with
    /// flags bit 0 the file starts with a valid header up to the tag the reader
    /// expects (so the fuzzer spends its time behind the tag check), then the bytes.
    public static let cache = FuzzTarget(name: "cache") { bytes in
        guard let flags = bytes.first else { return false }
        let body = Array(bytes.dropFirst())
        let path = scratch.file("data.cache", flags & 1 != 0 ? DataCacheFuzzing.header + body : body)
        return DataCacheFuzzing.read(path) != nil
    }
}
