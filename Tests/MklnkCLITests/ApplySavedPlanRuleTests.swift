import MklnkTestSupport
import Testing

/// Issue 9, defect 1: `apply --saved` re-checks a saved plan against every rule `plan` applies
/// (last name, only links, prunes of links as mklnk left them, confinement, stale hard links),
/// and refuses (exit 1, a located message, nothing changed) when one no longer holds.
@Suite struct ApplySavedPlanRuleTests {
    @Test("remove of a hard link whose other name went after the plan was saved: refused, the data stays")
    func lastNameGoneSinceSaved() {
        let t = TempTree(dotfiles: "saved-lastname")
        t.file("@/h", "the data\n")
        t.hardLink("~/h1", to: "@/h")
        let plan = t.plan("remove:\n  - ~/h1\n")
        let saved = t.path("saved.plan")
        #expect(t.mklnk("plan", plan, "--out", saved).status == 0)
        t.removeFile("@/h")
        let r = t.mklnk("apply", "--saved", saved)
        #expect(r.status == 1, "\(r)")
        #expect(t.contents("~/h1") == "the data\n", "the last name was deleted: \(r)")
        #expect(r.stderr.contains("plan.yaml:4:") && r.stderr.contains("last link"), "located and clear: \(r)")
    }

    @Test("a clean: delete of a link that no longer dangles (its target came back) is refused")
    func cleanOfALinkThatNoLongerDangles() {
        let t = TempTree(dotfiles: "saved-clean-live")
        t.symlink("~/.dang", t.path("@/gone"))
        let plan = t.plan("clean:\n  - ~/\n")
        let saved = t.path("saved.plan")
        #expect(t.mklnk("plan", plan, "--out", saved).status == 0)
        t.file("@/gone", "back again\n")
        let r = t.mklnk("apply", "--saved", saved)
        #expect(r.status == 1, "\(r)")
        #expect(t.isSymlink("~/.dang"), "a live link was cleaned: \(r)")
        #expect(r.stderr.contains("no longer dangles"), "\(r)")
    }

    /// A saved plan of one `delete` action, edited by hand to name `path` as it is now.
    private func handEdited(_ t: TempTree, op: String, path: String, kind: String, source: Bool = true) -> String {
        var st = stat()
        lstat(path, &st)
        let what = (st.st_mode & S_IFMT) == S_IFDIR ? "directory" : "regular"
        let place = source ? t.path("@/plan.yaml") + "\\t3\\t5" : ""
        let fields = ["action", op, path, kind, op == "update" ? t.path("@/f") : "", "", place, what, "",
                      String(st.st_dev), String(st.st_ino), String(st.st_nlink), String(st.st_size), String(st.st_mtim.tv_sec)]
        let saved = t.path("edited.plan")
        t.file(saved, sealedSavedPlan(plan: t.path("@/plan.yaml"), root: t.home, fields.joined(separator: "\t") + "\n"))
        return saved
    }

    @Test("a hand-edited saved plan whose step deletes or replaces a file that is not a link is refused",
          arguments: ["delete a regular file", "delete it as a hard link", "prune a regular file",
                      "delete a directory", "update a regular file"])
    func handEditedDestructive(_ edit: String) {
        let t = TempTree(dotfiles: "saved-edited")
        t.file("@/f", "f\n")
        t.file("~/precious", "only copy\n")
        t.directory("~/dir")
        t.file("~/dir/inside", "inside\n")
        let saved: String
        switch edit {
        case "delete a regular file": saved = handEdited(t, op: "delete", path: t.path("~/precious"), kind: "symlink")
        case "delete it as a hard link": saved = handEdited(t, op: "delete", path: t.path("~/precious"), kind: "hardlink")
        case "prune a regular file":
            saved = handEdited(t, op: "delete", path: t.path("~/precious"), kind: "hardlink", source: false)
        case "delete a directory": saved = handEdited(t, op: "delete", path: t.path("~/dir"), kind: "symlink")
        default: saved = handEdited(t, op: "update", path: t.path("~/precious"), kind: "hardlink")
        }
        let before = t.snapshot()
        let r = t.mklnk("apply", "--saved", saved)
        #expect(r.status == 1, "\(r)")
        #expect(t.snapshot() == before, "\(r)")
        #expect(t.contents("~/precious") == "only copy\n")
        #expect(r.stderr.contains("error:") && (r.stderr.contains("plan.yaml:3:5") || r.stderr.contains("edited.plan:2:1")),
                "located: \(r)")
    }

    @Test("a hand-edited saved plan with a path outside its root is refused")
    func outsideRoot() {
        let t = TempTree(dotfiles: "saved-outside")
        t.file("@/f", "f\n")
        let saved = t.path("edited.plan")
        t.file(saved, sealedSavedPlan(plan: t.path("@/plan.yaml"), root: t.home, "action\tcreate\t\(t.path("@/escaped"))\tsymlink\t\(t.path("@/f"))\t\t\t\t\t0\t0\t0\t0\t0\n"))
        let r = t.mklnk("apply", "--saved", saved)
        #expect(r.status == 1, "\(r)")
        #expect(!t.exists("@/escaped"))
        #expect(r.stderr.contains("edited.plan:2:1") && r.stderr.contains("root"), "\(r)")
    }

    @Test("a saved plan with a conflict is refused, as apply refuses the plan")
    func conflict() {
        let t = TempTree(dotfiles: "saved-conflictline")
        t.file("@/f", "f\n")
        let saved = t.path("edited.plan")
        t.file(saved, sealedSavedPlan(plan: t.path("@/plan.yaml"), root: t.home, "action\tcreate\t\(t.path("~/a"))\tsymlink\t\(t.path("@/f"))\t\t\t\t\t0\t0\t0\t0\t0\n"
               + "action\tconflict\t\(t.path("~/b"))\tsymlink\t\(t.path("@/f"))\tin the way\t\t\t\t0\t0\t0\t0\t0\n"))
        let r = t.mklnk("apply", "--saved", saved)
        #expect(r.status == 1, "\(r)")
        #expect(!t.exists("~/a"), "\(r)")
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
