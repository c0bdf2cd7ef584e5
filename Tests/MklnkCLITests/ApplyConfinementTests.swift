import MklnkTestSupport
import Testing

/// SPEC §4 "confined", and recovery run first by every mutating command.
@Suite struct ApplyConfinementTests {
    @Test("a symlinked parent that leads outside the root: exit 1, nothing written anywhere")
    func symlinkedParentOutside() {
        let t = TempTree(dotfiles: "escape")
        t.file("@/f", "f\n")
        t.directory("outside")
        t.symlink("~/evil", t.path("outside"))
        let plan = t.plan("links:\n  good: f\n  evil/x: f\n  evil/new/dir/y: f\n")
        let before = t.snapshot()
        let r = t.mklnk("apply", plan)
        #expect(r.status == 1, "\(r)")
        #expect((r.stdout + r.stderr).contains("outside the root"), "\(r)")
        #expect(t.names("outside").isEmpty)
        #expect(t.snapshot() == before)
        // With --keep-going the rest is applied, still nothing outside.
        let kept = t.mklnk("apply", plan, "--keep-going", "--counters", "-")
        #expect(kept.status == 1 && kept.counters["_mklnk_files"] == 1 && kept.counters["_mklnk_errors"] == 2, "\(kept)")
        #expect(t.names("outside").isEmpty)
        #expect(t.exists("~/good"))
    }

    @Test("a combining mark after a slash does not turn the `..` after it into a step out of root")
    func combiningMarkBeforeDotDot() {
        let t = TempTree(dotfiles: "escape-mark")
        t.file("@/f", "f\n")
        // `/` then U+0301 is one Character; cut by Characters, the mark would go and `..` remain.
        let plan = t.plan("links:\n  \"\\u0301../x\": f\n")
        let r = t.mklnk("apply", plan)
        #expect(!t.exists("x"), "\(r)")
        #expect(r.status == 0, "\(r)")
        // Made as the name it is: a directory called U+0301 and two dots, beneath root.
        #expect(t.isSymlink(t.home + "/\u{301}../x"), "\(r)")
    }

    @Test("names that are canonically equal are still different directories")
    func canonicallyEqualDirectories() {
        let t = TempTree(dotfiles: "kelvin")
        t.file("@/f", "f\n")
        t.directory("~/K")
        t.directory("~/\u{212A}")
        let plan = t.plan("links:\n  K/a: f\n  \"\\u212A/b\": f\n")
        let r = t.mklnk("apply", plan)
        #expect(r.status == 0, "\(r)")
        #expect(t.isSymlink("~/K/a") && !t.exists("~/K/b"), "\(r)")
        #expect(t.isSymlink("~/\u{212A}/b"), "\(r)")
    }

    @Test("link --root refuses a link through a symlinked parent that leaves the root")
    func linkThroughEscape() {
        let t = TempTree(dotfiles: "escape-link")
        t.file("@/f", "f\n")
        t.directory("outside")
        t.symlink("~/evil", t.path("outside"))
        let r = t.mklnk("link", "--root", t.home, t.path("~/evil/x"), t.path("@/f"))
        #expect(r.status == 1, "\(r)")
        #expect(t.names("outside").isEmpty)
    }

    @Test("a link path outside the root as written is an invalid plan (65)")
    func outsideAsWritten() {
        let t = TempTree(dotfiles: "outside-written")
        t.file("@/f", "f\n")
        let r = t.mklnk("apply", t.plan("links:\n  \(t.path("outside/x")): f\n"))
        #expect(r.status == 65, "\(r)")
        #expect(!t.exists("outside"))
    }

    // MARK: Recovery first

    /// A journal as an apply killed after its first step would leave it (format of Journal.swift).
    func interruptedApply(_ t: TempTree) {
        t.file("@/f", "f\n")
        t.symlink("~/made", t.path("@/f"))
        t.file(t.state + "/journal", "mklnk-journal\t1\tkilled-1\t\(t.home)\t\(t.path("@/plan.yaml"))\n"
               + "create\t\(t.path("~/made"))\tsymlink\t\(t.path("@/f"))\n"
               + "create\t\(t.path("~/never"))\tsymlink\t\(t.path("@/f"))\n")
    }

    @Test("every mutating command rolls back an interrupted apply first", arguments: ["apply", "link", "unlink", "recover"])
    func recoversFirst(_ command: String) {
        let t = TempTree(dotfiles: "recover-first")
        interruptedApply(t)
        t.symlink("~/old", "/nowhere")
        let args: [String]
        switch command {
        case "apply": args = ["apply", t.plan("links: {}\n")]
        case "link": args = ["link", t.path("~/g"), t.path("@/f")]
        case "unlink": args = ["unlink", t.path("~/old")]
        default: args = ["recover"]
        }
        let r = t.mklnk(args)
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.contains("rolled back"), "says what it recovered: \(r)")
        if command == "recover" { #expect(!r.stdout.contains("Nothing to recover"), "\(r)") }
        #expect(!t.exists("~/made"), "the interrupted apply's link is still there")
        #expect(!t.exists(t.state + "/journal"))
        let again = t.mklnk("recover")
        #expect(again.status == 0 && !again.stderr.contains("rolled back"), "\(again)")
        #expect(again.stdout.contains("Nothing to recover"), "\(again)")
    }

    @Test("unlink of a path that does not exist is an error and changes nothing")
    func unlinkMissing() {
        let t = TempTree(dotfiles: "unlink-missing")
        t.symlink("~/old", "/nowhere")
        let r = t.mklnk("unlink", t.path("~/old"), t.path("~/absent"))
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.contains("no such link"), "\(r)")
        #expect(t.exists("~/old"), "all or nothing: the existing link stays")
    }

    @Test("plan warns about an interrupted apply and changes nothing")
    func planWarns() {
        let t = TempTree(dotfiles: "recover-plan")
        interruptedApply(t)
        let r = t.mklnk("plan", t.plan("links: {}\n"))
        #expect(r.stderr.contains("interrupted"), "\(r)")
        #expect(t.exists("~/made") && t.exists(t.state + "/journal"))
    }

    @Test("a committed journal is finished, not undone")
    func committedJournal() {
        let t = TempTree(dotfiles: "recover-commit")
        interruptedApply(t)
        t.file(t.state + "/journal.commit", "killed-1")
        let r = t.mklnk("recover")
        #expect(r.status == 0, "\(r)")
        #expect(t.exists("~/made"))
        #expect(!t.exists(t.state + "/journal") && !t.exists(t.state + "/journal.commit"))
    }
}
