import MklnkTestSupport
@testable import MklnkCore
import MklnkFileSystem
import Testing

/// AUDIT3 F5: actions that did not come from this run's planner (a saved plan, destroy) are
/// refused by the transaction itself when they would delete or replace the directory that
/// holds its journal; nothing changes and no journal is left.
@Suite struct TransactionStateGuardTests {
    @Test("a delete of the link that leads to the state directory is refused before anything changes")
    func deleteOfTheStateParentIsRefused() {
        let t = TempTree(dotfiles: "txn-state-guard")
        t.directory("@/elsewhere/mklnk")
        t.symlink("~/st", t.path("@/elsewhere"))
        t.symlink("~/other", "/nowhere")
        let fs = LocalFileSystem(root: Path(t.home))
        let state = Path(t.home + "/st/mklnk")
        let transaction = Transaction(fileSystem: fs, stateStore: StateStore(fileSystem: fs, directory: state),
                                      plan: "/p.yaml", previous: AppliedState(), keepUnlisted: false, keepGoing: false)
        func delete(_ name: String, _ target: String) -> Action {
            Action(.delete, Path(t.home + "/" + name), kind: .symlink, target: Path(target),
                   was: Observation(kind: .symlink, target: Path(target)))
        }
        let outcome = transaction.apply([delete("other", "/nowhere"), delete("st", t.path("@/elsewhere"))])
        #expect(outcome.rolledBack)
        #expect(outcome.failures.map(\.message).contains { $0.contains("holds mklnk's state directory") },
                "\(outcome.failures.map(\.message))")
        #expect(t.linkTarget("~/st") == t.path("@/elsewhere") && t.linkTarget("~/other") == "/nowhere")
        #expect(!t.exists("@/elsewhere/mklnk/journal"))
    }
}
