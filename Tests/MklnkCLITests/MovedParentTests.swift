import MklnkTestSupport
import Testing

/// Paths the same plan acts on twice, or through a directory it moves: `plan` must say what
/// `apply` does (SPEC §4 "dry run tells the truth"); both were found by the model tests.
@Suite struct MovedParentTests {
    @Test("one link path listed twice in `remove:` (two spellings) is an invalid plan, located with a note")
    func duplicateRemoval() {
        let t = TempTree(dotfiles: "dup-remove")
        t.file("@/t", "t\n")
        t.symlink("~/l", t.dots + "/t")
        let plan = t.plan("remove:\n  - ~/l\n  - l\n")
        // Before: plan listed two deletes and exited 0; apply failed on the second and rolled back.
        let p = t.mklnk("plan", plan)
        #expect(p.status == 65, "\(p)")
        #expect(p.stderr.contains("plan.yaml:5:5: error: ~/l is listed twice in 'remove'"), "\(p)")
        #expect(p.stderr.contains("plan.yaml:4:5: note: first listed here"), "\(p)")
        let a = t.mklnk("apply", plan)
        #expect(a.status == 65 && t.isSymlink("~/l"), "\(a)")
    }

    @Test("a link through a symlink to a directory the plan backs up is a located conflict, never written into the backup")
    func linkThroughBackedUpDirectory() {
        let t = TempTree(dotfiles: "moved-parent")
        t.file("@/t", "t\n")
        t.directory("@/a")
        t.directory("~/realdir")
        t.symlink("~/in", "realdir")
        let plan = t.plan("links:\n  realdir: {target: a, conflict: backup}\n  in/x: t\n")
        // Before: plan predicted `+ ~/in/x`, apply exited 0 with x inside realdir.mklnk-backup-….
        let p = t.mklnk("plan", plan)
        #expect(p.status == 1, "\(p)")
        #expect(p.stdout.contains("! ~/in/x: its parent directory is reached through ~/realdir"), "\(p)")
        #expect(p.stderr.contains("plan.yaml:5:3: error:"), "\(p)")
        let a = t.mklnk("apply", plan)
        #expect(a.status == 1 && !t.isSymlink("~/realdir") && t.names("~/realdir").isEmpty, "\(a)")
        // With --keep-going the backup and the new link happen; x is made nowhere.
        let k = t.mklnk("apply", "--keep-going", plan)
        #expect(t.isSymlink("~/realdir") && !t.exists("@/a/x"), "\(k)")
        for name in t.names("~") where name.hasPrefix("realdir.mklnk-backup-") {
            #expect(t.names("~/" + name).isEmpty, "\(k)")
        }
    }
}
