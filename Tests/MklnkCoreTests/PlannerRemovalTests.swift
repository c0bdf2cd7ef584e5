import MklnkTestSupport
import Testing
@testable import MklnkCore
import MklnkFileSystem

/// `remove:` (MKLNK /D): links only, never a non-link, never a file's last name, counted over
/// the whole plan.
@Suite struct PlannerRemovalTests {
    static func tree() throws -> TempTree {
        try TempTree(fixture: """
            file dots/bashrc alias ll='ls -l'
            dir dots/nvim
            dir home
            """)
    }

    @Test func removesASymlink() throws {
        let tree = try Self.tree()
        tree.symlink("home/.old_bashrc", tree.path("dots/bashrc"))
        let run = try tree.plan("version: 1\nremove:\n  - ~/.old_bashrc\n")
        let a = try #require(run.action(at: "home/.old_bashrc"))
        #expect(a.op == .delete)
        #expect(a.kind == .symlink)
        #expect(a.target == tree.path("dots/bashrc"))
        #expect(a.was.target == tree.path("dots/bashrc"))
        #expect(a.source == SourceLocation(file: tree.planFile, line: 3, column: 5))
        #expect(run.failure == nil)
    }

    @Test func removesADanglingSymlink() throws {
        let tree = try Self.tree()
        tree.symlink("home/.gone", "nowhere")
        let run = try tree.plan("version: 1\nremove: [.gone]\n")
        #expect(run.action(at: "home/.gone")?.op == .delete)
    }

    @Test func anAbsoluteSymlinkToADirectoryIsRemovedAsAJunction() throws {
        let tree = try Self.tree()
        tree.symlink("home/.config/nvim", tree.path("dots/nvim"))
        let run = try tree.plan("version: 1\nremove: [.config/nvim]\n")
        let a = try #require(run.action(at: "home/.config/nvim"))
        #expect(a.op == .delete)
        #expect(a.kind == .junction)
    }

    @Test func removesAHardLinkWithOtherNames() throws {
        let tree = try Self.tree()
        tree.hardLink("home/bashrc", to: "dots/bashrc")
        let run = try tree.plan("version: 1\nremove: [bashrc]\n")
        let a = try #require(run.action(at: "home/bashrc"))
        #expect(a.op == .delete)
        #expect(a.kind == .hardlink)
        #expect(a.was.linkCount == 2)
    }

    @Test func neverRemovesTheOnlyNameOfAFile() throws {
        let tree = try Self.tree()
        tree.file("home/.bashrc", "mine\n")
        let run = try tree.plan("version: 1\nremove: [.bashrc]\n")
        let a = try #require(run.action(at: "home/.bashrc"))
        #expect(a.op == .conflict)
        #expect(a.reason == "it is a regular file with one name, not a link (remove deletes only links)")
        #expect(run.failure == .cannotApply)
    }

    @Test func neverRemovesADirectory() throws {
        let tree = try Self.tree()
        tree.directory("home/.vim")
        let run = try tree.plan("version: 1\nremove: [.vim]\n")
        let a = try #require(run.action(at: "home/.vim"))
        #expect(a.op == .conflict)
        #expect(a.reason == "it is a directory, not a link (remove deletes only links)")
        #expect(run.failure == .cannotApply)
    }

    @Test func theLastNameIsCountedOverTheWholePlan() throws {
        // A file with exactly two names, both listed: the first goes, the second is its last name.
        let tree = try Self.tree()
        tree.file("home/a", "shared\n")
        tree.hardLink("home/b", to: "home/a")
        let run = try tree.plan("version: 1\nremove: [a, b]\n")
        #expect(run.summary == ["delete home/a", "conflict home/b"])
        #expect(run.action(at: "home/b")?.reason
                == "it is the last link to its file (remove never deletes a file's last name)")
        #expect(run.failure == .cannotApply)
    }

    @Test func threeNamesTwoRemovedIsFine() throws {
        let tree = try Self.tree()
        tree.file("home/a", "shared\n")
        tree.hardLink("home/b", to: "home/a")
        tree.hardLink("home/c", to: "home/a")
        let run = try tree.plan("version: 1\nremove: [a, c]\n")
        #expect(run.summary == ["delete home/a", "delete home/c"])
    }

    @Test func nothingThereIsNothingToDo() throws {
        let tree = try Self.tree()
        let run = try tree.plan("version: 1\nremove: [.never_existed]\n")
        #expect(run.actions.isEmpty)
        #expect(run.errors.isEmpty)
    }

    @Test func removalsComeFirst() throws {
        let tree = try Self.tree()
        tree.symlink("home/.old", "x")
        let run = try tree.plan("version: 1\nlinks:\n  .bashrc: bashrc\nremove: [.old]\n")
        #expect(run.summary == ["delete home/.old", "create home/.bashrc"])
    }

    @Test func aPathBothLinkedAndRemovedIsAnInvalidPlan() throws {
        let tree = try Self.tree()
        let run = try tree.plan("version: 1\nlinks:\n  .bashrc: bashrc\nremove: [.bashrc]\n")
        let e = try #require(run.errors.first)
        #expect(e.message == "\(tree.path("home/.bashrc")) is both linked and removed")
        #expect(e.failure == .invalidPlan)
        #expect(e.notes.first?.location == SourceLocation(file: tree.planFile, line: 3, column: 3))
    }

    /// A directory that was one link, now linked file by file.
    static let migration = """
        version: 1
        base: ~/dotfiles
        links:
          .config/nvim/init.vim: nvim/init.vim
        remove: [.config/nvim]
        """

    @Test func aLinkMovesIntoWhatWasASymlinkedDirectory() throws {
        // The usual migration: the whole directory was one link; now its files are linked one
        // by one. The link beneath the removed one must see nothing there and make the directory.
        let tree = try Self.tree()
        tree.file("home/dotfiles/nvim/init.vim", "set number\n")
        tree.symlink("home/.config/nvim", tree.path("home/dotfiles/nvim"))
        let run = try tree.plan(Self.migration)
        #expect(run.errors.isEmpty, "\(run.messages)")
        #expect(run.summary == ["delete home/.config/nvim", "create home/.config/nvim/init.vim"])
        let a = try #require(run.action(at: "home/.config/nvim/init.vim"))
        #expect(a.was == .absent)
        #expect(a.parents == [tree.path("home/.config/nvim")])
    }

    @Test func theMigrationPlanIsIdempotentOnceApplied() throws {
        // After the plan above was applied, the removed link's path is the directory the plan
        // needs: there is no link left to remove, and nothing to do (SPEC §4, idempotent).
        let tree = try Self.tree()
        tree.file("home/dotfiles/nvim/init.vim", "set number\n")
        tree.symlink("home/.config/nvim/init.vim", tree.path("home/dotfiles/nvim/init.vim"))
        let run = try tree.plan(Self.migration)
        #expect(run.errors.isEmpty, "\(run.messages)")
        #expect(run.summary == ["unchanged home/.config/nvim/init.vim"])
        #expect(run.failure == nil)
    }

    @Test func aDirectoryThatNoPlannedLinkNeedsIsStillAConflict() throws {
        let tree = try Self.tree()
        tree.file("home/.config/nvim/init.vim", "mine\n")
        let run = try tree.plan("""
            version: 1
            links:
              .config/other: bashrc
            remove: [.config/nvim]
            """)
        #expect(run.action(at: "home/.config/nvim")?.op == .conflict)
    }
}
