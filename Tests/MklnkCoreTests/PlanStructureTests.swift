import MklnkCore
import Testing

@Suite("Plan structure: version, top-level keys, types")
struct PlanStructureTests {
    @Test func minimalPlanLoads() throws {
        let (plan, diagnostics) = load("version: 1\n")
        #expect(diagnostics.isEmpty)
        let p = try #require(plan)
        #expect(p.version == 1)
        #expect(p.file == "plan.yaml")
        #expect(p.root == "/home/tess")
        #expect(p.base == "/plans")
        #expect(p.home == "/home/tess")
        #expect(p.entries.isEmpty)
        #expect(p.removals.isEmpty)
    }

    @Test func missingVersion() {
        #expect(messages("""
            links:
              .vimrc: vim/vimrc

            """) == ["plan.yaml:1:1: error: missing required key 'version' (a plan starts with 'version: 1')"])
    }

    @Test func missingVersionPointsAtTheMappingAfterAComment() {
        #expect(messages("# my dotfiles\nlinks: {}\n")
            == ["plan.yaml:2:1: error: missing required key 'version' (a plan starts with 'version: 1')"])
    }

    @Test func emptyFileIsMissingVersion() {
        #expect(messages("") == ["plan.yaml:1:1: error: missing required key 'version' (a plan starts with 'version: 1')"])
        #expect(messages("# nothing\n")
            == ["plan.yaml:1:1: error: missing required key 'version' (a plan starts with 'version: 1')"])
    }

    @Test func wrongVersion() {
        #expect(messages("version: 2\n") == ["plan.yaml:1:10: error: unsupported version '2'; this mklnk reads version 1"])
        #expect(messages("version: 1.0\n")
            == ["plan.yaml:1:10: error: unsupported version '1.0'; this mklnk reads version 1"])
        #expect(messages("version: [1]\n") == ["plan.yaml:1:10: error: 'version' must be 1; found a sequence"])
        #expect(messages("version: ~\n") == ["plan.yaml:1:10: error: 'version' must be 1; found null"])
    }

    @Test func quotedVersionIsAccepted() {
        #expect(messages("version: \"1\"\n").isEmpty)
    }

    @Test func planMustBeAMapping() {
        #expect(messages("- version: 1\n")
            == ["plan.yaml:1:1: error: a plan is a mapping with 'version' and 'links'; found a sequence"])
    }

    @Test func unknownTopLevelKeySuggestsTheNearestOne() {
        #expect(messages("""
            version: 1
            lnks:
              .vimrc: vim/vimrc

            """) == ["plan.yaml:2:1: error: unknown key 'lnks'; did you mean 'links'?"])
        #expect(messages("version: 1\ndefault: {}\n")
            == ["plan.yaml:2:1: error: unknown key 'default'; did you mean 'defaults'?"])
    }

    @Test func unknownTopLevelKeyFarFromAnyGetsNoSuggestion() {
        #expect(messages("version: 1\ncolour: blue\n") == ["plan.yaml:2:1: error: unknown key 'colour'"])
    }

    @Test func linksMustBeAMapping() {
        #expect(messages("""
            version: 1
            links: [a]

            """) == ["plan.yaml:2:8: error: 'links' must be a mapping of link paths to targets; found a sequence"])
        #expect(messages("version: 1\nlinks: a\n")
            == ["plan.yaml:2:8: error: 'links' must be a mapping of link paths to targets; found a string"])
    }

    @Test func emptyLinksAndRemoveAreFine() throws {
        let (plan, diagnostics) = load("version: 1\nlinks:\nremove:\nvars:\ndefaults:\n")
        #expect(diagnostics.isEmpty)
        #expect(try #require(plan).entries.isEmpty)
    }

    @Test func removeWithGlobCharactersWarnsThatTheyAreLiteral() {
        #expect(messages("version: 1\nremove:\n  - \"~/.old*\"\n  - ~/.plain\n  - ~/[x]\n") == [
            "plan.yaml:3:5: warning: remove takes paths, not globs: the * ? [ of '~/.old*' are taken literally",
            "plan.yaml:5:5: warning: remove takes paths, not globs: the * ? [ of '~/[x]' are taken literally",
        ])
    }

    @Test func varsAndDefaultsMustBeMappings() {
        #expect(messages("""
            version: 1
            vars: [a, b]
            defaults: symlink

            """) == [
            "plan.yaml:2:7: error: 'vars' must be a mapping of names to values; found a sequence",
            "plan.yaml:3:11: error: 'defaults' must be a mapping of entry options; found a string",
        ])
    }

    @Test func duplicateTopLevelKeyHasANoteAtTheFirst() throws {
        let (plan, diagnostics) = load("""
            version: 1
            links:
              .vimrc: vim/vimrc
            links:
              .zshrc: zsh/zshrc

            """)
        #expect(plan == nil)
        #expect(diagnostics.map(\.description) == ["plan.yaml:4:1: error: duplicate key 'links'"])
        #expect(diagnostics.first?.notes.map(\.description) == ["plan.yaml:2:1: note: first defined here"])
        #expect(diagnostics.first?.failure == .invalidPlan)
    }

    @Test func duplicateLinkPathHasANoteAtTheFirst() throws {
        let diagnostics = load("""
            version: 1
            links:
              .vimrc: vim/vimrc
              .gitconfig: git/config
              .vimrc: vim/other

            """).diagnostics
        #expect(diagnostics.map(\.description) == ["plan.yaml:5:3: error: duplicate key '.vimrc'"])
        #expect(diagnostics.first?.notes.map(\.description) == ["plan.yaml:3:3: note: first defined here"])
    }

    @Test func yamlSyntaxErrorsAreLocatedInThePlan() throws {
        let diagnostics = load("version: 1\nlinks: {a: b\n").diagnostics
        #expect(diagnostics.map(\.description) == ["plan.yaml:3:1: error: did not find expected ',' or '}'"])
        #expect(diagnostics.first?.notes.map(\.description)
            == ["plan.yaml:2:8: note: while parsing a flow mapping"])
    }

    @Test func inputSizeLimitComesFromLoadOptions() throws {
        let options = LoadOptions(facts: .test, workingDirectory: "/plans", limits: .init(maxInputBytes: 8))
        let (plan, diagnostics) = PlanLoader.load(file: "big.yaml", bytes: Array("version: 1\n".utf8), options: options)
        #expect(plan == nil)
        #expect(diagnostics.items.map(\.description)
            == ["big.yaml:1:1: error: the file is 11 bytes, more than the limit of 8"])
    }

    @Test func rootAndBaseResolveAgainstThePlanDirectory() throws {
        let plan = try #require(load("""
            version: 1
            root: ~/sandbox
            base: ../dotfiles
            links:
              .vimrc: vim/vimrc

            """).plan)
        #expect(plan.root == "/home/tess/sandbox")
        #expect(plan.base == "/dotfiles")
        #expect(plan.entry(".vimrc")?.link == "/home/tess/sandbox/.vimrc")
        #expect(plan.entry(".vimrc")?.targets.map(\.value) == ["/dotfiles/vim/vimrc"])
    }

    @Test func rootTildeIsHomeNotNull() throws {
        let plan = try #require(load("version: 1\nroot: ~\n").plan)
        #expect(plan.root == "/home/tess")
    }

    @Test func rootOptionOverridesThePlan() throws {
        let plan = try #require(load("version: 1\nroot: /srv\nlinks:\n  a: b\n", root: "/tmp/scratch/").plan)
        #expect(plan.root == "/tmp/scratch")
        #expect(plan.entry("a")?.link == "/tmp/scratch/a")
    }

    @Test
    func planRootIsCheckedEvenWhenOverridden() {
        #expect(messages("version: 1\nroot: ${NOPE}/x\n", root: "/tmp/scratch")
            == ["plan.yaml:2:7: error: undefined variable 'NOPE'"])
    }

    @Test func rootSlashIsAWarningNotAnError() throws {
        let (plan, diagnostics) = load("version: 1\nroot: /\n")
        #expect(plan != nil)
        #expect(diagnostics.map(\.description) == ["plan.yaml:2:7: warning: root is '/': links may be written anywhere"])
    }
}
