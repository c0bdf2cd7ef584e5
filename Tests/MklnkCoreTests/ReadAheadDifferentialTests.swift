@testable import MklnkCore
import MklnkTestSupport
import MklnkFileSystem
import Testing

/// The read-ahead (a worker reading while the plan loads, reads split across cores) may only
/// change how fast an answer comes, never the answer: the same trees planned with every path
/// forced on (`ReadAhead.always`: a worker from the first link, every batch split), forced off
/// and as tuned give the same actions and the same diagnostics, in the same order. (Every
/// in-process plan of the other suites is also made both ways: `ReadAheadCheck`.)
@Suite struct ReadAheadDifferentialTests {
    static let modes: [(String, ReadAhead)] = [("off", .off), ("always", .always), ("standard", .standard),
                                               ("worker only", ReadAhead(prefetchThreshold: 0, parallelThreshold: .max))]

    /// Every action and diagnostic of planning `yaml` in `tree`, as comparable lines.
    static func outcome(_ tree: TempTree, _ yaml: String, _ readAhead: ReadAhead) -> [String] {
        tree.file(tree.planFile, yaml)
        let (run, _) = PlanPipeline.run(file: tree.planFile, options: tree.loadOptions, stateDirectory: Path(tree.state),
                                        prune: true, fileSystem: { LocalFileSystem(root: $0) }, readAhead: readAhead)
        return ReadAheadCheck.fingerprint(run)
    }

    /// A tree with one of everything the graph and the planner decide, many times over.
    static func makeTree() -> (TempTree, String) {
        let t = TempTree(dotfiles: "readahead")
        var yaml = "version: 1\nroot: ~\nvars:\n  d: f1\nlinks:\n"
        for i in 0..<300 {
            t.file("@/f\(i)", "f\(i)\n")
            switch i % 10 {
            case 0: yaml += "  l\(i): f\(i)\n"                                     // create
            case 1: t.symlink("~/l\(i)", t.path("@/f\(i)")); yaml += "  l\(i): f\(i)\n"  // unchanged
            case 2: t.symlink("~/l\(i)", "/elsewhere"); yaml += "  l\(i): f\(i)\n"       // update
            case 3: t.file("~/l\(i)", "mine"); yaml += "  l\(i): f\(i)\n"                // conflict
            case 4: yaml += "  l\(i): missing\(i)\n"                                     // missing target
            case 5: yaml += "  sub\(i)/deep/l\(i): { target: f\(i), kind: hardlink }\n"  // parents, hard link
            case 6: t.hardLink("~/l\(i)", to: "@/f\(i)"); yaml += "  l\(i): { target: f\(i), kind: hardlink }\n"
            case 7: yaml += "  l\(i): ${HOME}/../dots/f\(i)\n"                       // a variable: not speculated
            case 8: t.file("~/l\(i)", "mine"); yaml += "  l\(i): { target: f\(i), conflict: backup }\n"
            default: yaml += "  \"odd\\r\\n\(i)\": f\(i)\n"                          // an odd name
            }
        }
        t.directory("@/fonts")
        for n in ["a.ttf", "b.ttf", "c-Bold.ttf"] { t.file("@/fonts/\(n)", n) }
        t.symlink("~/out", "/tmp")
        yaml += "  fonts/: { target: fonts/*.ttf, exclude: ['*-Bold.ttf'] }\n"
        yaml += "  out/escape: f0\n"                                                 // parent leads outside root
        yaml += "  l300: ${d}\n"
        t.symlink("~/old", "/nowhere")
        t.symlink("~/old2", "/nowhere2")
        yaml += "remove:\n  - ~/old\n  - ~/old2\n"
        return (t, yaml)
    }

    @Test func actionsAndDiagnosticsDoNotDependOnReadAhead() {
        let (t, yaml) = Self.makeTree()
        let expected = Self.outcome(t, yaml, .off)
        #expect(expected.count > 300)
        #expect(expected.contains { $0.hasPrefix("create") } && expected.contains { $0.hasPrefix("unchanged") }
                && expected.contains { $0.hasPrefix("update") } && expected.contains { $0.hasPrefix("conflict") }
                && expected.contains { $0.hasPrefix("backup") } && expected.contains { $0.hasPrefix("delete") })
        for (name, mode) in Self.modes.dropFirst() {
            #expect(Self.outcome(t, yaml, mode) == expected, "read-ahead \(name)")
        }
    }

    @Test func aNoOpPlanIsTheSameEitherWay() {
        // Every link in place: the planner's all-cores shortcut for a no-op plan.
        let t = TempTree(dotfiles: "readahead-noop")
        var yaml = "version: 1\nroot: ~\nlinks:\n"
        for i in 0..<3000 {
            t.file("@/d\(i % 7)/f\(i)", "")
            t.symlink("~/d\(i % 7)/l\(i)", t.path("@/d\(i % 7)/f\(i)"))
            yaml += "  d\(i % 7)/l\(i): d\(i % 7)/f\(i)\n"
        }
        let expected = Self.outcome(t, yaml, .off)
        #expect(expected.filter { $0.hasPrefix("unchanged") }.count == 3000)
        for (name, mode) in Self.modes.dropFirst() {
            #expect(Self.outcome(t, yaml, mode) == expected, "read-ahead \(name)")
        }
    }
}
