import MklnkCore
import Testing

@Suite("Entry options and defaults")
struct EntryOptionTests {
    /// 2024-01-01T00:00:00Z in seconds since the epoch.
    let jan1: Int64 = 1_704_067_200

    @Test func stringAndOptionsForms() throws {
        let plan = try #require(load("""
            version: 1
            links:
              .vimrc: vim/vimrc
              ~/.config/git/config:
                target: git/config
                relative: true
              ~/bin/tool:   { target: tools/tool, kind: hardlink }
              ~/projects:   { target: /srv/projects, kind: junction }

            """).plan)
        #expect(plan.keys == [".vimrc", "~/.config/git/config", "~/bin/tool", "~/projects"])
        let vimrc = try #require(plan.entry(".vimrc"))
        #expect(vimrc.link == "/home/tess/.vimrc")
        #expect(vimrc.targets.map(\.value) == ["/plans/vim/vimrc"])
        #expect(vimrc.targets.first?.location == SourceLocation(file: "plan.yaml", line: 3, column: 11))
        #expect(vimrc.location == SourceLocation(file: "plan.yaml", line: 3, column: 3))
        #expect(vimrc.options.kind == .symlink)
        #expect(!vimrc.options.relative)
        #expect(!vimrc.isDirectory)

        let git = try #require(plan.entry("~/.config/git/config"))
        #expect(git.link == "/home/tess/.config/git/config")
        #expect(git.targets.map(\.value) == ["/plans/git/config"])
        #expect(git.options.relative)
        #expect(git.targets.first?.location.line == 5)
        #expect(git.targets.first?.location.column == 13)

        #expect(plan.entry("~/bin/tool")?.options.kind == .hardlink)
        #expect(plan.entry("~/projects")?.options.kind == .junction)
        #expect(plan.entry("~/projects")?.targets.map(\.value) == ["/srv/projects"])
    }

    @Test func everyOptionIsRead() throws {
        let plan = try #require(load("""
            version: 1
            links:
              a:
                target: t
                kind: auto
                type: dir
                missing: allow
                relink: false
                conflict: backup
                parents: false

            """).plan)
        let o = try #require(plan.entry("a")).options
        #expect(o.kind == .auto)
        #expect(o.type == .dir)
        #expect(o.missing == .allow)
        #expect(!o.relink)
        #expect(o.conflict == .backup)
        #expect(!o.parents)
    }

    @Test func builtInDefaults() throws {
        let o = try #require(load("version: 1\nlinks:\n  a: t\n").plan?.entry("a")).options
        #expect(o.kind == .symlink)
        #expect(!o.relative)
        #expect(o.type == nil)
        #expect(o.missing == .error)
        #expect(o.relink)
        #expect(o.conflict == .fail)
        #expect(o.parents)
        #expect(o.exclude.isEmpty)
        #expect(o.select == nil)
    }

    @Test func unknownEntryOptionSuggestsTheNearestOne() {
        #expect(messages("""
            version: 1
            links:
              .vimrc:
                taget: vim/vimrc

            """) == [
            "plan.yaml:3:3: error: link '.vimrc' has no 'target'",
            "plan.yaml:4:5: error: unknown option 'taget'; did you mean 'target'?",
        ])
        #expect(messages("version: 1\nlinks:\n  a: { target: t, confilct: skip }\n")
            == ["plan.yaml:3:19: error: unknown option 'confilct'; did you mean 'conflict'?"])
    }

    @Test func boolOptionsAcceptOnlyTrueAndFalse() {
        #expect(messages("""
            version: 1
            links:
              .gitconfig: { target: git/config, relative: yes }

            """) == ["plan.yaml:3:47: error: 'relative' must be true or false; found 'yes'"])
        #expect(messages("""
            version: 1
            links:
              a: { target: t, relink: "true", parents: 1, relative: [] }

            """) == [
            "plan.yaml:3:27: error: 'relink' must be true or false; found the quoted string \"true\"; write true without quotes",
            "plan.yaml:3:44: error: 'parents' must be true or false; found '1'",
            "plan.yaml:3:57: error: 'relative' must be true or false; found a sequence",
        ])
    }

    @Test func explicitBoolTagIsAccepted() throws {
        let plan = try #require(load("version: 1\nlinks:\n  a: { target: t, relative: !!bool true }\n").plan)
        #expect(plan.entry("a")?.options.relative == true)
    }

    @Test func badEnumValueListsTheChoices() {
        #expect(messages("version: 1\nlinks:\n  a: { target: t, kind: simlink }\n") == [
            "plan.yaml:3:25: error: 'simlink' is not a valid kind; expected one of symlink, hardlink, junction, auto;"
                + " did you mean 'symlink'?",
        ])
        #expect(messages("version: 1\nlinks:\n  a: { target: t, conflict: overwrite }\n") == [
            "plan.yaml:3:29: error: 'overwrite' is not a valid conflict; expected one of fail, backup, skip, adopt",
        ])
        #expect(messages("version: 1\nlinks:\n  a: { target: t, missing: ~ }\n") == [
            "plan.yaml:3:28: error: 'missing' must be one of error, allow; found null",
        ])
    }

    @Test
    func badEnumKindHardSuggestsHardlink() {
        #expect(messages("""
            version: 1
            links:
              bin/tool: { target: tools/tool, kind: hard }
              a: { target: t, when: { hostname: x } }

            """) == [
            "plan.yaml:3:41: error: 'hard' is not a valid kind; expected one of symlink, hardlink, junction, auto;"
                + " did you mean 'hardlink'?",
            "plan.yaml:4:27: error: unknown condition 'hostname'; did you mean 'host'?",
        ])
    }

    @Test func relativeWithHardlinkIsAnInvalidPlan() {
        let diagnostics = load("""
            version: 1
            links:
              bin/tool: { target: tools/tool, kind: hardlink, relative: true }

            """).diagnostics
        #expect(diagnostics.map(\.description)
            == ["plan.yaml:3:61: error: 'relative: true' applies to symlinks only; this link is a hardlink"])
        #expect(diagnostics.first?.failure == .invalidPlan)
    }

    @Test func relativeWithJunctionOrAutoIsAnInvalidPlan() {
        #expect(messages("""
            version: 1
            links:
              a:
                relative: true
                kind: junction
                target: /srv
              b: { target: t, kind: auto, relative: true }

            """).map { $0.prefix(while: { $0 != ";" }) } == [
            "plan.yaml:4:15: error: 'relative: true' applies to symlinks only",
            "plan.yaml:7:41: error: 'relative: true' applies to symlinks only",
        ])
    }

    @Test func relativeFalseWithHardlinkIsFine() {
        #expect(messages("version: 1\nlinks:\n  a: { target: t, kind: hardlink, relative: false }\n").isEmpty)
    }

    @Test func linkWithoutTarget() {
        #expect(messages("version: 1\nlinks:\n  a:\n  c: { kind: symlink }\n  d: { target: [] }\n") == [
            "plan.yaml:3:5: error: link 'a' has no target",
            "plan.yaml:4:3: error: link 'c' has no 'target'",
            "plan.yaml:5:16: error: 'target' is an empty list",
        ])
    }

    @Test func targetMustBeAPathOrAList() {
        #expect(messages("version: 1\nlinks:\n  a: { target: { x: y } }\n")
            == ["plan.yaml:3:16: error: 'target' must be a path; found a mapping"])
    }

    @Test func defaultsApplyToEveryEntryUnlessItSetsItsOwn() throws {
        let plan = try #require(load("""
            version: 1
            defaults:
              kind: hardlink
              conflict: backup
              missing: allow
              relink: false
              parents: false
              type: file
            links:
              a: x
              b: { target: y, kind: symlink, conflict: skip }

            """).plan)
        let a = try #require(plan.entry("a")).options
        #expect(a.kind == .hardlink)
        #expect(a.conflict == .backup)
        #expect(a.missing == .allow)
        #expect(!a.relink)
        #expect(!a.parents)
        #expect(a.type == .file)
        let b = try #require(plan.entry("b")).options
        #expect(b.kind == .symlink)
        #expect(b.conflict == .skip)
        #expect(b.missing == .allow)
        #expect(b.type == .file)
    }

    @Test func defaultRelativeIsDroppedForEntriesThatAreNotSymlinks() throws {
        let (plan, diagnostics) = load("""
            version: 1
            defaults: { relative: true }
            links:
              a: x
              b: { target: y, kind: hardlink }

            """)
        #expect(diagnostics.isEmpty)
        #expect(plan?.entry("a")?.options.relative == true)
        #expect(plan?.entry("b")?.options.relative == false)
    }

    @Test func defaultsAreCheckedLikeEntries() {
        #expect(messages("""
            version: 1
            defaults:
              target: x
              kind: hardlink
              relative: true
              conflit: skip

            """) == [
            "plan.yaml:3:3: error: 'target' cannot have a default; each link names its own",
            "plan.yaml:5:13: error: 'relative: true' applies to symlinks only; the default kind is hardlink",
            "plan.yaml:6:3: error: unknown option 'conflit'; did you mean 'conflict'?",
        ])
    }

    @Test func mergeKeysShareOptionsBetweenEntries() throws {
        let plan = try #require(load("""
            version: 1
            links:
              a: &hard { target: x, kind: hardlink, conflict: backup }
              b:
                <<: *hard
                target: y

            """).plan)
        #expect(plan.entry("b")?.options.kind == .hardlink)
        #expect(plan.entry("b")?.options.conflict == .backup)
        #expect(plan.entry("b")?.targets.map(\.value) == ["/plans/y"])
    }

    @Test func excludeAndSelectAreRead() throws {
        let plan = try #require(load("""
            version: 1
            links:
              ~/.local/share/fonts/:
                target: fonts/*.ttf
                kind: hardlink
                exclude: ["*-Bold.ttf", "draft/*"]
                select: { size: "1K..10M", modified: "2024-01-01..", hidden: false, readonly: true, executable: false }

            """).plan)
        let o = try #require(plan.entry("~/.local/share/fonts/")).options
        #expect(o.exclude == ["*-Bold.ttf", "draft/*"])
        let s = try #require(o.select)
        #expect(s.size?.low == 1024)
        #expect(s.size?.high == Int64(10 << 20))
        #expect(s.modified?.low == jan1)
        #expect(s.modified?.high == nil)
        #expect(s.hidden == false)
        #expect(s.readonly == true)
        #expect(s.executable == false)
    }

    @Test func dateRangesIncludeTheWholeLastDayAndHonourOffsets() throws {
        let plan = try #require(load("""
            version: 1
            links:
              a/: { target: "x/*", select: { modified: "..2024-01-01", size: "..512" } }
              b/: { target: "x/*", select: { modified: "2024-01-01T10:00+02:00..2024-01-01T12:00:30Z" } }

            """).plan)
        #expect(plan.entry("a/")?.options.select?.modified?.high == jan1 + 86_399)
        #expect(plan.entry("a/")?.options.select?.size?.high == 512)
        #expect(plan.entry("b/")?.options.select?.modified?.low == jan1 + 8 * 3600)
        #expect(plan.entry("b/")?.options.select?.modified?.high == jan1 + 12 * 3600 + 30)
    }

    @Test func badSelectRangesAreLocated() {
        #expect(messages("""
            version: 1
            links:
              fonts/:
                target: fonts/*.ttf
                select: { size: "1K-10M", modified: "yesterday.." }

            """) == [
            "plan.yaml:5:21: error: bad size range '1K-10M'; expected LOW..HIGH with either end open (1K..10M, ..512, 1G..)",
            "plan.yaml:5:41: error: bad modified range 'yesterday..'; expected LOW..HIGH with either end open"
                + " (2024-01-01.., ..2024-12-31T18:00)",
        ])
    }

    @Test(arguments: ["..", "10M..1K", "1T..", "1.5K..", "-1..", "K..", "2024-02-30..", "2024-13-01..", "2024-01-01T25:00.."])
    func malformedRangesAreErrors(_ range: String) {
        let key = range.hasPrefix("20") ? "modified" : "size"
        let diagnostics = load("version: 1\nlinks:\n  a/: { target: \"x/*\", select: { \(key): \"\(range)\" } }\n").diagnostics
        #expect(diagnostics.map(\.message) == [
            "bad \(key) range '\(range)'; expected LOW..HIGH with either end open "
                + (key == "size" ? "(1K..10M, ..512, 1G..)" : "(2024-01-01.., ..2024-12-31T18:00)"),
        ])
    }

    @Test func unknownSelectFilter() {
        #expect(messages("version: 1\nlinks:\n  a/: { target: \"x/*\", select: { sise: 1K.. } }\n")
            == ["plan.yaml:3:34: error: unknown select filter 'sise'; did you mean 'size'?"])
    }

    @Test func excludeOnASingleTargetIsAWarning() throws {
        let (plan, diagnostics) = load("version: 1\nlinks:\n  a: { target: t, exclude: [x] }\n")
        #expect(plan != nil)
        #expect(diagnostics.map(\.description)
            == ["plan.yaml:3:3: warning: 'exclude' and 'select' apply only to glob or list targets"])
    }

    @Test
    func defaultExcludeDoesNotWarnForSingleTargets() {
        #expect(messages("""
            version: 1
            defaults: { exclude: ["*~"] }
            links:
              .vimrc: vim/vimrc
              fonts/: fonts/*.ttf

            """).isEmpty)
    }
}
