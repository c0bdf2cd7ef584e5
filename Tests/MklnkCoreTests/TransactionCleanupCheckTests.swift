#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkTestSupport
@testable import MklnkCore
import MklnkFileSystem
import Testing

/// SPEC §4 "Checked at the moment of acting", for the unlinks after the commit: the tree is
/// changed in process between a step and the cleanup (through the transaction's progress
/// callback, called after each step), and no file may lose its last name or its bytes.
@Suite struct TransactionCleanupCheckTests {
    /// Applies `yaml`, running `between` once the steps are done and before the commit.
    func apply(_ t: TempTree, _ yaml: String, between: @escaping (TempTree) -> Void) -> ApplyOutcome {
        let run = t.planRun(yaml)
        let fs = LocalFileSystem(root: run.plan!.root)
        var transaction = t.transaction(run, on: fs)
        transaction.progress = { done, total in if done == total { between(t) } }
        return transaction.apply(run.actions)
    }

    func scratch(_ t: TempTree) -> [String] { t.names("~").filter { $0.hasPrefix(".mklnk-") } }

    @Test("a removed hard link whose other name goes before the cleanup is kept at its name, with a warning")
    func lastNameAtCleanup() {
        let t = TempTree(dotfiles: "cleanup-lastname")
        t.file("@/h", "the data\n")
        t.hardLink("~/h1", to: "@/h")
        let outcome = apply(t, ApplyScenario.plan("remove:\n  - ~/h1\n")) { t in
            #expect(unlink(t.path("@/h")) == 0)
        }
        #expect(t.contents("~/h1") == "the data\n", "the last name was unlinked")
        #expect(outcome.warnings.contains { $0.contains("kept") && $0.contains("last link") }, "\(outcome.warnings)")
        #expect(scratch(t).isEmpty, "\(scratch(t))")
    }

    @Test("a stale hard link's old file whose bytes change before the cleanup is kept as a backup")
    func bytesAtCleanup() {
        let t = TempTree(dotfiles: "cleanup-bytes")
        t.file("@/tool", "v1\n")
        let yaml = ApplyScenario.plan("links:\n  tool: { target: tool, kind: hardlink }\n")
        t.apply(yaml)
        t.replaceByRename("@/tool", "v1\n")
        let outcome = apply(t, yaml) { t in
            // The old file is now only under the scratch name: written there, as a last change.
            for name in t.names("~") where name.hasPrefix(".mklnk-") { t.file("~/" + name, "v1, edited\n") }
        }
        let backups = t.names("~").filter { $0.hasPrefix("tool.mklnk-backup-") }
        #expect(backups.count == 1 && t.contents("~/" + (backups.first ?? "")) == "v1, edited\n", "\(t.names("~"))")
        #expect(t.contents("~/tool") == "v1\n" && t.inode("~/tool") == t.inode("@/tool"))
        #expect(outcome.warnings.contains { $0.contains("bytes") }, "\(outcome.warnings)")
        #expect(scratch(t).isEmpty, "\(scratch(t))")
    }
}
