import MklnkFileSystem

/// `canonical: true` (dotbot's canonicalize): the target stored with every symlink in it
/// resolved, as realpath(3) would; a part that does not exist (a dangling link with
/// `missing: allow`) is kept as written after the resolved part.
enum CanonicalTarget {
    /// Enough for any honest chain of links; a loop ends here (the rest is kept as written).
    static let maxHops = 40

    /// Targets lie anywhere, so they are read without the root's confinement (which is for writes).
    static func resolve(_ path: Path) -> Path {
        resolve(path, LocalFileSystem(root: "/"))
    }

    static func resolve(_ path: Path, _ fs: FileSystem) -> Path {
        var resolved: Path = "/"
        var rest = components(path)
        var hops = 0
        while !rest.isEmpty {
            let name = rest.removeFirst()
            if name == "." { continue }
            if name == ".." {
                resolved = Paths.parent(resolved)
                continue
            }
            let next = Paths.join(resolved, name)
            // Missing or unreadable: the rest as written.
            guard let status = (try? fs.status(next, follow: false)) ?? nil else {
                return Paths.normalize(rest.reduce(next) { Paths.join($0, $1) })
            }
            guard status.kind == .symlink, hops < maxHops, let target = try? fs.readLink(next) else {
                resolved = next
                continue
            }
            hops += 1
            if target.isAbsolute { resolved = "/" }
            rest = components(target) + rest
        }
        return resolved
    }

    private static func components(_ path: Path) -> [Path] {
        path.bytes.split(separator: UInt8(ascii: "/")).map { Path(bytes: $0) }
    }
}
