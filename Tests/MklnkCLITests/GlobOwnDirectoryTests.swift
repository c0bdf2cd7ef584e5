import MklnkTestSupport
import Testing

/// SPEC §4 "idempotent": a glob whose walk passes its own link directory never matches that
/// directory or what an earlier apply made in it (AUDIT3 F12).
@Suite struct GlobOwnDirectoryTests {
    /// Applies twice; the second `plan` has nothing to do and `check` says in sync.
    func expectIdempotent(_ t: TempTree, _ links: String, made: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let plan = t.plan("links:\n" + links)
        let first = t.mklnk("apply", plan)
        #expect(first.status == 0, "\(first)", sourceLocation: sourceLocation)
        for path in made { #expect(t.isSymlink(path), "\(path): \(first)", sourceLocation: sourceLocation) }
        let again = t.mklnk("apply", plan, "--counters", "-")
        #expect(again.status == 0 && again.counters["_mklnk_files"] == 0, "\(again)", sourceLocation: sourceLocation)
        let planned = t.mklnk("plan", plan)
        #expect(planned.status == 0 && planned.stdout.contains("Plan: 0 to create"), "\(planned)",
                sourceLocation: sourceLocation)
        let check = t.mklnk("check", plan)
        #expect(check.status == 0, "\(check)", sourceLocation: sourceLocation)
    }

    @Test("a trailing ** over a tree holding its link directory adds no level on the next apply")
    func doubleStar() {
        let t = TempTree(dotfiles: "glob-own-dir")
        t.file("~/dots/src/a", "a\n")
        expectIdempotent(t, "  ~/dots/out/: \"~/dots/**\"\n", made: ["~/dots/out/src/a"])
        #expect(!t.exists("~/dots/out/out"))
    }

    @Test("a * whose directory holds its link directory never links that directory into itself")
    func star() {
        let t = TempTree(dotfiles: "glob-own-star")
        t.file("~/dots/a", "a\n")
        expectIdempotent(t, "  ~/dots/sub/: \"~/dots/*\"\n", made: ["~/dots/sub/a"])
        #expect(!t.exists("~/dots/sub/sub"))
    }

    @Test("a glob never matches a link another entry of the plan makes, or another entry's directory of links")
    func otherEntries() {
        let t = TempTree(dotfiles: "glob-other-entries")
        t.file("~/dots/src/a", "a\n")
        t.file("~/dots/file", "f\n")
        t.file("~/dots/more/m", "m\n")
        expectIdempotent(t, """
              ~/dots/out/: "~/dots/src/*"
              ~/dots/src/x: ~/dots/file
              ~/dots/all/: "~/dots/*/*"
              ~/dots/src/mirror/: "~/dots/more/*"

            """, made: ["~/dots/out/a", "~/dots/src/x", "~/dots/all/more/m", "~/dots/src/mirror/m"])
        #expect(!t.exists("~/dots/out/x") && !t.exists("~/dots/out/mirror") && !t.exists("~/dots/all/out"))
    }

    @Test("a link directory reached through a symlink is skipped as well")
    func throughSymlink() {
        let t = TempTree(dotfiles: "glob-own-symlink")
        t.file("~/dots/a", "a\n")
        t.directory("~/real/out")
        t.symlink("~/dots/out", t.path("~/real/out"))
        expectIdempotent(t, "  ~/real/out/: \"~/dots/**\"\n", made: ["~/real/out/a"])
    }
}
