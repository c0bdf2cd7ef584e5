import MklnkTestSupport
import Testing

/// SPEC §3 counters and exit codes, --keep-going, idempotence, --dry-run and --json.
@Suite struct ApplyCountersTests {
    static let names = ["_mklnk_files", "_mklnk_errors", "_mklnk_deleted", "_mklnk_unchanged", "_mklnk_backups"]

    /// a and c can be made; a regular file sits at b (conflict: fail).
    func abc(_ label: String) -> (TempTree, String) {
        let t = TempTree(dotfiles: label)
        for n in ["a", "b", "c"] { t.file("@/" + n, n + "\n") }
        t.file("~/b", "mine\n")
        return (t, t.plan("links:\n  a: a\n  b: b\n  c: c\n"))
    }

    @Test("--keep-going applies what it can, counts the error, and exits 1")
    func keepGoing() {
        let (t, plan) = abc("keep-going")
        let r = t.mklnk("apply", plan, "--keep-going", "--counters", "-")
        #expect(r.status == 1, "\(r)")
        #expect(r.counters == ["_mklnk_files": 2, "_mklnk_errors": 1, "_mklnk_deleted": 0, "_mklnk_unchanged": 0,
                               "_mklnk_backups": 0], "\(r)")
        #expect(t.exists("~/a") && t.exists("~/c"))
        #expect(t.contents("~/b") == "mine\n")
        let again = t.mklnk("apply", plan, "--keep-going", "--counters", "-")
        #expect(again.status == 1)
        #expect(again.counters["_mklnk_files"] == 0 && again.counters["_mklnk_errors"] == 1
                && again.counters["_mklnk_unchanged"] == 2, "\(again)")
    }

    @Test("without --keep-going a conflict changes nothing and exits 1")
    func allOrNothing() {
        let (t, plan) = abc("no-keep-going")
        let before = t.snapshot()
        let r = t.mklnk("apply", plan, "--counters", "-")
        #expect(r.status == 1, "\(r)")
        #expect(t.snapshot() == before)
        #expect(r.counters["_mklnk_errors"] == 1, "\(r)")
        #expect(r.counters["_mklnk_files"] == 0, "\(r)")
    }

    @Test("--counters FILE appends NAME=VALUE lines, in order, and prints none of them")
    func countersFile() {
        let t = TempTree(dotfiles: "counters-file")
        t.file("@/a", "a\n")
        let plan = t.plan("links:\n  a: a\n")
        let out = t.path("github_output")
        t.file(out, "earlier=1\n")
        let first = t.mklnk("apply", plan, "--counters", out)
        let second = t.mklnk("apply", plan, "--counters", out)
        #expect(first.status == 0 && second.status == 0)
        #expect(!first.stdout.contains("_mklnk_") && !second.stdout.contains("_mklnk_"), "\(first)")
        let expected = "earlier=1\n"
            + "_mklnk_files=1\n_mklnk_errors=0\n_mklnk_deleted=0\n_mklnk_unchanged=0\n_mklnk_backups=0\n"
            + "_mklnk_files=0\n_mklnk_errors=0\n_mklnk_deleted=0\n_mklnk_unchanged=1\n_mklnk_backups=0\n"
        #expect(t.contents(out) == expected)
    }

    @Test("--counters FILE ends a last line the file left unterminated first")
    func countersFileWithoutFinalNewline() {
        let t = TempTree(dotfiles: "counters-no-newline")
        t.file("@/a", "a\n")
        let plan = t.plan("links:\n  a: a\n")
        let out = t.path("github_output")
        t.file(out, "earlier=1")
        #expect(t.mklnk("apply", plan, "-q", "--counters", out).status == 0)
        #expect(t.contents(out)?.hasPrefix("earlier=1\n_mklnk_files=1\n") == true, "\(t.contents(out) ?? "nil")")
    }

    @Test("--counters - prints the five counters on stdout, in order")
    func countersStdout() {
        let t = TempTree(dotfiles: "counters-stdout")
        t.file("@/a", "a\n")
        let r = t.mklnk("apply", t.plan("links:\n  a: a\n"), "-q", "--counters", "-")
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.map { String($0.prefix { $0 != "=" }) } == Self.names, "\(r)")
    }

    @Test("a second apply of the same plan changes nothing: _mklnk_files=0")
    func idempotent() {
        let t = TempTree(dotfiles: "idempotent")
        t.file("@/vim/vimrc", "set\n")
        t.file("@/bin/tool", "tool\n")
        t.file("@/proj/readme", "x\n")
        t.file("~/.bashrc", "mine\n")
        t.file("@/bashrc", "b\n")
        let plan = t.plan("""
            links:
              .vimrc: vim/vimrc
              deep/link: { target: vim/vimrc, relative: true }
              tool: { target: bin/tool, kind: hardlink }
              proj: { target: proj, kind: junction }
              .bashrc: { target: bashrc, conflict: backup }

            """)
        let first = t.mklnk("apply", plan, "--counters", "-")
        #expect(first.status == 0 && first.counters["_mklnk_files"] == 5, "\(first)")
        #expect(first.stderr.isEmpty, "piped: no progress bar, nothing extra on stderr\n\(first)")
        let after = t.snapshot()
        let second = t.mklnk("apply", plan, "--counters", "-")
        #expect(second.status == 0)
        #expect(second.counters == ["_mklnk_files": 0, "_mklnk_errors": 0, "_mklnk_deleted": 0, "_mklnk_unchanged": 5,
                                    "_mklnk_backups": 0], "\(second)")
        #expect(t.snapshot() == after)
    }

    @Test("apply --dry-run prints exactly what plan prints, exits the same, and changes nothing",
          arguments: [false, true])
    func dryRun(_ conflict: Bool) {
        let (t, plan) = abc("dry-run")
        if !conflict { t.removeFile("~/b") }
        let before = t.snapshot()
        let planned = t.mklnk("plan", plan)
        let dry = t.mklnk("apply", "--dry-run", plan)
        #expect(dry.stdout == planned.stdout)
        #expect(dry.status == planned.status)
        #expect(dry.status == (conflict ? 1 : 0))
        #expect(t.snapshot() == before)
    }

    @Test("apply --dry-run --counters counts what the apply would: nothing written when it would refuse, the rest with --keep-going")
    func dryRunCountersMatchTheApply() {
        let (t, plan) = abc("dry-run-counters")
        let dry = t.mklnk("apply", "--dry-run", plan, "--counters", "-")
        let dryKeepGoing = t.mklnk("apply", "--dry-run", "--keep-going", plan, "--counters", "-")
        let refused = t.mklnk("apply", plan, "--counters", "-")
        #expect(refused.status == 1)
        #expect(dry.counters == refused.counters, "dry run \(dry)\napply \(refused)")
        let keptGoing = t.mklnk("apply", "--keep-going", plan, "--counters", "-")
        #expect(dryKeepGoing.counters == keptGoing.counters, "dry run \(dryKeepGoing)\napply \(keptGoing)")
    }

    @Test("--json prints one document with the counters under their own names")
    func json() {
        let t = TempTree(dotfiles: "json")
        t.file("@/a", "a\n")
        let r = t.mklnk("apply", t.plan("links:\n  a: a\n"), "--json")
        #expect(r.status == 0, "\(r)")
        let compact = r.stdout.filter { !$0.isWhitespace }
        #expect(compact.hasPrefix("{") && compact.hasSuffix("}"), "\(r)")
        #expect(compact.contains("\"counters\":{\"_mklnk_files\":1,\"_mklnk_errors\":0"), "\(r)")
    }

    @Test("an invalid plan exits 65 and changes nothing; a bad option exits 64")
    func exitCodes() {
        let t = TempTree(dotfiles: "exit-codes")
        t.file("@/a", "a\n")
        let plan = t.plan("links:\n  a: a\n  a: a\n")
        let before = t.snapshot()
        let invalid = t.mklnk("apply", plan)
        #expect(invalid.status == 65, "\(invalid)")
        #expect(t.snapshot() == before)
        #expect(t.mklnk("apply", "--no-such-option", t.path("@/plan.yaml")).status == 64)
    }
}
