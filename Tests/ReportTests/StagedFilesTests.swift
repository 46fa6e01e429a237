import Foundation
import Testing

@testable import Report

@Suite("Staged files")
struct StagedFilesTests {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("staged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("all files appear together, folders are created, and no temporary file is left")
    func commit() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        var files = StagedFiles()
        files.add(root.appendingPathComponent("images/a.png").path, [1, 2, 3])
        files.add(root.appendingPathComponent("notes/r.md").path, text: "hello\n")
        try files.commit()
        #expect(try Data(contentsOf: root.appendingPathComponent("images/a.png")) == Data([1, 2, 3]))
        #expect(try String(contentsOf: root.appendingPathComponent("notes/r.md"), encoding: .utf8) == "hello\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("images").path) == ["a.png"])
    }

    @Test("the same path added twice is written once, with the last bytes")
    func duplicatePath() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        var files = StagedFiles()
        files.add(root.appendingPathComponent("a.txt").path, text: "first")
        files.add(root.appendingPathComponent("a.txt").path, text: "second")
        #expect(files.paths.count == 1)
        try files.commit()
        #expect(try String(contentsOf: root.appendingPathComponent("a.txt"), encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["a.txt"])
    }

    @Test("when one file cannot be written, no file changes and no temporary is left")
    func failure() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let existing = root.appendingPathComponent("a.txt")
        try Data("old".utf8).write(to: existing)
        // A regular file where a folder should be: even root cannot create files under it.
        try Data().write(to: root.appendingPathComponent("blocked"))
        var files = StagedFiles()
        files.add(existing.path, text: "new")
        files.add(root.appendingPathComponent("blocked/b.txt").path, text: "b")
        let error = #expect(throws: StagedFiles.Failure.self) { try files.commit() }
        #expect(error?.path == root.appendingPathComponent("blocked").path)
        #expect(error?.description.contains("cannot create the folder") == true)
        #expect(try String(contentsOf: existing, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == ["a.txt", "blocked"])
    }
}
