import Foundation
import MklnkTestSupport
import Testing

/// Audit 3, F3, F6, F7, F15: `apply --saved` applies exactly the saved plan or nothing. A copy cut
/// short or edited is refused whole; so is a plan saved before another apply of the same plan
/// changed its state, and a relative link whose directory now resolves elsewhere. Options that
/// the saved plan settled are usage errors.
@Suite struct SavedPlanIntegrityTests {
    func saved(_ label: String, _ body: String) -> (TempTree, String, String) {
        let t = TempTree(dotfiles: label)
        t.file("@/a", "a\n")
        let plan = t.plan(body)
        let saved = t.path("saved.plan")
        let r = t.mklnk("plan", plan, "--out", saved)
        #expect(r.status == 0, "\(r)")
        return (t, plan, saved)
    }

    @Test("a relative link whose parent became a symlink since saving is refused (it would name another file)")
    func relativeLinkDirectoryMoved() {
        let t = TempTree(dotfiles: "saved-relative-moved")
        t.file("@/a", "a\n")
        t.directory("~/d")
        t.directory("~/deep/er")
        t.file("~/dots/a", "decoy\n")
        let plan = t.plan("links:\n  d/x: { target: a, relative: true }\n")
        let saved = t.path("saved.plan")
        #expect(t.mklnk("plan", plan, "--out", saved).status == 0)
        t.remove("~/d")
        t.symlink("~/d", "deep/er")
        let before = t.snapshot()
        let r = t.mklnk("apply", "--saved", saved)
        #expect(r.status == 1, "\(r)")
        #expect(t.snapshot() == before, "\(r)")
        #expect(!t.exists("~/deep/er/x"), "\(r)")
        #expect(r.stderr.contains("plan.yaml:4:3") && r.stderr.contains("would name another file"), "\(r)")
    }

    @Test("a relative link whose directory is as it was applies")
    func relativeLinkUnchanged() {
        let (t, _, saved) = saved("saved-relative-ok", "links:\n  d/x: { target: a, relative: true }\n")
        let r = t.mklnk("apply", "--saved", saved)
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/d/x") == "../../dots/a", "\(r)")
    }

    @Test("a saved plan cut short, edited, or of the old format is refused whole, nothing changed",
          arguments: ["cut short", "edited", "line removed", "format 1"])
    func damaged(_ damage: String) {
        let (t, _, saved) = saved("saved-damaged", "links:\n  .a: a\n  .b: a\n  .c: a\n")
        t.file("@/b", "b\n")
        let text = t.contents(saved)!
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        switch damage {
        case "cut short": lines = Array(lines.prefix(3))
        case "edited": lines = lines.map { $0.replacingOccurrences(of: "dots/a", with: "dots/b") }
        case "line removed": lines.remove(at: 2)
        default:
            var head = lines[0].split(separator: "\t").prefix(4).map(String.init)
            head[1] = "1"
            lines[0] = head.joined(separator: "\t")
            lines.removeLast(2)
            lines.append("")
        }
        t.file(saved, lines.joined(separator: "\n"))
        let before = t.snapshot()
        let r = t.mklnk("apply", "--saved", saved, "--json")
        #expect(r.status == 1, "\(r)")
        #expect(t.snapshot() == before, "\(r)")
        #expect(r.stderr.contains("damaged saved plan"), "\(r)")
        let document = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(document?["exit"] as? Int == 1, "one document: \(r)")
    }

    @Test("a saved plan made before another apply of the plan is refused: the newer links stay recorded")
    func stateChangedSinceSaved() {
        let t = TempTree(dotfiles: "saved-state-changed")
        t.file("@/a", "a\n")
        t.mklnk("apply", t.plan("links:\n  .a: a\n  .b: a\n"))
        let saved = t.path("saved.plan")
        #expect(t.mklnk("plan", t.plan("links:\n  .a: a\n"), "--out", saved).status == 0)
        let plan = t.plan("links:\n  .a: a\n  .b: a\n  .c: a\n")
        #expect(t.mklnk("apply", plan).status == 0)
        let before = t.snapshot()
        let r = t.mklnk("apply", "--saved", saved)
        #expect(r.status == 1, "\(r)")
        #expect(t.snapshot() == before, "\(r)")
        #expect(r.stderr.contains("the state of this plan changed since the plan was saved"), "\(r)")
        // The state still knows ~/.c: destroy removes it.
        #expect(t.mklnk("destroy", plan).status == 0)
        #expect(!t.exists("~/.a") && !t.exists("~/.b") && !t.exists("~/.c"))
    }

    @Test("a saved plan made before the first apply is refused once the plan was applied")
    func firstApplySinceSaved() {
        let (t, plan, saved) = saved("saved-state-new", "links:\n  .a: a\n")
        #expect(t.mklnk("apply", plan).status == 0)
        t.remove("~/.a")
        let r = t.mklnk("apply", "--saved", saved)
        #expect(r.status == 1 && r.stderr.contains("the state of this plan changed"), "\(r)")
    }

    /// A plan saved after an apply of {.a, .b} that now lists only .a: it prunes ~/.b.
    func pruningSaved(_ label: String, options: [String] = []) -> (TempTree, String, String) {
        let t = TempTree(dotfiles: label)
        t.file("@/a", "a\n")
        t.mklnk(["apply", t.plan("links:\n  .a: a\n  .b: a\n")] + options)
        let saved = t.path("saved.plan")
        let plan = t.plan("links:\n  .a: a\n")
        #expect(t.mklnk(["plan", plan, "--out", saved] + options).status == 0)
        return (t, plan, saved)
    }

    @Test("apply --saved --no-prune is honoured: the saved prune is not carried out and the link stays recorded")
    func noPruneHonoured() {
        let (t, plan, saved) = pruningSaved("saved-no-prune-given")
        let r = t.mklnk("apply", "--saved", saved, "--no-prune")
        #expect(r.status == 0, "\(r)")
        #expect(t.isSymlink("~/.b") && !r.stdout.contains("~/.b"), "\(r)")
        #expect(t.mklnk("destroy", plan).status == 0)
        #expect(!t.exists("~/.a") && !t.exists("~/.b"), "the kept link is still recorded")
    }

    @Test("--root or --var other than those the plan was saved with are usage errors with --saved",
          arguments: [["--root", "/tmp"], ["--var", "X=1"]])
    func otherOptions(_ option: [String]) {
        let (t, _, saved) = pruningSaved("saved-options")
        let before = t.snapshot()
        let r = t.mklnk(["apply", "--saved", saved] + option)
        #expect(r.status == 64, "\(r)")
        #expect(r.stderr.contains(option[0] == "--root" ? "is not the root the plan was saved for" : "--var values differ"), "\(r)")
        #expect(t.snapshot() == before && t.isSymlink("~/.b"), "\(r)")
    }

    @Test("the same --root and --var as when it was saved are accepted with --saved")
    func sameOptions() {
        let (t, _, saved) = pruningSaved("saved-same-options", options: ["--var", "X=1"])
        let r = t.mklnk("apply", "--saved", saved, "--root", t.home, "--var", "X=1")
        #expect(r.status == 0, "\(r)")
        #expect(!t.exists("~/.b"), "\(r)")
    }

    @Test("plan --destroy --out is a usage error: nothing is saved")
    func destroyOut() {
        let (t, plan, _) = saved("saved-destroy-out", "links:\n  .a: a\n")
        let r = t.mklnk("plan", "--destroy", plan, "--out", t.path("sv"))
        #expect(r.status == 64, "\(r)")
        #expect(r.stderr.contains("--out cannot be used with --destroy"), "\(r)")
        #expect(!t.exists("sv"))
    }
}

/// A plan saved with `--no-prune` keeps, when applied, the links an earlier apply made that it
/// no longer lists recorded in the state, as `apply --no-prune` does (`--no-prune` itself is
/// refused with `--saved`: the saved plan carries it).
@Suite struct SavedPlanNoPruneTests {
    @Test("plan --no-prune --out, then apply --saved: the unlisted link stays on disk and in the state")
    func keepsUnlisted() {
        let t = TempTree(dotfiles: "saved-no-prune")
        t.file("@/a", "a\n")
        t.mklnk("apply", t.plan("links:\n  .a: a\n  .b: a\n"))
        let saved = t.path("saved.plan")
        let plan = t.plan("links:\n  .a: a\n  .c: a\n")
        #expect(t.mklnk("plan", plan, "--no-prune", "--out", saved).status == 0)
        let r = t.mklnk("apply", "--saved", saved)
        #expect(r.status == 0, "\(r)")
        #expect(t.isSymlink("~/.b") && t.isSymlink("~/.c"), "\(r)")
        // Still recorded as made by the plan: destroy removes it too.
        let d = t.mklnk("destroy", plan)
        #expect(d.status == 0, "\(d)")
        #expect(!t.exists("~/.a") && !t.exists("~/.b") && !t.exists("~/.c"), "\(d)")
    }
}
