import MklnkCore
import Testing

@Suite("Variables")
struct VariableTests {
    @Test func undefinedVariablePointsAtTheDollar() {
        #expect(messages("""
            version: 1
            links:
              .vimrc: ~/src/${DOTS}/vimrc

            """) == ["plan.yaml:3:17: error: undefined variable 'DOTS'"])
    }

    @Test func undefinedVariableInAQuotedScalarAndAKey() {
        #expect(messages("""
            version: 1
            links:
              "${NOPE}/.vimrc": "vim/${ALSO_NOPE}"

            """) == [
            "plan.yaml:3:4: error: undefined variable 'NOPE'",
            "plan.yaml:3:26: error: undefined variable 'ALSO_NOPE'",
        ])
    }

    @Test func undefinedVariableInAnOptionsMappingSuggestsADeclaredOne() {
        #expect(messages("""
            version: 1
            vars:
              dots: /srv/dotfiles
            links:
              .vimrc:
                target: ${DOTS}/vim/vimrc

            """) == ["plan.yaml:6:13: error: undefined variable 'DOTS'; did you mean 'dots'?"])
    }

    @Test func undefinedVariableIsNeverAnEmptyString() {
        let (plan, diagnostics) = load("version: 1\nlinks:\n  a: /x/${NOPE}y\n")
        #expect(plan == nil)
        #expect(diagnostics.first?.failure == .invalidPlan)
    }

    @Test func defaultIsUsedOnlyWhenTheVariableIsUndefined() throws {
        let plan = try #require(load("""
            version: 1
            links:
              a: ${DOTS:-/opt/dots}/vim/vimrc
              b: ${EDITOR:-nano}.conf

            """).plan)
        #expect(plan.entry("a")?.targets.map(\.value) == ["/opt/dots/vim/vimrc"])
        #expect(plan.entry("b")?.targets.map(\.value) == ["/plans/vim.conf"])
    }

    @Test func emptyDefault() throws {
        let plan = try #require(load("version: 1\nlinks:\n  a: /x/${NOPE:-}y\n").plan)
        #expect(plan.entry("a")?.targets.map(\.value) == ["/x/y"])
    }

    @Test
    func defaultMayHoldAVariable() throws {
        let (plan, diagnostics) = load("version: 1\nlinks:\n  c: ${DOTS:-${HOME}/dotfiles}/vimrc\n")
        #expect(diagnostics.isEmpty)
        #expect(plan?.entry("c")?.targets.map(\.value) == ["/home/tess/dotfiles/vimrc"])
    }

    @Test
    func defaultIsUsedForAnEmptyVariable() throws {
        let plan = try #require(load("version: 1\nlinks:\n  a: /x/${EMPTY:-dflt}\n").plan)
        #expect(plan.entry("a")?.targets.map(\.value) == ["/x/dflt"])
    }

    @Test func commandLineVarOverridesVars() throws {
        let yaml = """
            version: 1
            vars:
              dots: /srv/dotfiles
            links:
              .vimrc: ${dots}/vim/vimrc

            """
        #expect(load(yaml).plan?.entry(".vimrc")?.targets.map(\.value) == ["/srv/dotfiles/vim/vimrc"])
        let plan = try #require(load(yaml, variables: ["dots": "/mnt/usb/dots"]).plan)
        #expect(plan.entry(".vimrc")?.targets.map(\.value) == ["/mnt/usb/dots/vim/vimrc"])
        #expect(plan.variables["dots"] == "/mnt/usb/dots")
    }

    @Test func commandLineVarOverridesTheEnvironment() throws {
        let plan = try #require(load("version: 1\nlinks:\n  a: /${EDITOR}\n", variables: ["EDITOR": "emacs"]).plan)
        #expect(plan.entry("a")?.targets.map(\.value) == ["/emacs"])
    }

    @Test func varsReferToTheEnvironmentAndToEachOtherInAnyOrder() throws {
        let plan = try #require(load("""
            version: 1
            vars:
              dots: ${src}/dotfiles
              src: ${HOME}/src
              editor: ${EDITOR}
              cache: ~/.cache
            links:
              .vimrc: ${dots}/${editor}/vimrc
              .cache/x: ${cache}/x

            """).plan)
        #expect(plan.variables == [
            "dots": "/home/tess/src/dotfiles", "src": "/home/tess/src", "editor": "vim", "cache": "/home/tess/.cache",
        ])
        #expect(plan.entry(".vimrc")?.targets.map(\.value) == ["/home/tess/src/dotfiles/vim/vimrc"])
        #expect(plan.entry(".cache/x")?.targets.map(\.value) == ["/home/tess/.cache/x"])
    }

    @Test func varsWinOverTheEnvironment() throws {
        let plan = try #require(load("version: 1\nvars: { EDITOR: nano }\nlinks:\n  a: /${EDITOR}\n").plan)
        #expect(plan.entry("a")?.targets.map(\.value) == ["/nano"])
    }

    @Test func homeFallsBackToTheHostFacts() throws {
        var facts = HostFacts.test
        facts.environment = [:]
        let plan = try #require(load("version: 1\nlinks:\n  a: ${HOME}/x\n", facts: facts).plan)
        #expect(plan.entry("a")?.targets.map(\.value) == ["/home/tess/x"])
    }

    @Test func selfReferentialVariable() {
        #expect(messages("""
            version: 1
            vars:
              a: ${a}/x
            links:
              l: ${a}

            """) == ["plan.yaml:3:6: error: variable 'a' refers to itself (a -> a)"])
    }

    @Test func mutuallyReferentialVariablesAreReportedOnce() {
        let errors = load("version: 1\nvars:\n  a: ${b}\n  b: ${a}\n").diagnostics
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("refers to itself") == true)
    }

    @Test func undefinedVariableInsideVarsIsReportedAtItsDefinitionOnce() {
        #expect(messages("""
            version: 1
            vars:
              dots: ${NOPE}/dotfiles
            links:
              a: ${dots}/a
              b: ${dots}/b

            """) == ["plan.yaml:3:9: error: undefined variable 'NOPE'"])
    }

    @Test func badVariableSyntax() {
        #expect(messages("version: 1\nlinks:\n  a: x/${1abc}\n  b: x/${oops\n  c: $HOME/x\n") == [
            "plan.yaml:3:8: error: '1abc' is not a variable name (letters, digits and _, not starting with a digit)",
            "plan.yaml:4:8: error: unterminated '${' (a variable is written ${NAME})",
        ])
    }

    @Test func varsMustBeStrings() {
        #expect(messages("version: 1\nvars:\n  a: [x]\n")
            == ["plan.yaml:3:6: error: variable 'a' must be a string; found a sequence"])
    }

    // Locations of `${` inside scalars whose source text differs from their value.

    @Test
    func undefinedVariableAfterNonASCIIText() {
        #expect(messages("version: 1\nlinks:\n  café/${NOPE}: x\n") == ["plan.yaml:3:8: error: undefined variable 'NOPE'"])
    }

    @Test
    func undefinedVariableAfterAnEscape() {
        #expect(messages("version: 1\nlinks:\n  a: \"x\\ty/${NOPE}\"\n") == ["plan.yaml:3:12: error: undefined variable 'NOPE'"])
    }

    @Test
    func undefinedVariableOnTheSecondLineOfAScalar() {
        #expect(messages("version: 1\nlinks:\n  a: /some/long\n    ${NOPE}\n") == ["plan.yaml:4:5: error: undefined variable 'NOPE'"])
    }
}
