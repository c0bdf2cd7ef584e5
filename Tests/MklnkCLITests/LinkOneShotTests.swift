import MklnkTestSupport
import Foundation
import Testing

/// Issue 14: MKLNK's kind (`--kind auto`), one-argument show, counters and JSON for the one-shot
/// commands, and the command dialog.
@Suite struct LinkOneShotTests {
    @Test("--kind auto is MKLNK's behaviour: a hard link for a file, a junction for a directory")
    func kindAuto() {
        let t = TempTree(dotfiles: "kind-auto")
        t.file("@/f", "f\n")
        t.file("@/proj/readme", "r\n")
        let r = t.mklnk("link", "--kind", "auto", t.path("~/l") + "/", t.path("@/f"), t.dots + "/./proj")
        #expect(r.status == 0, "\(r)")
        #expect(!t.isSymlink("~/l/f") && t.inode("~/l/f") == t.inode("@/f"))
        #expect(t.linkTarget("~/l/proj") == t.path("@/proj"))
        #expect(t.mklnk("link", t.path("~/s"), t.path("@/f")).status == 0)
        #expect(t.linkTarget("~/s") == t.path("@/f"), "the default stays the plans' symlink")
    }

    @Test("--help says the default kind, MKLNK's auto and mklink's switches")
    func help() {
        let t = TempTree(dotfiles: "kind-help")
        let r = t.mklnk("link", "--help")
        let text = r.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("symlink (the default, as in plans)"), "\(r)")
        #expect(text.contains("MKLNK's behaviour") && text.contains("mklink /H") && text.contains("mklink /J"), "\(r)")
        for flag in ["--exclude", "--size", "--modified", "--select", "--from", "--null", "--dialog", "--counters", "--json"] {
            #expect(text.contains(flag), "\(flag)")
        }
    }

    @Test("link NAME alone shows it: exit 0 for a link, 1 otherwise")
    func oneArgumentShow() {
        let t = TempTree(dotfiles: "link-show")
        t.file("@/f", "f\n")
        t.symlink("~/s", t.path("@/f"))
        t.hardLink("~/h", to: t.path("@/f"))
        t.file("~/plain", "p\n")
        let s = t.mklnk("link", t.path("~/s"))
        #expect(s.status == 0 && s.stdout == "\(t.path("~/s")): symlink -> \(t.path("@/f"))\n", "\(s)")
        let h = t.mklnk("link", t.path("~/h"))
        #expect(h.status == 0 && h.stdout.hasSuffix(": hardlink (2 links)\n"), "\(h)")
        let p = t.mklnk("link", t.path("~/plain"))
        #expect(p.status == 1 && p.stdout.contains("not a link"), "\(p)")
        let m = t.mklnk("link", t.path("~/missing"))
        #expect(m.status == 1 && m.stderr.contains("no such file"), "\(m)")
        #expect(t.mklnk("link", "-H", t.path("~/x")).status == 64, "a link option needs a TARGET")
    }

    @Test("--counters FILE|- and --json for link and unlink, as for apply")
    func counters() throws {
        let t = TempTree(dotfiles: "link-counters")
        t.file("@/f", "f\n")
        t.file("out", "earlier=1\n")
        let made = t.mklnk("link", t.path("~/l"), t.path("@/f"), "--counters", t.path("out"), "-q")
        #expect(made.status == 0 && made.stdout.isEmpty, "\(made)")
        #expect(t.contents("out") == "earlier=1\n_mklnk_files=1\n_mklnk_errors=0\n_mklnk_deleted=0\n_mklnk_unchanged=0\n_mklnk_backups=0\n")
        let again = t.mklnk("link", t.path("~/l"), t.path("@/f"), "--json")
        #expect(again.status == 0, "\(again)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect((doc["counters"] as? [String: Int])?["_mklnk_unchanged"] == 1)
        t.file("~/in-the-way", "mine\n")
        let refused = t.mklnk("link", t.path("~/in-the-way"), t.path("@/f"), "--json", "--counters", t.path("out"))
        #expect(refused.status == 1, "\(refused)")
        let failed = try #require(try JSONSerialization.jsonObject(with: Data(refused.stdout.utf8)) as? [String: Any])
        #expect((failed["counters"] as? [String: Int])?["_mklnk_errors"] == 1, "\(refused)")
        #expect(t.contents("out")?.hasSuffix("_mklnk_files=0\n_mklnk_errors=1\n_mklnk_deleted=0\n_mklnk_unchanged=0\n_mklnk_backups=0\n") == true)
        let gone = t.mklnk("unlink", t.path("~/l"), "--counters", "-")
        #expect(gone.status == 0 && gone.counters["_mklnk_deleted"] == 1, "\(gone)")
    }

    @Test("no arguments on a non-terminal is a usage error")
    func dialogNeedsATerminal() {
        let t = TempTree(dotfiles: "dialog-pipe")
        let r = t.mklnk("link")
        #expect(r.status == 64 && r.stderr.contains("terminal"), "\(r)")
    }

    @Test("the dialog under a pty: asks target, link name and kind, shows the plan line, applies on y",
          .enabled(if: TempTree.hasPython))
    func dialog() {
        let t = TempTree(dotfiles: "dialog")
        t.file("@/f", "f\n")
        let r = t.mklnkOnTerminal(["link"], steps: [
            ("Target(s): ", t.path("@/f")),
            ("Link name [f]: ", t.path("~/l")),
            ("Kind (symlink, hardlink, junction, auto) [symlink]: ", ""),
            ("Apply? [y/N]: ", "y"),
        ])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("+ ~/l -> \(t.path("@/f"))"), "the plan line\n\(r)")
        #expect(t.linkTarget("~/l") == t.path("@/f"))
    }

    @Test("the dialog takes the line's values as defaults (MKLNK /=) and changes nothing without y",
          .enabled(if: TempTree.hasPython))
    func dialogDefaultsAndDecline() {
        let t = TempTree(dotfiles: "dialog-no")
        t.file("@/f", "f\n")
        let no = t.mklnkOnTerminal(["link", "--dialog", "-H", t.path("~/h"), t.path("@/f")], steps: [
            ("Target(s) [\(t.path("@/f"))]: ", ""),
            ("Link name [\(t.path("~/h"))]: ", ""),
            ("[hardlink]: ", "bogus"),
            ("is not a kind", ""),
            ("Apply? [y/N]: ", ""),
        ])
        #expect(no.status == 0 && no.stdout.contains("Nothing was changed."), "\(no)")
        #expect(no.stdout.contains("+ ~/h -> \(t.path("@/f")) (hard link)"), "\(no)")
        #expect(!t.exists("~/h"))
        let yes = t.mklnkOnTerminal(["link", "--dialog", "-H", t.path("~/h"), t.path("@/f")], steps: [
            ("Target(s)", ""), ("Link name", ""), ("Kind", "auto"), ("Apply? [y/N]: ", "yes"),
        ])
        #expect(yes.status == 0, "\(yes)")
        #expect(t.inode("~/h") == t.inode("@/f"))
    }

    @Test("Ctrl-D in the dialog cancels: exit 1, nothing changed", .enabled(if: TempTree.hasPython))
    func dialogCancel() {
        let t = TempTree(dotfiles: "dialog-eof")
        t.file("@/f", "f\n")
        let r = t.mklnkOnTerminal(["link"], steps: [("Target(s): ", t.path("@/f")), ("Link name [f]: ", "\u{04}")])
        #expect(r.status == 1 && r.stdout.contains("cancelled; nothing was changed"), "\(r)")
        #expect(t.names("").filter { $0 != "home" && $0 != "dots" }.isEmpty, "\(t.names(""))")
    }
}
