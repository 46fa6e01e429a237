import Foundation

/// The `main` of a `fuzz-*` program built without libFuzzer: it replays the
/// files, and the files directly in the folders, that it is given through the
/// target and says how many were accepted. (`make fuzz` builds the programs
/// with libFuzzer instead, which then provides `main`.)
public enum FuzzDriver {
    public static func main(_ target: FuzzTarget) -> Never {
        exit(replay(target, paths: CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("-") }))
    }

    /// Runs every file named, or found directly in a folder named, through the target.
    static func replay(_ target: FuzzTarget, paths: some Sequence<String>) -> Int32 {
        var accepted = 0, refused = 0
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                FileHandle.standardError.write(Data("fuzz-\(target.name): \(path): no such file or folder\n".utf8))
                return 66
            }
            let files = isFolder.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
                : [path]
            for file in files {
                guard let bytes = FileManager.default.contents(atPath: file) else { continue }
                if target(Array(bytes)) { accepted += 1 } else { refused += 1 }
            }
        }
        print("fuzz-\(target.name): replayed \(accepted + refused) inputs without libFuzzer: \(accepted) accepted, \(refused) refused")
        return 0
    }
}
