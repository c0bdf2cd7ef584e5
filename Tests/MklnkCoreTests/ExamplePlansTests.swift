import Foundation
import MklnkCore
import MklnkFileSystem
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every plan in `Plans/` loads without a diagnostic on several kinds of host, and its targets
/// exist in the example tree (globs match at least one file that passes `exclude` and `select`).
@Suite("Example plans in Plans/")
struct ExamplePlansTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let plansDirectory = packageRoot.appendingPathComponent("Plans")
    static let scratch = "/tmp/mklnk-scratch"

    static func planFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: plansDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    static let hosts: [String: HostFacts] = [
        "linux desktop": HostFacts(os: "linux", arch: "x86_64", hostname: "dev-box", user: "alice", home: scratch,
                                   environment: ["XDG_SESSION_TYPE": "wayland"]),
        "linux CI": HostFacts(os: "linux", arch: "x86_64", hostname: "runner-12", user: "runner", home: scratch,
                              environment: ["CI": "true", "GITHUB_ACTIONS": "true", "RUNNER_OS": "Linux",
                                            "RUNNER_TOOL_CACHE": "/opt/hostedtoolcache"]),
        "mac laptop": HostFacts(os: "macos", arch: "arm64", hostname: "work-mbp", user: "bob", home: scratch,
                                environment: ["MKLNK_THEME": "light"]),
    ]

    @Test func theExpectedPlansArePresent() {
        #expect(Set(Self.planFiles()).isSuperset(of: ["ci.yaml", "conditional.yaml", "dotfiles.yaml", "hardlinks.yaml"]))
    }

    @Test(arguments: planFiles())
    func planLoadsWithoutDiagnostics(_ name: String) throws {
        let path = Self.plansDirectory.appendingPathComponent(name).path
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var entries = 0
        for (host, facts) in Self.hosts.sorted(by: { $0.key < $1.key }) {
            let options = LoadOptions(facts: facts, root: Path(Self.scratch), workingDirectory: "/")
            let (plan, diagnostics) = PlanLoader.load(file: path, bytes: bytes, options: options)
            #expect(diagnostics.items.map(\.description) == [], "\(name) on \(host)")
            let p = try #require(plan, "\(name) on \(host)")
            #expect(p.base.hasPrefix(Path(Self.plansDirectory.appendingPathComponent("example").path)))
            for entry in p.entries {
                checkTargets(of: entry, base: p.base.description, in: "\(name) on \(host)")
            }
            entries += p.entries.count
        }
        #expect(entries > 0, "\(name) makes no link on any host")
    }

    func entries(of name: String, on host: String) throws -> [String] {
        let path = Self.plansDirectory.appendingPathComponent(name).path
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let options = LoadOptions(facts: try #require(Self.hosts[host]), root: Path(Self.scratch), workingDirectory: "/")
        let text = String(decoding: bytes, as: UTF8.self)
        return try #require(PlanLoader.load(file: path, bytes: bytes, options: options).0).entries.map { keyAsWritten($0, in: text) }
    }

    @Test func ciPlanAppliesOnlyOnCI() throws {
        #expect(try entries(of: "ci.yaml", on: "linux desktop") == [])
        #expect(try entries(of: "ci.yaml", on: "mac laptop") == [])
        #expect(try entries(of: "ci.yaml", on: "linux CI")
            == ["~/bin/", "~/bin/ci-env", "~/bin/node", "~/.cache/ci", "~/bin/gh-annotate", "~/.config/pip/pip.conf"])
    }

    @Test func conditionalPlanPicksEntriesPerHost() throws {
        #expect(try entries(of: "conditional.yaml", on: "linux desktop")
            == ["~/.config/alacritty/theme.toml", "~/.config/fontconfig/fonts.conf", "~/.config/starship.toml"])
        #expect(try entries(of: "conditional.yaml", on: "mac laptop") == [
            "~/.config/alacritty/theme.toml", "~/Library/Fonts/", "~/Library/Application Support/alacritty/alacritty.toml",
            "~/.docker/cli-plugins/docker-buildx", "~/.ssh/config.d/work.conf",
        ])
    }

    /// Each target exists (unless `missing: allow`); each glob matches something that passes the filters.
    func checkTargets(of entry: PlanEntry, base: String, in context: String) {
        for target in entry.targets {
            let isGlob = target.value.bytes.contains(where: { "*?[".utf8.contains($0) })
            if !isGlob {
                let exists = FileManager.default.fileExists(atPath: target.value.description)
                #expect(exists || entry.options.missing == .allow, "\(context): \(entry.link) -> \(target.value)")
                continue
            }
            let directory = (target.value.description as NSString).deletingLastPathComponent
            let pattern = (target.value.description as NSString).lastPathComponent
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            let matches = names.filter { name in
                guard fnmatch(pattern, name, FNM_PERIOD) == 0 else { return false }
                let full = directory + "/" + name
                let relative = full.hasPrefix(base + "/") ? String(full.dropFirst(base.count + 1)) : full
                if entry.options.exclude.contains(where: { fnmatch($0, name, 0) == 0 || fnmatch($0, relative, 0) == 0 }) {
                    return false
                }
                return passesSelect(full, entry.options.select)
            }
            #expect(!matches.isEmpty, "\(context): \(entry.link) -> \(target.value) matches nothing")
        }
    }

    func passesSelect(_ path: String, _ select: Selection?) -> Bool {
        guard let select else { return true }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return false }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let modified = Int64((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)
        let permissions = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
        if let range = select.size, !range.contains(size) { return false }
        if let range = select.modified, !range.contains(modified) { return false }
        if let executable = select.executable, (permissions & 0o111 != 0) != executable { return false }
        if let readonly = select.readonly, (permissions & 0o222 == 0) != readonly { return false }
        if let hidden = select.hidden, (path as NSString).lastPathComponent.hasPrefix(".") != hidden { return false }
        return true
    }
}
