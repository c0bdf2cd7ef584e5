import MklnkCore
import Testing

/// `mklnk import dotbot`: each dotbot option and directive, and what has no equivalent.
@Suite struct DotbotImportTests {
    func run(_ yaml: String) -> (plan: String, warnings: [String]) {
        let r = DotbotImporter.run(file: "install.conf.yaml", bytes: Array(yaml.utf8), base: "/dots", home: "/home/tess")
        return (r.plan ?? "<nil>", r.diagnostics.sorted.map(\.description))
    }

    func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    @Test("dotbot's own defaults (no relink, no create, canonicalize) become the plan's defaults")
    func builtInDefaults() {
        let (plan, warnings) = run("- link:\n    ~/.vimrc: vimrc\n")
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(plan.contains("version: 1\nbase: \"/dots\"\ndefaults:\n  canonical: true\n  relink: false\n  parents: false\nlinks:\n  \"~/.vimrc\": \"vimrc\"\n"),
                "\(plan)")
    }

    @Test("string, null and mapping forms; a null target is the name without its dot; $VAR becomes ${VAR}")
    func forms() {
        let (plan, _) = run("""
            - defaults:
                link: {relink: true, create: true}
            - link:
                ~/.zshrc:
                ~/.config/nvim/: nvim
                $HOME/.x: ${XDG}/x
                ~/.b:
                  path: b/../bashrc
                  relative: yes
                  force: true
                  ignore-missing: true
                  canonicalize: false
            """)
        let l = lines(plan)
        #expect(l.contains("  \"~/.zshrc\": \"zshrc\""), "\(plan)")
        #expect(l.contains("  \"~/.config/nvim\": \"nvim\""), "\(plan)")
        #expect(l.contains("  \"${HOME}/.x\": \"${XDG}/x\""), "\(plan)")
        #expect(l.contains("  \"~/.b\": { target: \"bashrc\", relative: true, canonical: false, conflict: \"backup\", missing: \"allow\" }"),
                "\(plan)")
        #expect(!plan.contains("relink:") && !plan.contains("parents:"), "relink and create as mklnk's defaults: \(plan)")
    }

    @Test("every warning of the import, not only what has no equivalent, is repeated at the top of the plan")
    func everyWarningInTheHeader() {
        let (plan, warnings) = run("- link:\n    ~/.f: {path: f, force: true}\n    ~/.z: {path: z, colour: red}\n- shell: [echo hi]\n")
        #expect(warnings.count == 3, "\(warnings)")
        for w in warnings {
            let comment = "#   " + w.replacingOccurrences(of: ": warning: ", with: ": ")
            #expect(plan.contains(comment), "missing \(comment) in\n\(plan)")
        }
    }

    @Test("a hard link drops relative (dotbot ignores it); an unknown type is left out with a warning")
    func types() {
        let (plan, warnings) = run("- link:\n    ~/.a: {path: a, type: hardlink, relative: true}\n    ~/.b: {path: b, type: junction}\n")
        #expect(plan.contains("  \"~/.a\": { target: \"a\", kind: \"hardlink\" }"), "\(plan)")
        #expect(plan.contains("  # \"~/.b\": \"b\""), "\(plan)")
        #expect(warnings == ["install.conf.yaml:3:5: warning: link type 'junction' is neither symlink nor hardlink; dotbot skips the link; the link is left out (commented)"],
                "\(warnings)")
    }

    @Test("if: uname tests become when; anything else is a comment and a located warning")
    func conditions() {
        let (plan, warnings) = run("""
            - link:
                ~/.a: {path: a, if: '[ "$(uname)" = Darwin ]'}
                ~/.b: {path: b, if: 'test "$(uname -s)" != "Linux"'}
                ~/.c: {path: c, if: '[[ `uname -m` == arm64 ]]'}
                ~/.d: {path: d, if: 'uname | grep -q Linux'}
                ~/.e: {path: e, if: 'command -v nvim'}
            """)
        #expect(plan.contains("  \"~/.a\": { target: \"a\", when: { os: \"macos\" } }"), "\(plan)")
        #expect(plan.contains("  \"~/.b\": { target: \"b\", when: { os: [\"macos\", \"freebsd\", \"openbsd\", \"netbsd\", \"windows\"] } }"), "\(plan)")
        #expect(plan.contains("  \"~/.c\": { target: \"c\", when: { arch: \"arm64\" } }"), "\(plan)")
        #expect(plan.contains("  \"~/.d\": { target: \"d\", when: { os: \"linux\" } }"), "\(plan)")
        #expect(plan.contains("  # \"~/.e\": \"e\""), "\(plan)")
        #expect(warnings == ["install.conf.yaml:6:5: warning: if: 'command -v nvim' has no mklnk equivalent (only tests of uname map to when); the link is left out (commented)"],
                "\(warnings)")
        #expect(plan.contains("#   install.conf.yaml:6:5: if: 'command -v nvim' has no mklnk equivalent"), "\(plan)")
    }

    @Test("shell commands and plugin directives are comments and located warnings")
    func unmappable() {
        let (plan, warnings) = run("- shell:\n  - [git submodule update, Submodules]\n  - command: make\n- brew: [wget]\n")
        #expect(warnings == [
            "install.conf.yaml:2:5: warning: shell command has no mklnk equivalent (run it yourself): git submodule update",
            "install.conf.yaml:3:5: warning: shell command has no mklnk equivalent (run it yourself): make",
            "install.conf.yaml:4:3: warning: directive 'brew' (a dotbot plugin) has no mklnk equivalent",
        ], "\(warnings)")
        #expect(plan.contains("#   install.conf.yaml:4:3: directive 'brew' (a dotbot plugin) has no mklnk equivalent"), "\(plan)")
        #expect(plan.hasSuffix("links: {}\n"), "\(plan)")
    }

    @Test("create becomes dirs (an octal mode as YAML 1.1 reads it), clean becomes clean; clean's force is a warning")
    func createAndClean() {
        let (plan, warnings) = run("""
            - defaults:
                create: {mode: 0750}
            - create:
                ~/downloads:
                ~/.ssh/sockets: {mode: 0700}
                rel/dir:
            - clean:
                ~/:
                ~/.config: {recursive: true, force: true}
            """)
        #expect(plan.contains("dirs:\n  - { path: \"~/downloads\", mode: \"0750\" }\n  - { path: \"~/.ssh/sockets\", mode: \"0700\" }\n  - { path: \"/dots/rel/dir\", mode: \"0750\" }\n"),
                "\(plan)")
        #expect(plan.contains("clean:\n  - \"~\"\n  - { path: \"~/.config\", recursive: true }\n"), "\(plan)")
        #expect(warnings == ["install.conf.yaml:9:34: warning: clean's force has no mklnk equivalent: mklnk deletes only dangling links that point into base"],
                "\(warnings)")
    }

    @Test("glob makes a directory of links with its excludes; with prefix the glob is expanded now")
    func globs() {
        let (plan, warnings) = run("- link:\n    ~/.config:\n      glob: true\n      path: config/*\n      exclude: [config/secret*]\n    ~/bin/:\n      path: bin/*\n")
        #expect(plan.contains("  \"~/.config/\": { target: \"config/*\", exclude: [\"config/secret*\"] }"), "\(plan)")
        #expect(plan.contains("  \"~/bin\": \"bin/*\""), "without glob the pattern is a name: \(plan)")
        #expect(warnings.isEmpty, "\(warnings)")
    }

    @Test("a link already listed is left out, as dotbot keeps the first")
    func duplicates() {
        let (plan, warnings) = run("- link:\n    ~/.a: a\n- link:\n    ~/.a: b\n")
        #expect(plan.contains("  \"~/.a\": \"a\"\n"), "\(plan)")
        #expect(plan.contains("  # \"~/.a\": \"b\""), "\(plan)")
        #expect(warnings.count == 1 && warnings[0].hasPrefix("install.conf.yaml:4:5: warning: ~/.a is already linked at install.conf.yaml:2:5"),
                "\(warnings)")
    }

    @Test("paths outside $HOME make root /; an unknown option is a warning with a suggestion")
    func rootAndUnknown() {
        let (plan, warnings) = run("- link:\n    /etc/x: {path: x, relnk: true}\n")
        #expect(plan.contains("root: \"/\""), "\(plan)")
        #expect(warnings == ["install.conf.yaml:2:23: warning: unknown dotbot link option 'relnk' (dotbot ignores it); did you mean 'relink'?"],
                "\(warnings)")
    }

    @Test("a config that is not a list of tasks is an error at its place")
    func invalid() {
        let r = DotbotImporter.run(file: "c.yaml", bytes: Array("link:\n  a: b\n".utf8), base: "/d", home: "/h")
        #expect(r.plan == nil)
        #expect(r.diagnostics.sorted.map(\.description) == ["c.yaml:1:1: error: a dotbot config is a list of tasks; found a mapping"])
        let bad = DotbotImporter.run(file: "c.yaml", bytes: Array("- link: [\n".utf8), base: "/d", home: "/h")
        #expect(bad.plan == nil && bad.diagnostics.hasErrors)
    }

    @Test("names with quotes, backslashes and control characters are quoted so YAML reads them back")
    func quoting() {
        let (plan, _) = run("- link:\n    \"~/.a \\\"b\\\\c\\td\": \"no\"\n")
        #expect(plan.contains("  \"~/.a \\\"b\\\\c\\td\": \"no\""), "\(plan)")
    }
}

extension DotbotImportTests {
    @Test("every imported plan loads as a valid mklnk plan")
    func importedPlansLoad() {
        let config = """
            - defaults:
                link: {create: true, relink: true}
                create: {mode: 0700}
                clean: {recursive: true}
            - clean: ['~', '~/.config']
            - create: [~/downloads, ~/.cache/x]
            - link:
                ~/.vimrc:
                ~/.a: {path: a, relative: true, canonicalize: false, ignore-missing: true, backup: true}
                ~/.b: {path: b, type: hardlink, force: true, if: '[ "$(uname)" = Linux ]'}
                ~/.config/: {glob: true, path: 'config/*', exclude: ['config/x']}
                ~/.c: {path: c, if: 'false'}
            - shell: [make]
            """
        let (plan, _) = run(config)
        let options = LoadOptions(facts: .test, workingDirectory: "/")
        let (loaded, diagnostics) = PlanLoader.load(file: "imported.yaml", bytes: Array(plan.utf8), options: options)
        #expect(!diagnostics.hasErrors, "\(diagnostics.sorted.map(\.description))\n\(plan)")
        #expect(loaded?.entries.count == 4, "\(plan)")
        #expect(loaded?.directories.map(\.path) == ["/home/tess/downloads", "/home/tess/.cache/x"])
        #expect(loaded?.directories.map(\.mode) == [0o700, 0o700])
        #expect(loaded?.cleans.map(\.recursive) == [true, true])
        let canonical = { (key: String) in loaded?.entries.first { keyAsWritten($0, in: plan) == key }?.options.canonical }
        #expect(canonical("~/.vimrc") == true && canonical("~/.a") == false)
    }
}

extension DotbotImportTests {
    @Test("a config name, a shell command or a path with a newline cannot inject YAML into the plan")
    func noInjection() {
        let r = DotbotImporter.run(file: "x\nroot: /\n.yaml", bytes: Array("- shell: [\"a\\nroot: /etc\"]\n- link:\n    \"~/.a\\nroot: /\": b\n".utf8),
                                   base: "/dots", home: "/home/tess")
        let plan = r.plan ?? ""
        let options = LoadOptions(facts: .test, workingDirectory: "/")
        let (loaded, diagnostics) = PlanLoader.load(file: "p.yaml", bytes: Array(plan.utf8), options: options)
        #expect(!diagnostics.hasErrors, "\(diagnostics.sorted.map(\.description))\n\(plan)")
        #expect(loaded?.root == "/home/tess", "\(plan)")
        #expect(loaded?.entries.map(\.link) == ["/home/tess/.a\nroot: "], "\(plan)")
    }
}

extension DotbotImportTests {
    @Test("names that are equal as Unicode but not as bytes are two links, not a duplicate")
    func byteDistinctNames() {
        let (plan, warnings) = run("- link:\n    ~/caf\u{E9}: a\n- link:\n    ~/cafe\u{301}: b\n")
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(plan.contains("  \"~/caf\u{E9}\": \"a\"") && plan.contains("  \"~/cafe\u{301}\": \"b\"") && !plan.contains("# \""),
                "\(plan)")
    }
}
