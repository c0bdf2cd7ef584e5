#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkTestSupport
import Testing
@testable import MklnkCore
import MklnkFileSystem

/// The planner's decision for one link path (SPEC §1 entry options, §3 markers), against real
/// temporary directories.
@Suite struct PlannerLinkTests {
    /// `dots/` with a few targets and an empty `home/`.
    static func dotfiles() throws -> TempTree {
        try TempTree(fixture: CoreTrees.vimAndGit + "exec dots/tools/tool #!/bin/sh\n")
    }

    // MARK: create

    @Test func createsAMissingLink() throws {
        let tree = try Self.dotfiles()
        let run = try tree.plan("version: 1\nlinks:\n  .vimrc: vim/vimrc\n")
        #expect(run.errors.isEmpty, "\(run.messages)")
        let a = try #require(run.action(at: "home/.vimrc"))
        #expect(a.op == .create)
        #expect(a.kind == .symlink)
        #expect(a.target == tree.path("dots/vim/vimrc"))
        #expect(a.was == .absent)
        #expect(a.parents.isEmpty)
        #expect(a.source == SourceLocation(file: tree.planFile, line: 3, column: 3))
        #expect(run.failure == nil)
    }

    @Test func createsMissingParentsOutermostFirstAndOnlyOnce() throws {
        let tree = try Self.dotfiles()
        let run = try tree.plan("""
            version: 1
            links:
              .config/nvim/init.vim: vim/vimrc
              .config/nvim/other: git/config
            """)
        #expect(run.errors.isEmpty, "\(run.messages)")
        let first = try #require(run.action(at: "home/.config/nvim/init.vim"))
        #expect(first.op == .create)
        #expect(first.parents == [tree.path("home/.config"), tree.path("home/.config/nvim")])
        let second = try #require(run.action(at: "home/.config/nvim/other"))
        #expect(second.op == .create)
        #expect(second.parents.isEmpty, "the first link already makes the directories")
    }

    @Test func missingParentWithParentsFalseIsAConflict() throws {
        let tree = try Self.dotfiles()
        let run = try tree.plan("""
            version: 1
            links:
              .config/git/config: { target: git/config, parents: false }
            """)
        let a = try #require(run.action(at: "home/.config/git/config"))
        #expect(a.op == .conflict)
        #expect(a.reason == "the parent directory \(tree.path("home/.config")) does not exist (parents: false)")
        #expect(run.failure == .cannotApply)
    }

    @Test func existingParentDirectoryIsNotRecreated() throws {
        let tree = try Self.dotfiles()
        tree.directory("home/.config")
        let run = try tree.plan("version: 1\nlinks:\n  .config/gitconfig: git/config\n")
        #expect(run.action(at: "home/.config/gitconfig")?.parents == [])
    }

    @Test func aParentSymlinkInsideTheRootIsFollowed() throws {
        let tree = try Self.dotfiles()
        tree.directory("home/real")
        tree.symlink("home/.cfg", "real")
        let run = try tree.plan("version: 1\nlinks:\n  .cfg/gitconfig: git/config\n")
        #expect(run.errors.isEmpty, "\(run.messages)")
        let a = try #require(run.action(at: "home/.cfg/gitconfig"))
        #expect(a.op == .create)
        #expect(a.parents.isEmpty)
    }

    @Test func aParentSymlinkLeadingOutsideTheRootIsAConflict() throws {
        let tree = try Self.dotfiles()
        tree.directory("elsewhere")
        tree.symlink("home/.config", tree.path("elsewhere"))
        let run = try tree.plan("version: 1\nlinks:\n  .config/gitconfig: git/config\n")
        let a = try #require(run.action(at: "home/.config/gitconfig"))
        #expect(a.op == .conflict)
        #expect(a.reason == "the parent \(tree.path("home/.config")) is a symlink that leads outside the root")
        #expect(run.failure == .cannotApply)
        #expect(!tree.exists("elsewhere/gitconfig"))
    }

    @Test func aParentSymlinkLeadingOutsideTheRootIsAConflictWhenParentsAreMissing() throws {
        let tree = try Self.dotfiles()
        tree.directory("elsewhere")
        tree.symlink("home/.config", "../elsewhere")
        let run = try tree.plan("version: 1\nlinks:\n  .config/git/config: git/config\n")
        let a = try #require(run.action(at: "home/.config/git/config"))
        #expect(a.op == .conflict)
        #expect(a.reason?.contains("leads outside the root") == true, "\(a.reason ?? "")")
    }

    @Test func aParentThatIsARegularFileIsAConflict() throws {
        let tree = try Self.dotfiles()
        tree.file("home/.config", "not a directory")
        let run = try tree.plan("version: 1\nlinks:\n  .config/git/config: git/config\n")
        let a = try #require(run.action(at: "home/.config/git/config"))
        #expect(a.op == .conflict)
        #expect(a.reason == "the parent \(tree.path("home/.config")) is a regular file")
    }

    @Test func aParentThatIsASpecialFileIsAConflict() throws {
        let tree = try Self.dotfiles()
        #expect(mkfifo(tree.path("home/.config"), 0o644) == 0)
        let run = try tree.plan("version: 1\nlinks:\n  .config/git/config: git/config\n")
        #expect(run.action(at: "home/.config/git/config")?.reason == "the parent \(tree.path("home/.config")) is a special file")
    }

    // MARK: update and unchanged

    @Test func updatesASymlinkWithAnotherTarget() throws {
        let tree = try Self.dotfiles()
        tree.symlink("home/.gitconfig", "/etc/gitconfig")
        let run = try tree.plan("version: 1\nlinks:\n  .gitconfig: git/config\n")
        let a = try #require(run.action(at: "home/.gitconfig"))
        #expect(a.op == .update)
        #expect(a.target == tree.path("dots/git/config"))
        #expect(a.was.kind == .symlink)
        #expect(a.was.target == "/etc/gitconfig")
        #expect(run.failure == nil)
    }

    @Test func relinkFalseMakesAnotherSymlinkAConflict() throws {
        let tree = try Self.dotfiles()
        tree.symlink("home/.gitconfig", "/etc/gitconfig")
        let run = try tree.plan("version: 1\nlinks:\n  .gitconfig: { target: git/config, relink: false }\n")
        let a = try #require(run.action(at: "home/.gitconfig"))
        #expect(a.op == .conflict)
        #expect(a.reason == "a symlink to /etc/gitconfig is in the way (relink: false)")
        #expect(run.failure == .cannotApply)
    }

    @Test func sameTargetStringIsUnchangedEvenWithRelinkFalse() throws {
        let tree = try Self.dotfiles()
        tree.symlink("home/.vimrc", tree.path("dots/vim/vimrc"))
        let run = try tree.plan("version: 1\nlinks:\n  .vimrc: { target: vim/vimrc, relink: false }\n")
        #expect(run.action(at: "home/.vimrc")?.op == .unchanged)
        #expect(run.failure == nil)
    }

    @Test func anotherStringForTheSameFileIsAnUpdate() throws {
        // SPEC: unchanged means the same target *string*; a relative link to the same file differs.
        let tree = try Self.dotfiles()
        tree.symlink("home/.vimrc", "../dots/vim/vimrc")
        let run = try tree.plan("version: 1\nlinks:\n  .vimrc: vim/vimrc\n")
        let a = try #require(run.action(at: "home/.vimrc"))
        #expect(a.op == .update)
        #expect(a.was.target == "../dots/vim/vimrc")
    }

    @Test func relativeLinkWithTheSameStringIsUnchanged() throws {
        let tree = try Self.dotfiles()
        tree.symlink("home/.vimrc", "../dots/vim/vimrc")
        let run = try tree.plan("version: 1\nlinks:\n  .vimrc: { target: vim/vimrc, relative: true }\n")
        #expect(run.action(at: "home/.vimrc")?.op == .unchanged)
    }

    @Test func hardLinkWithTheSameInodeIsUnchanged() throws {
        let tree = try Self.dotfiles()
        tree.hardLink("home/bin/tool", to: "dots/tools/tool")
        let run = try tree.plan("version: 1\nlinks:\n  bin/tool: { target: tools/tool, kind: hardlink }\n")
        #expect(run.errors.isEmpty, "\(run.messages)")
        let a = try #require(run.action(at: "home/bin/tool"))
        #expect(a.op == .unchanged)
        #expect(a.kind == .hardlink)
        #expect(a.target == tree.path("dots/tools/tool"))
    }

    @Test func sameBytesButAnotherInodeIsInTheWay() throws {
        let tree = try Self.dotfiles()
        tree.file("home/bin/tool", "#!/bin/sh\n", mode: 0o755)
        let run = try tree.plan("version: 1\nlinks:\n  bin/tool: { target: tools/tool, kind: hardlink }\n")
        let a = try #require(run.action(at: "home/bin/tool"))
        #expect(a.op == .conflict)
        #expect(a.reason == "a regular file is in the way (conflict: fail)")
    }

    @Test func aSymlinkWhereAHardLinkIsPlannedIsUpdated() throws {
        let tree = try Self.dotfiles()
        tree.symlink("home/bin/tool", tree.path("dots/tools/tool"))
        let run = try tree.plan("version: 1\nlinks:\n  bin/tool: { target: tools/tool, kind: hardlink }\n")
        let a = try #require(run.action(at: "home/bin/tool"))
        #expect(a.op == .update)
        #expect(a.kind == .hardlink)
    }

    @Test func staleHardLinkWithTheSameBytesIsRelinked() throws {
        let tree = try Self.dotfiles()
        tree.hardLink("home/bin/tool", to: "dots/tools/tool")
        let old = try #require(tree.status("home/bin/tool"))
        // `git checkout` replaces the target by rename: a new inode with the same bytes.
        tree.file("dots/tools/tool.new", "#!/bin/sh\n", mode: 0o755)
        #expect(rename(tree.path("dots/tools/tool.new"), tree.path("dots/tools/tool")) == 0)
        let record = RecordedLink(path: Path(tree.path("home/bin/tool")), kind: .hardlink, stored: Path(tree.path("dots/tools/tool")),
                                  device: UInt64(old.st_dev), inode: UInt64(old.st_ino))
        let run = try tree.plan("version: 1\nlinks:\n  bin/tool: { target: tools/tool, kind: hardlink }\n",
                                state: [record])
        let a = try #require(run.action(at: "home/bin/tool"))
        #expect(a.op == .update)
        #expect(a.reason?.hasPrefix("stale hard link") == true)
    }

    @Test func staleHardLinkWithOtherBytesIsBackedUpFirst() throws {
        let tree = try Self.dotfiles()
        tree.hardLink("home/bin/tool", to: "dots/tools/tool")
        let old = try #require(tree.status("home/bin/tool"))
        tree.file("dots/tools/tool.new", "#!/bin/sh\necho v2\n", mode: 0o755)
        #expect(rename(tree.path("dots/tools/tool.new"), tree.path("dots/tools/tool")) == 0)
        let record = RecordedLink(path: Path(tree.path("home/bin/tool")), kind: .hardlink, stored: Path(tree.path("dots/tools/tool")),
                                  device: UInt64(old.st_dev), inode: UInt64(old.st_ino))
        let run = try tree.plan("version: 1\nlinks:\n  bin/tool: { target: tools/tool, kind: hardlink }\n",
                                state: [record])
        #expect(run.actions(at: "home/bin/tool").map(\.op) == [.backup, .create])
    }

    @Test func anUnrecordedHardLinkToAnOldInodeIsInTheWay() throws {
        let tree = try Self.dotfiles()
        tree.hardLink("home/bin/tool", to: "dots/tools/tool")
        tree.file("dots/tools/tool.new", "#!/bin/sh\n", mode: 0o755)
        #expect(rename(tree.path("dots/tools/tool.new"), tree.path("dots/tools/tool")) == 0)
        let run = try tree.plan("version: 1\nlinks:\n  bin/tool: { target: tools/tool, kind: hardlink }\n")
        #expect(run.action(at: "home/bin/tool")?.op == .conflict)
    }

    // MARK: something in the way

    @Test(arguments: [
        ("fail", [Operation.conflict]),
        ("backup", [Operation.backup, .create]),
        ("skip", [Operation.skip]),
    ])
    func regularFileInTheWay(policy: String, ops: [Operation]) throws {
        let tree = try Self.dotfiles()
        tree.file("home/.zshrc", "my own zshrc\n")
        let run = try tree.plan("version: 1\nlinks:\n  .zshrc: { target: vim/vimrc, conflict: \(policy) }\n")
        let actions = run.actions(at: "home/.zshrc")
        #expect(actions.map(\.op) == ops)
        #expect(actions.first?.reason == "a regular file is in the way (conflict: \(policy))")
        #expect(actions.allSatisfy { $0.was.kind == .regular })
        #expect(run.failure == (policy == "fail" ? .cannotApply : nil))
        if policy == "backup" {
            #expect(actions[1].target == tree.path("dots/vim/vimrc"))
            #expect(actions[1].kind == .symlink)
        }
    }

    @Test(arguments: [
        ("fail", [Operation.conflict]),
        ("backup", [Operation.backup, .create]),
        ("skip", [Operation.skip]),
    ])
    func directoryInTheWay(policy: String, ops: [Operation]) throws {
        let tree = try Self.dotfiles()
        tree.file("home/.vim/colors/x.vim")
        let run = try tree.plan("version: 1\nlinks:\n  .vim: { target: vim, conflict: \(policy) }\n")
        let actions = run.actions(at: "home/.vim")
        #expect(actions.map(\.op) == ops)
        #expect(actions.first?.reason == "a directory is in the way (conflict: \(policy))")
        #expect(actions.first?.was.kind == .directory)
    }

    @Test func aHardLinkWithOtherNamesInTheWayIsStillInTheWay() throws {
        let tree = try Self.dotfiles()
        tree.file("home/notes")
        tree.hardLink("home/.zshrc", to: "home/notes")
        let run = try tree.plan("version: 1\nlinks:\n  .zshrc: vim/vimrc\n")
        let a = try #require(run.action(at: "home/.zshrc"))
        #expect(a.op == .conflict)
        #expect(a.was.linkCount == 2)
    }

    // MARK: targets

    @Test func missingTargetIsAnErrorByDefault() throws {
        let tree = try Self.dotfiles()
        let run = try tree.plan("version: 1\nlinks:\n  .vimrc: vim/vimrc\n  .nope: vim/nothere\n")
        #expect(run.errors.count == 1)
        let e = try #require(run.errors.first)
        #expect(e.message == "target \(tree.path("dots/vim/nothere")) does not exist (missing: allow makes a dangling link)")
        #expect(e.location == SourceLocation(file: tree.planFile, line: 4, column: 10))
        #expect(e.failure == .cannotApply)
        #expect(e.notes.first?.location == SourceLocation(file: tree.planFile, line: 4, column: 3))
        #expect(run.failure == .cannotApply)
        // The rest is still planned, and the link is a conflict (audit 2 E7): the diff shows it,
        // --keep-going applies the rest.
        #expect(run.summary == ["create home/.vimrc", "conflict home/.nope"])
    }

    @Test func missingAllowMakesADanglingLink() throws {
        let tree = try Self.dotfiles()
        let run = try tree.plan("version: 1\nlinks:\n  .nope: { target: vim/nothere, missing: allow }\n")
        #expect(run.errors.isEmpty, "\(run.messages)")
        let a = try #require(run.action(at: "home/.nope"))
        #expect(a.op == .create)
        #expect(a.target == tree.path("dots/vim/nothere"))
    }

    @Test func anExistingDanglingLinkWithTheSameTargetIsUnchanged() throws {
        let tree = try Self.dotfiles()
        tree.symlink("home/.nope", tree.path("dots/vim/nothere"))
        let run = try tree.plan("version: 1\nlinks:\n  .nope: { target: vim/nothere, missing: allow }\n")
        #expect(run.action(at: "home/.nope")?.op == .unchanged)
    }

    @Test func typeMismatchIsAWarningAndTheLinkIsStillPlanned() throws {
        let tree = try Self.dotfiles()
        let run = try tree.plan("""
            version: 1
            links:
              .vimrc: { target: vim/vimrc, type: dir }
              .vim: { target: vim, type: file }
              .git: { target: git, type: dir }
            """)
        #expect(run.errors.isEmpty, "\(run.messages)")
        #expect(run.warnings.map(\.message) == [
            "target \(tree.path("dots/vim/vimrc")) is not a directory (type: dir)",
            "target \(tree.path("dots/vim")) is not a file (type: file)",
        ])
        #expect(run.warnings.first?.location == SourceLocation(file: tree.planFile, line: 3, column: 21))
        #expect(run.action(at: "home/.vimrc")?.op == .create)
        #expect(run.action(at: "home/.vim")?.op == .create)
    }

    @Test func junctionIsPlannedWithItsNormalisedTarget() throws {
        let tree = try Self.dotfiles()
        let run = try tree.plan("""
            version: 1
            links:
              projects: { target: \(tree.path("dots/./vim/../git")), kind: junction }
            """)
        let a = try #require(run.action(at: "home/projects"))
        #expect(a.op == .create)
        #expect(a.kind == .junction)
        #expect(a.target == tree.path("dots/git"))
    }

    @Test func existingJunctionIsUnchanged() throws {
        let tree = try Self.dotfiles()
        tree.symlink("home/projects", tree.path("dots/git"))
        let run = try tree.plan("version: 1\nlinks:\n  projects: { target: git, kind: junction }\n")
        #expect(run.action(at: "home/projects")?.op == .unchanged)
    }

    @Test func aConflictWithParentsFalseDoesNotMakeTheDirectoriesForLaterLinks() throws {
        let tree = try Self.dotfiles()
        let run = try tree.plan("""
            version: 1
            links:
              .config/a: { target: git/config, parents: false }
              .config/b: vim/vimrc
            """)
        #expect(run.action(at: "home/.config/a")?.op == .conflict)
        let b = try #require(run.action(at: "home/.config/b"))
        #expect(b.op == .create)
        #expect(b.parents == [tree.path("home/.config")])
    }
}
