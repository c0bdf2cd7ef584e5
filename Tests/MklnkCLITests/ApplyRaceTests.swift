import MklnkTestSupport
import Testing

/// SPEC §4 "Checked at the moment of acting" (issue 9, defects 2 and 3): the tree changes while
/// the apply runs. The binary is paused under strace on entry to the rename that moves the
/// planned entry away; the test changes the tree meanwhile; the apply must notice, put back
/// what it moved, roll back and exit 1, never losing or hiding a user's file.
@Suite(.serialized) struct ApplyRaceTests {
    /// The first step's rename, reached: the scratch link is made (updates, backups) or the
    /// journal is written (deletes).
    private func paused(_ t: TempTree, _ args: String..., until ready: @escaping () -> Bool) throws -> PausedRun {
        let run = try PausedRun(t, args)
        #expect(run.wait(until: ready), "the apply never reached its first rename")
        return run
    }

    @Test("update: the symlink is replaced by a regular file during the apply; the file stays at its name")
    func updateRacesFile() throws {
        let t = TempTree(dotfiles: "race-update")
        t.file("@/t", "new target\n")
        t.symlink("~/.x", "/old")
        let plan = t.plan("links:\n  .x: t\n")
        let run = try paused(t, "apply", plan) { !t.scratchNames().isEmpty }
        t.removeFile("~/.x")
        t.file("~/.x", "the user's new file\n")
        let r = run.finish()
        #expect(r.status == 1, "\(r)")
        #expect(t.contents("~/.x") == "the user's new file\n", "the user's file is not at its name: \(t.snapshot())")
        #expect(t.scratchNames().isEmpty, "left under a scratch name: \(t.scratchNames())")
        #expect(r.stderr.contains("changed since it was planned") && r.stderr.contains("rolled back"), "\(r)")
    }

    @Test("remove: the link is replaced by a regular file during the apply; the file stays at its name")
    func removeRacesFile() throws {
        let t = TempTree(dotfiles: "race-remove")
        t.file("@/f", "f\n")
        t.symlink("~/.old", "/nowhere")
        let plan = t.plan("links:\n  f: f\nremove:\n  - ~/.old\n")
        let run = try paused(t, "apply", plan) { t.exists(t.state + "/journal") }
        t.removeFile("~/.old")
        t.file("~/.old", "the user's file\n")
        let r = run.finish()
        #expect(r.status == 1, "\(r)")
        #expect(t.contents("~/.old") == "the user's file\n", "\(t.snapshot())")
        #expect(t.scratchNames().isEmpty, "left under a scratch name: \(t.scratchNames())")
        #expect(!t.exists("~/f"), "not rolled back")
    }

    @Test("backup: the file in the way is replaced during the apply; the new one stays at its name")
    func backupRacesFile() throws {
        let t = TempTree(dotfiles: "race-backup")
        t.file("@/bashrc", "export A=1\n")
        t.file("~/.bashrc", "planned file\n")
        let plan = t.plan("links:\n  .bashrc: { target: bashrc, conflict: backup }\n")
        let run = try paused(t, "apply", plan) { !t.scratchNames().isEmpty }
        t.replaceByRename("~/.bashrc", "written meanwhile\n")
        let r = run.finish()
        #expect(r.status == 1, "\(r)")
        #expect(t.contents("~/.bashrc") == "written meanwhile\n", "\(t.snapshot())")
        #expect(t.scratchNames().isEmpty, "left under a scratch name: \(t.scratchNames())")
        #expect(!t.names("~").contains { $0.contains("mklnk-backup") }, "\(t.snapshot())")
    }

    @Test("stale hard-link repair: the old file is edited in place during the apply; the edit is kept")
    func staleRepairRacesEdit() throws {
        let t = TempTree(dotfiles: "race-stale")
        t.file("@/tool", "v1\n")
        let plan = t.plan("links:\n  tool: { target: tool, kind: hardlink }\n")
        #expect(t.mklnk("apply", plan).status == 0)
        t.replaceByRename("@/tool", "v1\n")  // git checkout: same bytes, new inode
        let inode = t.inode("~/tool")
        let run = try paused(t, "apply", plan) { !t.scratchNames().isEmpty }
        t.file("~/tool", "v1, edited in place\n")  // O_TRUNC write: same inode, as vim does to a hard link
        let r = run.finish()
        #expect(r.status == 1, "\(r)")
        #expect(t.contents("~/tool") == "v1, edited in place\n", "the edit was lost: \(t.snapshot())")
        #expect(t.inode("~/tool") == inode)
        #expect(t.scratchNames().isEmpty, "left under a scratch name: \(t.scratchNames())")
        #expect(r.stderr.contains("bytes"), "\(r)")
    }

    @Test("remove of a hard link: its other name is deleted during the apply; the last name is kept")
    func removeHardLinkRacesOtherName() throws {
        let t = TempTree(dotfiles: "race-hardlink")
        t.file("@/h", "the only copy\n")
        t.hardLink("~/h1", to: "@/h")
        let plan = t.plan("remove:\n  - ~/h1\n")
        let run = try paused(t, "apply", plan) { t.exists(t.state + "/journal") }
        t.removeFile("@/h")
        let r = run.finish()
        #expect(r.status == 1, "\(r)")
        #expect(t.contents("~/h1") == "the only copy\n", "the last name was removed: \(t.snapshot())")
        #expect(t.scratchNames().isEmpty, "left under a scratch name: \(t.scratchNames())")
        #expect(r.stderr.contains("last link"), "\(r)")
    }

    @Test("remove of a hard link: its other name is deleted while the committed apply unlinks the trash; the bytes are kept at its name")
    func removeHardLinkRacesCleanup() throws {
        let t = TempTree(dotfiles: "race-cleanup")
        t.file("@/h", "the only copy\n")
        t.hardLink("~/h1", to: "@/h")
        let plan = t.plan("remove:\n  - ~/h1\n")
        // Paused on entry to the unlink of the trash, after the commit (and after any check before it).
        let run = try PausedRun(t, ["apply", plan], pauseAt: "unlinkat", call: 1)
        #expect(run.wait { t.exists(t.state + "/journal.commit") }, "the apply never committed")
        t.removeFile("@/h")
        let r = run.finish()
        #expect(t.contents("~/h1") == "the only copy\n", "the last name was unlinked: \(r)\n\(t.snapshot())")
        #expect(r.stderr.contains("kept") && r.stderr.contains("last link"), "\(r)")
        #expect(t.scratchNames().isEmpty, "left under a scratch name: \(t.scratchNames())")
    }

    @Test("a create whose path is taken during the apply leaves what is there, even an identical link")
    func createRacesIdenticalLink() throws {
        let t = TempTree(dotfiles: "race-create")
        t.file("@/a", "a\n")
        t.file("@/b", "b\n")
        t.symlink("~/.x", "/old")
        // The update's rename comes first; the create after it finds its path taken.
        let plan = t.plan("links:\n  .x: a\n  y: b\n")
        let run = try paused(t, "apply", plan) { !t.scratchNames().isEmpty }
        t.symlink("~/y", t.path("@/b"))
        let r = run.finish()
        #expect(r.status == 1, "\(r)")
        #expect(t.linkTarget("~/y") == t.path("@/b"), "someone else's identical link was rolled back: \(t.snapshot())")
        #expect(t.linkTarget("~/.x") == "/old")
    }
}
