#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// Paths as the kernel resolves them (SPEC §1: "targets mean what the kernel would make of
/// them"). A `..` after a symlink steps out of where the symlink leads, not out of the
/// directory that holds it; so a path is never rewritten lexically where that could change the
/// file it names. Reads only; directories already resolved are remembered.
final class PhysicalPaths {
    private let fileSystem: FileSystem
    private var directories: [Path: Path] = [:]

    init(fileSystem: FileSystem) {
        self.fileSystem = fileSystem
    }

    /// Whether a path holds a `..` component, the only one a lexical rewrite can get wrong.
    static func hasDotDot(_ path: Path) -> Bool {
        path.withBytes { b in
            let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
            var i = 0
            while i + 1 < b.count {
                if b[i] == dot && b[i + 1] == dot && (i == 0 || b[i - 1] == slash) && (i + 2 == b.count || b[i + 2] == slash) {
                    return true
                }
                i += 1
            }
            return false
        }
    }

    /// `path` (absolute) with every symlink in it resolved as far as it exists, the missing rest
    /// appended as written; with `followLast` false the last component is left as it is.
    /// `complete` is false when a component before a `..` was missing (the kernel would fail).
    /// `through` is told where each symlink followed lies.
    func resolve(_ path: Path, followLast: Bool, through: ((Path) -> Void)? = nil) -> (path: Path, complete: Bool) {
        var pending = path.bytes.split(separator: UInt8(ascii: "/")).reversed().map { Path(bytes: $0) }
        var current: Path = "/"
        var hops = 0
        var missing = false
        var complete = true
        while let name = pending.popLast() {
            if name == "." { continue }
            if name == ".." {
                if missing { complete = false }
                current = Paths.parent(current)
                continue
            }
            let next = Paths.join(current, name)
            if missing || (pending.isEmpty && !followLast) {
                current = next
                continue
            }
            guard let status = try? fileSystem.status(next, follow: false) else {
                missing = true
                current = next
                continue
            }
            guard status.kind == .symlink, hops < 40, let stored = readLink(next) else {
                current = next
                continue
            }
            hops += 1
            through?(next)
            if stored.isAbsolute { current = "/" }
            pending += stored.bytes.split(separator: UInt8(ascii: "/")).reversed().map { Path(bytes: $0) }
        }
        return (current, complete)
    }

    /// The physical directory of a link's parent: where the link would be made. Built on its
    /// parent's answer, so each directory costs one `lstat` (plus the symlinks it is).
    func directory(_ dir: Path) -> Path {
        if let known = directories[dir] { return known }
        let physical: Path
        let name = Paths.name(dir)
        if dir == "/" || !dir.isAbsolute || name == "." || name == ".." || name.isEmpty || Self.hasDotDot(dir) {
            physical = resolve(dir, followLast: true).path
        } else {
            let next = Paths.join(directory(Paths.parent(dir)), name)
            let isLink = (try? fileSystem.status(next, follow: false))?.kind == .symlink
            physical = isLink ? resolve(next, followLast: true).path : next
        }
        directories[dir] = physical
        return physical
    }

    /// Where the link at `path` would physically be: its parents resolved, its name as it is.
    func location(of path: Path) -> Path {
        Paths.join(directory(Paths.parent(path)), Paths.name(path))
    }

    /// Where the file `path` names physically is: its last component followed too. One `lstat`
    /// when that is no symlink, its parents resolved once per directory.
    func target(_ path: Path) -> Path {
        if let status = try? fileSystem.status(path, follow: false), status.kind != .symlink {
            return location(of: path)
        }
        return resolve(path, followLast: true).path
    }

    /// A target as written (absolute, `..` kept), as the kernel would resolve it: the part up to
    /// its last `..` resolved physically, the rest as written. The written text when the kernel
    /// could not resolve it (a missing directory before a `..`): then it does not exist.
    func kernelPath(_ written: Path) -> Path {
        guard Self.hasDotDot(written), let (head, rest) = KernelPath.split(written) else { return written }
        let (resolved, complete) = resolve(head, followLast: true)
        guard complete else { return written }
        return Paths.normalize(rest.reduce(resolved) { Paths.join($0, $1) })
    }

    /// The stored target of the symlink at `path`, wherever it lies.
    private func readLink(_ path: Path) -> Path? {
        guard let stored = try? fileSystem.readLink(anywhere: path), !stored.isEmpty else { return nil }
        return stored
    }
}
