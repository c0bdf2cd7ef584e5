import MklnkTestSupport
import Foundation
import Testing

/// Issue 13: a refusal says why on stderr, exit codes, a capped flood, terminal safety.
@Suite struct RefusalOutputTests {
    /// A plan whose `remove` names a file's only name (line 4, column 5) and a link with a
    /// file in the way (line 6, column 3).
    func refused(_ label: String) -> (TempTree, String) {
        let t = TempTree(dotfiles: label)
        t.file("~/pair_b", "only name\n")
        t.file("@/a", "a\n")
        t.file("~/a", "mine\n")
        return (t, t.plan("remove:\n  - ~/pair_b\nlinks:\n  a: a\n"))
    }

    @Test("plan, check and apply exiting 1 name each cause as a located error on stderr, with -q and --json too",
          arguments: ["plan", "check", "apply"])
    func refusalSaysWhy(_ command: String) {
        let (t, plan) = refused("why-" + command)
        for extra in [[], ["-q"], ["--json"]] {
            let r = t.mklnk([command, plan] + extra)
            #expect(r.status == 1, "\(command) \(extra): \(r)")
            #expect(r.stderr.contains("plan.yaml:4:5: error: ~/pair_b: it is a regular file with one name, not a link"), "\(command) \(extra): \(r)")
            #expect(r.stderr.contains("plan.yaml:6:3: error: ~/a: a regular file is in the way"), "\(command) \(extra): \(r)")
        }
    }

    @Test("apply --keep-going reports every conflict it skipped as a located error")
    func keepGoingReportsSkips() {
        let t = TempTree(dotfiles: "keep-going-why")
        for n in ["a", "b", "c"] { t.file("@/" + n, n + "\n") }
        t.file("~/a", "mine\n")
        t.file("~/c", "mine\n")
        let r = t.mklnk("apply", t.plan("links:\n  a: a\n  b: b\n  c: c\n"), "--keep-going", "-q")
        #expect(r.status == 1, "\(r)")
        #expect(t.isSymlink("~/b"))
        #expect(r.stderr.contains("plan.yaml:4:3: error: ~/a: a regular file is in the way"), "\(r)")
        #expect(r.stderr.contains("plan.yaml:6:3: error: ~/c: a regular file is in the way"), "\(r)")
    }

    @Test("check exits 65 for an invalid plan")
    func checkInvalid() {
        let t = TempTree(dotfiles: "check-65")
        #expect(t.mklnk("check", t.plan("links:\n  a: a\n  a: b\n")).status == 65)
        #expect(t.mklnk("check", t.plan("links: [\n")).status == 65)
    }

    @Test("--counters FILE that cannot be opened: exit 64 and nothing applied; --root '' and --state-dir '' exit 64")
    func usageExits() {
        let t = TempTree(dotfiles: "usage-64")
        t.file("@/a", "a\n")
        let plan = t.plan("links:\n  a: a\n")
        let before = t.snapshot()
        let r = t.mklnk("apply", plan, "--counters", t.path("no/such/dir/out"))
        #expect(r.status == 64, "\(r)")
        #expect(r.stderr.contains("counters"), "\(r)")
        #expect(t.snapshot() == before && !t.exists("state"))
        #expect(t.mklnk("apply", plan, "--counters", t.dots).status == 64, "a directory cannot take counters")
        #expect(t.mklnk("apply", plan, "--root", "").status == 64)
        #expect(t.mklnk("plan", plan, "--root", "").status == 64)
        // Not through t.mklnk, which adds a --state-dir of its own.
        let env = ["HOME": t.home, "NO_COLOR": "1"]
        #expect(ApplyCLI.run(["apply", plan, "--state-dir", ""], environment: env, scratch: t.dir).status == 64)
        #expect(ApplyCLI.run(["plan", plan, "--state-dir", ""], environment: env, scratch: t.dir).status == 64)
        #expect(t.snapshot() == before)
    }

    @Test("apply --dry-run --counters: what the apply would count, the file checked as for an apply")
    func dryRunCounters() {
        let t = TempTree(dotfiles: "dry-counters")
        t.file("@/a", "a\n")
        let plan = t.plan("links:\n  a: a\n")
        let r = t.mklnk("apply", plan, "--dry-run", "-q", "--counters", "-")
        #expect(r.status == 0 && r.counters["_mklnk_files"] == 1, "\(r)")
        #expect(t.mklnk("apply", plan, "--dry-run", "--counters", t.path("no/dir/out")).status == 64)
        #expect(!t.exists("~/a"))
    }

    @Test("a flood of one kind of error: 20 on stderr, then a count; every one in --json")
    func floodIsCapped() throws {
        let t = TempTree(dotfiles: "flood")
        let n = 1_025
        let plan = t.plan("links:\n" + (0..<n).map { "  l\($0): missing\($0)\n" }.joined())
        let r = t.mklnk("plan", plan)
        #expect(r.status == 1)
        let errors = r.stderr.split(separator: "\n").filter { $0.contains(": error: target ") }
        #expect(errors.count == 20, "\(r.stderr.prefix(3000))")
        #expect(r.stderr.contains("and 1,005 more errors like"), "\(r.stderr.suffix(500))")
        #expect(r.stderr.split(separator: "\n").count < 60, "notes of hidden errors are hidden too")
        let json = t.mklnk("plan", plan, "--json")
        let doc = try #require(JSONContractTests.document(json))
        #expect((doc["diagnostics"] as? [Any])?.count == n)
    }

    @Test("control characters in names print escaped; ~ only for a whole leading $HOME")
    func terminalSafety() {
        let t = TempTree(dotfiles: "escape")
        let odd = "x\u{1B}[31mred\rz"
        t.file("~/" + odd, "in the way\n")
        t.file("@/a", "a\n")
        // `$HOME` again below another directory: not an abbreviation.
        let deep = t.dir + "/elsewhere" + t.home + "/sub"
        let plan = t.plan("links:\n  \"x\\e[31mred\\rz\": a\n  b: \(deep)/missing\n")
        for command in ["plan", "check", "apply"] {
            let r = t.mklnk(command, plan)
            #expect(r.status == 1)
            #expect(!r.stdout.contains("\u{1B}") && !r.stderr.contains("\u{1B}"), "\(command): raw escape\n\(r)")
            #expect(!r.stdout.contains("\r") && !r.stderr.contains("\r"), "\(command): raw CR")
            #expect(r.stderr.contains("~/x\\x1b[31mred\\rz: a regular file is in the way"), "\(command): \(r)")
            #expect(r.stderr.contains(deep + "/missing"), "\(command): \(r)")
            #expect(!r.stderr.contains("/elsewhere~"), "\(command): \(r)")
        }
        // HOME written with a trailing slash is the same home, for paths and messages alike.
        let slash = t.mklnk(["plan", plan], environment: ["HOME": t.home + "/"])
        #expect(slash.stdout.contains("! ~/x\\x1b[31mred\\rz: a regular file") && !slash.stdout.contains("! " + t.home), "\(slash)")
        // A right-to-left override would make the rest of the line read backwards.
        t.file("~/evil\u{202E}txt.sh", "in the way\n")
        let bidi = t.plan("links:\n  \"evil\\u202Etxt.sh\": a\n", name: "bidi.yaml")
        let r = t.mklnk("plan", bidi)
        #expect(r.status == 1 && !r.stderr.contains("\u{202E}") && !r.stdout.contains("\u{202E}"), "\(r)")
        #expect(r.stderr.contains("~/evil\\u{202e}txt.sh: a regular file is in the way"), "\(r)")
    }

    @Test("check in sync with one link: '1 link matches'")
    func singular() {
        let t = TempTree(dotfiles: "singular")
        t.file("@/a", "a\n")
        let plan = t.plan("links:\n  a: a\n")
        #expect(t.mklnk("apply", plan).status == 0)
        let r = t.mklnk("check", plan)
        #expect(r.status == 0)
        #expect(r.stdout.contains("In sync: 1 link matches the plan."), "\(r)")
    }
}
