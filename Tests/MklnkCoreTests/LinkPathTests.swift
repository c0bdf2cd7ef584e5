import MklnkCore
import Testing

@Suite("Link paths, targets and remove")
struct LinkPathTests {
    @Test func linkPathsAreRelativeToRootAndTargetsToBase() throws {
        let plan = try #require(load("""
            version: 1
            base: /srv/dotfiles
            links:
              .vimrc: vim/vimrc
              ./.config/../.gitconfig: ./git//config
              .zshrc: /etc/zsh/zshrc

            """).plan)
        #expect(plan.entry(".vimrc")?.link == "/home/tess/.vimrc")
        #expect(plan.entry(".vimrc")?.targets.map(\.value) == ["/srv/dotfiles/vim/vimrc"])
        // Kept with its `..`: the graph puts it where the kernel would (LinkPathKernelTests).
        #expect(plan.entry("./.config/../.gitconfig")?.link == "/home/tess/./.config/../.gitconfig")
        #expect(plan.entry("./.config/../.gitconfig")?.targets.map(\.value) == ["/srv/dotfiles/git/config"])
        #expect(plan.entry(".zshrc")?.targets.map(\.value) == ["/etc/zsh/zshrc"])
    }

    @Test func tildeExpandsInLinkPathsAndTargets() throws {
        let plan = try #require(load("""
            version: 1
            links:
              ~/.vimrc: ~/dotfiles/vim/vimrc
              ~/.config/nvim: { target: ~ }

            """).plan)
        #expect(plan.entry("~/.vimrc")?.link == "/home/tess/.vimrc")
        #expect(plan.entry("~/.vimrc")?.targets.map(\.value) == ["/home/tess/dotfiles/vim/vimrc"])
        #expect(plan.entry("~/.config/nvim")?.targets.map(\.value) == ["/home/tess"])
    }

    @Test func tildeOtherThanAtTheStartIsLiteral() throws {
        let plan = try #require(load("version: 1\nlinks:\n  a~/b: x/~/y\n  ~user/c: z\n").plan)
        #expect(plan.entry("a~/b")?.link == "/home/tess/a~/b")
        #expect(plan.entry("a~/b")?.targets.map(\.value) == ["/plans/x/~/y"])
        #expect(plan.entry("~user/c")?.link == "/home/tess/~user/c")
    }

    @Test func yaml11TrapsAreOrdinaryPathNames() throws {
        let plan = try #require(load("""
            version: 1
            links:
              no: yes
              0777: 1e3
              0x1F: .inf
              off: "null"

            """).plan)
        #expect(plan.entries.map(\.link) == ["/home/tess/no", "/home/tess/0777", "/home/tess/0x1F", "/home/tess/off"])
        #expect(plan.entries.flatMap { $0.targets.map(\.value) } == ["/plans/yes", "/plans/1e3", "/plans/.inf", "/plans/null"])
    }

    @Test
    func plainNullIsAPathName() throws {
        let (plan, diagnostics) = load("""
            version: 1
            links:
              null: NULL
              dev/null: { target: "null" }
              home: ~
            remove:
              - null

            """)
        #expect(diagnostics.isEmpty)
        #expect(plan?.entries.map(\.link) == ["/home/tess/null", "/home/tess/dev/null", "/home/tess/home"])
        #expect(plan?.entries.flatMap { $0.targets.map(\.value) } == ["/plans/NULL", "/plans/null", "/home/tess"])
        #expect(plan?.removals.map(\.path) == ["/home/tess/null"])
    }

    @Test func linkPathOutsideRoot() {
        #expect(messages("""
            version: 1
            links:
              ../../etc/passwd: x
              /etc/x: y
              sub/../../escape: z

            """, root: "/srv/scratch") == [
            "plan.yaml:3:3: error: link path '../../etc/passwd' is outside root /srv/scratch",
            "plan.yaml:4:3: error: link path '/etc/x' is outside root /srv/scratch",
            "plan.yaml:5:3: error: link path 'sub/../../escape' is outside root /srv/scratch",
        ])
    }

    @Test func linkPathOutsideRootThroughAVariableOrTilde() {
        #expect(messages("""
            version: 1
            vars: { up: ".." }
            links:
              ${up}/x: y
              ~/.vimrc: z

            """, root: "/srv/scratch") == [
            "plan.yaml:4:3: error: link path '${up}/x' is outside root /srv/scratch",
            "plan.yaml:5:3: error: link path '~/.vimrc' is outside root /srv/scratch",
        ])
    }

    @Test func aSiblingWithACommonPrefixIsOutsideRoot() {
        #expect(messages("version: 1\nlinks:\n  /home/tessa/x: y\n")
            == ["plan.yaml:3:3: error: link path '/home/tessa/x' is outside root /home/tess"])
    }

    @Test func aSingleLinkMayNotBeTheRootItself() {
        let hint = " (a directory of links may be: end it with '/' or give a glob or list target)"
        #expect(messages("version: 1\nlinks:\n  .: x\n  sub/..: y\nremove: [~/]\n") == [
            "plan.yaml:3:3: error: link path '.' is the root itself" + hint,
            "plan.yaml:4:3: error: link path 'sub/..' is the root itself" + hint,
            "plan.yaml:5:10: error: link path '~/' is the root itself",
        ])
    }

    /// SPEC §1: a directory of links may be the root (before the change, every form below was an error).
    @Test func aDirectoryOfLinksMayBeTheRoot() throws {
        let plan = try #require(load("version: 1\nlinks:\n  ~/: conf/a\n  ~: { target: \"conf/*\" }\n  .: [x, y]\n").plan)
        #expect(plan.entries.map(\.link) == ["/home/tess", "/home/tess", "/home/tess"])
        #expect(plan.entries.allSatisfy { $0.isDirectory })
    }

    @Test func absoluteLinkPathInsideRootIsFine() throws {
        let plan = try #require(load("version: 1\nlinks:\n  /home/tess/.vimrc: x\n").plan)
        #expect(plan.entry("/home/tess/.vimrc")?.link == "/home/tess/.vimrc")
    }

    @Test func trailingSlashMakesADirectoryOfLinks() throws {
        let plan = try #require(load("""
            version: 1
            links:
              ~/bin/: tools/tool
              ~/bin/tool2: tools/tool2

            """).plan)
        #expect(plan.entry("~/bin/")?.isDirectory == true)
        #expect(plan.entry("~/bin/")?.link == "/home/tess/bin")
        #expect(plan.entry("~/bin/tool2")?.isDirectory == false)
    }

    @Test func globAndListTargetsMakeADirectoryOfLinks() throws {
        let plan = try #require(load("""
            version: 1
            links:
              fonts: fonts/*.ttf
              icons: { target: "icons/icon-?.png" }
              ranged: "themes/[a-c]*"
              bin: [tools/a, tools/b]
              lib: { target: [lib/x.so] }
              deep: "src/**/*.h"
              plain: fonts/regular.ttf

            """).plan)
        #expect(plan.entries.filter(\.isDirectory).map(plan.key) == ["fonts", "icons", "ranged", "bin", "lib", "deep"])
        #expect(plan.entry("fonts")?.targets.map(\.value) == ["/plans/fonts/*.ttf"])
        #expect(plan.entry("bin")?.targets.map(\.value) == ["/plans/tools/a", "/plans/tools/b"])
        #expect(plan.entry("bin")?.targets.map(\.location.column) == [9, 18])
        #expect(plan.entry("deep")?.targets.map(\.value) == ["/plans/src/**/*.h"])
    }

    @Test func nulByteInAPathIsAnError() {
        #expect(messages(#"""
            version: 1
            links:
              "a\0b": x
              c: "d\0e"
              f: { target: [ok, "g\0"] }
            remove:
              - "h\0"

            """#) == [
            "plan.yaml:3:3: error: a path may not contain a NUL byte",
            "plan.yaml:4:6: error: a path may not contain a NUL byte",
            "plan.yaml:5:21: error: a path may not contain a NUL byte",
            "plan.yaml:7:5: error: a path may not contain a NUL byte",
        ])
    }

    @Test func nulByteThroughAVariableIsAnError() {
        #expect(messages("version: 1\nlinks:\n  a: ${X}\n", variables: ["X": "a\u{0}b"])
            == ["plan.yaml:3:6: error: a path may not contain a NUL byte"])
    }

    @Test func emptyPathIsAnError() {
        #expect(messages("version: 1\nlinks:\n  \"\": x\n  a: \"\"\n") == [
            "plan.yaml:3:3: error: 'link path' is an empty path",
            "plan.yaml:4:6: error: 'target' is an empty path",
        ])
    }

    @Test func nonStringLinkPath() {
        #expect(messages("version: 1\nlinks:\n  [a, b]: x\n")
            == ["plan.yaml:3:3: error: a link path must be a string; found a sequence"])
    }

    @Test func removeEntries() throws {
        let plan = try #require(load("""
            version: 1
            remove:
              - ~/.old_bashrc
              - .profile.bak
              - "${HOME}/.config/stale"

            """).plan)
        #expect(plan.removals.map(\.path) == ["/home/tess/.old_bashrc", "/home/tess/.profile.bak", "/home/tess/.config/stale"])
        #expect(plan.removals.map(\.location.description) == ["plan.yaml:3:5", "plan.yaml:4:5", "plan.yaml:5:5"])
    }

    @Test func removeMayBeASinglePath() throws {
        let plan = try #require(load("version: 1\nremove: ~/.old_bashrc\n").plan)
        #expect(plan.removals.map(\.path) == ["/home/tess/.old_bashrc"])
    }

    @Test func removeIsConfinedToRoot() {
        #expect(messages("""
            version: 1
            remove:
              - ../../etc/passwd
              - { path: x }
            remove_typo: []

            """) == [
            "plan.yaml:3:5: error: link path '../../etc/passwd' is outside root /home/tess",
            "plan.yaml:4:5: error: 'remove' must be a path; found a mapping",
            "plan.yaml:5:1: error: unknown key 'remove_typo'; did you mean 'remove'?",
        ])
        #expect(messages("version: 1\nremove: { a: b }\n")
            == ["plan.yaml:2:9: error: 'remove' must be a list of link paths; found a mapping"])
    }
}
