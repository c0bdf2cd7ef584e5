#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MklnkTestSupport
import Testing

/// `conflict: adopt`, `link --adopt` and `mklnk adopt` (issue 15), through the binary.
@Suite struct AdoptTests {
    static let zshPlan = "links:\n  .zshrc: { target: zsh/zshrc, conflict: adopt }\n"

    func mode(_ t: TempTree, _ p: String) -> UInt32 {
        var st = stat()
        return lstat(t.path(p), &st) == 0 ? UInt32(st.st_mode) & 0o7777 : 0
    }

    @Test("a file in the way moves into base with its bytes, mode and inode, and the link takes its place")
    func adoptsAFile() {
        let t = TempTree(dotfiles: "adopt")
        t.file("~/.zshrc", "my zshrc\n")
        chmod(t.path("~/.zshrc"), 0o600)
        let inode = t.inode("~/.zshrc")
        let plan = t.plan(Self.zshPlan)
        let preview = t.mklnk("plan", plan)
        #expect(preview.status == 0, "\(preview)")
        #expect(preview.stdout.contains("< ~/.zshrc   (moved into \(t.dots)/zsh/zshrc, then linked)"), "\(preview)")
        #expect(preview.stdout.contains("1 to adopt"), "\(preview)")
        #expect(!t.exists("@/zsh"), "plan changes nothing")
        let r = t.mklnk("apply", plan, "--counters", "-")
        #expect(r.status == 0, "\(r)")
        #expect(r.counters["_mklnk_adopted"] == 1 && r.counters["_mklnk_files"] == 1, "\(r)")
        #expect(t.contents("@/zsh/zshrc") == "my zshrc\n")
        #expect(t.inode("@/zsh/zshrc") == inode && mode(t, "@/zsh/zshrc") == 0o600)
        #expect(t.linkTarget("~/.zshrc") == t.dots + "/zsh/zshrc")
        let again = t.mklnk("apply", plan, "--counters", "-")
        #expect(again.status == 0 && again.counters["_mklnk_unchanged"] == 1 && again.counters["_mklnk_adopted"] == nil,
                "\(again)")
    }

    @Test("plan --json shows op adopt and the counter; defaults: conflict: adopt applies to every link")
    func json() throws {
        let t = TempTree(dotfiles: "adopt-json")
        t.file("~/.zshrc", "z\n")
        t.file("~/.config/git/config", "g\n")
        let plan = t.plan("defaults: { conflict: adopt }\nlinks:\n  .zshrc: zsh/zshrc\n  .config/git/config: git/config\n")
        let r = t.mklnk("plan", plan, "--json")
        #expect(r.status == 0, "\(r)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let actions = try #require(doc["actions"] as? [[String: Any]])
        #expect(actions.map { $0["op"] as? String } == ["adopt", "adopt"])
        #expect(actions[0]["path"] as? String == t.home + "/.zshrc")
        #expect((actions[0]["reason"] as? String)?.contains(t.dots + "/zsh/zshrc") == true)
        #expect((doc["counters"] as? [String: Int])?["_mklnk_adopted"] == 2)
    }

    @Test("a target that exists with other bytes is a conflict that names both paths; nothing moves")
    func otherBytes() {
        let t = TempTree(dotfiles: "adopt-other")
        t.file("~/.zshrc", "mine\n")
        t.file("@/zsh/zshrc", "theirs\n")
        let plan = t.plan(Self.zshPlan)
        let before = t.snapshot()
        let r = t.mklnk("apply", plan)
        #expect(r.status == 1, "\(r)")
        #expect(r.stdout.contains("! ~/.zshrc") && r.stdout.contains(t.dots + "/zsh/zshrc"), "\(r)")
        #expect(t.snapshot() == before)
    }

    @Test("a target that exists with the same bytes: the file in the way is kept as a backup, then linked")
    func sameBytes() {
        let t = TempTree(dotfiles: "adopt-same")
        t.file("~/.zshrc", "same\n")
        t.file("@/zsh/zshrc", "same\n")
        let inode = t.inode("~/.zshrc")
        let r = t.mklnk("apply", t.plan(Self.zshPlan), "--counters", "-")
        #expect(r.status == 0 && r.counters["_mklnk_backups"] == 1 && r.counters["_mklnk_adopted"] == nil, "\(r)")
        let backup = t.names("~").first { $0.hasPrefix(".zshrc.mklnk-backup-") }
        #expect(backup.flatMap { t.inode("~/" + $0) } == inode)
        #expect(t.linkTarget("~/.zshrc") == t.dots + "/zsh/zshrc")
    }

    @Test("adopt across filesystems is refused with a clear error, never a copy")
    func crossDevice() throws {
        var shm = stat(), tmp = stat()
        try #require(stat("/dev/shm", &shm) == 0 && stat("/tmp", &tmp) == 0 && shm.st_dev != tmp.st_dev,
                     "needs /dev/shm on another filesystem than /tmp")
        let t = TempTree(dotfiles: "adopt-xdev")
        let other = try TempTree(in: "/dev/shm", prefix: "mklnk-adopt")
        let dots = other.root
        t.file(dots + "/plan.yaml", "version: 1\nroot: ~\n" + Self.zshPlan)
        t.file("~/.zshrc", "mine\n")
        let before = t.snapshot()
        let preview = t.mklnk("plan", dots + "/plan.yaml")
        #expect(preview.status == 1 && preview.stdout.contains("cannot adopt across filesystems"), "\(preview)")
        let r = t.mklnk("apply", dots + "/plan.yaml")
        #expect(r.status == 1 && r.stdout.contains("different devices"), "\(r)")
        #expect(t.snapshot() == before && !t.exists(dots + "/zsh"))
    }

    @Test("nothing in the way and no target: refused as a missing target")
    func nothingToAdopt() {
        let t = TempTree(dotfiles: "adopt-nothing")
        let r = t.mklnk("apply", t.plan(Self.zshPlan))
        #expect(r.status == 1 && r.stdout.contains("does not exist"), "\(r)")
        #expect(!t.exists("~/.zshrc"))
        // Nor is a link to the missing target "in place" (an adopted file that was deleted since).
        t.symlink("~/.zshrc", t.dots + "/zsh/zshrc")
        let dangling = t.mklnk("plan", t.dots + "/plan.yaml")
        #expect(dangling.status == 1 && dangling.stdout.contains("does not exist"), "\(dangling)")
    }

    @Test("a directory in the way is not adopted")
    func directoryInTheWay() {
        let t = TempTree(dotfiles: "adopt-dir")
        t.file("~/.zshrc/inside", "x\n")
        let r = t.mklnk("apply", t.plan(Self.zshPlan))
        #expect(r.status == 1 && r.stdout.contains("adopt moves only a regular file"), "\(r)")
        #expect(t.contents("~/.zshrc/inside") == "x\n")
    }

    @Test("a failure later in the apply rolls the adoption back: the file is home again, same inode",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace")))
    func rollback() throws {
        let t = TempTree(dotfiles: "adopt-rollback")
        t.file("~/.zshrc", "mine\n")
        let inode = t.inode("~/.zshrc")
        t.file("@/b", "b\n")
        let plan = t.plan(Self.zshPlan + "  b: b\n")
        let before = t.snapshot()
        // The second symlinkat (the link ~/b, after the adoption) fails.
        let r = try MklnkProcess.run(["-f", "-o", "/dev/null", "-e", "trace=symlinkat", "-e", "inject=symlinkat:error=EIO:when=2",
                                      MklnkProcess.path, "apply", plan, "--state-dir", t.state],
                                     environment: ["HOME": t.home, "NO_COLOR": "1"], executable: "/usr/bin/strace")
        #expect(r.status == 1 && r.stderr.contains("rolled back"), "\(r)")
        #expect(t.inode("~/.zshrc") == inode && t.contents("~/.zshrc") == "mine\n")
        #expect(t.snapshot() == before)
    }

    @Test("a hard-link adoption gives the file a second name in base: the same inode at both")
    func hardLink() {
        let t = TempTree(dotfiles: "adopt-hard")
        t.file("~/.zshrc", "mine\n")
        let inode = t.inode("~/.zshrc")
        let r = t.mklnk("apply", t.plan("links:\n  .zshrc: { target: zsh/zshrc, kind: hardlink, conflict: adopt }\n"),
                        "--counters", "-")
        #expect(r.status == 0 && r.counters["_mklnk_adopted"] == 1, "\(r)")
        #expect(t.inode("@/zsh/zshrc") == inode && t.inode("~/.zshrc") == inode && t.linkCount("~/.zshrc") == 2)
    }

    @Test("a saved adoption applies as saved, and is refused when its destination was taken meanwhile")
    func saved() {
        let t = TempTree(dotfiles: "adopt-saved")
        t.file("~/.zshrc", "mine\n")
        let saved = t.path("saved")
        let plan = t.plan(Self.zshPlan)
        #expect(t.mklnk("plan", plan, "--out", saved).status == 0)
        t.file("@/zsh/zshrc", "someone else's\n")
        let stale = t.mklnk("apply", "--saved", saved)
        #expect(stale.status == 1 && stale.stderr.contains("exists now: adopt never overwrites"), "\(stale)")
        #expect(t.contents("~/.zshrc") == "mine\n" && t.contents("@/zsh/zshrc") == "someone else's\n")
        precondition(unlink(t.path("@/zsh/zshrc")) == 0 && rmdir(t.path("@/zsh")) == 0)
        let r = t.mklnk("apply", "--saved", saved, "--counters", "-")
        #expect(r.status == 0 && r.counters["_mklnk_adopted"] == 1, "\(r)")
        #expect(t.contents("@/zsh/zshrc") == "mine\n" && t.linkTarget("~/.zshrc") == t.dots + "/zsh/zshrc")
        #expect(t.mklnk("check", plan).status == 0)
    }

    @Test("odd names: CR+LF and a combining mark after a slash are adopted byte for byte")
    func oddNames() {
        let t = TempTree(dotfiles: "adopt-odd")
        let names = ["we\r\nird", "\u{301}accent"]
        // Whole paths: "~/" + a combining mark would make "/\u{301}" one Character for hasPrefix.
        func home(_ name: String) -> String { t.home + "/" + name }
        func dots(_ name: String) -> String { t.dots + "/home/" + name }
        for name in names { t.file(home(name), name + "\n") }
        let r = t.mklnk(["adopt"] + names.map(home) + ["--into", t.dots + "/home"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("we\\r\\nird"), "the name prints escaped: \(r)")
        for name in names {
            #expect(t.linkTarget(home(name)) == dots(name))
            #expect(t.contents(dots(name)) == name + "\n")
        }
    }

    @Test("link --adopt and mklnk adopt PATH --into DIR")
    func commands() {
        let t = TempTree(dotfiles: "adopt-commands")
        t.file("~/.zshrc", "z\n")
        t.file("~/.config/git/config", "g\n")
        let inode = t.inode("~/.config/git/config")
        let link = t.mklnk("link", "--adopt", t.path("~/.zshrc"), t.path("@/zsh/zshrc"))
        #expect(link.status == 0 && t.linkTarget("~/.zshrc") == t.dots + "/zsh/zshrc", "\(link)")
        #expect(t.contents("@/zsh/zshrc") == "z\n")
        let adopt = t.mklnk("adopt", t.path("~/.config/git/config"), "--into", t.path("@/home"))
        #expect(adopt.status == 0, "\(adopt)")
        #expect(t.linkTarget("~/.config/git/config") == t.dots + "/home/.config/git/config")
        #expect(t.inode("@/home/.config/git/config") == inode)
        let missing = t.mklnk("adopt", t.path("~/nothing"), "--into", t.path("@/home"))
        #expect(missing.status == 1 && missing.stderr.contains("no such file"), "\(missing)")
    }
}
