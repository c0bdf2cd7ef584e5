/// A `when:` mapping: every condition must hold.
struct Condition: Sendable {
    var os: [String]?
    var arch: [String]?
    var host: [String]?
    var user: [String]?
    /// Names that must be set, and name/value pairs that must match exactly.
    var envSet: [String] = []
    var envEquals: [(String, String)] = []

    static let knownOS = ["linux", "macos", "darwin", "freebsd", "openbsd", "netbsd", "windows"]

    func holds(on facts: HostFacts) -> Bool {
        if let os, !os.contains(where: { Self.canonicalOS($0) == facts.os }) { return false }
        if let arch, !arch.contains(where: { Self.canonicalArch($0) == facts.arch }) { return false }
        // Host names are case-insensitive.
        if let host, !host.contains(where: { Glob.matchesAnywhere($0.lowercased(), facts.hostname.lowercased()) }) {
            return false
        }
        if let user, !user.contains(facts.user) { return false }
        for name in envSet where facts.environment[name] == nil { return false }
        for (name, value) in envEquals where facts.environment[name] != value { return false }
        return true
    }

    static func canonicalOS(_ s: String) -> String {
        let l = s.lowercased()
        return l == "darwin" ? "macos" : l
    }

    static func canonicalArch(_ s: String) -> String {
        switch s.lowercased() {
        case "aarch64": return "arm64"
        case "amd64", "x64": return "x86_64"
        default: return s.lowercased()
        }
    }
}
