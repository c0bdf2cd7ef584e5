import MklnkTestSupport
import Testing

/// A root that is not there (or not a directory) is one conflict for `plan`, `check`, `apply`
/// and `link` alike: the dry run tells what the apply finds (audit2 E1: `plan` promised the
/// links, exit 0, and `apply` failed at its first step and rolled back).
@Suite struct RootMissingTests {
    @Test("plan, check, apply and link all refuse a missing root with the same conflict, exit 1", arguments: ["missing", "a file"])
    func missingRoot(_ what: String) {
        let t = TempTree(dotfiles: "root-missing")
        t.file("@/a", "a\n")
        let root = t.path("nr")
        if what == "a file" { t.file(root, "not a directory\n") }
        let plan = t.plan("links:\n  .a: a\n")
        let reason = what == "missing" ? "the root does not exist" : "the root is a regular file, not a directory"
        for command in ["plan", "check", "apply"] {
            let r = t.mklnk(command, plan, "--root", root)
            #expect(r.status == 1, "\(command): \(r)")
            #expect(r.stdout.contains("! \(root): \(reason)"), "\(command): \(r)")
            #expect(!r.stdout.contains("+ "), "\(command) promised a link: \(r)")
        }
        let link = t.mklnk("link", "--root", root, root + "/x", t.path("@/a"))
        #expect(link.status == 1, "\(link)")
        #expect(link.stderr.contains(reason), "\(link)")
        #expect(t.exists("nr") == (what == "a file"))
    }
}
