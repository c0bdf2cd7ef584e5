import MklnkTestSupport
import Testing

/// SPEC §1: duplicates are located errors; a directory listed twice in `dirs:` (however
/// written) is one, never merged with the other entry's `mode` dropped (AUDIT3 F19).
@Suite struct DirsListedTwiceTests {
    @Test("one directory twice in dirs: is an invalid plan at the second entry, noting the first")
    func listedTwice() {
        let t = TempTree(dotfiles: "dirs-twice")
        let plan = t.plan("dirs:\n  - ~/.ssh\n  - {path: ~/.ssh/, mode: \"0700\"}\n")
        for command in ["plan", "apply", "validate"] {
            let r = t.mklnk(command, plan)
            #expect(r.status == 65, "\(command): \(r)")
            #expect(r.stderr.contains("plan.yaml:5:12: error: ~/.ssh is listed twice in 'dirs'"), "\(command): \(r)")
            #expect(r.stderr.contains("plan.yaml:4:5: note: first listed here"), "\(command): \(r)")
        }
        #expect(!t.exists("~/.ssh"))
    }
}
