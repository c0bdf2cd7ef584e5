import Testing
@testable import MklnkCore
import MklnkFileSystem

/// Pruning (SPEC §4): a link an earlier apply made that the plan no longer lists is deleted, but
/// only while it is exactly as mklnk left it. The state is written where `plan` reads it.
@Suite struct PlannerPruneTests {
    static func tree() throws -> TempTree {
        let tree = try TempTree()
        try tree.file("dots/vim/vimrc", "set nocompatible\n")
        try tree.file("dots/old", "old\n")
        try tree.dir("dots/nvim")
        try tree.dir("home")
        return tree
    }

    static let plan = "version: 1\nlinks:\n  .vimrc: vim/vimrc\n"

    static func symlinkRecord(_ tree: TempTree, _ path: String, _ stored: String) -> RecordedLink {
        RecordedLink(path: tree.path(path), kind: .symlink, stored: stored, device: 0, inode: 0)
    }

    static func hardlinkRecord(_ tree: TempTree, _ path: String, _ target: String) throws -> RecordedLink {
        let st = try #require(tree.status(path))
        return RecordedLink(path: tree.path(path), kind: .hardlink, stored: tree.path(target),
                            device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    @Test func deletesAnUnlistedLinkThatIsAsItWasLeft() throws {
        let tree = try Self.tree()
        try tree.symlink("home/.old", to: tree.path("dots/old"))
        let run = try tree.plan(Self.plan, state: [Self.symlinkRecord(tree, "home/.old", tree.path("dots/old"))])
        #expect(run.summary == ["delete home/.old", "create home/.vimrc"])
        let a = try #require(run.action(at: "home/.old"))
        #expect(a.reason == "no longer in the plan")
        #expect(a.kind == .symlink)
        #expect(a.target == tree.path("dots/old"))
    }

    @Test func keepsAnUnlistedLinkThatWasChanged() throws {
        let tree = try Self.tree()
        try tree.symlink("home/.old", to: "/somewhere/else")
        let run = try tree.plan(Self.plan, state: [Self.symlinkRecord(tree, "home/.old", tree.path("dots/old"))])
        #expect(run.summary == ["create home/.vimrc"])
    }

    @Test func keepsAFileThatReplacedAnUnlistedLink() throws {
        let tree = try Self.tree()
        try tree.file("home/.old", "the user's own file now\n")
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
        try tree.symlink("home/.vimrc", to: tree.path("dots/vim/vimrc"))
        let run = try tree.plan(Self.plan, state: [Self.symlinkRecord(tree, "home/.vimrc", tree.path("dots/vim/vimrc"))])
        #expect(run.summary == ["unchanged home/.vimrc"])
    }

    @Test func noPruneKeepsEverything() throws {
        let tree = try Self.tree()
        try tree.symlink("home/.old", to: tree.path("dots/old"))
        let run = try tree.plan(Self.plan, state: [Self.symlinkRecord(tree, "home/.old", tree.path("dots/old"))],
                                prune: false)
        #expect(run.summary == ["create home/.vimrc"])
    }

    @Test func deletesAnUnlistedHardLinkWithTheSameInode() throws {
        let tree = try Self.tree()
        try tree.hardlink("home/old", to: "dots/old")
        let run = try tree.plan(Self.plan, state: [try Self.hardlinkRecord(tree, "home/old", "dots/old")])
        let a = try #require(run.action(at: "home/old"))
        #expect(a.op == .delete)
        #expect(a.kind == .hardlink)
    }

    @Test func keepsAnUnlistedHardLinkThatIsAnotherFileNow() throws {
        let tree = try Self.tree()
        try tree.hardlink("home/old", to: "dots/old")
        let record = try Self.hardlinkRecord(tree, "home/old", "dots/old")
        #expect(unlink(tree.path("home/old")) == 0)
        try tree.hardlink("home/old", to: "dots/vim/vimrc")
        let run = try tree.plan(Self.plan, state: [record])
        #expect(run.summary == ["create home/.vimrc"])
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
