import MklnkTestSupport
import Testing

/// Issue 13, "Bounds on hostile input": small plans that once took seconds and gigabytes end at
/// once with an error at their location. Generators, not timings: a blow-up shows as a test
/// that does not finish within CI's budget (measured by hand: see the README's bounds).
@Suite struct HostileInputTests {
    @Test("variables that double at each level stop at the length of a path, where they pass it")
    func doublingVariables() {
        let t = TempTree(dotfiles: "hostile-double")
        var vars = "vars:\n  v0: xxxxxxxxxxxxxxxx\n"
        for i in 1..<40 { vars += "  v\(i): ${v\(i - 1)}${v\(i - 1)}\n" }
        let plan = t.plan(vars + "links:\n  a: ${v39}\n")
        let r = t.mklnk("validate", plan)
        #expect(r.status == 65, "\(r)")
        // v8 is the first to pass 4,095 bytes (16 × 2⁸): at its second ${v7}.
        #expect(r.stderr.contains("\(plan):12:12: error: this expands to more than 4095 bytes"), "\(r)")
    }

    @Test("20,000 nested ${U:- defaults are refused by counting, without expanding")
    func nestedDefaults() {
        let t = TempTree(dotfiles: "hostile-nest")
        let n = 20_000
        let plan = t.plan("links:\n  a: \"" + String(repeating: "${U:-", count: n) + "x" + String(repeating: "}", count: n) + "\"\n")
        let r = t.mklnk("validate", plan)
        #expect(r.status == 65, "\(r)")
        // The 33rd ${ starts at column 7 + 32 × 5.
        #expect(r.stderr.contains("\(plan):4:167: error: '${' nested more than 32 deep"), "\(r)")
    }

    @Test("a variable chain deeper than 64 is cut short at its place")
    func variableChain() {
        let t = TempTree(dotfiles: "hostile-varchain")
        var vars = "vars:\n  v0: x\n"
        for i in 1..<5_000 { vars += "  v\(i): ${v\(i - 1)}\n" }
        let plan = t.plan(vars + "links:\n  a: ${v4999}\n")
        let r = t.mklnk("validate", plan)
        #expect(r.status == 65, "\(r)")
        #expect(r.stderr.contains("error: variables refer to variables more than 64 deep here"), "\(r)")
    }

    @Test("a chain of 8,000 planned links is planned in one pass (it took 45 s), and its cycle found")
    func chainOfLinks() {
        let t = TempTree(dotfiles: "hostile-chain")
        t.file("@/end", "end\n")
        let n = 8_000
        var body = "links:\n"
        for i in 0..<n { body += "  l\(i): ~/l\(i + 1)\n" }
        let plan = t.plan(body + "  l\(n): end\n")
        let r = t.mklnk("plan", plan)
        #expect(r.status == 0, "\(r.status) \(r.stderr.prefix(500))")
        #expect(r.stdout.contains("Plan: 8001 to create"), "\(r.stdout.suffix(300))")
        // Links come after the links they go through: the end of the chain first.
        #expect(r.stdout.hasPrefix("+ ~/l8000 -> "), "\(r.stdout.prefix(300))")
        let cycle = t.plan(body + "  l\(n): ~/l0\n", name: "cycle.yaml")
        let c = t.mklnk("plan", cycle)
        #expect(c.status == 65, "\(c.status) \(c.stderr.prefix(500))")
        #expect(c.stderr.contains("\(cycle):4:3: error: link cycle: ~/l0 -> ~/l1 -> "), "\(c.stderr.prefix(500))")
    }

    @Test("a glob follows a symlink to a directory once per real directory (11 self-links, 6 levels took 13.9 s)")
    func globThroughSelfLinks() {
        let t = TempTree(dotfiles: "hostile-glob-loop")
        t.file("@/d/x.conf", "x\n")
        for i in 0...10 { t.symlink("@/d/s\(i)", ".") }
        let deep = t.plan("links:\n  ~/c/: \"d/*/*/*/*/*/*/*/*/x.conf\"\n")
        let r = t.mklnk("plan", deep)
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("Plan: 0 to create"), "\(r)")
        // One level: the first symlink into `d` is followed, the ten others into the same directory not.
        let shallow = t.plan("links:\n  ~/c/: \"d/*/x.conf\"\n", name: "shallow.yaml")
        let s = t.mklnk("plan", shallow)
        #expect(s.status == 0, "\(s)")
        #expect(s.stdout.hasPrefix("+ ~/c/s0/x.conf -> ") && s.stdout.contains("Plan: 1 to create"), "\(s)")
    }

    @Test("a glob stops at 100,000 matches with an error at its target")
    func globMatchLimit() {
        let t = TempTree(dotfiles: "hostile-glob-many")
        t.directory("@/many")
        for i in 0...100_000 { t.touch("@/many/f\(i)") }
        let plan = t.plan("links:\n  ~/m/: { target: \"many/*\" }\n")
        let r = t.mklnk("plan", plan)
        #expect(r.status == 1, "\(r.status) \(r.stderr.prefix(500))")
        #expect(r.stderr.contains("\(plan):4:19: error: cannot expand \(t.dots)/many/*: it matches or walks through more than 100000 paths"),
                "\(r.stderr.prefix(500))")
    }

    @Test("a stale hard link's bytes are compared in chunks: two 512 MiB files within 768 MiB of address space")
    func staleHardLinkComparedInChunks() throws {
        let t = TempTree(dotfiles: "hostile-big")
        let size = 512 << 20
        t.sparse("@/big", size: size, last: 1)
        let plan = t.plan("links:\n  h: { target: big, kind: hardlink }\n")
        #expect(t.mklnk("apply", plan).status == 0)
        // Replaced by rename (git checkout): the same size, another last byte.
        t.sparse("@/big.new", size: size, last: 2)
        #expect(rename(t.path("@/big.new"), t.path("@/big")) == 0)
        // Before, both files were read whole: over 1 GiB, more than this address space.
        let bound = 768 << 10
        let r = try t.mklnkBounded(["plan", plan], addressSpaceKiB: bound)
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("> ~/h") && r.stdout.contains("+ ~/h"), "\(r)")
        // The same bytes again: re-linked without a backup, every chunk compared.
        t.sparse("@/big.new", size: size, last: 1)
        #expect(rename(t.path("@/big.new"), t.path("@/big")) == 0)
        let same = try t.mklnkBounded(["plan", plan], addressSpaceKiB: bound)
        #expect(same.status == 0 && same.stdout.hasPrefix("~ ~/h") && !same.stdout.contains("> ~/h"), "\(same)")
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension TempTree {
    /// An empty file, made with one open and close (`file` also makes the parents).
    fileprivate func touch(_ p: String) {
        let fd = open(path(p), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0, "open \(path(p)): \(errno)")
        close(fd)
    }
}

extension TempTree {
    /// A sparse file of `size` bytes whose last byte is `last`, the rest zeros.
    fileprivate func sparse(_ p: String, size: Int, last: UInt8) {
        let fd = open(path(p), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0 && ftruncate(fd, off_t(size)) == 0, "sparse \(path(p)): \(errno)")
        var byte = last
        precondition(pwrite(fd, &byte, 1, off_t(size - 1)) == 1)
        close(fd)
    }

    /// Runs mklnk as `mklnk(_:)` does, under `ulimit -v` (KiB of address space): a run that
    /// needs more fails to allocate. (A child's peak RSS from `wait4` would include what it
    /// inherited from this test process before its `exec`.)
    fileprivate func mklnkBounded(_ args: [String], addressSpaceKiB: Int) throws -> MklnkProcess.Result {
        try MklnkProcess.run(["-c", "ulimit -v \(addressSpaceKiB) && exec \"$0\" \"$@\"", MklnkProcess.path]
                             + args + ["--state-dir", state],
                             in: dir, environment: ["HOME": home, "NO_COLOR": "1", "LANG": "C.UTF-8"],
                             executable: "/bin/sh")
    }
}
