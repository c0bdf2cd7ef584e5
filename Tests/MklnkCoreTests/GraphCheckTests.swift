import MklnkTestSupport
import Testing
@testable import MklnkCore
import MklnkFileSystem

/// Whole-graph checks (duplicates, nesting, cycles) and the order of links.
@Suite struct GraphCheckTests {
    static func tree() throws -> TempTree { try TempTree(fixture: CoreTrees.vimAndGit) }

    @Test func twoEntriesOnOnePath() throws {
        let tree = try Self.tree()
        let run = try tree.graph("""
            version: 1
            links:
              .f: vim/vimrc
              ~/.f: git/config
            """)
        #expect(run.errors.count == 1)
        let e = try #require(run.errors.first)
        #expect(e.message == "two entries make the link \(tree.path("home/.f"))")
        #expect(e.location == SourceLocation(file: tree.planFile, line: 4, column: 3))
        #expect(e.notes.map(\.location) == [SourceLocation(file: tree.planFile, line: 3, column: 3)])
        #expect(e.failure == .invalidPlan)
    }

    @Test func twoGlobsMakingTheSameLink() throws {
        let tree = try Self.tree()
        let run = try tree.graph("""
            version: 1
            links:
              cfg/: vim/*
              cfg/vimrc: git/config
            """)
        #expect(run.errors.map(\.message) == ["two entries make the link \(tree.path("home/cfg/vimrc"))"])
    }

    @Test func aLinkInsideAnotherPlannedLink() throws {
        let tree = try Self.tree()
        let run = try tree.graph("""
            version: 1
            links:
              .vim: vim
              .vim/vimrc: vim/vimrc
            """)
        let e = try #require(run.errors.first)
        #expect(e.message == "\(tree.path("home/.vim/vimrc")) lies inside the planned link \(tree.path("home/.vim"))")
        #expect(e.location == SourceLocation(file: tree.planFile, line: 4, column: 3))
        #expect(e.notes.map(\.location) == [SourceLocation(file: tree.planFile, line: 3, column: 3)])
        #expect(e.failure == .invalidPlan)
    }

    @Test func linksDeepInsideAnotherPlannedLinkAreEachReported() throws {
        let tree = try Self.tree()
        let run = try tree.graph("""
            version: 1
            links:
              .config/nvim/lua/a: vim/vimrc
              .config/nvim/lua/b: vim/vimrc
              .config/other: vim/vimrc
              .config/nvim: vim
            """)
        #expect(run.errors.map(\.message) == [
            "\(tree.path("home/.config/nvim/lua/a")) lies inside the planned link \(tree.path("home/.config/nvim"))",
            "\(tree.path("home/.config/nvim/lua/b")) lies inside the planned link \(tree.path("home/.config/nvim"))",
        ])
    }

    @Test func aTwoLinkCycle() throws {
        let tree = try Self.tree()
        let run = try tree.graph("""
            version: 1
            links:
              .a: ~/.b
              .b: ~/.a
            """)
        #expect(run.errors.count == 1)
        let e = try #require(run.errors.first)
        #expect(e.message == "link cycle: \(tree.path("home/.a")) -> \(tree.path("home/.b")) -> \(tree.path("home/.a"))")
        #expect(e.notes.map(\.location) == [SourceLocation(file: tree.planFile, line: 4, column: 3)])
        #expect(e.failure == .invalidPlan)
        #expect(run.linkPaths.isEmpty)
    }

    @Test func aLinkToItself() throws {
        let tree = try Self.tree()
        let run = try tree.graph("version: 1\nlinks:\n  .a: ~/.a\n")
        #expect(run.errors.map(\.message) == ["link cycle: \(tree.path("home/.a")) -> \(tree.path("home/.a"))"])
    }

    @Test func aLinkIntoItsOwnSubdirectory() throws {
        let tree = try Self.tree()
        let run = try tree.graph("version: 1\nlinks:\n  .a: { target: ~/.a/sub, missing: allow }\n")
        #expect(run.errors.map(\.message) == ["link cycle: \(tree.path("home/.a")) -> \(tree.path("home/.a"))"])
        #expect(run.errors.first?.failure == .invalidPlan)
    }

    @Test func aThreeLinkCycleIsReportedOnce() throws {
        let tree = try Self.tree()
        let run = try tree.graph("""
            version: 1
            links:
              .a: ~/.b/x
              .b: ~/.c
              .c: ~/.a
              .d: ~/.a
            """)
        #expect(run.errors.count == 1, "\(run.messages)")
        #expect(run.errors.first?.message.hasPrefix("link cycle: ") == true)
        #expect(run.errors.first?.notes.count == 2)
    }

    @Test func aChainWithoutACycleIsFine() throws {
        let tree = try Self.tree()
        let run = try tree.graph("""
            version: 1
            links:
              .a: ~/.b
              .b: vim/vimrc
            """)
        #expect(run.errors.isEmpty, "\(run.messages)")
    }

    @Test func aLinkThatAnotherGoesThroughComesFirst() throws {
        let tree = try Self.tree()
        let run = try tree.graph("""
            version: 1
            links:
              .vimrc: ~/.vim/vimrc
              .z: vim/vimrc
              .vim: vim
            """)
        #expect(run.errors.isEmpty, "\(run.messages)")
        #expect(run.linkPaths == ["home/.vim", "home/.vimrc", "home/.z"])
        // The target is checked where it will be once `.vim` exists.
        #expect(run.link(at: "home/.vimrc")?.target == tree.path("home/.vim/vimrc"))
        #expect(run.graph?.dependencies == [[], [0], []])
    }

    @Test func orderIsThePlansOrderOtherwiseAndStable() throws {
        let tree = try Self.tree()
        let yaml = """
            version: 1
            links:
              .z: vim/vimrc
              .c: ~/.b
              .a: git/config
              .b: ~/.a
            """
        let first = try tree.graph(yaml).linkPaths
        #expect(first == ["home/.z", "home/.a", "home/.b", "home/.c"])
        for _ in 0..<5 { #expect(try tree.graph(yaml).linkPaths == first) }
    }

    @Test func thePlannerFollowsTheGraphOrder() throws {
        let tree = try Self.tree()
        let run = try tree.plan("""
            version: 1
            links:
              .vimrc: ~/.vim/vimrc
              .vim: vim
            """)
        #expect(run.errors.isEmpty, "\(run.messages)")
        #expect(run.summary == ["create home/.vim", "create home/.vimrc"])
    }

    @Test func everyGraphErrorIsReportedInOneRun() throws {
        let tree = try Self.tree()
        let run = try tree.graph("""
            version: 1
            links:
              .f: vim/vimrc
              .f/g: vim/vimrc
              .a: ~/.a
              .m: nothere
              ~/.f: git/config
            """)
        #expect(run.errors.count == 4, "\(run.messages)")
    }
}
