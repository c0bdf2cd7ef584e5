import MklnkTestSupport
import Testing

/// SPEC §2 `link` and `unlink`, through the same engine.
@Suite struct ApplyLinkUnlinkTests {
    // MARK: link

    @Test("link LINK TARGET makes a symlink storing the absolute target")
    func symlink() {
        let t = TempTree(dotfiles: "link")
        t.file("@/f", "f\n")
        let r = t.mklnk("link", t.path("~/l"), t.path("@/f"))
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/l") == t.path("@/f"))
    }

    @Test("link -H makes a hard link (same inode)")
    func hard() {
        let t = TempTree(dotfiles: "link-h")
        t.file("@/f", "f\n")
        let r = t.mklnk("link", "-H", t.path("~/h"), t.path("@/f"))
        #expect(r.status == 0, "\(r)")
        #expect(!t.isSymlink("~/h") && t.inode("~/h") == t.inode("@/f"))
    }

    @Test("link -J makes an absolute, normalised symlink to a directory; a file target is refused")
    func junction() {
        let t = TempTree(dotfiles: "link-j")
        t.file("@/proj/readme", "x\n")
        let r = t.mklnk("link", "-J", t.path("~/p"), t.dots + "/./proj/../proj")
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/p") == t.path("@/proj"))
        let file = t.mklnk("link", "-J", t.path("~/q"), t.path("@/proj/readme"))
        #expect(file.status == 1, "\(file)")
        #expect(!t.exists("~/q"))
    }

    @Test("link --relative stores the target relative to the link's directory")
    func relative() {
        let t = TempTree(dotfiles: "link-rel")
        t.file("@/f", "f\n")
        let r = t.mklnk("link", "--relative", t.path("~/sub/l"), t.path("@/f"))
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/sub/l") == "../../dots/f")
        #expect(t.contents("~/sub/l") == nil && t.exists("~/sub/l"))
        #expect(t.mklnk("link", "--relative", "-H", t.path("~/x"), t.path("@/f")).status == 64)
    }

    @Test("link --backup moves a file in the way aside; without it the link is refused")
    func backup() {
        let t = TempTree(dotfiles: "link-backup")
        t.file("@/f", "f\n")
        t.file("~/l", "mine\n")
        let refused = t.mklnk("link", t.path("~/l"), t.path("@/f"))
        #expect(refused.status == 1, "\(refused)")
        #expect(t.contents("~/l") == "mine\n")
        let r = t.mklnk("link", "--backup", t.path("~/l"), t.path("@/f"))
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/l") == t.path("@/f"))
        let backups = t.names("~").filter { $0.hasPrefix("l.mklnk-backup-") }
        #expect(backups.count == 1)
        #expect(backups.first.map { t.contents("~/" + $0) } == "mine\n")
    }

    @Test("link DIR/ TARGET... makes one link per target inside DIR")
    func directoryOfLinks() {
        let t = TempTree(dotfiles: "link-dir")
        t.file("@/a", "a\n")
        t.file("@/b", "b\n")
        let r = t.mklnk("link", t.path("~/bin") + "/", t.path("@/a"), t.path("@/b"))
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/bin/a") == t.path("@/a") && t.linkTarget("~/bin/b") == t.path("@/b"))
    }

    @Test("link is not recorded as a plan: a later apply does not prune it")
    func linkNotPruned() {
        let t = TempTree(dotfiles: "link-prune")
        t.file("@/f", "f\n")
        #expect(t.mklnk("link", t.path("~/l"), t.path("@/f")).status == 0)
        let r = t.mklnk("apply", t.plan("links: {}\n"), "--counters", "-")
        #expect(r.status == 0 && r.counters["_mklnk_deleted"] == 0, "\(r)")
        #expect(t.exists("~/l"))
    }

    // MARK: unlink

    @Test("unlink deletes a symlink and leaves its target")
    func unlinkSymlink() {
        let t = TempTree(dotfiles: "unlink")
        t.file("@/f", "f\n")
        t.symlink("~/l", t.path("@/f"))
        let r = t.mklnk("unlink", t.path("~/l"))
        #expect(r.status == 0, "\(r)")
        #expect(!t.exists("~/l") && t.contents("@/f") == "f\n")
        #expect(t.names("~").isEmpty)
    }

    @Test("unlink deletes one name of a file with several")
    func unlinkHardLink() {
        let t = TempTree(dotfiles: "unlink-hard")
        t.file("~/one", "bytes\n")
        t.hardLink("~/two", to: "~/one")
        let r = t.mklnk("unlink", t.path("~/two"))
        #expect(r.status == 0, "\(r)")
        #expect(!t.exists("~/two") && t.linkCount("~/one") == 1)
    }

    @Test("unlink never deletes a file, a directory, or a file's last name; nothing changes",
          arguments: ["file", "directory", "last name", "both names"])
    func unlinkRefuses(_ what: String) {
        let t = TempTree(dotfiles: "unlink-refuse")
        t.file("~/file", "mine\n")
        t.directory("~/dir")
        t.file("~/one", "bytes\n")
        t.hardLink("~/two", to: "~/one")
        t.symlink("~/sym", "/nowhere")
        let args: [String]
        switch what {
        case "file": args = [t.path("~/sym"), t.path("~/file")]
        case "directory": args = [t.path("~/sym"), t.path("~/dir")]
        case "last name": args = [t.path("~/file")]
        default: args = [t.path("~/one"), t.path("~/two")]
        }
        let before = t.snapshot()
        let r = t.mklnk(["unlink"] + args)
        #expect(r.status == 1, "\(r)")
        #expect(t.snapshot() == before)
    }
}
