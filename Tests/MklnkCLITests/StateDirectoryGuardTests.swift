import Foundation
import MklnkTestSupport
import Testing

/// AUDIT3 F5 and F22: a plan that would move, replace or delete a directory holding mklnk's
/// state directory (`~/.local` with the default `~/.local/state/mklnk`), or link something
/// inside it, is a conflict in `plan` as in `apply`: otherwise the journal of that very apply
/// moves with the directory, and after a crash `recover` finds nothing.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace"), "needs strace"))
struct StateDirectoryGuardTests {
    private func run(_ t: TempTree, _ script: String) throws -> MklnkProcess.Result {
        let env = ["HOME": t.home, "M": MklnkProcess.path, "NO_COLOR": "1", "LANG": "C.UTF-8"]
        return try MklnkProcess.run(["-c", "set -u; exec 2>&1; cd dots\n" + script], in: t.dir, environment: env,
                                    executable: "/bin/sh")
    }

    @Test("backing up ~/.local with the default state dir is a conflict; a crash at the second link leaves the tree as it was")
    func backupOfTheStateParent() throws {
        let t = TempTree(dotfiles: "state-guard")
        let r = try run(t, #"""
            mkdir xdir; echo a > a; echo f > "$HOME/.f"; mkdir -p "$HOME/.local/share"; echo keep > "$HOME/.local/share/data"
            printf 'version: 1\nlinks:\n  .local: {target: xdir, conflict: backup}\n  .f: {target: a, conflict: backup}\n' > p.yaml
            "$M" plan p.yaml > plan.out 2>&1; [ $? -eq 1 ] || { echo "plan did not refuse"; cat plan.out; exit 1; }
            grep -q "holds mklnk's state directory" plan.out || { echo "no reason in plan"; cat plan.out; exit 1; }
            strace -f -o /dev/null -e trace=symlinkat -e inject=symlinkat:signal=SIGKILL:when=2 "$M" apply p.yaml > apply.out 2>&1
            [ $? -eq 1 ] || { echo "apply did not refuse"; cat apply.out; exit 1; }
            "$M" recover || { echo "recover failed"; exit 1; }
            [ -d "$HOME/.local" ] && [ ! -L "$HOME/.local" ] || { echo "~/.local replaced"; ls -lA "$HOME"; exit 1; }
            [ "$(cat "$HOME/.local/share/data")" = keep ] || { echo "data lost"; exit 1; }
            [ "$(cat "$HOME/.f")" = f ] && [ ! -L "$HOME/.f" ] || { echo "~/.f changed"; exit 1; }
            ls -A "$HOME" | grep -q mklnk-backup && { echo "a backup was made"; ls -A "$HOME"; exit 1; }
            [ -z "$(ls -A xdir)" ] || { echo "state written into the dotfiles"; exit 1; }
            echo ok
            """#)
        #expect(r.status == 0 && r.stdout.hasSuffix("ok\n"), "\(r)")
    }

    @Test("with the state kept elsewhere, the same backup is made, and a crash mid-apply is rolled back")
    func backupWithTheStateElsewhere() throws {
        let t = TempTree(dotfiles: "state-guard-elsewhere")
        let r = try run(t, #"""
            mkdir xdir; echo a > a; echo f > "$HOME/.f"; mkdir -p "$HOME/.local/share"; echo keep > "$HOME/.local/share/data"
            printf 'version: 1\nlinks:\n  .local: {target: xdir, conflict: backup}\n  .f: {target: a, conflict: backup}\n' > p.yaml
            S="$PWD/../state"
            strace -f -o /dev/null -e trace=symlinkat -e inject=symlinkat:signal=SIGKILL:when=2 "$M" apply p.yaml --state-dir "$S" -q
            [ $? -eq 137 ] || { echo "not killed"; exit 1; }
            "$M" recover --state-dir "$S" > rec.out 2>&1 || { echo "recover failed"; exit 1; }
            grep -q "rolled back" rec.out || { echo "nothing recovered"; cat rec.out; exit 1; }
            [ -d "$HOME/.local" ] && [ ! -L "$HOME/.local" ] && [ "$(cat "$HOME/.local/share/data")" = keep ] \
                || { echo "not rolled back"; ls -lA "$HOME"; exit 1; }
            "$M" apply p.yaml --state-dir "$S" -q || { echo "apply failed"; exit 1; }
            [ "$(readlink "$HOME/.local")" = "$PWD/xdir" ] || { echo "no link"; exit 1; }
            echo ok
            """#)
        #expect(r.status == 0 && r.stdout.hasSuffix("ok\n"), "\(r)")
    }

    @Test("a link inside the state directory is a conflict; the lock and states stay files")
    func linkInsideTheStateDirectory() throws {
        let t = TempTree(dotfiles: "state-guard-inside")
        let r = try run(t, #"""
            echo a > a
            printf 'version: 1\nlinks:\n  .b: a\n' > q.yaml; "$M" apply q.yaml -q || { echo "first apply failed"; exit 1; }
            state=$(cd "$HOME/.local/state/mklnk/plans" && ls)
            printf 'version: 1\nlinks:\n  .local/state/mklnk/lock: a\n  .local/state/mklnk/plans/%s: {target: a, conflict: backup}\n' "$state" > p.yaml
            "$M" apply p.yaml > out 2>&1; [ $? -eq 1 ] || { echo "apply did not refuse"; cat out; exit 1; }
            [ "$(grep -c "lies in mklnk's state directory" out)" -ge 2 ] || { cat out; exit 1; }
            [ -z "$(find "$HOME/.local/state/mklnk" -type l)" ] || { echo "a link in the state directory"; exit 1; }
            [ -f "$HOME/.local/state/mklnk/plans/$state" ] || { echo "state replaced"; exit 1; }
            echo ok
            """#)
        #expect(r.status == 0 && r.stdout.hasSuffix("ok\n"), "\(r)")
    }
}
