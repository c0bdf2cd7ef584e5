@testable import MklnkCore
import MklnkTestSupport
import MklnkFileSystem
import Testing

/// The read-ahead worker reads the links the loader offers while the loader's thread keeps reading the
/// plan. Many loads with the worker started at once (threshold 0) give the two threads many
/// chances to touch the same object; run under ThreadSanitizer (`make test-sanitizers`) any
/// sharing is reported, and in a release build a shared, replaced reference crashed the run.
@Suite struct ReadAheadThreadTests {
    @Test func manyLoadsWithTheWorkerFromTheFirstLinkPlanEveryLink() {
        let t = TempTree(dotfiles: "ra-threads")
        let count = 1500
        var yaml = "version: 1\nroot: ~\nlinks:\n"
        for i in 0..<count {
            t.file("@/f\(i)", "")
            yaml += "  d\(i % 7)/l\(i): \(t.path("@/f\(i)"))\n"
        }
        t.file(t.planFile, yaml)
        let always = ReadAhead(prefetchThreshold: 0, parallelThreshold: 2)
        for _ in 0..<25 {
            let (run, _) = PlanPipeline.run(file: t.planFile, options: t.loadOptions, stateDirectory: Path(t.state),
                                            prune: true, fileSystem: { LocalFileSystem(root: $0) }, readAhead: always)
            #expect(run.diagnostics.errors.isEmpty)
            #expect(run.actions.count == count)
            #expect(run.actions.allSatisfy { $0.op == .create && $0.target != nil })
        }
    }
}
