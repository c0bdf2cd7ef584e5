import Foundation
@testable import MklnkCore
import MklnkFileSystem
import Testing

/// A plan file is parsed as it is read (`PlanInput`), never held whole: the plan cache copies it
/// again afterwards, and must store only the very bytes that were parsed.
@Suite struct PlanInputTests {
    static func load(_ s: PlanCacheTests.Scratch) -> (PlanInput, Plan?) {
        let options = s.options()
        let source = PlanSource.read(file: s.planFile, options: options, fileSystem: LocalFileSystem(root: "/"))
        let input = source.input!
        #expect(input.held == nil, "a plan file on disk is read as it is parsed")
        let (plan, _, diagnostics) = PlanLoader.loadWithPartial(file: s.planFile, input: input, options: options)
        #expect(diagnostics.items.isEmpty, "\(diagnostics.items)")
        return (input, plan)
    }

    static let plan = "version: 1\nroot: /tmp/x\nlinks:\n" + (0..<5000).map { "  a\($0): t\($0)\n" }.joined()

    @Test("the copy of a plan file that did not change is its bytes")
    func unchangedCopies() throws {
        let s = PlanCacheTests.Scratch()
        s.write(Self.plan)
        let (input, plan) = Self.load(s)
        #expect(plan?.entries.count == 5000)
        var copy: [UInt8] = []
        #expect(input.copy { copy += $0 })
        #expect(copy == Array(Self.plan.utf8))
        #expect(input.passedLength == Self.plan.utf8.count)
    }

    @Test("a plan file changed after it was parsed is not copied as if it were the plan parsed",
          arguments: ["same length", "longer", "shorter"])
    func changedIsRefused(change: String) throws {
        let s = PlanCacheTests.Scratch()
        s.write(Self.plan)
        let (input, _) = Self.load(s)
        var changed = Array(Self.plan.utf8)
        switch change {
        case "same length": changed[changed.count - 3] = UInt8(ascii: "x")
        case "longer": changed += Array("  z: t\n".utf8)
        default: changed.removeLast(8)
        }
        // Written in place: the open descriptor sees the new bytes.
        let handle = try #require(FileHandle(forWritingAtPath: s.planFile))
        try handle.write(contentsOf: Data(changed))
        try handle.truncate(atOffset: UInt64(changed.count))
        try handle.close()
        #expect(!input.copy { _ in })
    }

    @Test("the plan cache stores nothing for a plan file changed after it was parsed")
    func cacheRefusesChanged() throws {
        let s = PlanCacheTests.Scratch()
        s.write(Self.plan)
        let (input, plan) = Self.load(s)
        let handle = try #require(FileHandle(forWritingAtPath: s.planFile))
        try handle.write(contentsOf: Data("version: 1\nlinks: {}\n#".utf8))
        try handle.close()
        let cache = s.cache()
        cache.store(try #require(plan), name: s.planFile, input: input, options: s.options(), lookups: [])
        #expect(cache.written == nil)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: s.dir + "/state/cache")) ?? []
        #expect(left.isEmpty, "\(left)")
    }

    @Test("a plan loaded twice (a setting after links:) is copied from the second pass")
    func loadAgainPasses() throws {
        let s = PlanCacheTests.Scratch()
        let text = "version: 1\nlinks:\n  a: t\nroot: /tmp/y\n"
        s.write(text)
        let (input, plan) = Self.load(s)
        #expect(plan?.root == "/tmp/y")
        var copy: [UInt8] = []
        #expect(input.copy { copy += $0 })
        #expect(copy == Array(text.utf8))
    }
}
