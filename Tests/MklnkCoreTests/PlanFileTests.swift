import Foundation
import MklnkCore
import MklnkFileSystem
import Testing

@Suite("Reading a plan file from disk")
struct PlanFileTests {
    /// A fresh directory for one test, removed afterwards.
    func withTemporaryDirectory(_ body: (String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mklnk-plan-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(dir)
    }

    @Test func aRelativePlanPathIsReadFromTheWorkingDirectoryAndIsTheDefaultBase() throws {
        try withTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir + "/dots", withIntermediateDirectories: true)
            try "version: 1\nlinks:\n  .vimrc: vim/vimrc\n".write(toFile: dir + "/dots/plan.yaml", atomically: true, encoding: .utf8)
            let options = LoadOptions(facts: .test, workingDirectory: Path(dir))
            let (plan, diagnostics) = PlanLoader.load(file: "dots/plan.yaml", options: options,
                                                      fileSystem: LocalFileSystem(root: Path(dir)))
            #expect(diagnostics.items.isEmpty)
            let p = try #require(plan)
            #expect(p.file == "dots/plan.yaml")
            #expect(p.base == dir + "/dots")
            #expect(p.entries.map(\.link) == [Path("/home/tess/.vimrc")])
            #expect(p.entries.first?.targets.map(\.value) == [Path(dir + "/dots/vim/vimrc")])
        }
    }

    @Test func diagnosticsNameTheFileAsGiven() throws {
        try withTemporaryDirectory { dir in
            try "version: 1\nlnks: {}\n".write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
            let options = LoadOptions(facts: .test, workingDirectory: Path(dir))
            let (_, diagnostics) = PlanLoader.load(file: "p.yaml", options: options, fileSystem: LocalFileSystem(root: Path(dir)))
            #expect(diagnostics.items.map(\.description) == ["p.yaml:2:1: error: unknown key 'lnks'; did you mean 'links'?"])
        }
    }

    @Test func aMissingPlanFileIsAnErrorWithoutALocation() throws {
        try withTemporaryDirectory { dir in
            let options = LoadOptions(facts: .test, workingDirectory: Path(dir))
            let (plan, diagnostics) = PlanLoader.load(file: "nope.yaml", options: options, fileSystem: LocalFileSystem(root: Path(dir)))
            #expect(plan == nil)
            #expect(diagnostics.items.map(\.description) == ["mklnk: error: nope.yaml: no such plan file"])
        }
    }

    @Test func aDirectoryIsNotAPlan() throws {
        try withTemporaryDirectory { dir in
            let options = LoadOptions(facts: .test, workingDirectory: Path(dir))
            let (plan, diagnostics) = PlanLoader.load(file: ".", options: options, fileSystem: LocalFileSystem(root: Path(dir)))
            #expect(plan == nil)
            #expect(diagnostics.items.map(\.description) == ["mklnk: error: .: a plan must be a regular file, not a directory"])
        }
    }
}
