import MklnkTestSupport
import Testing

/// Audit D8: a target whose variables expand to nothing is the located error of a literal empty
/// target (exit 65), never a link to the plan's directory itself.
@Suite struct EmptyExpansionTests {
    @Test("a target that expands to the empty string is an empty path, located, exit 65, nothing made",
          arguments: ["\"${MKLNK_AUDIT_UNSET_X:-}\"", "\"${MKLNK_AUDIT_EMPTY}\"", "\"\""])
    func emptyTarget(_ written: String) {
        let t = TempTree(dotfiles: "empty-expansion")
        let plan = t.plan("links:\n  .f: \(written)\n")
        let env = ["MKLNK_AUDIT_EMPTY": ""]
        let p = t.mklnk(["plan", plan], environment: env)
        #expect(p.status == 65, "\(p)")
        #expect(p.stderr.contains("plan.yaml:4:7: error: 'target' is an empty path"), "\(p)")
        let a = t.mklnk(["apply", plan], environment: env)
        #expect(a.status == 65, "\(a)")
        #expect(!t.exists("~/.f"), "a link was made: \(a)")
    }
}
