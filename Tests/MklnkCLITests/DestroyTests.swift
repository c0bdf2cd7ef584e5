#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkTestSupport
import Foundation
import Testing

/// `mklnk destroy` and `plan --destroy` (issue 15), through the binary.
@Suite struct DestroyTests {
    /// A plan applied to a home: links in new directories, one beside a file of the user's, a
    /// hard link, and a backup of the user's old `.bashrc`.
    func applied(_ label: String) -> (TempTree, String) {
        let t = TempTree(dotfiles: label)
        t.make("""
            file dots/vimrc v
            file dots/gitconfig g
            file dots/bashrc b
            file dots/tool t
            file home/.bashrc my own bashrc
            file home/.config/other the user's
            """)
        let plan = t.plan("""
            links:
              .vimrc: vimrc
              .config/app/deep/conf: vimrc
              .config/git/config: gitconfig
              .bashrc: { target: bashrc, conflict: backup }
              .local/bin/tool: { target: tool, kind: hardlink }

            """)
        let r = t.mklnk("apply", plan)
        #expect(r.status == 0, "\(r)")
        return (t, plan)
    }

    func json(_ r: ApplyCLIResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test("destroy removes untouched links and the empty directories mklnk made; keeps a re-pointed link, the user's files and backups")
    func destroy() throws {
        let (t, plan) = applied("destroy")
        t.replaceSymlink("~/.config/git/config", "/my/own/config")
        let backup = try #require(t.names("~").first { $0.hasPrefix(".bashrc.mklnk-backup-") })
        let r = t.mklnk("destroy", plan, "--counters", "-")
        #expect(r.status == 0, "\(r)")
        #expect(r.counters["_mklnk_deleted"] == 8 && r.counters["_mklnk_errors"] == 0, "\(r)")
        #expect(r.stderr.contains("~/.config/git/config: changed since mklnk made it"), "\(r)")
        #expect(r.stdout.contains("Backups kept") && r.stdout.contains("~/" + backup), "\(r)")
        // 4 links and 4 directories; .config existed before (the user's file is in it), .config/git holds the kept link.
        #expect(t.names("~") == [backup, ".config"].sorted())
        #expect(t.names("~/.config") == ["git", "other"])
        #expect(t.linkTarget("~/.config/git/config") == "/my/own/config")
        #expect(t.contents("~/" + backup) == "my own bashrc\n")
        #expect(t.contents("@/tool") == "t\n" && t.linkCount("@/tool") == 1)
        // Nothing of the plan's is left: a second destroy changes nothing and still lists the backup.
        let again = t.mklnk("destroy", plan, "--counters", "-")
        #expect(again.status == 0 && again.counters["_mklnk_deleted"] == 0 && again.stdout.contains(backup), "\(again)")
    }

    @Test("plan --destroy predicts destroy exactly and changes nothing")
    func preview() throws {
        let (t, plan) = applied("destroy-preview")
        t.replaceSymlink("~/.vimrc", "/elsewhere")
        let before = t.snapshot()
        let previewed = t.mklnk("plan", "--destroy", plan, "--json")
        #expect(previewed.status == 0, "\(previewed)")
        #expect(t.snapshot() == before)
        let human = t.mklnk("plan", "--destroy", plan, "--detailed-exitcode")
        #expect(human.status == 2 && human.stdout.contains("- ~/.config/app/deep   "), "\(human)")
        let done = t.mklnk("destroy", plan, "--json")
        #expect(done.status == 0, "\(done)")
        let p = try json(previewed), d = try json(done)
        func ops(_ doc: [String: Any]) -> [String] {
            ((doc["actions"] as? [[String: Any]]) ?? []).map { "\($0["op"] ?? "") \($0["path"] ?? "")" }
        }
        #expect(!ops(p).isEmpty && ops(p) == ops(d))
        #expect((p["counters"] as? [String: Int]) == (d["counters"] as? [String: Int]))
        #expect(((p["backups"] as? [Any])?.count ?? 0) == 1 && ((d["backups"] as? [Any])?.count ?? 0) == 1)
        let deleted = ops(d).filter { $0.hasPrefix("delete ") }.map { String($0.dropFirst(7)) }
        #expect(deleted.allSatisfy { !t.exists($0) })
        #expect(t.linkTarget("~/.vimrc") == "/elsewhere")
        let nothing = t.mklnk("plan", "--destroy", plan, "--detailed-exitcode")
        #expect(nothing.status == 0, "\(nothing)")
    }

    @Test("directories made by earlier applies stay recorded through later ones, and go with destroy")
    func recordedAcrossApplies() {
        let t = TempTree(dotfiles: "destroy-later")
        t.file("@/a", "a\n")
        let plan = t.plan("links:\n  one/a: a\n")
        #expect(t.mklnk("apply", plan).status == 0)
        #expect(t.mklnk("apply", plan).status == 0)  // a no-op apply rewrites nothing, forgets nothing
        t.plan("links:\n  one/a: a\n  two/deep/a: a\n")
        #expect(t.mklnk("apply", plan).status == 0)
        let r = t.mklnk("destroy", plan, "--counters", "-")
        #expect(r.status == 0 && r.counters["_mklnk_deleted"] == 5, "\(r)")
        #expect(t.names("~").isEmpty)
    }

    @Test("a plan file that is gone still names its state: destroy removes what it recorded")
    func planGone() {
        let (t, plan) = applied("destroy-gone")
        precondition(unlink(plan) == 0)
        let preview = t.mklnk("plan", "--destroy", plan, "--detailed-exitcode")
        #expect(preview.status == 2 && preview.stderr.contains("no longer exists"), "\(preview)")
        let r = t.mklnk("destroy", plan, "--counters", "-")
        #expect(r.status == 0 && r.counters["_mklnk_deleted"] == 10, "\(r)")
        #expect(!t.exists("~/.vimrc") && t.names("~/.config") == ["other"])
        // Without a state to go by, a missing plan is an error as anywhere else.
        #expect(t.mklnk("destroy", t.path("@/never.yaml")).status == 65)
    }

    @Test("a directory mklnk made that the user put a file in is kept")
    func keepsFilledDirectory() {
        let (t, plan) = applied("destroy-filled")
        t.file("~/.local/bin/mine", "x\n")
        let r = t.mklnk("destroy", plan)
        #expect(r.status == 0, "\(r)")
        #expect(t.names("~/.local/bin") == ["mine"])
        #expect(!t.exists("~/.local/bin/tool") && !t.exists("~/.config/app"))
    }

    @Test("the last name of a file is never removed")
    func lastName() {
        let (t, plan) = applied("destroy-last")
        precondition(unlink(t.path("@/tool")) == 0)  // ~/.local/bin/tool is now the file's only name
        let r = t.mklnk("destroy", plan, "--counters", "-")
        #expect(r.status == 0 && r.stderr.contains("last link to its file"), "\(r)")
        #expect(t.contents("~/.local/bin/tool") == "t\n")
    }

    @Test("destroy of a plan never applied changes nothing; an invalid plan exits 65")
    func nothingRecorded() {
        let t = TempTree(dotfiles: "destroy-nothing")
        t.file("@/a", "a\n")
        t.symlink("~/a", t.path("@/a"))
        let plan = t.plan("links:\n  a: a\n")
        let r = t.mklnk("destroy", plan, "--counters", "-")
        #expect(r.status == 0 && r.counters["_mklnk_deleted"] == 0, "\(r)")
        #expect(t.isSymlink("~/a"))
        let bad = t.plan("links:\n  a: a\n  a: b\n", name: "bad.yaml")
        #expect(t.mklnk("destroy", bad).status == 65)
    }

    @Test("adopt then destroy: the adopted file stays in base, the link goes")
    func adoptThenDestroy() {
        let t = TempTree(dotfiles: "destroy-adopted")
        t.file("~/.zshrc", "mine\n")
        let plan = t.plan("links:\n  .zshrc: { target: zsh/zshrc, conflict: adopt }\n")
        #expect(t.mklnk("apply", plan).status == 0)
        let r = t.mklnk("destroy", plan, "--counters", "-")
        #expect(r.status == 0 && r.counters["_mklnk_deleted"] == 1, "\(r)")
        #expect(!t.exists("~/.zshrc") && t.contents("@/zsh/zshrc") == "mine\n")
    }
}
