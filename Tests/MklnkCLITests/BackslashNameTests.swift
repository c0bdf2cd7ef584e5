import MklnkTestSupport
import Testing

/// Audit 3, F30: names print escaped (`\xe9`, `\r`), so a literal backslash prints as `\\`: a
/// file named `caf\xe9` (backslash, x, e, 9) never prints like `caf` + the byte 0xE9.
@Suite struct BackslashNameTests {
    @Test("a name with a backslash and a name with the byte it spells print differently")
    func distinct() {
        let t = TempTree(dotfiles: "backslash-names")
        t.file("@/s/caf\\xe9", "x")
        #expect(Disk.write(Array((t.dots + "/s/caf").utf8) + [0xE9], [0x78]))
        let r = t.mklnk("plan", t.plan("links:\n  o/: \"s/*\"\n"))
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("+ ~/o/caf\\\\xe9 -> \(t.dots)/s/caf\\\\xe9\n"), "\(r)")
        #expect(r.stdout.contains("+ ~/o/caf\\xe9 -> \(t.dots)/s/caf\\xe9\n"), "\(r)")
    }
}
