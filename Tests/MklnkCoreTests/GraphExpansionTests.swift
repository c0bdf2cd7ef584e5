import MklnkTestSupport
import Testing
@testable import MklnkCore
import MklnkFileSystem

/// Directories of links: globs (`*`, `?`, `[...]`, `**`), lists, `exclude` and `select`.
@Suite struct GraphExpansionTests {
    static func fonts() throws -> TempTree {
        try TempTree(fixture: """
            data dots/fonts/a.ttf a
            data dots/fonts/b.ttf b
            data dots/fonts/c-Bold.ttf c
            data dots/fonts/.hidden.ttf h
            data dots/fonts/readme.txt r
            data dots/fonts/sub/d.ttf d
            data dots/fonts/sub/deeper/e.ttf e
            data dots/fonts/sub/e-Bold.ttf e
            data dots/fonts/.cache/f.ttf f
            dir home
            """)
    }

    @Test func aGlobMakesOneLinkPerMatchNamedAfterIt() throws {
        let tree = try Self.fonts()
        let run = try tree.graph("version: 1\nlinks:\n  .fonts/: fonts/*.ttf\n")
        #expect(run.errors.isEmpty, "\(run.messages)")
        #expect(run.linkPaths == ["home/.fonts/a.ttf", "home/.fonts/b.ttf", "home/.fonts/c-Bold.ttf"])
        #expect(run.link(at: "home/.fonts/a.ttf")?.target == tree.path("dots/fonts/a.ttf"))
    }

    @Test func wildcardsNeverMatchALeadingDot() throws {
        let tree = try Self.fonts()
        let run = try tree.graph("version: 1\nlinks:\n  .fonts/: fonts/?*\n")
        #expect(!run.linkPaths.contains("home/.fonts/.hidden.ttf"))
        #expect(!run.linkPaths.contains("home/.fonts/.cache"))
        let dotted = try tree.graph("version: 1\nlinks:\n  .fonts/: fonts/.*.ttf\n")
        #expect(dotted.linkPaths == ["home/.fonts/.hidden.ttf"])
    }

    @Test func bracketsAndQuestionMarks() throws {
        let tree = try Self.fonts()
        let run = try tree.graph("version: 1\nlinks:\n  .fonts/: fonts/[ab].tt?\n")
        #expect(run.linkPaths == ["home/.fonts/a.ttf", "home/.fonts/b.ttf"])
    }

    @Test func doubleStarMatchesAnyDepthAndMirrorsThePath() throws {
        let tree = try Self.fonts()
        let run = try tree.graph("version: 1\nlinks:\n  .fonts/: fonts/**/*.ttf\n")
        #expect(run.errors.isEmpty, "\(run.messages)")
        #expect(run.linkPaths == [
            "home/.fonts/a.ttf", "home/.fonts/b.ttf", "home/.fonts/c-Bold.ttf",
            "home/.fonts/sub/d.ttf", "home/.fonts/sub/deeper/e.ttf", "home/.fonts/sub/e-Bold.ttf",
        ])
        #expect(run.link(at: "home/.fonts/sub/deeper/e.ttf")?.target == tree.path("dots/fonts/sub/deeper/e.ttf"))
    }

    @Test func doubleStarNeverEntersHiddenDirectories() throws {
        let tree = try Self.fonts()
        let run = try tree.graph("version: 1\nlinks:\n  .fonts/: fonts/**/*.ttf\n")
        #expect(!run.linkPaths.contains("home/.fonts/.cache/f.ttf"))
    }

    @Test func doubleStarNeverFollowsASymlinkedDirectory() throws {
        let tree = try Self.fonts()
        tree.symlink("dots/fonts/loop", ".")
        let run = try tree.graph("version: 1\nlinks:\n  .fonts/: fonts/**/*.ttf\n")
        #expect(run.errors.isEmpty, "\(run.messages)")
        #expect(run.linkPaths.count == 6)
    }

    @Test func excludeMatchesTheBasename() throws {
        let tree = try Self.fonts()
        let run = try tree.graph("""
            version: 1
            links:
              .fonts/: { target: "fonts/**/*.ttf", exclude: ["*-Bold.ttf"] }
            """)
        #expect(run.linkPaths == [
            "home/.fonts/a.ttf", "home/.fonts/b.ttf", "home/.fonts/sub/d.ttf", "home/.fonts/sub/deeper/e.ttf",
        ])
    }

    @Test func excludeMatchesThePathRelativeToBase() throws {
        let tree = try Self.fonts()
        let run = try tree.graph("""
            version: 1
            links:
              .fonts/: { target: "fonts/**/*.ttf", exclude: ["fonts/sub/*"] }
            """)
        // `fonts/sub/*` matches the directory fonts/sub/deeper too: everything below fonts/sub goes.
        #expect(run.linkPaths == ["home/.fonts/a.ttf", "home/.fonts/b.ttf", "home/.fonts/c-Bold.ttf"])
    }

    @Test func aListTargetLinksEachItemByName() throws {
        let tree = try Self.fonts()
        let run = try tree.graph("""
            version: 1
            links:
              .fonts: [fonts/a.ttf, "fonts/sub/*.ttf"]
            """)
        #expect(run.errors.isEmpty, "\(run.messages)")
        #expect(run.linkPaths == ["home/.fonts/a.ttf", "home/.fonts/d.ttf", "home/.fonts/e-Bold.ttf"])
    }

    @Test func aTrailingSlashLinksTheTargetInsideTheDirectory() throws {
        let tree = try Self.fonts()
        let run = try tree.graph("version: 1\nlinks:\n  bin/: fonts/readme.txt\n")
        #expect(run.linkPaths == ["home/bin/readme.txt"])
    }

    @Test func aGlobMatchingNothingMakesNoLinksAndNoError() throws {
        let tree = try Self.fonts()
        let run = try tree.graph("version: 1\nlinks:\n  .fonts/: fonts/*.otf\n  .x/: nowhere/*\n")
        #expect(run.errors.isEmpty, "\(run.messages)")
        #expect(run.linkPaths.isEmpty)
    }

    @Test func selectBySize() throws {
        let tree = try TempTree()
        tree.file("dots/f/small", String(repeating: "s", count: 100))
        tree.file("dots/f/medium", String(repeating: "m", count: 2048))
        tree.file("dots/f/large", String(repeating: "l", count: 20 * 1024))
        let run = try tree.graph("version: 1\nlinks:\n  out/: { target: f/*, select: { size: 1K..10K } }\n")
        #expect(run.linkPaths == ["home/out/medium"])
        let open = try tree.graph("version: 1\nlinks:\n  out/: { target: f/*, select: { size: 2K.. } }\n")
        #expect(open.linkPaths == ["home/out/large", "home/out/medium"])
        let upTo = try tree.graph("version: 1\nlinks:\n  out/: { target: f/*, select: { size: ..100 } }\n")
        #expect(upTo.linkPaths == ["home/out/small"])
    }

    @Test func selectByModificationDate() throws {
        let tree = try TempTree()
        tree.file("dots/f/old")
        tree.file("dots/f/new")
        tree.touch("dots/f/old", modified: 1_685_577_600)  // 2023-06-01T00:00:00Z
        tree.touch("dots/f/new", modified: 1_717_200_000)  // 2024-06-01T00:00:00Z
        let after = try tree.graph("version: 1\nlinks:\n  out/: { target: f/*, select: { modified: 2024-01-01.. } }\n")
        #expect(after.linkPaths == ["home/out/new"])
        let before = try tree.graph("version: 1\nlinks:\n  out/: { target: f/*, select: { modified: ..2023-12-31 } }\n")
        #expect(before.linkPaths == ["home/out/old"])
        let day = try tree.graph("version: 1\nlinks:\n  out/: { target: f/*, select: { modified: 2023-06-01..2023-06-01 } }\n")
        #expect(day.linkPaths == ["home/out/old"], "a bare upper date includes that whole day")
    }

    @Test func selectHidden() throws {
        let tree = try TempTree()
        tree.file("dots/f/.dot")
        tree.file("dots/f/plain")
        let yaml = { (hidden: Bool) in
            "version: 1\nlinks:\n  out/: { target: [f/*, f/.*], select: { hidden: \(hidden) } }\n"
        }
        #expect(try tree.graph(yaml(true)).linkPaths == ["home/out/.dot"])
        #expect(try tree.graph(yaml(false)).linkPaths == ["home/out/plain"])
    }

    @Test func selectExecutableAndReadonly() throws {
        let tree = try TempTree()
        tree.file("dots/f/script", "#!/bin/sh\n", mode: 0o755)
        tree.file("dots/f/data", "x", mode: 0o644)
        tree.file("dots/f/frozen", "x", mode: 0o444)
        let exec = try tree.graph("version: 1\nlinks:\n  bin/: { target: f/*, select: { executable: true } }\n")
        #expect(exec.linkPaths == ["home/bin/script"])
        let notExec = try tree.graph("version: 1\nlinks:\n  bin/: { target: f/*, select: { executable: false } }\n")
        #expect(notExec.linkPaths == ["home/bin/data", "home/bin/frozen"])
        let readonly = try tree.graph("version: 1\nlinks:\n  bin/: { target: f/*, select: { readonly: true } }\n")
        #expect(readonly.linkPaths == ["home/bin/frozen"])
    }

    @Test func selectFiltersCombine() throws {
        let tree = try TempTree()
        tree.file("dots/f/big-script", String(repeating: "#", count: 4096), mode: 0o755)
        tree.file("dots/f/small-script", "#", mode: 0o755)
        tree.file("dots/f/big-data", String(repeating: "#", count: 4096))
        let run = try tree.graph("""
            version: 1
            links:
              bin/: { target: f/*, select: { executable: true, size: 1K.. }, exclude: [small-*] }
            """)
        #expect(run.linkPaths == ["home/bin/big-script"])
    }

    @Test func doubleStarOverEverythingMirrorsTheTreeInsteadOfNestingLinks() throws {
        // `**/*` matches `sub` and `sub/d.ttf`; linking both would put one link inside another.
        // The directories are mirrored and their files linked.
        let tree = try Self.fonts()
        let run = try tree.graph("version: 1\nlinks:\n  .fonts/: fonts/**/*\n")
        #expect(run.errors.isEmpty, "\(run.messages)")
        #expect(run.linkPaths == [
            "home/.fonts/a.ttf", "home/.fonts/b.ttf", "home/.fonts/c-Bold.ttf", "home/.fonts/readme.txt",
            "home/.fonts/sub/d.ttf", "home/.fonts/sub/deeper/e.ttf", "home/.fonts/sub/e-Bold.ttf",
        ])
    }
}
