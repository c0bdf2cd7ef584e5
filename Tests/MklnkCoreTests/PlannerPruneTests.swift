import MklnkTestSupport
import Testing
@testable import MklnkCore
import MklnkFileSystem

/// Pruning (SPEC §4): a link an earlier apply made that the plan no longer lists is deleted, but
/// only while it is exactly as mklnk left it. The state is written where `plan` reads it.
@Suite struct PlannerPruneTests {
    static func tree() throws -> TempTree {
        try TempTree(fixture: """
            file dots/vim/vimrc set nocompatible
            file dots/old old
            dir dots/nvim
            dir home
            """)
    }

    static let plan = "version: 1\nlinks:\n  .vimrc: vim/vimrc\n"

    static func symlinkRecord(_ tree: TempTree, _ path: String, _ stored: String) -> RecordedLink {
        RecordedLink(path: Path(tree.path(path)), kind: .symlink, stored: Path(stored), device: 0, inode: 0)
    }

    static func hardlinkRecord(_ tree: TempTree, _ path: String, _ target: String) throws -> RecordedLink {
        let st = try #require(tree.status(path))
        return RecordedLink(path: Path(tree.path(path)), kind: .hardlink, stored: Path(tree.path(target)),
                            device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    @Test func deletesAnUnlistedLinkThatIsAsItWasLeft() throws {
        let tree = try Self.tree()
        tree.symlink("home/.old", tree.path("dots/old"))
        let run = try tree.plan(Self.plan, state: [Self.symlinkRecord(tree, "home/.old", tree.path("dots/old"))])
        #expect(run.summary == ["delete home/.old", "create home/.vimrc"])
        let a = try #require(run.action(at: "home/.old"))
        #expect(a.reason == "no longer in the plan")
        #expect(a.kind == .symlink)
        #expect(a.target == tree.path("dots/old"))
    }

    @Test func keepsAnUnlistedLinkThatWasChanged() throws {
        let tree = try Self.tree()
        tree.symlink("home/.old", "/somewhere/else")
        let run = try tree.plan(Self.plan, state: [Self.symlinkRecord(tree, "home/.old", tree.path("dots/old"))])
        #expect(run.summary == ["create home/.vimrc"])
    }

    @Test func keepsAFileThatReplacedAnUnlistedLink() throws {
        let tree = try Self.tree()
        tree.file("home/.old", "the user's own file now\n")
        let run = try tree.plan(Self.plan, state: [Self.symlinkRecord(tree, "home/.old", tree.path("dots/old"))])
        #expect(run.summary == ["create home/.vimrc"])
    }

    @Test func aRecordWhoseLinkIsGoneIsNothingToDo() throws {
        let tree = try Self.tree()
        let run = try tree.plan(Self.plan, state: [Self.symlinkRecord(tree, "home/.old", tree.path("dots/old"))])
        #expect(run.summary == ["create home/.vimrc"])
    }

    @Test func aListedLinkIsNeverPruned() throws {
        let tree = try Self.tree()
        tree.symlink("home/.vimrc", tree.path("dots/vim/vimrc"))
        let run = try tree.plan(Self.plan, state: [Self.symlinkRecord(tree, "home/.vimrc", tree.path("dots/vim/vimrc"))])
        #expect(run.summary == ["unchanged home/.vimrc"])
    }

    @Test func noPruneKeepsEverything() throws {
        let tree = try Self.tree()
        tree.symlink("home/.old", tree.path("dots/old"))
        let run = try tree.plan(Self.plan, state: [Self.symlinkRecord(tree, "home/.old", tree.path("dots/old"))],
                                prune: false)
        #expect(run.summary == ["create home/.vimrc"])
    }

    @Test func deletesAnUnlistedHardLinkWithTheSameInode() throws {
        let tree = try Self.tree()
        tree.hardLink("home/old", to: "dots/old")
        let run = try tree.plan(Self.plan, state: [try Self.hardlinkRecord(tree, "home/old", "dots/old")])
        let a = try #require(run.action(at: "home/old"))
        #expect(a.op == .delete)
        #expect(a.kind == .hardlink)
    }

    @Test func keepsAnUnlistedHardLinkThatIsAnotherFileNow() throws {
        let tree = try Self.tree()
        tree.hardLink("home/old", to: "dots/old")
        let record = try Self.hardlinkRecord(tree, "home/old", "dots/old")
        #expect(unlink(tree.path("home/old")) == 0)
        tree.hardLink("home/old", to: "dots/vim/vimrc")
        let run = try tree.plan(Self.plan, state: [record])
        #expect(run.summary == ["create home/.vimrc"])
    }

    @Test func neverPrunesTheLastNameOfAFile() throws {
        // Two hard links mklnk made to one file whose own name was deleted since: the file now
        // lives only in those two names. Pruning both would delete it.
        let tree = try Self.tree()
        tree.hardLink("home/bin/a", to: "dots/old")
        tree.hardLink("home/bin/b", to: "dots/old")
        let records = [try Self.hardlinkRecord(tree, "home/bin/a", "dots/old"),
                       try Self.hardlinkRecord(tree, "home/bin/b", "dots/old")]
        #expect(unlink(tree.path("dots/old")) == 0)
        let run = try tree.plan(Self.plan, state: records)
        #expect(run.errors.isEmpty, "\(run.messages)")
        let deletes = run.actions.filter { $0.op == .delete }
        #expect(deletes.map { tree.relative($0.path.description) } == ["home/bin/a"])
        let kept = try #require(run.action(at: "home/bin/b"))
        #expect(kept.op == .skip)
        #expect(kept.reason == "it is the last link to its file; kept though no longer in the plan")
    }

    @Test func neverPrunesTheLastNameLeftByARemoval() throws {
        let tree = try Self.tree()
        tree.file("home/notes", "mine\n")
        tree.hardLink("home/bin/notes", to: "home/notes")
        let record = try Self.hardlinkRecord(tree, "home/bin/notes", "home/notes")
        let run = try tree.plan(Self.plan + "remove: [notes]\n", state: [record])
        #expect(run.action(at: "home/notes")?.op == .delete)
        #expect(run.action(at: "home/bin/notes")?.op == .skip)
    }

    /// `~/.config/nvim`, a directory link an earlier apply made (and its record), to be pruned.
    static func prunedDirectoryLink() throws -> (TempTree, RecordedLink) {
        let tree = try Self.tree()
        tree.file("home/dotfiles/nvim/init.vim", "set number\n")
        tree.symlink("home/.config/nvim", tree.path("home/dotfiles/nvim"))
        return (tree, RecordedLink(path: Path(tree.path("home/.config/nvim")), kind: .junction,
                                   stored: Path(tree.path("home/dotfiles/nvim")), device: 0, inode: 0))
    }

    /// Beneath the pruned directory link the directory is made anew: a relative target is
    /// computed from there, not from where the old link led (that made `init.vim -> init.vim`).
    @Test func aRelativeLinkIntoWhatWasAPrunedDirectoryLink() throws {
        let (tree, record) = try Self.prunedDirectoryLink()
        let run = try tree.plan("""
            version: 1
            base: ~/dotfiles
            links:
              .config/nvim/init.vim: { target: nvim/init.vim, relative: true }
            """, state: [record])
        #expect(run.errors.isEmpty, "\(run.messages)")
        #expect(run.summary == ["delete home/.config/nvim", "create home/.config/nvim/init.vim"])
        #expect(run.action(at: "home/.config/nvim/init.vim")?.target == Path("../../dotfiles/nvim/init.vim"))
    }

    @Test func aLinkMovesIntoWhatWasAPrunedDirectoryLink() throws {
        // The earlier apply linked the whole directory; now the plan links a file inside it.
        let (tree, record) = try Self.prunedDirectoryLink()
        let run = try tree.plan("""
            version: 1
            base: ~/dotfiles
            links:
              .config/nvim/init.vim: nvim/init.vim
            """, state: [record])
        #expect(run.errors.isEmpty, "\(run.messages)")
        #expect(run.summary == ["delete home/.config/nvim", "create home/.config/nvim/init.vim"])
        let a = try #require(run.action(at: "home/.config/nvim/init.vim"))
        #expect(a.was == .absent)
        #expect(a.parents == [tree.path("home/.config/nvim")])
    }

    @Test func prunesComeInPathOrderAfterRemovalsAndBeforeLinks() throws {
        let tree = try Self.tree()
        for name in ["z", "a", "m"] { tree.symlink("home/.\(name)", tree.path("dots/old")) }
        tree.symlink("home/.removed", "x")
        let records = ["z", "a", "m", "vimrc"].map { Self.symlinkRecord(tree, "home/.\($0)", tree.path("dots/old")) }
        let run = try tree.plan(Self.plan + "remove: [.removed]\n", state: records)
        #expect(run.summary == ["delete home/.removed", "delete home/.a", "delete home/.m", "delete home/.z",
                                "create home/.vimrc"])
    }

    @Test func aListedLinkThatCannotBeResolvedIsNeverPruned() throws {
        // .old is still in the plan, but its target went missing: an error, and not "no longer
        // in the plan". The rest of the plan is planned.
        let tree = try Self.tree()
        tree.symlink("home/.old", tree.path("dots/gone"))
        let run = try tree.plan(Self.plan + "  .old: gone\n",
                                state: [Self.symlinkRecord(tree, "home/.old", tree.path("dots/gone"))])
        #expect(run.errors.count == 1)
        #expect(run.failure == .cannotApply)
        // A conflict (audit 2 E7), never a delete.
        #expect(run.summary == ["create home/.vimrc", "conflict home/.old"])
        #expect(run.graph?.unresolved == [Path(tree.path("home/.old"))])
    }

    @Test func linksInACycleAreNeitherPlannedNorPruned() throws {
        let tree = try Self.tree()
        tree.symlink("home/.a", tree.path("home/.b"))
        let run = try tree.graph("version: 1\nlinks:\n  .a: ~/.b\n  .b: ~/.a\n")
        #expect(run.graph?.unresolved == [Path(tree.path("home/.a")), Path(tree.path("home/.b"))])
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
