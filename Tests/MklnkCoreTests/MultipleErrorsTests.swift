import MklnkCore
import Testing

@Suite("Every error in one run")
struct MultipleErrorsTests {
    static let broken = """
        version: 2
        lnks: {}
        links:
          .vimrc: { taget: vim/vimrc }
          .gitconfig: { target: git/config, relative: yes }
          ../outside: x
          .zshrc: ${NOPE}/zshrc
          bin/tool: { target: t, kind: hardlnk }
        remove:
          - /etc/passwd

        """

    @Test func allErrorsAreReportedSortedByLocation() {
        let (plan, diagnostics) = load(Self.broken)
        #expect(plan == nil)
        #expect(diagnostics.map(\.description) == [
            "plan.yaml:1:10: error: unsupported version '2'; this mklnk reads version 1",
            "plan.yaml:2:1: error: unknown key 'lnks'; did you mean 'links'?",
            "plan.yaml:4:3: error: link '.vimrc' has no 'target'",
            "plan.yaml:4:13: error: unknown option 'taget'; did you mean 'target'?",
            "plan.yaml:5:47: error: 'relative' must be true or false; found 'yes'",
            "plan.yaml:6:3: error: link path '../outside' is outside root /home/tess",
            "plan.yaml:7:11: error: undefined variable 'NOPE'",
            "plan.yaml:8:32: error: 'hardlnk' is not a valid kind; expected one of symlink, hardlink, junction, auto;"
                + " did you mean 'hardlink'?",
            "plan.yaml:10:5: error: link path '/etc/passwd' is outside root /home/tess",
        ])
        #expect(diagnostics.allSatisfy { $0.severity == .error && $0.failure == .invalidPlan })
    }

    @Test func sortedKeepsEveryItem() {
        let options = LoadOptions(facts: .test, workingDirectory: "/plans")
        let (_, diagnostics) = PlanLoader.load(file: "plan.yaml", bytes: Array(Self.broken.utf8), options: options)
        #expect(diagnostics.items.count == 9)
        #expect(Set(diagnostics.items.map(\.description)) == Set(diagnostics.sorted.map(\.description)))
        #expect(diagnostics.failure == .invalidPlan)
        #expect(diagnostics.hasErrors)
    }

    @Test func warningsAloneKeepThePlan() throws {
        let options = LoadOptions(facts: .test, workingDirectory: "/plans")
        let yaml = "version: 1\nroot: /\nlinks:\n  a: { target: t, exclude: [x] }\n"
        let (plan, diagnostics) = PlanLoader.load(file: "plan.yaml", bytes: Array(yaml.utf8), options: options)
        #expect(plan != nil)
        #expect(diagnostics.items.count == 2)
        #expect(!diagnostics.hasErrors)
        #expect(diagnostics.failure == nil)
    }

    @Test
    func duplicateKeyDoesNotHideOtherErrors() {
        #expect(messages("""
            version: 1
            lnks: {}
            links:
              a: x
              a: y
              b: { taget: z }

            """) == [
            "plan.yaml:2:1: error: unknown key 'lnks'; did you mean 'links'?",
            "plan.yaml:5:3: error: duplicate key 'a'",
            "plan.yaml:6:3: error: link 'b' has no 'target'",
            "plan.yaml:6:8: error: unknown option 'taget'; did you mean 'target'?",
        ])
    }
}
