import MklnkTestSupport
import Foundation
import Testing

/// Issue 12 part 3: under GitHub Actions every diagnostic and conflict is also a workflow
/// command, and `plan`/`apply` append a Markdown table to `$GITHUB_STEP_SUMMARY`.
@Suite struct GitHubOutputTests {
    /// A plan in a directory whose name needs escaping in a property (`:` and `,`): a conflict at
    /// line 4 column 3, a missing target at line 5 column 12 (with its note), a `%` in a name.
    func tree(_ label: String) -> (TempTree, String) {
        let t = TempTree(dotfiles: label)
        t.file("@/a", "a\n")
        t.file("~/a", "mine\n")
        t.directory("repo/ci:x,y")
        let plan = t.path("repo/ci:x,y/plan.yaml")
        t.file(plan, "version: 1\nroot: ~\nlinks:\n  a: \(t.dots)/a\n  \"50%\": /nowhere/missing\n")
        return (t, plan)
    }

    func annotations(_ r: ApplyCLIResult) -> [Substring] {
        r.stderr.split(separator: "\n").filter { $0.hasPrefix("::") }
    }

    @Test("GITHUB_ACTIONS=true: each diagnostic and conflict is a workflow command, escaped by GitHub's rules",
          arguments: ["plan", "check", "apply"])
    func annotated(_ command: String) {
        let (t, plan) = tree("gha-" + command)
        let r = t.mklnk([command, plan, "--json"], environment: ["GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": t.path("repo")])
        #expect(r.status == 1, "\(r)")
        let lines = annotations(r)
        #expect(lines.contains("::error title=mklnk,file=ci%3Ax%2Cy/plan.yaml,line=4,col=3::~/a: a regular file is in the way (conflict: fail)"),
                "\(r)")
        let missing = lines.first { $0.contains("line=5,col=") }
        #expect(missing?.hasPrefix("::error title=mklnk,file=ci%3Ax%2Cy/plan.yaml,line=5,col=") == true, "\(r)")
        #expect(missing?.contains("/nowhere/missing does not exist") == true, "\(r)")
        #expect(missing?.contains("%0Aci%3Ax%2Cy/plan.yaml:5:3: note: for the link ~/50%25") == true
                || missing?.contains("%0Aci:x,y/plan.yaml:5:3: note: for the link ~/50%25") == true, "notes on their own line, % escaped\n\(r)")
        #expect(JSONContractTests.document(r) != nil, "stdout keeps its one document")
    }

    @Test("--annotations github without GITHUB_ACTIONS; --annotations none turns them off")
    func option() {
        let (t, plan) = tree("gha-option")
        #expect(annotations(t.mklnk("plan", plan, "--annotations", "github")).count == 2)
        #expect(annotations(t.mklnk("plan", plan)).isEmpty)
        #expect(annotations(t.mklnk(["plan", plan, "--annotations", "none"], environment: ["GITHUB_ACTIONS": "true"])).isEmpty)
        #expect(t.mklnk("plan", plan, "--annotations", "gitlab").status == 64)
    }

    @Test("a message's CR and LF never break the command: names are escaped, then %0D %0A are GitHub's")
    func newlineInName() {
        let t = TempTree(dotfiles: "gha-newline")
        t.file("@/a", "a\n")
        t.file("~/two\nlines", "in the way\n")
        let plan = t.plan("links:\n  \"two\\nlines\": a\n")
        let r = t.mklnk(["plan", plan, "--annotations", "github"])
        let lines = annotations(r)
        #expect(lines.count == 1, "\(r)")
        #expect(lines.first?.hasSuffix("::~/two\\nlines: a regular file is in the way (conflict: fail)") == true, "\(r)")
    }

    @Test("plan and apply append a Markdown table to $GITHUB_STEP_SUMMARY")
    func stepSummary() {
        let t = TempTree(dotfiles: "gha-summary")
        t.file("@/a", "a\n")
        t.file("@/b", "b\n")
        t.symlink("~/b", "/etc/hostname")
        let plan = t.plan("links:\n  a: a\n  b: b\n")
        let summary = t.path("summary.md")
        t.file(summary, "earlier\n")
        let env = ["GITHUB_STEP_SUMMARY": summary]
        #expect(t.mklnk(["plan", plan], environment: env).status == 0)
        #expect(t.mklnk(["apply", plan, "--json"], environment: env).status == 0)
        let text = t.contents(summary) ?? ""
        #expect(text.hasPrefix("earlier\n### mklnk plan: "), "\(text)")
        #expect(text.contains("\n### mklnk apply: "), "\(text)")
        #expect(text.contains("| | Link | Target | Note |\n|---|---|---|---|\n"), "\(text)")
        #expect(text.contains("| create | \\~/a | "), "\(text)")
        #expect(text.contains("| update | \\~/b | "), "\(text)")
        #expect(text.contains("was -\\> /etc/hostname |"), "\(text)")
        #expect(text.contains("**Applied**"), "\(text)")
        // Without the variable nothing is written anywhere.
        #expect(t.mklnk("plan", plan).status == 0)
        #expect(t.contents(summary) == text)
    }

    @Test("a refused apply's summary lists the conflict and the errors")
    func refusedSummary() {
        let (t, plan) = tree("gha-refused")
        let summary = t.path("summary.md")
        #expect(t.mklnk(["apply", plan], environment: ["GITHUB_STEP_SUMMARY": summary]).status == 1)
        let text = t.contents(summary) ?? ""
        #expect(text.contains("| conflict | \\~/a | "), "\(text)")
        #expect(text.contains("a regular file is in the way"), "\(text)")
        #expect(text.contains("**Not applied**"), "\(text)")
    }
}
