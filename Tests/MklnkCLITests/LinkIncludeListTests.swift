import MklnkTestSupport
import Foundation
import Testing

/// Issue 14: include lists (`--from FILE`, `--from -`, `--null`) as MKLNK, `tar -T` and
/// `rsync --files-from` read them.
@Suite struct LinkIncludeListTests {
    @Test("--from FILE: one target per line, relative to the current directory; LINK is their directory")
    func fromFile() {
        let t = TempTree(dotfiles: "from-file")
        t.file("@/a", "a\n")
        t.file("@/sub/b", "b\n")
        t.file("list.txt", "dots/a\n\ndots/sub/b\n")
        let r = t.mklnk("link", "--from", "list.txt", t.path("~/bin"), "--counters", "-")
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/bin/a") == t.path("@/a") && t.linkTarget("~/bin/b") == t.path("@/sub/b"))
        #expect(r.counters["_mklnk_files"] == 2, "\(r)")
        let selected = t.mklnk("link", "--from", "list.txt", "--exclude", "a", t.path("~/only-b"))
        #expect(selected.status == 0 && t.names("~/only-b") == ["b"], "a selection applies to a list too\n\(selected)")
    }

    @Test("a missing entry is an error at the list's line, and nothing is linked")
    func missingEntry() {
        let t = TempTree(dotfiles: "from-missing")
        t.file("@/a", "a\n")
        t.file("@/c", "c\n")
        t.file("list.txt", "dots/a\ndots/c\ndots/nope\n")
        let r = t.mklnk("link", "--from", "list.txt", t.path("~/bin") + "/")
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.contains("list.txt:3:1: error: dots/nope: no such file or directory"), "\(r)")
        #expect(!t.exists("~/bin"))
        let stdin = t.mklnk(["link", "--from", "-", t.path("~/bin")], input: Array("dots/a\nmissing\n".utf8))
        #expect(stdin.status == 1 && stdin.stderr.contains("<stdin>:2:1: error: missing"), "\(stdin)")
    }

    @Test("--null --from -: find -print0 names, a newline and wildcard characters inside names")
    func nulSeparatedStdin() {
        let t = TempTree(dotfiles: "from-null")
        t.file("@/new\nline", "n\n")
        t.file("@/we[ir]d*?", "w\n")
        t.file("@/plain", "p\n")
        t.file("@/plai", "decoy\n")  // what `[ir]` or `?` as a pattern could also match
        let input = Array("dots/new\nline\0dots/we[ir]d*?\0dots/plain\0".utf8)
        let r = t.mklnk(["link", "--null", "--from", "-", t.path("~/l") + "/", "-H"], input: input)
        #expect(r.status == 0, "\(r)")
        #expect(t.names("~/l") == ["new\nline", "plain", "we[ir]d*?"])
        #expect(t.inode("~/l/new\nline") == t.inode("@/new\nline"))
        #expect(t.inode("~/l/we[ir]d*?") == t.inode("@/we[ir]d*?"))
    }

    @Test("a listed name that is not UTF-8 is that file, byte for byte")
    func notUTF8() {
        let t = TempTree(dotfiles: "from-bytes")
        t.file("@/caf\u{FFFD}", "decoy\n")  // what a repaired name would find instead
        let name: [UInt8] = Array("caf".utf8) + [0xE9]
        func cPath(_ dir: String) -> [CChar] { (Array(dir.utf8) + [UInt8(ascii: "/")] + name + [0]).map { CChar(bitPattern: $0) } }
        let fd = open(cPath(t.dots), O_WRONLY | O_CREAT, 0o644)
        #expect(fd >= 0)
        close(fd)
        let r = t.mklnk(["link", "--null", "--from", "-", t.path("~/l"), "-H"], input: Array("dots/".utf8) + name + [0])
        #expect(r.status == 0, "\(r)")
        var linked = stat(), original = stat()
        #expect(lstat(cPath(t.home + "/l"), &linked) == 0 && lstat(cPath(t.dots), &original) == 0)
        #expect(linked.st_ino == original.st_ino, "the hard link is to caf\\xe9, not to the decoy")
        #expect(r.stdout.contains("caf\\xe9"), "printed escaped\n\(r)")
    }

    @Test("a wildcard character in a listed directory's name is a name too")
    func wildcardInDirectory() {
        let t = TempTree(dotfiles: "from-dirglob")
        t.file("@/d*r/file", "f\n")
        t.file("@/dxr/file", "decoy\n")
        let r = t.mklnk(["link", "--from", "-", t.path("~/l")], input: Array("dots/d*r/file\n".utf8))
        #expect(r.status == 0, "\(r)")
        #expect(t.names("~/l") == ["file"] && t.linkTarget("~/l/file") == t.path("@/d*r/file"))
    }

    @Test("line mode drops a CR before LF (lists written on Windows); a repeated entry is linked once")
    func crlfAndRepeats() {
        let t = TempTree(dotfiles: "from-crlf")
        t.file("@/a", "a\n")
        t.file("list.txt", "dots/a\r\ndots/a\r\n")
        let r = t.mklnk("link", "--from", "list.txt", t.path("~/l"))
        #expect(r.status == 0, "\(r)")
        #expect(t.names("~/l") == ["a"])
        #expect(r.stderr.contains("list.txt:2:1: warning:"), "\(r)")
    }

    @Test("--null without --from, --from without LINK, an unreadable list")
    func misuse() {
        let t = TempTree(dotfiles: "from-misuse")
        t.file("@/a", "a\n")
        #expect(t.mklnk("link", "--null", t.path("~/l"), t.path("@/a")).status == 64)
        #expect(t.mklnk("link", "--from", "list.txt").status == 64)
        let r = t.mklnk("link", "--from", "nope.txt", t.path("~/l"), "--json", "--counters", "-")
        #expect(r.status == 1 && r.stderr.contains("nope.txt"), "\(r)")
        let doc = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect((doc?["counters"] as? [String: Int])?["_mklnk_errors"] == 1, "one document, with the counters\n\(r)")
        #expect(!t.exists("~/l"))
    }
}
