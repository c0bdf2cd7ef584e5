import MklnkTestSupport
import Foundation
import Testing

/// Issue 14: MKLNK's file selection on the command line of `link` and `unlink`, through the
/// same filter as a plan's `exclude:` and `select:`.
@Suite struct LinkSelectionTests {
    /// `@/src` with a file for each filter: sizes, a date, attributes, a hidden name.
    private func tree(_ label: String) -> TempTree {
        let t = TempTree(dotfiles: label)
        t.file("@/src/a.conf", "a")
        t.file("@/src/big.conf", String(repeating: "x", count: 2000))
        t.file("@/src/c.bak", "c")
        t.file("@/src/.hidden.conf", "h")
        t.file("@/src/ro.conf", "r")
        chmod(t.path("@/src/ro.conf"), 0o444)
        t.file("@/src/x.sh", "#!/bin/sh\n")
        chmod(t.path("@/src/x.sh"), 0o755)
        t.file("@/src/old.conf", "o")
        var times = [timespec(tv_sec: 1_577_880_000, tv_nsec: 0), timespec(tv_sec: 1_577_880_000, tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, t.path("@/src/old.conf"), &times, 0)  // 2020-01-01T12:00Z
        return t
    }

    @Test("--exclude GLOB (repeatable) leaves matches out, wherever it stands on the line")
    func exclude() {
        let t = tree("sel-exclude")
        let r = t.mklnk("link", t.path("~/d") + "/", t.path("@/src/c.bak"), "--exclude", "*.bak",
                        t.path("@/src") + "/*", "--exclude", "big*")
        #expect(r.status == 0, "\(r)")
        #expect(t.names("~/d") == ["a.conf", "old.conf", "ro.conf", "x.sh"])
    }

    @Test("--size and --modified take a plan's ranges")
    func ranges() {
        let t = tree("sel-ranges")
        #expect(t.mklnk("link", t.path("~/big") + "/", t.path("@/src") + "/*.conf", "--size", "1K..").status == 0)
        #expect(t.names("~/big") == ["big.conf"])
        #expect(t.mklnk("link", t.path("~/old") + "/", t.path("@/src") + "/*", "--modified", "..2021-01-01").status == 0)
        #expect(t.names("~/old") == ["old.conf"])
        #expect(t.mklnk("link", t.path("~/mid") + "/", t.path("@/src") + "/*", "--size", "..1",
                        "--modified", "2020-01-01T11:00Z..2020-01-01T13:00Z").status == 0)
        #expect(t.names("~/mid") == ["old.conf"])
    }

    @Test("--select hidden=, readonly=, executable= as MKLNK's /A:")
    func attributes() {
        let t = tree("sel-attrs")
        #expect(t.mklnk("link", t.path("~/ro") + "/", t.path("@/src") + "/*", "--select", "readonly=true").status == 0)
        #expect(t.names("~/ro") == ["ro.conf"])
        #expect(t.mklnk("link", t.path("~/x") + "/", t.path("@/src") + "/*", "--select", "executable=true",
                        "--select", "readonly=false").status == 0)
        #expect(t.names("~/x") == ["x.sh"])
        let r = t.mklnk("link", t.path("~/h") + "/", t.path("@/src/.hidden.conf"), t.path("@/src/a.conf"),
                        "--select", "hidden=false")
        #expect(r.status == 0, "\(r)")
        #expect(t.names("~/h") == ["a.conf"])
    }

    @Test("a selection that leaves nothing makes no links (not even the directory) and exits 0")
    func excludesAll() {
        let t = tree("sel-none")
        let r = t.mklnk("link", t.path("~/d") + "/", t.path("@/src") + "/*", "--exclude", "*", "--counters", "-")
        #expect(r.status == 0, "\(r)")
        #expect(!t.exists("~/d"))
        #expect(r.counters["_mklnk_files"] == 0 && r.counters["_mklnk_errors"] == 0, "\(r)")
    }

    @Test("a selection applies to a single target too; a missing one is still an error")
    func singleTarget() {
        let t = tree("sel-single")
        #expect(t.mklnk("link", t.path("~/l"), t.path("@/src/a.conf"), "--size", "1K..").status == 0)
        #expect(!t.exists("~/l"))
        #expect(t.mklnk("link", t.path("~/l"), t.path("@/src/big.conf"), "--size", "1K..").status == 0)
        #expect(t.linkTarget("~/l") == t.path("@/src/big.conf"))
        let missing = t.mklnk("link", t.path("~/m"), t.path("@/src/nothing"), "--size", "1K..")
        #expect(missing.status == 1 && missing.stderr.contains("does not exist"), "\(missing)")
    }

    @Test("a bad range or attribute is a usage error naming the flag")
    func badFlags() {
        let t = tree("sel-bad")
        for (flag, value) in [("--size", "10M..1K"), ("--size", "lots"), ("--modified", "2024-13-01.."),
                              ("--select", "hidden=maybe"), ("--select", "sparse=true")] {
            let r = t.mklnk("link", t.path("~/d") + "/", t.path("@/src") + "/*", flag, value)
            #expect(r.status == 64 && r.stderr.contains(flag), "\(flag) \(value): \(r)")
        }
        #expect(!t.exists("~/d"))
    }

    @Test("unlink 'DIR/*' --exclude removes the links it selects and never a non-link")
    func unlinkGlob() {
        let t = tree("sel-unlink")
        t.symlink("~/bin/a", t.path("@/src/a.conf"))
        t.symlink("~/bin/b", t.path("@/src/big.conf"))
        t.symlink("~/bin/c", t.path("@/src/c.bak"))
        t.file("~/bin/mine", "keep\n")
        let r = t.mklnk("unlink", t.path("~/bin") + "/*", "--exclude", "b", "--counters", "-")
        #expect(r.status == 0, "\(r)")
        #expect(t.names("~/bin") == ["b", "mine"])
        #expect(r.counters["_mklnk_deleted"] == 2, "\(r)")
        let sized = t.mklnk("unlink", t.path("~/bin") + "/*", "--size", "1K..")
        #expect(sized.status == 0, "\(sized)")
        #expect(t.names("~/bin") == ["mine"] && t.contents("~/bin/mine") == "keep\n")
        let nothing = t.mklnk("unlink", t.path("~/bin") + "/*")
        #expect(nothing.status == 0 && t.contents("~/bin/mine") == "keep\n", "\(nothing)")
    }
}
