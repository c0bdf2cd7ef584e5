import MklnkTestSupport
import Testing

/// SPEC §2 `apply --saved`: exactly the saved plan, refused (exit 1, nothing changed) when any
/// path it touches changed since it was saved.
@Suite struct ApplySavedPlanTests {
    /// A tree with one of each change: create (with a missing parent), update, delete, backup.
    func tree(_ label: String) -> (TempTree, String, String) {
        let t = TempTree(dotfiles: label)
        t.file("@/vim/vimrc", "set nocompatible\n")
        t.file("@/bash/bashrc", "export A=1\n")
        t.symlink("~/.vimrc", "/etc/vimrc")
        t.symlink("~/.old", "/nowhere")
        t.file("~/.bashrc", "mine\n")
        let plan = t.plan("""
            links:
              .vimrc: vim/vimrc
              .config/new/link: vim/vimrc
              .bashrc: { target: bash/bashrc, conflict: backup }
            remove:
              - ~/.old

            """)
        let saved = t.path("saved.plan")
        let r = t.mklnk("plan", plan, "--out", saved)
        #expect(r.status == 0, "\(r)")
        #expect(t.exists(saved))
        return (t, plan, saved)
    }

    @Test("an unchanged saved plan applies, and records state like a normal apply")
    func applies() {
        let (t, plan, saved) = tree("saved-ok")
        let r = t.mklnk("apply", "--saved", saved, "--counters", "-")
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/.vimrc") == t.dots + "/vim/vimrc")
        #expect(t.linkTarget("~/.config/new/link") == t.dots + "/vim/vimrc")
        #expect(t.linkTarget("~/.bashrc") == t.dots + "/bash/bashrc")
        #expect(!t.exists("~/.old"))
        #expect(r.counters["_mklnk_files"] == 3 && r.counters["_mklnk_deleted"] == 1 && r.counters["_mklnk_backups"] == 1,
                "\(r)")
        let again = t.mklnk("apply", plan, "--counters", "-")
        #expect(again.status == 0 && again.counters["_mklnk_files"] == 0, "\(again)")
    }

    @Test("a saved plan is refused when a path it touches changed",
          arguments: ["file at a new link", "symlink retargeted", "removed link gone", "parent appeared",
                      "file in the way edited", "removed link retargeted"])
    func stale(_ change: String) {
        let (t, _, saved) = tree("saved-stale")
        switch change {
        case "file at a new link":
            t.file("~/.config/new/link", "someone else's\n")
        case "symlink retargeted":
            t.replaceSymlink("~/.vimrc", "/etc/other")
        case "removed link gone":
            t.removeFile("~/.old")
        case "parent appeared":
            t.directory("~/.config/new")
        case "file in the way edited":
            t.replaceByRename("~/.bashrc", "mine, edited\n")
        default:
            t.replaceSymlink("~/.old", "/nowhere/else")
        }
        let before = t.snapshot()
        let r = t.mklnk("apply", "--saved", saved)
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.contains("changed since the plan was saved"), "\(r)")
        #expect(t.snapshot() == before)
    }

    @Test("plan --out refuses to save a plan with conflicts")
    func conflictsAreNotSaved() {
        let t = TempTree(dotfiles: "saved-conflict")
        t.file("@/f", "f\n")
        t.file("~/f", "in the way\n")
        let plan = t.plan("links:\n  f: f\n")
        let r = t.mklnk("plan", plan, "--out", t.path("saved.plan"))
        #expect(r.status == 1, "\(r)")
        #expect(!t.exists("saved.plan"))
    }

    @Test("plan --out to a place it cannot write, or to '-', is a usage error (64) before anything is planned")
    func outCheckedFirst() {
        let t = TempTree(dotfiles: "saved-out-first")
        t.file("@/a", "a\n")
        let plan = t.plan("links:\n  a: a\n")
        for out in [t.path("no/such/dir/saved"), t.dots, "-", ""] {
            let r = t.mklnk("plan", plan, "--out", out)
            #expect(r.status == 64, "\(out): \(r)")
            #expect(!r.stdout.contains("+ ~/a"), "planned anyway: \(r)")
        }
        let json = t.mklnk("plan", plan, "--out", t.path("no/such/dir/saved"), "--json")
        #expect(json.status == 64 && json.stdout.contains("\"exit\": 64"), "\(json)")
    }

    @Test("a file that is not a saved plan is refused with exit 1")
    func notASavedPlan() {
        let t = TempTree(dotfiles: "saved-garbage")
        t.file("garbage", "version: 1\n")
        let r = t.mklnk("apply", "--saved", t.path("garbage"))
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.contains("is not a saved plan"), "\(r)")
        let missing = t.mklnk("apply", "--saved", t.path("missing"))
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.stderr.contains("cannot read the saved plan \(t.path("missing")): it does not exist"), "\(missing)")
    }
}

extension TempTree {
    func replaceSymlink(_ p: String, _ target: String) {
        removeFile(p)
        symlink(p, target)
    }

    func removeFile(_ p: String) {
        precondition(unlinkPath(path(p)) == 0)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
private func unlinkPath(_ path: String) -> Int32 { unlink(path) }
