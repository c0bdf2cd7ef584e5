import MklnkTestSupport
import Testing
@testable import MklnkCore
import MklnkFileSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `plan` never changes the filesystem (SPEC §2): the built binary runs on a tree that holds every
/// kind of decision, and the tree is compared before and after, entry by entry.
@Suite struct PlannerDryRunTests {
    /// Everything beneath `tree.root` and the top itself, never following a link: kind, bytes,
    /// link text and all `lstat` says that a change would move (mode, inode, times).
    static func snapshot(_ tree: TempTree) -> TreeSnapshot { TreeSnapshot(of: tree.root, stamped: true) }

    /// A tree where `plan` has something of every kind to say.
    static func busyTree() throws -> TempTree {
        // What `plan` is to do with each path is in the comment above it.
        let tree = try TempTree(fixture: CoreTrees.vimAndGit + """
            exec dots/tools/tool #!/bin/sh
            data dots/fonts/a.ttf a
            data dots/fonts/sub/b.ttf b
            file dots/old old
            dir home/.config
            # update
            symlink home/.gitconfig /etc/gitconfig
            # unchanged
            symlink home/.unchanged $TMP/dots/vim/vimrc
            # unchanged hard link
            hardlink home/bin/tool dots/tools/tool
            # backup
            file home/.zshrc mine
            # skip
            file home/.profile mine
            # directory, backup
            dir home/.vim/colors
            # remove
            symlink home/.old_bashrc $TMP/dots/old
            # remove a hard link
            file home/shared
            hardlink home/shared2 home/shared
            # prune
            symlink home/.pruned $TMP/dots/old
            """)
        let state = AppliedState(ordered: [RecordedLink(
            path: Path(tree.path("home/.pruned")), kind: .symlink, stored: Path(tree.path("dots/old")), device: 0, inode: 0)])
        tree.file("dots/plan.yaml", """
            version: 1
            links:
              .vimrc: vim/vimrc
              .gitconfig: git/config
              .unchanged: vim/vimrc
              bin/tool: { target: tools/tool, kind: hardlink }
              .zshrc: { target: vim/vimrc, conflict: backup }
              .profile: { target: vim/vimrc, conflict: skip }
              .vim: { target: vim, kind: junction, conflict: backup }
              .config/new/deep/file: { target: git/config, relative: true }
              .fonts/: "fonts/**/*.ttf"
              .dangling: { target: nothere, missing: allow }
            remove:
              - ~/.old_bashrc
              - shared2
            """)
        try StateStore(fileSystem: LocalFileSystem(root: "/"), directory: Path(tree.state))
            .save(state, plan: Path(tree.planFile), root: Path(tree.home))
        return tree
    }

    @Test func planChangesNothing() throws {
        let tree = try Self.busyTree()
        let elsewhere = try TempTree()
        let env = ["HOME": tree.home]
        let before = Self.snapshot(tree)
        #expect(before.entries.count > 20)

        let runs: [[String]] = [
            ["plan", "dots/plan.yaml", "--state-dir", tree.state, "--color", "never"],
            ["plan", "dots/plan.yaml", "--state-dir", tree.state, "-v", "--color", "always"],
            ["plan", "dots/plan.yaml", "--state-dir", tree.state, "--json"],
            ["plan", "dots/plan.yaml", "--state-dir", tree.state, "--detailed-exitcode"],
            ["plan", "dots/plan.yaml", "--state-dir", tree.state, "--out", elsewhere.path("saved.plan")],
            ["plan", "dots/plan.yaml"],  // the default state directory lies inside HOME: not made by plan
            ["check", "dots/plan.yaml", "--state-dir", tree.state],
            ["apply", "--dry-run", "dots/plan.yaml", "--state-dir", tree.state],
            ["show", "home/.gitconfig", "home/bin/tool", "home/.vim", "home/.zshrc"],
            ["graph", "dots/plan.yaml"],
            ["graph", "dots/plan.yaml", "--format", "mermaid"],
            ["validate", "dots/plan.yaml"],
        ]
        var outputs: [String: MklnkProcess.Result] = [:]
        for arguments in runs {
            let result = try MklnkProcess.run(arguments, in: tree.root, environment: env)
            outputs[arguments.joined(separator: " ")] = result
            let after = Self.snapshot(tree)
            if after != before {
                Issue.record("mklnk \(arguments.joined(separator: " ")) changed the tree:\n\(after.difference(from: before))")
                return
            }
        }
        // The runs did what they claim (a plan that did nothing because it failed proves little).
        let plain = try #require(outputs["plan dots/plan.yaml --state-dir \(tree.state) --color never"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains("Plan: 7 to create, 1 to update, 3 to delete, 2 to back up, 2 unchanged, 1 skipped, 0 conflicts."),
                "\(plain.stdout)")
        let detailed = try #require(outputs["plan dots/plan.yaml --state-dir \(tree.state) --detailed-exitcode"])
        #expect(detailed.status == 2)
        #expect(elsewhere.exists("saved.plan"), "--out wrote its file (outside the tree)")
        let check = try #require(outputs["check dots/plan.yaml --state-dir \(tree.state)"])
        #expect(check.status == 2)
    }

    @Test func planWithConflictsAndErrorsChangesNothing() throws {
        let tree = try Self.busyTree()
        tree.file("dots/plan.yaml", """
            version: 1
            links:
              .zshrc: vim/vimrc
              .vim: vim
              .missing: nothere
              .a: ~/.b
              .b: ~/.a
            remove: [.zshrc, shared]
            """)
        let before = Self.snapshot(tree)
        let env = ["HOME": tree.home]
        for arguments in [["plan", "dots/plan.yaml", "--state-dir", tree.state, "--out", "saved.plan"],
                          ["check", "dots/plan.yaml", "--state-dir", tree.state]] {
            let result = try MklnkProcess.run(arguments, in: tree.root, environment: env)
            #expect(result.status == 65, "\(result.stdout)\(result.stderr)")
            #expect(Self.snapshot(tree) == before)
        }
        #expect(!tree.exists("saved.plan"))
    }
}
