import MklnkTestSupport
import Testing

/// `mklnk import dotbot` through the binary: plan on stdout, located warnings on stderr, exit codes.
@Suite struct ImportDotbotCLITests {
    @Test("the plan goes to stdout and applies; what has no equivalent is a located warning")
    func importAndApply() {
        let t = TempTree(dotfiles: "import-dotbot")
        t.file("@/vimrc", "v\n")
        t.file("@/install.conf.yaml", "- link:\n    ~/.vimrc:\n- shell:\n  - make\n")
        let r = t.mklnk("import", "dotbot", t.path("@/install.conf.yaml"))
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.contains("install.conf.yaml:4:5: warning: shell command has no mklnk equivalent (run it yourself): make"), "\(r)")
        #expect(r.stdout.contains("base: \"\(t.dots)\"") && r.stdout.contains("  \"~/.vimrc\": \"vimrc\""), "\(r)")
        t.file("imported.yaml", r.stdout)
        let applied = t.mklnk("apply", t.path("imported.yaml"))
        #expect(applied.status == 0, "\(applied)")
        #expect(t.linkTarget("~/.vimrc") == t.dots + "/vimrc")
    }

    @Test("a config that is not a list of tasks exits 65 with its place; a missing one too")
    func invalid() {
        let t = TempTree(dotfiles: "import-dotbot-invalid")
        t.file("@/bad.yaml", "link:\n  a: b\n")
        let r = t.mklnk("import", "dotbot", t.path("@/bad.yaml"))
        #expect(r.status == 65 && r.stdout.isEmpty, "\(r)")
        #expect(r.stderr.contains("bad.yaml:1:1: error: a dotbot config is a list of tasks; found a mapping"), "\(r)")
        let missing = t.mklnk("import", "dotbot", t.path("@/none.yaml"))
        #expect(missing.status == 65 && missing.stderr.contains("cannot read the dotbot config"), "\(missing)")
    }
}
