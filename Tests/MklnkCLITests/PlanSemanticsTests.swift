import MklnkTestSupport
import Testing

/// SPEC §1 semantics that users coming from dotbot expect (issue 13, "Plan semantics").
@Suite struct PlanSemanticsTests {
    @Test("an entry's own `when` replaces `defaults.when`")
    func entryWhenReplacesDefault() {
        let t = TempTree(dotfiles: "when")
        t.file("@/a", "a\n")
        let plan = t.plan("""
            defaults: { when: { env: MKLNK_GUI } }
            links:
              gui: a
              ci: { target: a, when: { env: MKLNK_CI } }

            """)
        // Before, both conditions had to hold and `ci` was left out without MKLNK_GUI.
        let r = t.mklnk("apply", plan, environment: ["MKLNK_CI": "1"])
        #expect(r.status == 0, "\(r)")
        #expect(t.isSymlink("~/ci") && !t.exists("~/gui"), "\(r)")
    }

    @Test("a directory of links may be the root itself; a single link at the root may not")
    func directoryOfLinksAtRoot() {
        let t = TempTree(dotfiles: "root-dir")
        t.file("@/conf/a", "a\n")
        t.file("@/conf/b", "b\n")
        t.file("@/extra", "x\n")
        let plan = t.plan("links:\n  ~/: \"conf/*\"\n  \"~\": { target: [extra] }\n")
        let r = t.mklnk("apply", plan)
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/a") == t.dots + "/conf/a" && t.linkTarget("~/b") == t.dots + "/conf/b", "\(r)")
        #expect(t.linkTarget("~/extra") == t.dots + "/extra", "\(r)")
        let single = t.plan("links:\n  ~/.vimrc: extra\n  \"~\": extra\n", name: "single.yaml")
        let bad = t.mklnk("plan", single)
        #expect(bad.status == 65, "\(bad)")
        #expect(bad.stderr.contains("single.yaml:5:3: error: link path '~' is the root itself"), "\(bad)")
    }

    @Test("in ${X:-${Y}}/${Z} each undefined variable is reported at its own column")
    func undefinedVariablesAtTheirColumns() {
        let t = TempTree(dotfiles: "var-columns")
        let plan = t.plan("links:\n  a: \"${X:-${Y}}/${Z}\"\n  b: ${X:-${Y}}/${Z}\n")
        let r = t.mklnk("validate", plan)
        #expect(r.status == 65, "\(r)")
        let errors = r.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors == [
            "\(plan):4:12: error: undefined variable 'Y'",
            "\(plan):4:18: error: undefined variable 'Z'",
            "\(plan):5:11: error: undefined variable 'Y'",
            "\(plan):5:17: error: undefined variable 'Z'",
        ], "\(r)")
    }

    @Test("a trailing ** links every file beneath, mirrored; a directory with something excluded is never linked whole")
    func trailingDoubleStarAndExclude() {
        let t = TempTree(dotfiles: "double-star")
        for f in ["a", "sub/b", "sub/c", "sub/deep/d", "other/e", ".hidden"] { t.file("@/config/" + f, f + "\n") }
        let plan = t.plan("""
            links:
              ~/.config/: { target: "config/**", exclude: [b] }
              ~/x/: { target: "config/*", exclude: [b] }

            """)
        let r = t.mklnk("apply", plan)
        #expect(r.status == 0, "\(r)")
        // Before: `other` and `sub/deep` were linked whole, `a` and `sub/c` not at all.
        #expect(t.linkTarget("~/.config/a") == t.dots + "/config/a", "\(r)")
        #expect(t.linkTarget("~/.config/sub/c") == t.dots + "/config/sub/c", "\(r)")
        #expect(t.linkTarget("~/.config/sub/deep/d") == t.dots + "/config/sub/deep/d", "\(r)")
        #expect(t.linkTarget("~/.config/other/e") == t.dots + "/config/other/e", "\(r)")
        #expect(!t.exists("~/.config/sub/b") && !t.exists("~/.config/.hidden"), "\(r)")
        // `config/*` links `other` whole, but `sub` by its parts, `b` left out (before: `sub` whole).
        #expect(t.linkTarget("~/x/other") == t.dots + "/config/other", "\(r)")
        #expect(!t.isSymlink("~/x/sub") && t.names("~/x/sub") == ["c", "deep"], "\(r)")
        #expect(t.linkTarget("~/x/sub/deep") == t.dots + "/config/sub/deep", "\(r)")
    }
}
