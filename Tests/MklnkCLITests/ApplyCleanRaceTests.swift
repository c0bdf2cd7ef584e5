import MklnkTestSupport
import Testing

/// SPEC §1 `clean:` deletes only dangling symlinks, and §4 "Checked at the moment of acting"
/// (AUDIT3 F4): the user restores a clean link's target while the apply runs. The link must
/// stay, at its name, whether the target came back before the link was moved out or after.
@Suite(.serialized) struct ApplyCleanRaceTests {
    private func tree(_ label: String) -> (TempTree, String) {
        let t = TempTree(dotfiles: label)
        t.directory("@")
        t.symlink("~/.dang", t.path("@/gone"))
        return (t, t.plan("clean: [~/]\n"))
    }

    @Test("clean: the target is restored before the link is moved out; the link stays and the apply fails")
    func targetRestoredBeforeTheMove() throws {
        let (t, plan) = tree("clean-race-before")
        let run = try PausedRun(t, ["apply", plan])
        #expect(run.wait(until: { t.exists(t.state + "/journal") }), "the apply never reached its rename")
        t.file("@/gone", "restored\n")
        let r = run.finish()
        #expect(r.status == 1, "\(r)")
        #expect(t.linkTarget("~/.dang") == t.path("@/gone"), "the now-live link was deleted: \(t.snapshot())")
        #expect(t.scratchNames().isEmpty, "left under a scratch name: \(t.scratchNames())")
        #expect(r.stderr.contains("target exists now"), "\(r)")
    }

    @Test("clean: the target is restored after the link was moved out; it is put back at its name")
    func targetRestoredAfterTheMove() throws {
        let (t, plan) = tree("clean-race-after")
        let run = try PausedRun(t, ["apply", plan], pauseAt: "syncfs")
        #expect(run.wait(until: { !t.scratchNames().isEmpty }), "the apply never moved the link out")
        t.file("@/gone", "restored\n")
        let r = run.finish()
        #expect(t.linkTarget("~/.dang") == t.path("@/gone"), "the now-live link was deleted: \(r) \(t.snapshot())")
        #expect(t.scratchNames().isEmpty, "left under a scratch name: \(t.scratchNames())")
        #expect(r.stderr.contains("target exists now"), "\(r)")
    }
}
