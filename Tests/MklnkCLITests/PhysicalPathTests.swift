import MklnkTestSupport
import Testing

/// Issue 9, defects 4–6: what a link and its target are is what the kernel makes of their
/// paths, symlinked parents and `..` included.
@Suite struct PhysicalPathTests {
    @Test("a link that is its own target through a symlinked parent: an error at the entry, no backup of the real file")
    func ownTargetThroughSymlinkedParent() {
        let t = TempTree(dotfiles: "own-target")
        t.file("~/dotfiles/ssh/config", "Host *\n")
        t.symlink("~/.ssh", "dotfiles/ssh")
        let plan = t.plan("""
            base: ~/dotfiles
            links:
              ~/.ssh/config: { target: ssh/config, conflict: backup }
              ~/.ssh/up: { target: ., missing: allow }
              ~/.ssh/new: { target: ssh/new, missing: allow }
              ~/.ssh/fine: ssh/config

            """)
        let before = t.snapshot()
        for command in ["plan", "apply"] {
            let r = t.mklnk(command, plan)
            #expect(r.status == 1, "\(r)")
            let lines = r.stdout.split(separator: "\n")
            #expect(lines.contains { $0.hasPrefix("! ~/.ssh/config: it would be its own target") && $0.hasSuffix("[\(plan):5:3]") },
                    "\(r)")
            #expect(lines.contains { $0.hasPrefix("! ~/.ssh/up: it would be made inside its own target ~/dotfiles") }, "\(r)")
            #expect(lines.contains { $0.hasPrefix("! ~/.ssh/new: it would be its own target") }, "\(r)")
            // Before: `> ~/.ssh/config` moved the real file aside and linked it to itself.
            #expect(!lines.contains { $0.hasPrefix("> ") || $0.hasPrefix("+ ~/.ssh/config") }, "\(r)")
        }
        #expect(t.snapshot() == before)
        #expect(t.contents("~/dotfiles/ssh/config") == "Host *\n")
    }

    @Test("relative: true through a symlinked root and parent resolves from where the link is; check sees one that does not")
    func relativeFromThePhysicalDirectory() {
        let t = TempTree(dotfiles: "relative-physical")
        t.file("@/t", "t\n")
        t.directory("real/deep/cfg")
        t.symlink("real/.config", "deep/cfg")
        let home = t.path("real")
        t.symlink("homelink", home)
        let plan = t.plan("links:\n  ~/.config/t: { target: t, relative: true }\n")
        let env = ["HOME": t.path("homelink")]
        let r = t.mklnk(["apply", plan], environment: env)
        #expect(r.status == 0, "\(r)")
        // Before: `../../dots/t`, computed from ~/.config as written, dangling.
        #expect(t.linkTarget("real/deep/cfg/t") == "../../../dots/t", "\(r)")
        #expect(ApplyCLI.read(t.path("real/deep/cfg/t")) == "t\n", "\(r)")
        #expect(t.mklnk(["check", plan], environment: env).status == 0)
        // The dangling link the old computation made is drift, not "in sync".
        t.symlink("real/deep/cfg/u", "../../dots/t")
        let old = t.plan("links:\n  ~/.config/u: { target: t, relative: true }\n", name: "old.yaml")
        let c = t.mklnk(["check", old], environment: env)
        #expect(c.status == 2, "\(c)")
        #expect(c.stdout.contains("~ ~/.config/u -> ../../../dots/t"), "\(c)")
    }

    @Test("sub/../x with sub a symlink names what the kernel says, in the link and in the missing-target check")
    func dotDotAfterASymlink() {
        let t = TempTree(dotfiles: "dotdot")
        t.file("@/x", "lexical\n")
        t.file("elsewhere/x", "kernel\n")
        t.directory("elsewhere/inner")
        t.symlink("@/sub", t.path("elsewhere/inner"))
        t.file("elsewhere/only-here", "k\n")
        let plan = t.plan("links:\n  x: sub/../x\n  y: sub/../only-here\n")
        let r = t.mklnk("apply", plan)
        #expect(r.status == 0, "\(r)")
        // Before: `x` -> dots/x (a lexical rewrite) and `y` refused as missing.
        #expect(t.contents("~/x") == nil && ApplyCLI.read(t.path("~/x")) == "kernel\n", "\(r)")
        #expect(ApplyCLI.read(t.path("~/y")) == "k\n", "\(r)")
        // And a name the kernel cannot resolve is missing, though it is there lexically.
        let missing = t.plan("links:\n  z: nowhere/../x\n", name: "missing.yaml")
        let m = t.mklnk("plan", missing)
        #expect(m.status == 1 && m.stderr.contains("does not exist"), "\(m)")
    }

    @Test("a list target ending in .. is named after what it names; a glob with .. after a wildcard is refused")
    func dotDotInDirectoriesOfLinks() {
        let t = TempTree(dotfiles: "dotdot-dir")
        t.file("@/d/a/f", "f\n")
        let plan = t.plan("links:\n  ~/y/: [d/a/.., d/a/f]\n")
        let r = t.mklnk("apply", plan)
        // Before: a link named `..` in ~/y, that is at the root itself.
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/y/d") == t.dots + "/d" && t.isSymlink("~/y/f"), "\(r)")
        let glob = t.plan("links:\n  ~/x/: \"d/*/..\"\n", name: "glob.yaml")
        let g = t.mklnk("plan", glob)
        // Before: `+ ~/x -> dots/d`, a link at the directory of links itself.
        #expect(g.status == 65, "\(g)")
        #expect(g.stderr.contains("\(glob):4:9: error: '..' after a wildcard in "), "\(g)")
    }
}
