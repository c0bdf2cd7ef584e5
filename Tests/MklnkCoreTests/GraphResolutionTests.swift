import MklnkTestSupport
import Testing
@testable import MklnkCore
import MklnkFileSystem

/// Resolving each link: kind (`auto`), stored target (`relative`, junction normalisation) and
/// the target checks (missing, not a file, another filesystem).
@Suite struct GraphResolutionTests {
    static func tree() throws -> TempTree { try TempTree(fixture: CoreTrees.vimAndGit) }

    @Test func autoMakesAHardLinkForAFile() throws {
        let tree = try Self.tree()
        let run = try tree.graph("version: 1\nlinks:\n  .vimrc: { target: vim/vimrc, kind: auto }\n")
        #expect(run.errors.isEmpty, "\(run.messages)")
        let link = try #require(run.link(at: "home/.vimrc"))
        #expect(link.kind == .hardlink)
        #expect(link.stored == tree.path("dots/vim/vimrc"))
    }

    @Test func autoMakesAJunctionForADirectory() throws {
        let tree = try Self.tree()
        let run = try tree.graph("version: 1\nlinks:\n  .vim: { target: vim/./, kind: auto }\n")
        #expect(run.errors.isEmpty, "\(run.messages)")
        let link = try #require(run.link(at: "home/.vim"))
        #expect(link.kind == .junction)
        #expect(link.stored == tree.path("dots/vim"))
    }

    @Test func autoWithAMissingTargetIsAnError() throws {
        let tree = try Self.tree()
        let run = try tree.graph("version: 1\nlinks:\n  .x: { target: nothere, kind: auto, missing: allow }\n")
        let e = try #require(run.errors.first)
        #expect(e.message == "target \(tree.path("dots/nothere")) does not exist (kind: auto needs it to decide)")
        #expect(e.failure == .cannotApply)
        #expect(run.linkPaths.isEmpty)
    }

    @Test func junctionStoresTheAbsoluteNormalisedPath() throws {
        let tree = try Self.tree()
        let run = try tree.graph("""
            version: 1
            links:
              a: { target: \(tree.path("dots/./vim/../git")), kind: junction }
              b: { target: ./vim/.././git//, kind: junction }
            """)
        #expect(run.errors.isEmpty, "\(run.messages)")
        #expect(run.link(at: "home/a")?.stored == tree.path("dots/git"))
        #expect(run.link(at: "home/b")?.stored == tree.path("dots/git"))
    }

    @Test func junctionToAFileIsAnError() throws {
        let tree = try Self.tree()
        let run = try tree.graph("version: 1\nlinks:\n  a: { target: vim/vimrc, kind: junction }\n")
        #expect(run.errors.first?.message
                == "a junction's target must be a directory; \(tree.path("dots/vim/vimrc")) is a regular file")
    }

    @Test func relativeIsStoredRelativeToTheLinksDirectory() throws {
        let tree = try Self.tree()
        let run = try tree.graph("""
            version: 1
            links:
              .vimrc: { target: vim/vimrc, relative: true }
              .config/git/config: { target: git/config, relative: true }
              .plain: vim/vimrc
            """)
        #expect(run.errors.isEmpty, "\(run.messages)")
        #expect(run.link(at: "home/.vimrc")?.stored == "../dots/vim/vimrc")
        #expect(run.link(at: "home/.config/git/config")?.stored == "../../../dots/git/config")
        #expect(run.link(at: "home/.plain")?.stored == tree.path("dots/vim/vimrc"))
        #expect(run.link(at: "home/.vimrc")?.target == tree.path("dots/vim/vimrc"))
    }

    @Test func relativeWithAnotherKindIsAnInvalidPlan() throws {
        let tree = try Self.tree()
        let run = try tree.graph("version: 1\nlinks:\n  .vimrc: { target: vim/vimrc, relative: true, kind: hardlink }\n")
        #expect(run.errors.first?.failure == .invalidPlan)
    }

    @Test func hardLinkTargetMustExist() throws {
        let tree = try Self.tree()
        let run = try tree.graph("version: 1\nlinks:\n  h: { target: nothere, kind: hardlink, missing: allow }\n")
        let e = try #require(run.errors.first)
        #expect(e.message == "hard link target \(tree.path("dots/nothere")) does not exist")
        #expect(e.failure == .cannotApply)
    }

    @Test func hardLinkTargetMustNotBeASpecialFile() throws {
        let tree = try Self.tree()
        #expect(mkfifo(tree.path("dots/fifo"), 0o644) == 0)
        let run = try tree.graph("version: 1\nlinks:\n  h: { target: fifo, kind: hardlink }\n")
        #expect(run.errors.first?.message == "hard link target \(tree.path("dots/fifo")) is not a regular file (a special file)")
    }

    @Test func hardLinkTargetMustBeARegularFile() throws {
        let tree = try Self.tree()
        let run = try tree.graph("version: 1\nlinks:\n  h: { target: vim, kind: hardlink }\n")
        #expect(run.errors.first?.message == "hard link target \(tree.path("dots/vim")) is not a regular file (a directory)")
    }

    /// Whether `/dev/shm` is another filesystem than `/tmp` here.
    static let crossDevice: Bool = {
        var a = stat(), b = stat()
        return lstat("/dev/shm", &a) == 0 && lstat("/tmp", &b) == 0 && a.st_dev != b.st_dev
            && access("/dev/shm", W_OK) == 0
    }()

    @Test(.enabled(if: crossDevice, "needs /dev/shm on another filesystem than /tmp (skipped)"))
    func hardLinkAcrossFilesystemsIsAnError() throws {
        let tree = try Self.tree()
        let shm = try TempTree(in: "/dev/shm")
        let target = shm.file("tool", "#!/bin/sh\n")
        #expect(shm.device("tool") != tree.device("home"))
        let run = try tree.graph("version: 1\nlinks:\n  bin/tool: { target: \(target), kind: hardlink }\n")
        let e = try #require(run.errors.first)
        #expect(e.message == "a hard link cannot cross filesystems: \(target) and \(tree.path("home/bin/tool")) are on different devices")
        #expect(e.failure == .cannotApply)
        #expect(e.location == SourceLocation(file: tree.planFile, line: 3, column: 23))
        // validate does not look at link paths, so it cannot tell.
        #expect(try tree.graph("version: 1\nlinks:\n  bin/tool: { target: \(target), kind: hardlink }\n",
                               inspectLinks: false).errors.isEmpty)
    }

    @Test(.enabled(if: crossDevice, "needs /dev/shm on another filesystem than /tmp (skipped)"))
    func symlinkAcrossFilesystemsIsFine() throws {
        let tree = try Self.tree()
        let shm = try TempTree(in: "/dev/shm")
        let target = shm.file("tool", "#!/bin/sh\n")
        let run = try tree.graph("version: 1\nlinks:\n  bin/tool: \(target)\n")
        #expect(run.errors.isEmpty, "\(run.messages)")
    }

    @Test func variablesAndHomeInTargets() throws {
        let tree = try Self.tree()
        let run = try tree.graph("""
            version: 1
            vars:
              dots: ${HOME}/../dots
            links:
              .vimrc: ${dots}/vim/vimrc
            """)
        #expect(run.errors.isEmpty, "\(run.messages)")
        #expect(run.link(at: "home/.vimrc")?.target == tree.path("dots/vim/vimrc"))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
