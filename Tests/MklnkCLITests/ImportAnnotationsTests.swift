import MklnkTestSupport
import Testing

/// Audit 3, F27: `import dotbot` prints its located warnings as workflow annotations too, under
/// `GITHUB_ACTIONS=true` and with `--annotations github`, as every other command does (SPEC §3).
@Suite struct ImportAnnotationsTests {
    @Test("import dotbot annotates its warnings", arguments: [(["GITHUB_ACTIONS": "true"], [String]()),
                                                           ([:], ["--annotations", "github"])])
    func annotated(_ environment: [String: String], _ options: [String]) {
        let t = TempTree(dotfiles: "import-annotations")
        let config = t.file("@/c.yaml", "- shell:\n  - echo hi\n")
        let r = t.mklnk(["import", "dotbot", config] + options, environment: environment)
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.contains("::warning ") && r.stderr.contains("line=2,col=5::shell command has no mklnk equivalent"), "\(r)")
    }
}
