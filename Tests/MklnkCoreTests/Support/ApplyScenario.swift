import MklnkCore
import Testing

/// A tree and a plan that exercises one kind of action, built through the real pipeline.
struct ApplyScenario: Sendable, CustomTestStringConvertible {
    var name: String
    /// Builds the starting tree, including any earlier apply whose state the plan depends on.
    var setup: @Sendable (ApplyTree) -> Void
    var plan: String
    /// Planned operations that must appear (so a scenario cannot silently stop testing its action).
    var expects: [Operation]

    var testDescription: String { name }

    /// The one-line plan header every scenario shares.
    static func plan(_ body: String) -> String { "version: 1\nroot: ~\n" + body }

    static let createSymlink = ApplyScenario(
        name: "create symlink",
        setup: { $0.file("@/vim/vimrc", "set nocompatible\n") },
        plan: plan("links:\n  .vimrc: vim/vimrc\n"),
        expects: [.create])

    static let createWithParents = ApplyScenario(
        name: "create with parents",
        setup: { t in
            t.file("@/vim/vimrc", "set nocompatible\n")
            t.directory("~/a")
        },
        plan: plan("links:\n  a/b/c/link: vim/vimrc\n  a/b/other: { target: vim/vimrc, relative: true }\n"),
        expects: [.create, .create])

    static let hardLink = ApplyScenario(
        name: "hard link",
        setup: { $0.file("@/bin/tool", "#!/bin/sh\necho tool\n") },
        plan: plan("links:\n  bin/tool: { target: bin/tool, kind: hardlink }\n"),
        expects: [.create])

    static let junction = ApplyScenario(
        name: "junction",
        setup: { $0.file("@/projects/readme", "projects\n") },
        plan: plan("links:\n  projects: { target: projects, kind: junction }\n  auto: { target: projects, kind: auto }\n"),
        expects: [.create, .create])

    static let update = ApplyScenario(
        name: "update",
        setup: { t in
            t.file("@/vim/vimrc", "set nocompatible\n")
            t.file("@/git/config", "[user]\n")
            t.symlink("~/.vimrc", "/etc/vimrc")
            t.symlink("~/.gitconfig", "old/config")
        },
        plan: plan("links:\n  .vimrc: vim/vimrc\n  .gitconfig: { target: git/config, relative: true }\n"),
        expects: [.update, .update])

    static let backupFile = ApplyScenario(
        name: "backup of a file",
        setup: { t in
            t.file("@/bash/bashrc", "export A=1\n")
            t.file("~/.bashrc", "my own bashrc\n")
        },
        plan: plan("links:\n  .bashrc: { target: bash/bashrc, conflict: backup }\n"),
        expects: [.backup, .create])

    static let backupDirectory = ApplyScenario(
        name: "backup of a directory",
        setup: { t in
            t.file("@/nvim/init.lua", "-- lua\n")
            t.file("~/.config/nvim/init.vim", "my vim config\n")
        },
        plan: plan("links:\n  .config/nvim: { target: nvim, conflict: backup, kind: junction }\n"),
        expects: [.backup, .create])

    static let delete = ApplyScenario(
        name: "delete",
        setup: { t in
            t.file("@/f", "shared bytes\n")
            t.symlink("~/.old_bashrc", "/nowhere/bashrc")
            t.hardLink("~/second-name", to: "@/f")
        },
        plan: plan("remove:\n  - ~/.old_bashrc\n  - ~/second-name\n"),
        expects: [.delete, .delete])

    static let prune = ApplyScenario(
        name: "prune",
        setup: { t in
            t.file("@/a", "a\n")
            t.file("@/b", "b\n")
            t.file("@/h", "h\n")
            t.apply(plan("links:\n  a: a\n  b: b\n  h: { target: h, kind: hardlink }\n"))
        },
        plan: plan("links:\n  a: a\n"),
        expects: [.delete, .delete])

    static let staleHardLinkSameBytes = ApplyScenario(
        name: "stale hard link, same bytes",
        setup: { t in
            t.file("@/bin/tool", "v1\n")
            t.apply(plan("links:\n  tool: { target: bin/tool, kind: hardlink }\n"))
            t.replaceByRename("@/bin/tool", "v1\n")
        },
        plan: plan("links:\n  tool: { target: bin/tool, kind: hardlink }\n"),
        expects: [.update])

    static let staleHardLinkNewBytes = ApplyScenario(
        name: "stale hard link, new bytes",
        setup: { t in
            t.file("@/bin/tool", "v1\n")
            t.apply(plan("links:\n  tool: { target: bin/tool, kind: hardlink }\n"))
            t.replaceByRename("@/bin/tool", "v2\n")
        },
        plan: plan("links:\n  tool: { target: bin/tool, kind: hardlink }\n"),
        expects: [.backup, .create])

    /// conflict: adopt by symlink (into a directory of base it makes) and by hard link; base lies
    /// inside root here, so every step goes through the faulty filesystem.
    static let adopt = ApplyScenario(
        name: "adopt",
        setup: { t in
            t.file("~/.zshrc", "my zshrc\n")
            t.file("~/.gitconfig", "my gitconfig\n")
            t.directory("~/dotfiles")
        },
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
        setup: { t in
            t.file("@/vim/vimrc", "set nocompatible\n")
            t.file("@/bash/bashrc", "export A=1\n")
            t.file("@/bin/tool", "v1\n")
            t.file("@/gone", "gone\n")
            t.file("@/projects/readme", "projects\n")
            t.apply(plan("links:\n  gone: gone\n  tool: { target: bin/tool, kind: hardlink }\n"))
            t.replaceByRename("@/bin/tool", "v2\n")
            t.symlink("~/.vimrc", "/etc/vimrc")
            t.file("~/.bashrc", "my own bashrc\n")
            t.symlink("~/.old", "/nowhere")
        },
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
}
