import MklnkTestSupport
import Testing

/// Audit 3, F17: a plan on standard input has no file to be known by (it never prunes), so
/// `destroy -` and `plan --destroy -` refuse (64) instead of deleting what every stdin plan
/// applied from the directory made.
@Suite struct StandardInputDestroyTests {
    @Test("destroy - and plan --destroy - are usage errors; the links stay", arguments: [["destroy", "-"], ["plan", "--destroy", "-"]])
    func refused(_ args: [String]) {
        let t = TempTree(dotfiles: "stdin-destroy")
        t.file("a", "a\n")  // stdin plans take the current directory (the tree) as base
        #expect(t.mklnk(["apply", "-"], input: Array("version: 1\nlinks:\n  .x: a\n".utf8)).status == 0)
        #expect(t.mklnk(["apply", "-"], input: Array("version: 1\nlinks:\n  .y: a\n".utf8)).status == 0)
        let r = t.mklnk(args, input: Array("version: 1\nlinks: {}\n".utf8))
        #expect(r.status == 64, "\(r)")
        #expect(r.stderr.contains("destroy needs a plan file"), "\(r)")
        #expect(t.isSymlink("~/.x") && t.isSymlink("~/.y"), "\(r)")
    }
}
