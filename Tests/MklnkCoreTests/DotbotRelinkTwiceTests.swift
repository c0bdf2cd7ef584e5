import MklnkCore
import Testing

/// `import dotbot`: with `relink` or `force`, dotbot re-links a path it linked earlier in the
/// run, so the later link is the one that stays (AUDIT3 F21; the differential test runs dotbot).
@Suite struct DotbotRelinkTwiceTests {
    func run(_ yaml: String) -> (plan: String, warnings: [String]) {
        let r = DotbotImporter.run(file: "install.conf.yaml", bytes: Array(yaml.utf8), base: "/dots", home: "/home/tess")
        return (r.plan ?? "<nil>", r.diagnostics.sorted.map(\.description))
    }

    @Test("with relink (from defaults) the later link is kept and the earlier commented out")
    func relinkKeepsTheLater() {
        let (plan, warnings) = run("- defaults:\n    link:\n      relink: true\n- link:\n    ~/.x: a\n- link:\n    ~/.x: b\n")
        #expect(plan.contains("  \"~/.x\": \"b\"\n") || plan.hasSuffix("  \"~/.x\": \"b\""), "\(plan)")
        #expect(plan.contains("  # \"~/.x\": \"a\""), "\(plan)")
        #expect(warnings == ["install.conf.yaml:5:5: warning: ~/.x is linked again at install.conf.yaml:7:5 with relink or force; dotbot ends with that link; the earlier link is left out (commented)"],
                "\(warnings)")
    }

    @Test("force on the later link alone replaces the earlier; a third without it is left out")
    func forceThenPlain() {
        let (plan, _) = run("- link:\n    ~/.x: a\n- link:\n    ~/.x: {path: b, force: true}\n- link:\n    ~/.x: c\n")
        #expect(plan.contains("  # \"~/.x\": \"a\""), "\(plan)")
        #expect(plan.contains("  \"~/.x\":") && plan.contains("\"b\""), "\(plan)")
        #expect(plan.contains("  # \"~/.x\": \"c\""), "\(plan)")
    }
}
