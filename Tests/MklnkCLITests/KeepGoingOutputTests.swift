import MklnkTestSupport
import Testing

/// Audit D2: `apply --keep-going` prints each conflict it skipped as `plan` does (the `!` line on
/// stdout, with its place), and its summary line counts them (SPEC §3).
@Suite struct KeepGoingOutputTests {
    @Test("apply --keep-going prints the ! line of each skipped conflict on stdout and counts them")
    func conflictLines() {
        let t = TempTree(dotfiles: "keep-going-lines")
        t.file("@/a", "a\n")
        t.file("~/.f", "f\n")
        t.file("~/.h", "h\n")
        t.file("~/.g", "g\n")
        let plan = t.plan("links:\n  .f: a\n  .g: { target: a, conflict: backup }\n  .h: a\n")
        let p = t.mklnk("plan", plan)
        let r = t.mklnk("apply", "--keep-going", plan)
        #expect(r.status == 1, "\(r)")
        #expect(t.isSymlink("~/.g") && t.contents("~/.f") == "f\n" && t.contents("~/.h") == "h\n", "\(r)")
        for line in p.stdout.split(separator: "\n") where line.hasPrefix("! ") {
            #expect(r.stdout.contains(line + "\n"), "plan's conflict line missing from apply's stdout: \(line)\n\(r)")
        }
        #expect(r.stdout.contains("! ~/.f: a regular file is in the way (conflict: fail)"), "\(r)")
        #expect(r.stdout.contains("! ~/.h: a regular file is in the way (conflict: fail)"), "\(r)")
        #expect(r.stdout.contains("Applied: 1 created, 0 updated, 0 deleted, 1 backed up, 0 unchanged, 2 conflicts."), "\(r)")
    }

    @Test("an apply without conflicts keeps its summary line as before")
    func noConflicts() {
        let t = TempTree(dotfiles: "keep-going-clean")
        t.file("@/a", "a\n")
        let r = t.mklnk("apply", "--keep-going", t.plan("links:\n  .f: a\n"))
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("Applied: 1 created, 0 updated, 0 deleted, 0 unchanged.\n"), "\(r)")
        #expect(!r.stdout.contains("!"), "\(r)")
    }
}
