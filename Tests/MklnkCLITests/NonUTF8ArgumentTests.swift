import Foundation
import MklnkTestSupport
import Testing

/// Audit 3, F10: the plan file's name, the saved plan's, `$HOME` and `$XDG_STATE_HOME` are
/// bytes, used exactly; a `--var` value or an environment variable a plan expands that is not
/// UTF-8 cannot be held in the plan's text and is refused, never replaced by U+FFFD (which
/// names another file). The scripts run in `sh` so that argv and the environment carry raw bytes.
@Suite struct NonUTF8ArgumentTests {
    /// `script` in `sh` in a fresh tree (`$M` the binary, `$S` the state directory, `$D` the
    /// tree, `$N` the name caf\xe9); it prints `ok` when every check held.
    func sh(_ label: String, _ script: String) throws -> MklnkProcess.Result {
        let t = TempTree(dotfiles: label)
        let env = ["HOME": t.home, "M": MklnkProcess.path, "S": t.state, "D": t.dir, "NO_COLOR": "1", "LANG": "C.UTF-8"]
        return try MklnkProcess.run(["-c", "set -u; N=$(printf 'caf\\351'); cd dots; echo a > a; " + script], in: t.dir,
                                    environment: env, executable: "/bin/sh")
    }

    @Test("a plan file whose name is not UTF-8 is read, applied, checked, saved and destroyed under its own name")
    func planFileName() throws {
        let r = try sh("nonutf8-plan-file", #"""
            printf 'version: 1\nlinks:\n  .x: a\n' > "$N.yaml"
            "$M" validate "$N.yaml" || exit 1
            "$M" apply "$N.yaml" --state-dir "$S" || exit 1
            [ -L "$HOME/.x" ] || { echo "no link"; exit 1; }
            "$M" check "$N.yaml" --state-dir "$S" || { echo "not in sync"; exit 1; }
            "$M" plan "$N.yaml" --state-dir "$S" --out "s$N" -q || exit 1
            "$M" apply --saved "s$N" --state-dir "$S" || exit 1
            "$M" destroy "$N.yaml" --state-dir "$S" || exit 1
            [ ! -e "$HOME/.x" ] || { echo "not destroyed"; exit 1; }
            "$M" plan "$N.yaml" --state-dir "$S" --out "s$N" -q
            echo 'version: 1' > "s$N"
            "$M" apply --saved "s$N" --state-dir "$S" && exit 1
            echo ok
            """#)
        #expect(r.status == 0 && r.stdout.hasSuffix("ok\n"), "\(r)")
        #expect(r.stdout.contains("caf\\xe9.yaml: valid"), "\(r)")
        #expect(r.stderr.contains("scaf\\xe9 is not a saved plan") && !r.stderr.contains("\u{FFFD}"), "\(r)")
    }

    @Test("a --var value that is not UTF-8 is a usage error, not another file")
    func variableValue() throws {
        let r = try sh("nonutf8-var", #"""
            echo c > "$N"
            printf 'version: 1\nlinks:\n  .y: ${V}\n' > p.yaml
            "$M" apply p.yaml --var "V=$N" --state-dir "$S"
            echo "rc=$?"
            """#)
        #expect(r.stdout.contains("rc=64"), "\(r)")
        #expect(r.stderr.contains("--var V: the value caf\\xe9 is not valid UTF-8"), "\(r)")
    }

    @Test("an environment variable that is not UTF-8 is refused where the plan expands it")
    func environmentValue() throws {
        let r = try sh("nonutf8-env", #"""
            echo c > "$N"
            printf 'version: 1\nlinks:\n  .y: ${VV}\n' > p.yaml
            VV="$N" "$M" apply p.yaml --state-dir "$S"
            echo "rc=$?"
            [ -e "$HOME/.y" ] || [ -L "$HOME/.y" ] && echo "made a link"
            """#)
        #expect(r.stdout.contains("rc=65") && !r.stdout.contains("made a link"), "\(r)")
        #expect(r.stderr.contains("p.yaml:3:7: error: the environment variable 'VV' is not valid UTF-8 (caf\\xe9)"), "\(r)")
    }

    @Test("a $HOME that is not UTF-8 is the root and holds the state, exactly; ~ in a plan is refused")
    func home() throws {
        let r = try sh("nonutf8-home", #"""
            H="$D/h$N"; mkdir "$H"
            printf 'version: 1\nlinks:\n  .x: a\n' > p.yaml
            HOME="$H" "$M" apply p.yaml || exit 1
            [ -L "$H/.x" ] || { echo "no link in the home"; exit 1; }
            ls "$H/.local/state/mklnk/plans/"*.state >/dev/null || { echo "no state in the home"; exit 1; }
            ! ls -a "$D" | grep -q "$(printf '\357\277\275')" || { echo "a directory named with U+FFFD appeared"; exit 1; }
            HOME="$H" "$M" check p.yaml || { echo "not in sync"; exit 1; }
            printf 'version: 1\nlinks:\n  ~/.z: a\n' > q.yaml
            HOME="$H" "$M" plan q.yaml && exit 1
            echo ok
            """#)
        #expect(r.status == 0 && r.stdout.hasSuffix("ok\n"), "\(r)")
        #expect(r.stderr.contains("~ stands for $HOME, which is not valid UTF-8"), "\(r)")
    }

    @Test("an XDG_STATE_HOME that is not UTF-8 holds the state, exactly")
    func stateHome() throws {
        let r = try sh("nonutf8-xdg", #"""
            X="$D/s$N"
            printf 'version: 1\nlinks:\n  .x: a\n' > p.yaml
            XDG_STATE_HOME="$X" "$M" apply p.yaml || exit 1
            ls "$X/mklnk/plans/"*.state >/dev/null || { echo "no state there"; ls "$D" | od -c; exit 1; }
            ! ls -a "$D" | grep -q "$(printf '\357\277\275')" || { echo "a directory named with U+FFFD appeared"; exit 1; }
            echo ok
            """#)
        #expect(r.status == 0 && r.stdout.hasSuffix("ok\n"), "\(r)")
    }
}
