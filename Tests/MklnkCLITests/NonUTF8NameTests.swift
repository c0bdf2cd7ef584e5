import Foundation
import MklnkTestSupport
import Testing

/// Names are bytes to the kernel (issue 9, defect 10). A name that is not UTF-8 reaches mklnk
/// from a directory listing (a glob) or from the command line; it must come out as exactly those
/// bytes, never as the U+FFFD a String would put in their place. The tests run the binary from
/// `sh`, so that argv carries the raw bytes (`printf '\351'`), as a user's shell would.
@Suite struct NonUTF8NameTests {
    /// Runs `script` in `sh` inside a fresh tree (`home/` is HOME and root, `dots/` the plans,
    /// `$M` the binary, `$S` the state directory); the script prints `ok` when every check held.
    func sh(_ script: String) throws -> MklnkProcess.Result {
        let t = TempTree(dotfiles: "nonutf8")
        let env = ["HOME": t.home, "M": MklnkProcess.path, "S": t.state, "NO_COLOR": "1", "LANG": "C.UTF-8"]
        return try MklnkProcess.run(["-c", "set -u; " + script], in: t.dir, environment: env,
                                    executable: "/bin/sh")
    }

    @Test("a glob matching caf\\xe9.txt links exactly that name to exactly that file")
    func globMatchesBytes() throws {
        let r = try sh(#"""
            n=$(printf 'caf\351.txt')
            mkdir -p dots/fonts && touch "dots/fonts/$n" dots/fonts/plain.txt
            printf 'version: 1\nroot: ~\nlinks:\n  .fonts/:\n    target: fonts/*.txt\n' > dots/plan.yaml
            "$M" apply dots/plan.yaml --state-dir "$S" || exit 1
            [ "$(readlink "home/.fonts/$n")" = "$PWD/dots/fonts/$n" ] || { echo "wrong target"; ls home/.fonts | od -c; exit 1; }
            [ -e "home/.fonts/$n" ] || { echo dangling; exit 1; }
            [ "$(ls home/.fonts | wc -l)" = 2 ] || { echo "extra links"; ls home/.fonts | od -c; exit 1; }
            "$M" check dots/plan.yaml --state-dir "$S" >/dev/null || { echo "not in sync"; exit 1; }
            echo ok
            """#)
        #expect(r.status == 0 && r.stdout.hasSuffix("ok\n"), "\(r)")
        // The diff shows the byte escaped, never a replacement character.
        #expect(r.stdout.contains("caf\\xe9.txt") && !r.stdout.contains("\u{FFFD}"), "\(r)")
    }

    @Test("--json writes a name that is not UTF-8 losslessly (\\udcXX per byte)")
    func jsonIsLossless() throws {
        let r = try sh(#"""
            n=$(printf 'caf\351.txt')
            mkdir -p dots/fonts && touch "dots/fonts/$n"
            printf 'version: 1\nroot: ~\nlinks:\n  .fonts/:\n    target: fonts/*.txt\n' > dots/plan.yaml
            "$M" plan dots/plan.yaml --state-dir "$S" --json
            """#)
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains(#"/home/.fonts/caf\udce9.txt""#), "\(r)")
        #expect(r.stdout.contains(#"/dots/fonts/caf\udce9.txt""#), "\(r)")
        #expect(!r.stdout.contains("\u{FFFD}"), "\(r)")
    }

    @Test("show and unlink act on an existing bad\\xff given on the command line")
    func showAndUnlinkTakeArgvBytes() throws {
        let r = try sh(#"""
            b=$(printf 'bad\377'); c=$(printf 'bad\376')
            ln -s /x "home/$b"; ln -s /y "home/$c"
            "$M" show "home/$b" "home/$c" || { echo "show failed"; exit 1; }
            "$M" unlink "home/$b" --state-dir "$S" || { echo "unlink failed"; exit 1; }
            [ ! -e "home/$b" ] && [ ! -L "home/$b" ] || { echo "bad\\377 still there"; exit 1; }
            [ "$(readlink "home/$c")" = /y ] || { echo "the other name was touched"; exit 1; }
            echo ok
            """#)
        #expect(r.status == 0 && r.stdout.hasSuffix("ok\n"), "\(r)")
        // Two names that would both print as bad\u{FFFD}: each shown with its own bytes and target.
        #expect(r.stdout.contains("home/bad\\xff: symlink -> /x\n"), "\(r)")
        #expect(r.stdout.contains("home/bad\\xfe: symlink -> /y\n"), "\(r)")
        #expect(r.stdout.contains("- ~/bad\\xff"), "\(r)")
    }

    @Test("link makes a link whose name and target are bytes that are not UTF-8")
    func linkTakesArgvBytes() throws {
        let r = try sh(#"""
            n=$(printf 'caf\351'); t=$(printf 'tgt\377')
            touch "dots/$t"
            "$M" link "home/$n" "dots/$t" --state-dir "$S" || exit 1
            [ "$(readlink "home/$n")" = "$PWD/dots/$t" ] || { echo "wrong link"; ls home | od -c; exit 1; }
            echo ok
            """#)
        #expect(r.status == 0 && r.stdout.hasSuffix("ok\n"), "\(r)")
    }
}
