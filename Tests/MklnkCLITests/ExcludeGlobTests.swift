import MklnkTestSupport
import Testing

/// `exclude` patterns follow the shell as target globs do (SPEC §1): `*`, `?` and `[...]` match
/// within one component, never a `/` and never a leading dot; `**` crosses directories.
@Suite struct ExcludeGlobTests {
    @Test("`*` and `?` in exclude stay within one directory level")
    func wildcardsDoNotCrossSlash() {
        let t = TempTree(dotfiles: "exclude-slash")
        for f in ["c/a.tmp", "c/s/b.tmp", "c/s/t/c.tmp", "c/s/keep"] { t.file("@/" + f, "x\n") }
        let star = t.plan("links:\n  .f/: { target: \"c/**\", exclude: [\"c/*.tmp\"] }\n")
        let r = t.mklnk("apply", star)
        #expect(r.status == 0, "\(r)")
        // Before: `c/*.tmp` also excluded c/s/b.tmp and c/s/t/c.tmp.
        #expect(!t.exists("~/.f/a.tmp"), "\(r)")
        #expect(t.linkTarget("~/.f/s/b.tmp") == t.dots + "/c/s/b.tmp", "\(r)")
        #expect(t.linkTarget("~/.f/s/t/c.tmp") == t.dots + "/c/s/t/c.tmp", "\(r)")
        #expect(t.linkTarget("~/.f/s/keep") == t.dots + "/c/s/keep", "\(r)")

        let question = t.plan("links:\n  .g/: { target: \"c/**\", exclude: [\"c/s/t?c.tmp\", \"c/s[/]t/c.tmp\"] }\n",
                              name: "q.yaml")
        let q = t.mklnk("apply", question)
        #expect(q.status == 0, "\(q)")
        // Before: `?` matched the `/` and c/s/t/c.tmp was left out.
        #expect(t.linkTarget("~/.g/s/t/c.tmp") == t.dots + "/c/s/t/c.tmp", "\(q)")
        #expect(t.linkTarget("~/.g/a.tmp") == t.dots + "/c/a.tmp", "\(q)")
    }

    @Test("`**` in exclude matches any depth")
    func doubleStarCrossesDirectories() {
        let t = TempTree(dotfiles: "exclude-doublestar")
        for f in ["c/a.tmp", "c/s/b.tmp", "c/s/t/c.tmp", "c/s/keep"] { t.file("@/" + f, "x\n") }
        let plan = t.plan("links:\n  .f/: { target: \"c/**\", exclude: [\"c/**/*.tmp\"] }\n")
        let r = t.mklnk("apply", plan)
        #expect(r.status == 0, "\(r)")
        #expect(!t.exists("~/.f/a.tmp") && !t.exists("~/.f/s/b.tmp") && !t.exists("~/.f/s/t/c.tmp"), "\(r)")
        #expect(t.linkTarget("~/.f/s/keep") == t.dots + "/c/s/keep", "\(r)")
    }

    @Test("`*`, `?` and `[...]` in exclude never match a leading dot; an explicit dot does")
    func wildcardsDoNotMatchALeadingDot() {
        let t = TempTree(dotfiles: "exclude-dot")
        for f in ["c/.x", "c/a", "c/.y"] { t.file("@/" + f, "x\n") }
        let plan = t.plan("links:\n  .f/: { target: [c/.x, c/a, c/.y], exclude: [\"*\", \"c/?x\", \"[.]x\", \"c/.y\"] }\n")
        let r = t.mklnk("apply", plan)
        #expect(r.status == 0, "\(r)")
        // Before: `*` (and `c/?x`, `[.]x`) matched `.x`, and nothing was linked.
        #expect(t.linkTarget("~/.f/.x") == t.dots + "/c/.x", "\(r)")
        #expect(!t.exists("~/.f/a") && !t.exists("~/.f/.y"), "\(r)")
    }
}
