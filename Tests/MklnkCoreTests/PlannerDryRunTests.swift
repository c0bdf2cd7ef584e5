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
    /// One entry of a snapshot: everything `lstat` says that a change would move, and the link text.
    struct Entry: Equatable, CustomStringConvertible {
        var path: String
        var kind: UInt32
        var mode: UInt32
        var device: UInt64
        var inode: UInt64
        var links: UInt64
        var size: Int64
        var modified: Int64
        var modifiedNanoseconds: Int
        var changed: Int64
        var changedNanoseconds: Int
        var target: String?

        var description: String {
            "\(path) kind=\(String(kind, radix: 8)) mode=\(String(mode, radix: 8)) ino=\(inode) nlink=\(links) "
                + "size=\(size) mtime=\(modified).\(modifiedNanoseconds) ctime=\(changed).\(changedNanoseconds)"
                + (target.map { " -> \($0)" } ?? "")
        }
    }

    /// Every entry beneath `tree.root`, sorted, never following a link.
    static func snapshot(_ tree: TempTree) -> [Entry] {
        var entries: [Entry] = []
        func walk(_ relative: String) {
            let p = tree.path(relative)
            var st = stat()
            guard lstat(p, &st) == 0 else { return }
            let kind = UInt32(st.st_mode) & UInt32(S_IFMT)
            entries.append(Entry(
                path: relative, kind: kind, mode: UInt32(st.st_mode) & 0o7777, device: UInt64(st.st_dev),
                inode: UInt64(st.st_ino), links: UInt64(st.st_nlink), size: Int64(st.st_size),
                modified: Int64(st.st_mtim.tv_sec), modifiedNanoseconds: st.st_mtim.tv_nsec,
                changed: Int64(st.st_ctim.tv_sec), changedNanoseconds: st.st_ctim.tv_nsec,
                target: kind == UInt32(S_IFLNK) ? tree.readLink(relative) : nil))
            guard kind == UInt32(S_IFDIR) else { return }
            let names = directoryNames(p)
            for name in names.sorted() { walk(relative.isEmpty ? name : relative + "/" + name) }
        }
        walk("")
        return entries
    }

    /// A tree where `plan` has something of every kind to say.
    static func busyTree() throws -> TempTree {
        let tree = try TempTree()
        try tree.file("dots/vim/vimrc", "set nocompatible\n")
        try tree.file("dots/git/config", "[user]\n")
        try tree.file("dots/tools/tool", "#!/bin/sh\n", mode: 0o755)
        try tree.file("dots/fonts/a.ttf", "a")
        try tree.file("dots/fonts/sub/b.ttf", "b")
        try tree.file("dots/old", "old\n")
        try tree.dir("home/.config")
        try tree.symlink("home/.gitconfig", to: "/etc/gitconfig")                      // update
        try tree.symlink("home/.unchanged", to: tree.path("dots/vim/vimrc"))          // unchanged
        try tree.hardlink("home/bin/tool", to: "dots/tools/tool")                    // unchanged hard link
        try tree.file("home/.zshrc", "mine\n")                                        // backup
        try tree.file("home/.profile", "mine\n")                                      // skip
        try tree.dir("home/.vim/colors")                                              // directory, backup
        try tree.symlink("home/.old_bashrc", to: tree.path("dots/old"))               // remove
        try tree.file("home/shared")
        try tree.hardlink("home/shared2", to: "home/shared")                         // remove a hard link
        try tree.symlink("home/.pruned", to: tree.path("dots/old"))                   // prune
        let state = AppliedState(ordered: [RecordedLink(
            path: Path(tree.path("home/.pruned")), kind: .symlink, stored: Path(tree.path("dots/old")), device: 0, inode: 0)])
        try tree.file("dots/plan.yaml", """
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
        try StateStore(fileSystem: LocalFileSystem(root: "/"), directory: Path(tree.stateDirectory))
            .save(state, plan: Path(tree.planFile), root: Path(tree.home))
        return tree
    }

    @Test func planChangesNothing() throws {
        let tree = try Self.busyTree()
        let elsewhere = try TempTree()
        let env = ["HOME": tree.home]
        let before = Self.snapshot(tree)
        #expect(before.count > 20)

        let runs: [[String]] = [
            ["plan", "dots/plan.yaml", "--state-dir", tree.stateDirectory, "--color", "never"],
            ["plan", "dots/plan.yaml", "--state-dir", tree.stateDirectory, "-v", "--color", "always"],
            ["plan", "dots/plan.yaml", "--state-dir", tree.stateDirectory, "--json"],
            ["plan", "dots/plan.yaml", "--state-dir", tree.stateDirectory, "--detailed-exitcode"],
            ["plan", "dots/plan.yaml", "--state-dir", tree.stateDirectory, "--out", elsewhere.path("saved.plan")],
            ["plan", "dots/plan.yaml"],  // the default state directory lies inside HOME: not made by plan
            ["check", "dots/plan.yaml", "--state-dir", tree.stateDirectory],
            ["apply", "--dry-run", "dots/plan.yaml", "--state-dir", tree.stateDirectory],
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
                let changed = zip(before, after).filter { $0 != $1 }.map { "\($0.0)\n  now \($0.1)" }
                Issue.record("""
                    mklnk \(arguments.joined(separator: " ")) changed the tree (\(before.count) → \(after.count) entries):
                    \(changed.prefix(10).joined(separator: "\n"))
                    added/removed: \(Set(after.map(\.path)).symmetricDifference(before.map(\.path)).sorted())
                    """)
                return
            }
        }
        // The runs did what they claim (a plan that did nothing because it failed proves little).
        let plain = try #require(outputs["plan dots/plan.yaml --state-dir \(tree.stateDirectory) --color never"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains("Plan: 7 to create, 1 to update, 3 to delete, 2 to back up, 2 unchanged, 1 skipped, 0 conflicts."),
                "\(plain.stdout)")
        let detailed = try #require(outputs["plan dots/plan.yaml --state-dir \(tree.stateDirectory) --detailed-exitcode"])
        #expect(detailed.status == 2)
        #expect(elsewhere.exists("saved.plan"), "--out wrote its file (outside the tree)")
        let check = try #require(outputs["check dots/plan.yaml --state-dir \(tree.stateDirectory)"])
        #expect(check.status == 2)
    }

    @Test func planWithConflictsAndErrorsChangesNothing() throws {
        let tree = try Self.busyTree()
        try tree.file("dots/plan.yaml", """
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
        for arguments in [["plan", "dots/plan.yaml", "--state-dir", tree.stateDirectory, "--out", "saved.plan"],
                          ["check", "dots/plan.yaml", "--state-dir", tree.stateDirectory]] {
            let result = try MklnkProcess.run(arguments, in: tree.root, environment: env)
            #expect(result.status == 65, "\(result.stdout)\(result.stderr)")
            #expect(Self.snapshot(tree) == before)
        }
        #expect(!tree.exists("saved.plan"))
    }
}
