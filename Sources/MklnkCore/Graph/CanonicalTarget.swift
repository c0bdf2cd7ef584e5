import MklnkFileSystem

/// `canonical: true` (dotbot's canonicalize): the target stored with every symlink in it
/// resolved, as realpath(3) would; a part that does not exist (a dangling link with
/// `missing: allow`) is kept as written after the resolved part.
enum CanonicalTarget {
    /// Enough for any honest chain of links; a loop ends here (the rest is kept as written).
    static let maxHops = 40

    /// Targets lie anywhere, so they are read without the root's confinement (which is for writes).
    static func resolve(_ path: String) -> String {
        resolve(path, LocalFileSystem(root: "/"))
    }

    static func resolve(_ path: String, _ fs: FileSystem) -> String {
        var resolved = "/"
        var rest = components(path)
        var hops = 0
        while !rest.isEmpty {
            let name = rest.removeFirst()
            if name == "." { continue }
            if name == ".." {
                resolved = Paths.parent(resolved)
                continue
            }
            let next = join(resolved, name)
            // Missing or unreadable: the rest as written.
            guard let status = (try? fs.status(next, follow: false)) ?? nil else {
                return Paths.normalize(([next] + rest).joined(separator: "/"))
            }
            guard status.kind == .symlink, hops < maxHops, let target = try? fs.readLink(next) else {
                resolved = next
                continue
            }
            hops += 1
            if target.hasPrefix("/") { resolved = "/" }
            rest = components(target) + rest
        }
        return resolved
    }

    private static func components(_ path: String) -> [String] {
        path.split(separator: "/").map(String.init)
    }

    private static func join(_ dir: String, _ name: String) -> String {
        dir == "/" ? "/" + name : dir + "/" + name
    }
}
