#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkTestSupport
import Testing

/// SPEC §1 `dirs:`, `clean:` and `canonical: true`, through the binary.
@Suite struct DirsCleanCanonicalTests {
    func mode(_ t: TempTree, _ p: String) -> UInt32? {
        var st = stat()
        return lstat(t.path(p), &st) == 0 ? UInt32(st.st_mode) & 0o7777 : nil
    }

    @Test("dirs: made with their parents and mode, shown in plan, then unchanged; an existing one keeps its mode")
    func directories() {
        let t = TempTree(dotfiles: "dirs")
        t.directory("~/kept")
        chmod(t.path("~/kept"), 0o750)
        let plan = t.plan("dirs:\n  - ~/downloads\n  - { path: ~/.ssh/sockets, mode: \"0700\" }\n  - { path: ~/kept, mode: \"0700\" }\nlinks: {}\n")
        let preview = t.mklnk("plan", plan)
        #expect(preview.status == 0, "\(preview)")
        #expect(preview.stdout.contains("+ ~/downloads/") && preview.stdout.contains("+ ~/.ssh/sockets/")
                && preview.stdout.contains("mode 0700") && !preview.stdout.contains("~/kept"), "\(preview)")
        #expect(!t.exists("~/downloads"))
        let r = t.mklnk("apply", plan, "--counters", "-")
        #expect(r.status == 0, "\(r)")
        #expect(r.counters["_mklnk_files"] == 0, "a directory is not a link written: \(r)")
        #expect(mode(t, "~/.ssh/sockets") == 0o700 && mode(t, "~/kept") == 0o750)
        #expect(t.exists("~/downloads") && !t.isSymlink("~/downloads"))
        let again = t.mklnk("plan", plan, "--detailed-exitcode")
        #expect(again.status == 0, "\(again)")
    }

    @Test("dirs: a file in the way is a conflict (exit 1, nothing changed); a bad mode or a path outside root is invalid (65)")
    func directoryProblems() {
        let t = TempTree(dotfiles: "dirs-problems")
        t.file("~/downloads", "mine\n")
        t.file("@/a", "a\n")
        let plan = t.plan("dirs:\n  - ~/downloads\n  - ~/new\nlinks:\n  a: a\n")
        let before = t.snapshot()
        let r = t.mklnk("apply", plan)
        #expect(r.status == 1, "\(r)")
        #expect(r.stdout.contains("! ~/downloads: a regular file is in the way of the directory"), "\(r)")
        #expect(t.snapshot() == before)
        let bad = t.mklnk("plan", t.plan("dirs:\n  - { path: ~/x, mode: \"rwx\" }\n  - /etc/elsewhere\n  - { path: ~/y, colour: red }\n",
                                        name: "bad.yaml"))
        #expect(bad.status == 65, "\(bad)")
        #expect(bad.stderr.contains("bad.yaml:4:24: error: 'mode' must be an octal string such as \"0700\"; found 'rwx'"), "\(bad)")
        #expect(bad.stderr.contains("bad.yaml:5:5: error: 'dirs' path '/etc/elsewhere' is outside root"), "\(bad)")
        #expect(bad.stderr.contains("bad.yaml:6:18: error: unknown key 'colour' in 'dirs'"), "\(bad)")
    }

    @Test("clean: deletes only dangling symlinks into base, recursively when asked; keeps everything else")
    func clean() {
        let t = TempTree(dotfiles: "clean")
        t.file("@/vimrc", "v\n")
        t.file("~/file", "mine\n")
        t.symlink("~/.dead", t.path("@/gone"))
        t.symlink("~/.live", t.path("@/vimrc"))
        t.symlink("~/.outside", "/nowhere/else")
        t.symlink("~/.config/deep/dead", "../../../dots/gone-too")
        t.symlink("~/.vimrc", t.path("@/old-vimrc"))  // dangling into base, but a planned link: relinked
        let shallow = t.plan("clean:\n  - ~/\nlinks:\n  .vimrc: vimrc\n")
        let preview = t.mklnk("plan", shallow)
        #expect(preview.stdout.contains("- ~/.dead") && preview.stdout.contains("clean"), "\(preview)")
        #expect(!preview.stdout.contains(".outside") && !preview.stdout.contains("deep/dead"), "\(preview)")
        #expect(preview.stdout.contains("~ ~/.vimrc -> "), "\(preview)")
        #expect(t.mklnk("apply", shallow).status == 0)
        #expect(!t.exists("~/.dead") && t.isSymlink("~/.live") && t.isSymlink("~/.outside") && t.contents("~/file") == "mine\n")
        #expect(t.isSymlink("~/.config/deep/dead"))
        #expect(t.linkTarget("~/.vimrc") == t.path("@/vimrc"))
        let deep = t.plan("clean:\n  - { path: ~/, recursive: true }\nlinks:\n  .vimrc: vimrc\n")
        #expect(t.mklnk("apply", deep).status == 0)
        #expect(!t.exists("~/.config/deep/dead") && t.isSymlink("~/.outside") && t.exists("~/.config/deep"))
    }

    @Test("canonical: the stored target has every symlink resolved, relative ones too; without it the path is kept")
    func canonical() {
        let t = TempTree(dotfiles: "canonical")
        t.file("real/vim/vimrc", "v\n")
        t.symlink("@/vim", t.path("real/vim"))
        let plan = t.plan("defaults:\n  canonical: true\nlinks:\n  .vimrc: vim/vimrc\n  .rel: { target: vim/vimrc, relative: true }\n  .plain: { target: vim/vimrc, canonical: false }\n  .gone: { target: vim/missing, missing: allow }\n")
        let r = t.mklnk("apply", plan)
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/.vimrc") == t.path("real/vim/vimrc"))
        #expect(t.linkTarget("~/.rel") == "../real/vim/vimrc")
        #expect(t.linkTarget("~/.plain") == t.path("@/vim/vimrc"))
        #expect(t.linkTarget("~/.gone") == t.path("real/vim/missing"))
        #expect(t.mklnk("plan", plan, "--detailed-exitcode").status == 0)
        let bad = t.mklnk("plan", t.plan("links:\n  .x: { target: vim/vimrc, canonical: yes }\n", name: "bad.yaml"))
        #expect(bad.status == 65 && bad.stderr.contains("'canonical' must be true or false"), "\(bad)")
    }
}
