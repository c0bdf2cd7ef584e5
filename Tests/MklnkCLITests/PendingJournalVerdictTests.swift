import Foundation
import MklnkTestSupport
import Testing

/// AUDIT3 F23: while an interrupted apply awaits recovery, the tree is mid-transaction and the
/// next apply first undoes it; `check` and `plan` give no verdict on it (exit 1 "cannot be
/// checked here"), and after `recover` they describe the tree `apply` acts on.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace"), "needs strace"))
struct PendingJournalVerdictTests {
    @Test("check and plan exit 1 while a journal is pending, and tell the truth after recover")
    func noVerdictOnAHalfAppliedTree() throws {
        let t = TempTree(dotfiles: "pending-verdict")
        let env = ["HOME": t.home, "M": MklnkProcess.path, "NO_COLOR": "1", "LANG": "C.UTF-8", "S": t.state]
        let r = try MklnkProcess.run(["-c", #"""
            set -u; exec 2>&1; cd dots
            echo a > a; echo f > "$HOME/.f"
            printf 'version: 1\nlinks:\n  .f: {target: a, conflict: backup}\n  .n: a\n' > p.yaml
            strace -f -o /dev/null -e trace=symlinkat -e inject=symlinkat:signal=SIGKILL:when=2 "$M" apply p.yaml --state-dir "$S"
            printf 'version: 1\nlinks:\n  .f: a\n' > p.yaml
            "$M" check p.yaml --state-dir "$S" > out 2>&1; rc=$?
            [ $rc -eq 1 ] || { echo "check exit $rc"; cat out; exit 1; }
            grep -q "an interrupted apply is pending" out || { cat out; exit 1; }
            "$M" plan p.yaml --detailed-exitcode --state-dir "$S" > out 2>&1; rc=$?
            [ $rc -eq 1 ] || { echo "plan exit $rc"; cat out; exit 1; }
            "$M" recover --state-dir "$S" -q || { echo "recover failed"; exit 1; }
            "$M" check p.yaml --state-dir "$S" > out 2>&1; rc=$?
            [ $rc -eq 1 ] && grep -q "regular file is in the way" out || { echo "after recover: exit $rc"; cat out; exit 1; }
            echo ok
            """#], in: t.dir, environment: env, executable: "/bin/sh")
        #expect(r.status == 0 && r.stdout.hasSuffix("ok\n"), "\(r)")
    }
}
