import Foundation
@testable import MklnkCore
import MklnkFileSystem
import Testing

/// The compiled-plan cache: a cached plan is the very plan the load would make, it is used only
/// when every input the load read is the same, and a damaged file is never trusted.
@Suite struct PlanCacheTests {
    /// A state directory of its own and a plan file in it.
    final class Scratch {
        let dir: String
        init() {
            dir = NSTemporaryDirectory() + "mklnk-plancache-\(getpid())-\(UUID().uuidString)"
            try? FileManager.default.createDirectory(atPath: dir + "/state", withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: dir) }
        var planFile: String { dir + "/plan.yaml" }
        func write(_ yaml: String) { FileManager.default.createFile(atPath: planFile, contents: Data(yaml.utf8)) }
        func cache(writable: Bool = true) -> PlanCache { PlanCache(stateDirectory: Path(dir + "/state"), writable: writable) }
        func options(_ facts: HostFacts = .test, variables: [String: String] = [:]) -> LoadOptions {
            LoadOptions(facts: facts, variables: variables, workingDirectory: Path(dir))
        }
    }

    /// Loads through the cache; `hit` says whether the plan came from it.
    static func load(_ file: String, _ options: LoadOptions, _ cache: PlanCache?) -> (plan: Plan?, diagnostics: Diagnostics, hit: Bool) {
        let bytes = PlanSource.read(file: file, options: options, fileSystem: LocalFileSystem(root: "/")).input?.allBytes()
        let hit = bytes.flatMap { b in cache?.lookup(name: file, bytes: b, options: options) } != nil
        let prefetch = Prefetch(inspectLinks: false) { _ in nil }
        let (plan, _, diagnostics) = PlanCache.load(file: file, options: options, fileSystem: LocalFileSystem(root: "/"),
                                                    prefetch: prefetch, cache: cache)
        prefetch.cancel()
        return (plan, diagnostics, hit)
    }

    /// Everything in a plan, in a form that compares (variables sorted).
    static func dump(_ plan: Plan?) -> String {
        guard var plan else { return "nil" }
        let variables = plan.variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        plan.variables = [:]
        var out = variables.joined(separator: "\n") + "\n"
        Swift.dump(plan, to: &out)
        return out
    }

    static let plan = """
        version: 1
        root: ~/home
        vars:
          where: ${MKLNK_WHERE:-somewhere}
        links:
          a: one
          b/: { target: "two/*.conf", exclude: ["*.bak"], select: { size: "1K..", hidden: false } }
          c: { target: three, kind: hardlink, when: { os: linux, env: MKLNK_ON } }
          d: { target: "${where}/four", relative: true, conflict: backup }
          e: { target: five, when: { host: "ci-*", user: tess, arch: x86_64 } }
        dirs: [ { path: made, mode: "0700" } ]
        clean: [ { path: ".", recursive: true } ]
        remove: [ old ]

        """

    static var facts: HostFacts {
        var f = HostFacts.test
        f.environment["MKLNK_ON"] = "1"
        return f
    }

    @Test("a stored plan is found again and is the very plan the load makes")
    func hitIsTheSamePlan() {
        let s = Scratch()
        s.write(Self.plan)
        let uncached = Self.load(s.planFile, s.options(Self.facts), nil)
        #expect(uncached.diagnostics.items.isEmpty, "\(uncached.diagnostics.items)")
        let cache = s.cache()
        let first = Self.load(s.planFile, s.options(Self.facts), cache)
        #expect(!first.hit && cache.written != nil)
        let second = Self.load(s.planFile, s.options(Self.facts), s.cache())
        #expect(second.hit)
        #expect(Self.dump(second.plan) == Self.dump(uncached.plan))
        #expect(Self.dump(first.plan) == Self.dump(uncached.plan))
    }

    /// One input of the load changed: the stored plan must not be used.
    static let changes: [String] = [
        "the plan's bytes", "a --var", "a consulted environment variable", "an environment variable that was absent",
        "an environment variable a condition tested", "os", "arch", "hostname", "user", "home", "--root",
        "the working directory", "the YAML limits", "the plan's name", "the binary",
    ]

    @Test("every input the load read is part of the key", arguments: changes)
    func changedInputMisses(_ change: String) throws {
        let s = Scratch()
        s.write(Self.plan)
        var options = s.options(Self.facts)
        var name = s.planFile
        #expect(!Self.load(name, options, s.cache()).hit)
        #expect(Self.load(name, options, s.cache()).hit)
        #expect(BuildID.current?.count ?? 0 >= 8, "the test binary has a build ID")
        var binary: [UInt8]?
        switch change {
        case "the plan's bytes": s.write(Self.plan.replacingOccurrences(of: "a: one", with: "a: onf"))
        case "a --var": options.variables["where"] = "elsewhere"
        case "a consulted environment variable": options.facts.environment["MKLNK_ON"] = "2"
        case "an environment variable that was absent": options.facts.environment["MKLNK_WHERE"] = "here"
        case "an environment variable a condition tested": options.facts.environment["MKLNK_ON"] = nil
        case "os": options.facts.os = "macos"
        case "arch": options.facts.arch = "arm64"
        case "hostname": options.facts.hostname = "laptop"
        case "user": options.facts.user = "tom"
        case "home": options.facts.home = "/home/tom"
        case "--root": options.root = "/elsewhere"
        case "the working directory": options.workingDirectory = "/"
        case "the YAML limits": options.limits.maxDepth = 100
        case "the plan's name":
            name = "plan.yaml"
            options.workingDirectory = Path(s.dir)
            // The same file by another name: its locations say another name.
            #expect(!Self.load(name, options, s.cache(writable: false)).hit)
            return
        default:
            binary = (BuildID.current ?? []) + [1]
        }
        if let binary {
            let bytes = Array(Self.plan.utf8)
            #expect(PlanCache.key(name: name, options: options) != PlanCache.key(name: name, options: options, binary: binary))
            #expect(s.cache().lookup(name: name, bytes: bytes, options: options) != nil)
            return
        }
        let after = Self.load(name, options, s.cache(writable: false))
        #expect(!after.hit, "\(change)")
        #expect(Self.dump(after.plan) == Self.dump(Self.load(name, options, nil).plan))
    }

    @Test("an environment variable the load did not look up does not matter")
    func unrelatedEnvironmentHits() {
        let s = Scratch()
        s.write(Self.plan)
        var options = s.options(Self.facts)
        _ = Self.load(s.planFile, options, s.cache())
        options.facts.environment["OLDPWD"] = "/somewhere/else"
        options.facts.environment["EDITOR"] = "nano"
        #expect(Self.load(s.planFile, options, s.cache()).hit)
    }

    @Test("plans with errors or warnings are not stored; their diagnostics come every time")
    func diagnosticsAreNeverCached() {
        for yaml in ["version: 1\nlinks:\n  a: ${UNDEFINED_HERE}\n", "version: 1\nroot: /\nlinks:\n  /tmp/x: y\n"] {
            let s = Scratch()
            s.write(yaml)
            let cache = s.cache()
            let first = Self.load(s.planFile, s.options(), cache)
            #expect(!first.diagnostics.items.isEmpty && cache.written == nil)
            let second = Self.load(s.planFile, s.options(), s.cache())
            #expect(!second.hit)
            #expect(second.diagnostics.items.map(\.description) == first.diagnostics.items.map(\.description))
        }
    }

    @Test("a read-only cache is read but never written")
    func readOnlyCacheWritesNothing() {
        let s = Scratch()
        s.write(Self.plan)
        let cache = s.cache(writable: false)
        _ = Self.load(s.planFile, s.options(Self.facts), cache)
        #expect(cache.written == nil)
        #expect(!FileManager.default.fileExists(atPath: s.dir + "/state/cache"))
    }

    @Test("storing writes a new file: a leftover temporary name linked to another file leaves that file alone")
    func leftoverTemporaryIsNotWrittenThrough() throws {
        let s = Scratch()
        s.write(Self.plan)
        let options = s.options(Self.facts)
        let cache = s.cache()
        let other = s.dir + "/precious"
        FileManager.default.createFile(atPath: other, contents: Data("keep me\n".utf8))
        try FileManager.default.createDirectory(atPath: s.dir + "/state/cache", withIntermediateDirectories: true)
        let temporary = cache.file(name: s.planFile, options: options).description + ".tmp-\(getpid())"
        #expect(link(other, temporary) == 0)
        _ = Self.load(s.planFile, options, cache)
        #expect(cache.written != nil)
        #expect(try String(contentsOfFile: other, encoding: .utf8) == "keep me\n")
        #expect(Self.load(s.planFile, options, s.cache()).hit)
    }

    @Test("a file whose checksum holds but whose plan does not decode is a miss, and the load is right")
    func undecodablePlanMisses() throws {
        let s = Scratch()
        s.write(Self.plan)
        let options = s.options(Self.facts)
        let cache = s.cache()
        let plain = Self.load(s.planFile, options, nil)
        _ = Self.load(s.planFile, options, cache)
        let file = try #require(cache.written)
        let good = try #require(try LocalFileSystem(root: "/").readFile(file))
        // The last byte of the plan dropped, the checksum made anew: the entries decode, the rest not.
        var body = Array(good[8..<(good.count - 8)].dropLast())
        var sum = Checksum()
        body.withUnsafeBufferPointer { sum.add($0) }
        body = Array(good[0..<8]) + body
        withUnsafeBytes(of: sum.value.littleEndian) { body += $0 }
        try LocalFileSystem(root: "/").writeFileAtomically(file, body, sync: false)
        var offered = 0
        let bytes = Array(Self.plan.utf8)
        #expect(s.cache().lookup(name: s.planFile, bytes: bytes, options: options) { _, _ in offered += 1 } == nil)
        #expect(offered > 0, "the damage was found before the entries")
        let again = Self.load(s.planFile, options, s.cache(writable: false))
        #expect(!again.hit && Self.dump(again.plan) == Self.dump(plain.plan))
    }

    /// `PlanCodec` writes these fields; a field added to a plan's types fails here until the
    /// codec writes it too (else a cached plan would lose it).
    @Test("the codec knows every stored field of a plan")
    func codecCoversEveryField() throws {
        let (loaded, _) = MklnkCoreTests.load("version: 1\nlinks:\n  a: { target: b, select: { size: '1..2' } }\n")
        let plan = try #require(loaded).plan
        func labels(_ value: Any) -> [String] { Mirror(reflecting: value).children.map { $0.label ?? "?" } }
        #expect(labels(plan) == ["file", "version", "root", "base", "home", "variables", "entries", "removals",
                                 "directories", "cleans"])
        #expect(labels(plan.entries[0]) == ["link", "isDirectory", "targets", "options", "location"])
        #expect(labels(plan.entries[0].targets) == ["first", "rest"])
        #expect(labels(plan.entries[0].options) == ["kind", "relative", "type", "missing", "relink", "conflict", "parents",
                                                    "canonical", "exclude", "selection"])
        // `selection` boxes `select`, which the codec reads and writes.
        #expect(labels(try #require(plan.entries[0].options.select)) == ["size", "modified", "hidden", "readonly", "executable"])
        #expect(labels(Removal(path: "/a", location: plan.entries[0].location)) == ["path", "location"])
        #expect(labels(PlanDirectory(path: "/a", mode: nil, location: plan.entries[0].location)) == ["path", "mode", "location"])
        #expect(labels(PlanClean(path: "/a", recursive: true, location: plan.entries[0].location)) == ["path", "recursive", "location"])
        #expect(labels(plan.entries[0].location) == ["source", "storedLine", "storedColumn"])
    }

    @Test("a truncated, bit-flipped or foreign cache file is never trusted")
    func damagedFilesMiss() throws {
        let s = Scratch()
        s.write(Self.plan)
        let options = s.options(Self.facts)
        let cache = s.cache()
        _ = Self.load(s.planFile, options, cache)
        let file = try #require(cache.written)
        let good = try #require(try LocalFileSystem(root: "/").readFile(file))
        let bytes = Array(Self.plan.utf8)
        func lookup(_ damaged: [UInt8]) -> Plan? {
            try? LocalFileSystem(root: "/").writeFileAtomically(file, damaged, sync: false)
            return s.cache().lookup(name: s.planFile, bytes: bytes, options: options)
        }
        #expect(lookup(good) != nil)
        for length in stride(from: 0, to: good.count, by: max(1, good.count / 97)) + [good.count - 1] {
            #expect(lookup(Array(good.prefix(length))) == nil, "truncated to \(length)")
        }
        var rng = SystemRandomNumberGenerator()
        for i in 0..<400 {
            var damaged = good
            let at = i < good.count ? i : Int.random(in: 0..<good.count, using: &rng)
            damaged[at] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
            #expect(lookup(damaged) == nil, "bit flipped at \(at)")
        }
        #expect(lookup([]) == nil)
        #expect(lookup(Array("MKLNKPC1".utf8) + [UInt8](repeating: 0, count: 64)) == nil)
        #expect(lookup((0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }) == nil)
        #expect(lookup(good + [0]) == nil)
    }
}
