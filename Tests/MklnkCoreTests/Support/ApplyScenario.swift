import MklnkTestSupport
import MklnkCore
import Testing

/// A tree and a plan that exercises one kind of action, built through the real pipeline.
struct ApplyScenario: Sendable, CustomTestStringConvertible {
    var name: String
    /// The starting tree in the fixture format, including any earlier apply (of what it wrote
    /// to `dots/plan.yaml` then) whose state the plan depends on.
    var tree: TreeFixture
    var plan: String
    /// Planned operations that must appear (so a scenario cannot silently stop testing its action).
    var expects: [Operation]

    var testDescription: String { name }

    init(name: String, tree: String, plan: String, expects: [Operation]) {
        self.name = name
        self.tree = try! TreeFixture(text: tree)
        self.plan = plan
        self.expects = expects
    }

    /// A scenario of the strace sweep, Tests/crash/scenarios/NAME.tree: its last plan is the one
    /// applied, the steps before it make the tree.
    init(sweep name: String, expects: [Operation]) {
        let file = TreeFixture.sweepScenarios + "/\(name).tree"
        var fixture = try! TreeFixture(contentsOf: file)
        guard case .file(Array("dots/plan.yaml".utf8), let plan, _)? = fixture.steps.popLast() else {
            fatalError("\(file): the last step is not the plan")
        }
        self.name = "sweep \(name)"
        tree = fixture
        self.plan = String(decoding: plan, as: UTF8.self)
        self.expects = expects
    }

    /// Makes the starting tree in `t`.
    func setup(_ t: TempTree) {
        do {
            try tree.make(in: t.root) { t.apply(t.contents(t.planFile) ?? "") }
        } catch {
            fatalError("\(name): \(error)")
        }
    }

    /// The one-line plan header every scenario shares.
    static func plan(_ body: String) -> String { "version: 1\nroot: ~\n" + body }

    static let createSymlink = ApplyScenario(
        name: "create symlink",
        tree: "file dots/vim/vimrc set nocompatible",
        plan: plan("links:\n  .vimrc: vim/vimrc\n"),
        expects: [.create])

    static let createWithParents = ApplyScenario(
        name: "create with parents",
        tree: """
            file dots/vim/vimrc set nocompatible
            dir home/a
            """,
        plan: plan("links:\n  a/b/c/link: vim/vimrc\n  a/b/other: { target: vim/vimrc, relative: true }\n"),
        expects: [.create, .create])

    static let hardLink = ApplyScenario(
        name: "hard link",
        tree: "file dots/bin/tool #!/bin/sh\\necho tool",
        plan: plan("links:\n  bin/tool: { target: bin/tool, kind: hardlink }\n"),
        expects: [.create])

    static let junction = ApplyScenario(
        name: "junction",
        tree: "file dots/projects/readme projects",
        plan: plan("links:\n  projects: { target: projects, kind: junction }\n  auto: { target: projects, kind: auto }\n"),
        expects: [.create, .create])

    static let update = ApplyScenario(
        name: "update",
        tree: """
            file dots/vim/vimrc set nocompatible
            file dots/git/config [user]
            symlink home/.vimrc /etc/vimrc
            symlink home/.gitconfig old/config
            """,
        plan: plan("links:\n  .vimrc: vim/vimrc\n  .gitconfig: { target: git/config, relative: true }\n"),
        expects: [.update, .update])

    static let backupFile = ApplyScenario(
        name: "backup of a file",
        tree: """
            file dots/bash/bashrc export A=1
            file home/.bashrc my own bashrc
            """,
        plan: plan("links:\n  .bashrc: { target: bash/bashrc, conflict: backup }\n"),
        expects: [.backup, .create])

    static let backupDirectory = ApplyScenario(
        name: "backup of a directory",
        tree: """
            file dots/nvim/init.lua -- lua
            file home/.config/nvim/init.vim my vim config
            """,
        plan: plan("links:\n  .config/nvim: { target: nvim, conflict: backup, kind: junction }\n"),
        expects: [.backup, .create])

    static let delete = ApplyScenario(
        name: "delete",
        tree: """
            file dots/f shared bytes
            symlink home/.old_bashrc /nowhere/bashrc
            hardlink home/second-name dots/f
            """,
        plan: plan("remove:\n  - ~/.old_bashrc\n  - ~/second-name\n"),
        expects: [.delete, .delete])

    static let prune = ApplyScenario(
        name: "prune",
        tree: """
            file dots/a a
            file dots/b b
            file dots/h h
            file dots/plan.yaml version: 1\\nroot: ~\\nlinks:\\n  a: a\\n  b: b\\n  h: { target: h, kind: hardlink }
            apply
            """,
        plan: plan("links:\n  a: a\n"),
        expects: [.delete, .delete])

    static let staleHardLinkSameBytes = ApplyScenario(
        name: "stale hard link, same bytes",
        tree: """
            file dots/bin/tool v1
            file dots/plan.yaml version: 1\\nroot: ~\\nlinks:\\n  tool: { target: bin/tool, kind: hardlink }
            apply
            replace dots/bin/tool v1
            """,
        plan: plan("links:\n  tool: { target: bin/tool, kind: hardlink }\n"),
        expects: [.update])

    static let staleHardLinkNewBytes = ApplyScenario(
        name: "stale hard link, new bytes",
        tree: """
            file dots/bin/tool v1
            file dots/plan.yaml version: 1\\nroot: ~\\nlinks:\\n  tool: { target: bin/tool, kind: hardlink }
            apply
            replace dots/bin/tool v2
            """,
        plan: plan("links:\n  tool: { target: bin/tool, kind: hardlink }\n"),
        expects: [.backup, .create])

    /// conflict: adopt by symlink (into a directory of base it makes) and by hard link; base lies
    /// inside root here, so every step goes through the faulty filesystem.
    static let adopt = ApplyScenario(
        name: "adopt",
        tree: """
            file home/.zshrc my zshrc
            file home/.gitconfig my gitconfig
            dir home/dotfiles
            """,
        plan: plan("""
            base: ~/dotfiles
            links:
              .zshrc: { target: zsh/zshrc, conflict: adopt }
              .gitconfig: { target: git/config, kind: hardlink, conflict: adopt }

            """),
        expects: [.adopt, .adopt])

    /// Every kind at once, in one transaction.
    static let everything = ApplyScenario(
        name: "everything",
        tree: """
            file dots/vim/vimrc set nocompatible
            file dots/bash/bashrc export A=1
            file dots/bin/tool v1
            file dots/gone gone
            file dots/projects/readme projects
            file dots/plan.yaml <<YAML
            version: 1
            root: ~
            links:
              gone: gone
              tool: { target: bin/tool, kind: hardlink }
            YAML
            apply
            replace dots/bin/tool v2
            symlink home/.vimrc /etc/vimrc
            file home/.bashrc my own bashrc
            symlink home/.old /nowhere
            """,
        plan: plan("""
            links:
              .vimrc: vim/vimrc
              .bashrc: { target: bash/bashrc, conflict: backup }
              deep/er/link: vim/vimrc
              tool: { target: bin/tool, kind: hardlink }
              projects: { target: projects, kind: junction }
            remove:
              - ~/.old

            """),
        expects: [.update, .backup, .create, .delete])

    static let all: [ApplyScenario] = [
        createSymlink, createWithParents, hardLink, junction, update, backupFile, backupDirectory, delete, prune,
        staleHardLinkSameBytes, staleHardLinkNewBytes, everything, dirsAndClean, adopt,
    ]

    /// The strace sweep's trees (every kind of action, then the same on names that are not
    /// text), for the sweeps linear in their calls: each is several times larger than the rest.
    static let withSweeps = all + [
        ApplyScenario(sweep: "plain", expects: [.update, .backup, .create, .delete]),
        ApplyScenario(sweep: "odd", expects: [.backup, .create, .delete]),
    ]
}
