import Foundation
import MklnkTestSupport
import Testing

/// AUDIT3 F11: after a crash, the user changes a path before `recover`. What the apply had
/// moved away from it cannot return to its name: it goes to `NAME.mklnk-backup-…` beside the
/// user's new entry, with a warning naming both, never left under a hidden scratch name.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace"), "needs strace"))
struct RecoverSetAsideTests {
    private func run(_ t: TempTree, _ script: String) throws -> MklnkProcess.Result {
        let env = ["HOME": t.home, "M": MklnkProcess.path, "NO_COLOR": "1", "LANG": "C.UTF-8", "S": t.state]
        return try MklnkProcess.run(["-c", "set -u; exec 2>&1; cd dots\n" + script], in: t.dir, environment: env,
                                    executable: "/bin/sh")
    }

    @Test("backup: killed after the exchange, the user rewrites the path, recover puts the original at a backup name")
    func backupOriginalSetAside() throws {
        let t = TempTree(dotfiles: "recover-aside-backup")
        let r = try run(t, #"""
            echo a > a; echo ORIGINAL > "$HOME/.f"
            printf 'version: 1\nlinks:\n  .f: {target: a, conflict: backup}\n' > p.yaml
            strace -f -o /dev/null -e trace=renameat2 -e inject=renameat2:signal=SIGKILL:when=2 "$M" apply p.yaml --state-dir "$S"
            rm "$HOME/.f"; echo usernew > "$HOME/.f"
            "$M" recover --state-dir "$S" > out 2>&1 || { echo "recover failed"; exit 1; }
            [ "$(cat "$HOME/.f")" = usernew ] || { echo "user's file lost"; exit 1; }
            [ "$(cat "$HOME"/.f.mklnk-backup-*)" = ORIGINAL ] || { echo "original not at a backup name"; ls -lA "$HOME"; exit 1; }
            ls -A "$HOME" | grep -q '^\.mklnk-' && { echo "scratch names left"; ls -lA "$HOME"; exit 1; }
            grep -q "warning: ~/.f was changed meanwhile and kept; what mklnk had moved away from it is now ~/.f.mklnk-backup-" out \
                || { echo "no warning"; cat out; exit 1; }
            echo ok
            """#)
        #expect(r.status == 0 && r.stdout.hasSuffix("ok\n"), "\(r)")
    }

    @Test("update: killed mid-apply, the user replaces the updated link by a file, recover keeps both")
    func updateOldLinkSetAside() throws {
        let t = TempTree(dotfiles: "recover-aside-update")
        let r = try run(t, #"""
            echo a > a; ln -s /etc/hostname "$HOME/.u"
            printf 'version: 1\nlinks:\n  .n: a\n  .u: a\n  .m: a\n' > p.yaml
            strace -f -o /dev/null -e trace=symlinkat -e inject=symlinkat:signal=SIGKILL:when=3 "$M" apply p.yaml --state-dir "$S"
            rm "$HOME/.u"; echo X > "$HOME/.u"
            "$M" recover --state-dir "$S" > out 2>&1 || { echo "recover failed"; exit 1; }
            [ "$(cat "$HOME/.u")" = X ] || { echo "user's file lost"; exit 1; }
            [ "$(readlink "$HOME"/.u.mklnk-backup-*)" = /etc/hostname ] || { echo "old link not at a backup name"; ls -lA "$HOME"; exit 1; }
            [ ! -e "$HOME/.n" ] && [ ! -L "$HOME/.n" ] || { echo "not rolled back"; exit 1; }
            ls -A "$HOME" | grep -q '^\.mklnk-' && { echo "scratch names left"; ls -lA "$HOME"; exit 1; }
            grep -q "warning: ~/.u was changed meanwhile" out || { echo "no warning"; cat out; exit 1; }
            echo ok
            """#)
        #expect(r.status == 0 && r.stdout.hasSuffix("ok\n"), "\(r)")
    }
}
