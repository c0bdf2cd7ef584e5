import MklnkFileSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `when` conditions and variables are decided against. Tests pass their own.
public struct HostFacts: Sendable {
    public var os: String
    public var arch: String
    public var hostname: String
    public var user: String
    public var home: String
    public var environment: Environment

    public init(os: String, arch: String, hostname: String, user: String, home: String,
                environment: [String: String]) {
        self.os = os
        self.arch = arch
        self.hostname = hostname
        self.user = user
        self.home = home
        self.environment = Environment(environment)
    }

    /// The facts of the running process.
    public static func current() -> HostFacts {
        var environment: [String: String] = [:]
        var notUTF8: [String: Path] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") {
                let name = String(s[..<eq])
                environment[name] = String(s[s.index(after: eq)...])
                let raw = Path(cString: entry)
                if !raw.isValidUTF8, let at = raw.bytes.firstIndex(of: UInt8(ascii: "=")) {
                    notUTF8[name] = Path(bytes: raw.bytes[(at + 1)...])
                }
            }
            p += 1
        }
        var u = utsname()
        uname(&u)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        #if os(macOS)
        let os = "macos"
        #elseif os(Linux)
        let os = "linux"
        #else
        let os = field(u.sysname).lowercased()
        #endif
        var arch = field(u.machine)
        if arch == "aarch64" { arch = "arm64" }
        if arch == "amd64" { arch = "x86_64" }
        let user = environment["USER"] ?? getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? ""
        // An empty or relative HOME would make every path relative to wherever mklnk was started:
        // it is taken as unset, as the shell's `~` does for an empty one.
        let home = environment["HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? getpwuid(getuid()).map { String(cString: $0.pointee.pw_dir) } ?? "/"
        var facts = HostFacts(os: os, arch: arch, hostname: field(u.nodename), user: user, home: home,
                              environment: environment)
        facts.environment.notUTF8 = notUTF8
        return facts
    }

    /// The home directory's bytes: `$HOME` exactly when it is not valid UTF-8 (`home` is then
    /// its lossy text, which `~` in a plan refuses to expand).
    public var homePath: Path {
        if let raw = environment.notUTF8["HOME"], String(decoding: raw.bytes, as: UTF8.self) == home { return raw }
        return Path(home)
    }
}
