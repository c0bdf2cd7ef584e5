import MklnkTestSupport
import Testing

/// A backup is NAME.mklnk-backup-<timestamp>: a file whose name leaves no room for that suffix
/// within 255 bytes is a conflict at plan time, not a rename that fails half way through the
/// apply with a name nothing can look up again (audit2 E5: the user's file was left under a
/// scratch name and every later command failed in recovery).
@Suite struct BackupNameLengthTests {
    static let tooLong = String(repeating: "n", count: 227)
    static let fits = String(repeating: "k", count: 220)

    @Test("plan and apply refuse a backup whose name would not fit; the file stays, later commands run")
    func tooLongIsAConflict() {
        let t = TempTree(dotfiles: "backup-too-long")
        t.file("@/a", "a\n")
        t.file("~/" + Self.tooLong, "precious\n")
        let plan = t.plan("links:\n  \(Self.tooLong): { target: a, conflict: backup }\n")
        let p = t.mklnk("plan", plan)
        #expect(p.status == 1, "\(p)")
        #expect(p.stdout.contains("! ~/\(Self.tooLong)"), "\(p)")
        #expect(p.stderr.contains("too long for the backup name"), "\(p)")
        let r = t.mklnk("apply", plan)
        #expect(r.status == 1, "\(r)")
        #expect(t.contents("~/" + Self.tooLong) == "precious\n", "\(r)")
        #expect(t.names("~").filter { $0.hasPrefix(".mklnk-") }.isEmpty, "a scratch name was left: \(t.names("~"))")
        #expect(t.mklnk("recover").status == 0)
        let other = t.plan("links:\n  .b: a\n", name: "other.yaml")
        #expect(t.mklnk("apply", other).status == 0)
        let link = t.mklnk("link", "--backup", t.path("~/" + Self.tooLong), t.path("@/a"))
        #expect(link.status == 1, "\(link)")
        #expect(t.contents("~/" + Self.tooLong) == "precious\n", "\(link)")
    }

    @Test("a name that leaves room for the suffix is backed up as before")
    func fitsIsBackedUp() {
        let t = TempTree(dotfiles: "backup-fits")
        t.file("@/a", "a\n")
        t.file("~/" + Self.fits, "precious\n")
        let plan = t.plan("links:\n  \(Self.fits): { target: a, conflict: backup }\n")
        let r = t.mklnk("apply", plan)
        #expect(r.status == 0, "\(r)")
        #expect(t.isSymlink("~/" + Self.fits))
        let backup = t.names("~").first { $0.hasPrefix(Self.fits + ".mklnk-backup-") }
        #expect(backup.map { t.contents("~/" + $0) } == "precious\n", "\(t.names("~"))")
    }
}
